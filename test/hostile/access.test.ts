// Taking over a shared sandbox (issue 9, "ADMIN_TOKEN must mean what it says"): the registration forms
// without a sign-in, cookie values in the API, another team's signing request, cross-site requests, DNS
// rebinding, and the headers every page carries. Through the public HTTP surface (supertest).
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, ConfigError } from '../../src/config.js';
import { ECOALERT, ROOT, pendingIdOf, scrapeForm, startSandbox, tempDir, type Sandbox } from '../helpers.js';
import { ACTION, rawSoap, startMSign, type MSignFixture } from '../msign/helpers.js';
import { b64, expectHealthy, liveSession, signedAuthn, signedLogout, type Res } from './support.js';

const TOKEN = 'shared-sandbox-token-1';
const BEARER = `Bearer ${TOKEN}`;
// One key set for every sandbox of this file: generating the PKI is the slow part of a start.
const certsDir = tempDir('access-certs');
const start = (o: Parameters<typeof startSandbox>[0] = {}) => startSandbox(o, { certsDir });

const cookieOf = (res: Res, name: string) =>
  ((res.headers['set-cookie'] as unknown as string[] | undefined) ?? []).find((c) => c.startsWith(`${name}=`));
const services = async (sb: Sandbox) => JSON.stringify((await request(sb.app).get('/api/services')).body);

async function registerByApi(sb: Sandbox, name: string, auth?: string): Promise<string> {
  const cert = sb.pki.issueServiceCertificate(`${name}.example.md`).certificatePem;
  let r = request(sb.app).post('/api/services');
  if (auth) r = r.set('Authorization', auth);
  const res = await r.send({ name: { ro: name, ru: name, en: name }, description: 'Access test.', contact: { name: 'A', email: 'a@example.md' }, certificate: cert, msign: { ipAddresses: ['127.0.0.1'], signerType: 'natural' } });
  expect(res.status, res.text).toBe(201);
  return res.body.id as string;
}

/** A login through the login page only (no /api/script): the protocol must not need the token. */
async function loginThroughPages(sb: Sandbox, extra: Record<string, string> = {}): Promise<Res> {
  const page = await request(sb.app).post('/login/saml').set(extra).type('form').send({ SAMLRequest: b64(signedAuthn(sb)) });
  expect(page.status, page.text.slice(0, 400)).toBe(200);
  return (await request(sb.app).post('/login/saml/continue').type('form').send({ pending: pendingIdOf(page.text), persona: '2001000000011' })) as unknown as Res;
}

describe('ADMIN_TOKEN protects the registration pages, not only the API', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await start({ adminToken: TOKEN });
  });

  it('refuses every form write without a sign-in (401 naming the cookie and /signin) and leaves the registry unchanged', async () => {
    const id = await registerByApi(sb, 'victim', BEARER);
    const before = await services(sb);
    const writes: Array<[string, Record<string, string>]> = [
      ['/services/new', { name_ro: 'X', name_ru: 'X', name_en: 'X', description: 'x', contact_name: 'x', contact_email: 'x@example.md', certificate: ECOALERT.cert }],
      [`/services/${id}/edit`, { name_ro: 'Taken', name_ru: 'Taken', name_en: 'Taken', description: 'x', contact_name: 'x', contact_email: 'x@example.md', certificate: ECOALERT.cert, msign_enabled: 'on', msign_ipAddresses: '0.0.0.0', msign_signerType: 'natural' }],
      [`/services/${id}/delete`, {}],
      ['/services/certificate', { commonName: 'attacker.example.md' }],
      ['/services/metadata', { metadata: '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://x"/>' }],
    ];
    for (const [path, fields] of writes) {
      const res = await request(sb.app).post(`${path}?lang=en`).type('form').send(fields);
      expect(res.status, `${path}: ${res.text.slice(0, 300)}`).toBe(401);
      expect(res.text).toContain('ERR_ADMIN_TOKEN');
      expect(res.text).toContain('mpass_admin');
      expect(res.text).toContain('/signin');
      expect(res.text).not.toContain('pfx-password');
    }
    expect(await services(sb)).toBe(before);
    await expectHealthy(sb);
  });

  it('sends the form pages to the sign-in page; a wrong token is refused; the right one sets a derived HttpOnly SameSite=Strict cookie', async () => {
    const form = await request(sb.app).get('/services/new?lang=en');
    expect(form.status).toBe(303);
    expect(form.headers.location).toBe(`/signin?next=${encodeURIComponent('/services/new?lang=en')}`);
    const signin = await request(sb.app).get(form.headers.location!);
    expect(signin.status).toBe(200);
    expect(signin.text).toContain('data-testid="signin-form"');

    const wrong = await request(sb.app).post('/signin').type('form').send({ token: 'shared-sandbox-token-2', next: '/services/new' });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('ERR_ADMIN_TOKEN');
    expect(cookieOf(wrong, 'mpass_admin')).toBeUndefined();

    const ok = await request(sb.app).post('/signin').type('form').send({ token: TOKEN, next: '/services/new?lang=en' });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe('/services/new?lang=en');
    const set = cookieOf(ok, 'mpass_admin')!;
    expect(set).toMatch(/; HttpOnly/i);
    expect(set).toMatch(/; SameSite=Strict/i);
    expect(set).not.toMatch(/; Secure/i); // plain http PUBLIC_URL
    const value = decodeURIComponent(set.split(';')[0]!.slice('mpass_admin='.length));
    expect(value).not.toContain(TOKEN);
    expect(value).not.toContain(Buffer.from(TOKEN).toString('base64').slice(0, 12));
    expect(value.length).toBeGreaterThan(40);

    // An open redirect through ?next= is not possible.
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
      const r = await request(sb.app).post('/signin').type('form').send({ token: TOKEN, next });
      expect(r.headers.location, next).toBe('/');
    }
  });

  it('with the sign-in cookie the forms work; a forged cookie does not; sign-out ends the session even if the cookie is replayed', async () => {
    const ok = await request(sb.app).post('/signin').type('form').send({ token: TOKEN, next: '/' });
    const cookie = cookieOf(ok, 'mpass_admin')!.split(';')[0]!;
    const id = await registerByApi(sb, 'deleteme', BEARER);

    expect((await request(sb.app).get('/services/new').set('Cookie', cookie)).status).toBe(200);
    const [name, value] = [cookie.slice(0, cookie.indexOf('=')), decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1))];
    const parts = value.split('.');
    const forged = [
      `${name}=${encodeURIComponent([parts[0], String(Number(parts[1]) + 86400 * 365), parts[2], parts[3]].join('.'))}`, // longer expiry, same MAC
      `${name}=${encodeURIComponent([...parts.slice(0, 3), 'A'.repeat(parts[3]!.length)].join('.'))}`,
      `${name}=${encodeURIComponent(TOKEN)}`,
      `${name}=1`,
    ];
    for (const c of forged) expect((await request(sb.app).post(`/services/${id}/delete`).set('Cookie', c)).status, c).toBe(401);
    expect(sb.registry.get(id)).toBeTruthy();

    const del = await request(sb.app).post(`/services/${id}/delete?lang=en`).set('Cookie', cookie);
    expect(del.status).toBe(303);
    expect(sb.registry.get(id)).toBeUndefined();
    // The header offers Sign out to a signed-in administrator.
    expect((await request(sb.app).get('/services').set('Cookie', cookie)).text).toContain('data-testid="signout"');

    const out = await request(sb.app).post('/signout').set('Cookie', cookie);
    expect(out.status).toBe(303);
    expect(cookieOf(out, 'mpass_admin')).toMatch(/mpass_admin=;/);
    const replayed = await request(sb.app).post('/services/certificate').set('Cookie', cookie).type('form').send({ commonName: 'after-signout.example.md' });
    expect(replayed.status).toBe(401);
  });

  it('marks the sign-in cookie Secure when the sandbox is served over https', async () => {
    const https = await start({ adminToken: TOKEN, publicUrl: 'https://sandbox.example.test', mpassEntityId: 'https://sandbox.example.test' });
    const ok = await request(https.app).post('/signin').set('Host', 'sandbox.example.test').type('form').send({ token: TOKEN });
    expect(cookieOf(ok, 'mpass_admin')).toMatch(/; Secure/i);
  });

  it('keeps the protocol open: a login through the pages and the SSO cookie need no token', async () => {
    const res = await loginThroughPages(sb);
    expect(res.status).toBe(200);
    expect(Buffer.from(scrapeForm(res.text).fields.SAMLResponse!, 'base64').toString()).toContain('status:Success');
    expect(cookieOf(res, 'mpass_sso')).toBeDefined();
  });

  it('needs the token for the reads that reveal other teams traffic (events, sessions, scripts, sign requests, the /events page); other reads stay public', async () => {
    await loginThroughPages(sb);
    for (const path of ['/api/events', '/api/sessions', '/api/script', '/api/msign/requests']) {
      const denied = await request(sb.app).get(path);
      expect(denied.status, path).toBe(401);
      expect(denied.body.error).toMatchObject({ code: 'ERR_ADMIN_TOKEN', where: 'Authorization' });
      expect((await request(sb.app).get(path).set('Authorization', BEARER)).status, path).toBe(200);
    }
    // Express routes case-insensitively and ignores a trailing slash: so does the guard.
    for (const path of ['/API/EVENTS', '/api/Sessions', '/api/msign/Requests/', '/api/events/', '/Api/Script']) {
      const denied = await request(sb.app).get(path);
      expect(denied.status, path).toBe(401);
      expect(denied.text, path).toContain('ERR_ADMIN_TOKEN');
    }
    for (const path of ['/Events', '/SERVICES/NEW', '/services/ecoalert/EDIT/']) expect((await request(sb.app).get(path)).status, path).toBe(303);
    const sessionIndex = (await request(sb.app).get('/api/sessions').set('Authorization', BEARER)).body[0].sessionIndex as string;
    expect((await request(sb.app).get(`/api/sessions/${sessionIndex}`)).status).toBe(401);
    const events = await request(sb.app).get('/events');
    expect(events.status).toBe(303);
    expect(events.headers.location).toMatch(/^\/signin\?next=/);
    for (const path of ['/api/services', '/api/personas', '/api/faults', '/api/openapi.json', '/meta', '/services', '/', '/meta/saml', '/health']) {
      expect((await request(sb.app).get(path)).status, path).toBe(200);
    }
  });
});

describe('sessions are addressed by SessionIndex, never by the SSO cookie value', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await start();
  });

  it('GET /api/sessions does not reveal the mpass_sso cookie value, and no route accepts it', async () => {
    const live = await liveSession(sb);
    const cookieValue = decodeURIComponent(live.cookie.slice(live.cookie.indexOf('=') + 1));
    const list = await request(sb.app).get('/api/sessions');
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(cookieValue);
    expect(list.body[0]).not.toHaveProperty('id');
    expect(list.body.map((s: { sessionIndex: string }) => s.sessionIndex)).toContain(live.sessionIndex);
    expect((await request(sb.app).get(`/api/sessions/${live.sessionIndex}`)).text).not.toContain(cookieValue);
    // The cookie value is no handle: 404, and the session is untouched.
    for (const res of [await request(sb.app).get(`/api/sessions/${encodeURIComponent(cookieValue)}`), await request(sb.app).post(`/api/sessions/${encodeURIComponent(cookieValue)}/logout`), await request(sb.app).delete(`/api/sessions/${encodeURIComponent(cookieValue)}`)]) {
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({ code: 'ERR_SESSION_NOT_FOUND', where: 'sessionIndex' });
    }
    expect((await request(sb.app).get('/').set('Cookie', live.cookie)).text).toContain('data-testid="session-persona"');
    // The events never carry it either.
    expect((await request(sb.app).get('/api/events?limit=1000')).text).not.toContain(cookieValue);
  });

  it('DELETE /api/sessions/:sessionIndex ends the session at the sandbox only', async () => {
    const live = await liveSession(sb, '2002000000022');
    expect((await request(sb.app).delete(`/api/sessions/${live.sessionIndex}`)).status).toBe(204);
    expect((await request(sb.app).get(`/api/sessions/${live.sessionIndex}`)).status).toBe(404);
    expect((await request(sb.app).get('/').set('Cookie', live.cookie)).text).toContain('data-testid="not-authenticated"');
  });
});

describe('the MSign signing page carries a per-page token', () => {
  let f: MSignFixture;
  beforeAll(async () => {
    f = await startMSign({ adminToken: TOKEN });
  });
  afterAll(async () => {
    await f?.close();
  });
  const postSignRequest = async () => {
    const body =
      `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><PostSignRequest xmlns="https://msign.gov.md"><request xmlns:i="http://www.w3.org/2001/XMLSchema-instance">` +
      `<ContentType>Hash</ContentType><Contents><SignContent><Content>${Buffer.alloc(20, 7).toString('base64')}</Content><CorrelationID>k1</CorrelationID></SignContent></Contents><ShortContentDescription>Test</ShortContentDescription></request></PostSignRequest></s:Body></s:Envelope>`;
    const r = await rawSoap(f, body, { action: ACTION('PostSignRequest') });
    expect(r.status, r.body).toBe(200);
    return /<PostSignRequestResult>([0-9a-f]{32})</.exec(r.body)![1]!;
  };
  const tokenOf = (html: string) => /name="pageToken" value="([^"]+)"/.exec(html)?.[1];
  const sign = { ReturnUrl: 'http://evil.example/collect', persona: '2001000000011', instrument: 'moldsign', action: 'sign', lang: 'en' };

  it('refuses sign and cancel without the token of a page rendered for that request (403 ERR_SIGN_PAGE_TOKEN), and the request stays Pending', async () => {
    const victim = await postSignRequest();
    const other = await postSignRequest();
    const otherPage = await request(f.sb.app).get(`/msign/${other}`).query({ ReturnUrl: 'http://localhost:3000/cb', lang: 'en' });
    const victimPage = await request(f.sb.app).get(`/msign/${victim}`).query({ ReturnUrl: 'http://localhost:3000/cb', lang: 'en' });
    const victimToken = tokenOf(victimPage.text)!;
    expect(victimToken).toMatch(/^[\w-]{16,}\.[\w-]{40,}$/);
    expect(tokenOf(otherPage.text)).not.toBe(victimToken);
    const attempts: Array<Record<string, string>> = [
      sign,
      { ...sign, action: 'cancel' },
      { ...sign, pageToken: '' },
      { ...sign, pageToken: tokenOf(otherPage.text)! }, // a real token, of another request's page
      { ...sign, pageToken: `${victimToken.split('.')[0]}.${tokenOf(otherPage.text)!.split('.')[1]}` },
      { ...sign, pageToken: victimToken.slice(0, -2) },
    ];
    for (const form of attempts) {
      const res = await request(f.sb.app).post(`/msign/${victim}`).type('form').send(form);
      expect(res.status, JSON.stringify(form)).toBe(403);
      expect(res.text).toContain('ERR_SIGN_PAGE_TOKEN');
      expect(res.text).toContain('pageToken');
      expect(res.text).not.toContain('hiddenform');
      expect(res.text).not.toContain('evil.example');
    }
    expect(f.sb.msign.requests.get(victim)?.status).toBe('Pending');

    // The page's own token works (the browser's path), for that request.
    const done = await request(f.sb.app).post(`/msign/${victim}`).type('form').send({ ...sign, ReturnUrl: 'http://localhost:3000/cb', pageToken: victimToken });
    expect(done.status).toBe(200);
    expect(scrapeForm(done.text).fields.RequestID).toBe(victim);
    expect(f.sb.msign.requests.get(victim)?.status).toBe('Success');
  });

  it('an e-service may still open the page with a cross-site POST (MSIGN.md §5.1)', async () => {
    const id = await postSignRequest();
    const open = await request(f.sb.app).post(`/msign/${id}`).set({ Origin: 'http://localhost:3000', 'Sec-Fetch-Site': 'cross-site' }).type('form').send({ ReturnUrl: 'http://localhost:3000/cb', RelayState: 'r' });
    expect(open.status).toBe(200);
    expect(tokenOf(open.text)).toBeDefined();
  });
});

describe('CSRF, DNS rebinding, content types and page headers', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await start({ allowedHosts: ['sandbox.team.test', 'ci.example.test:9000'] });
  });

  it('a cross-site text/plain form POST to /api/reset?registry=true is refused (403) and drops nothing', async () => {
    await registerByApi(sb, 'keepme');
    const before = await services(sb);
    for (const headers of [{ Origin: 'http://evil.example' }, { Origin: 'null' }, { 'Sec-Fetch-Site': 'cross-site' }, { 'Sec-Fetch-Site': 'same-site' }]) {
      const res = await request(sb.app).post('/api/reset?registry=true').set(headers).set('Content-Type', 'text/plain').send('{"x":"=y"}');
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.body.error).toMatchObject({ code: 'ERR_CROSS_SITE_REQUEST' });
      expect(res.body.error.where).toBe(Object.keys(headers)[0]);
      expect(res.body.error.fix).toBeTruthy();
    }
    expect(await services(sb)).toBe(before);
  });

  it('a urlencoded /api/script from Origin: evil is refused (403); without Origin a non-JSON body gets 415; JSON works', async () => {
    const form = 'issuer=https%3A%2F%2Fecoalert.localhost&persona=2001000000011';
    const evil = await request(sb.app).post('/api/script').set('Origin', 'http://evil.example').type('form').send(form);
    expect(evil.status).toBe(403);
    expect(evil.body.error.code).toBe('ERR_CROSS_SITE_REQUEST');
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x']) {
      const res = await request(sb.app).post('/api/script').set('Content-Type', type).send(form);
      expect(res.status, type).toBe(415);
      expect(res.body.error).toMatchObject({ code: 'ERR_UNSUPPORTED_MEDIA_TYPE', where: 'Content-Type', expected: 'application/json' });
    }
    expect((await request(sb.app).post('/API/Script').set('Content-Type', 'text/plain').send(form)).status).toBe(415);
    expect((await request(sb.app).post('/API/reset').set('Origin', 'http://evil.example')).status).toBe(403);
    expect((await request(sb.app).get('/api/script')).body.logins).toHaveLength(0);
    const json = await request(sb.app).post('/api/script').set('Origin', 'http://localhost:8080').send({ issuer: ECOALERT.issuer, persona: '2001000000011' });
    expect(json.status).toBe(201);
    await request(sb.app).post('/api/reset').expect(200); // no body: no content type needed
  });

  it('the page forms are same-origin only; the SAML endpoints still take cross-site POSTs from services', async () => {
    const fromEvil = await request(sb.app).post('/services/certificate').set('Origin', 'http://evil.example').type('form').send({ commonName: 'x.example.md' });
    expect(fromEvil.status).toBe(403);
    expect(fromEvil.text).toContain('ERR_CROSS_SITE_REQUEST');
    const sameOrigin = await request(sb.app).post('/services/certificate').set({ Origin: 'http://localhost:8080', 'Sec-Fetch-Site': 'same-origin' }).type('form').send({ commonName: 'x.example.md' });
    expect(sameOrigin.status).toBe(200);
    // Behind a loopback TLS proxy the browser's origin is the forwarded one.
    const proxied = await request(sb.app).post('/services/certificate').set({ Origin: 'https://sandbox.team.test', 'X-Forwarded-Host': 'sandbox.team.test', 'X-Forwarded-Proto': 'https' }).type('form').send({ commonName: 'x.example.md' });
    expect(proxied.status).toBe(200);

    // SAML HTTP-POST binding: the service's page posts to /login/saml and /logout/saml from its own origin.
    const crossSite = { Origin: 'http://localhost:3000', 'Sec-Fetch-Site': 'cross-site' };
    const login = await loginThroughPages(sb, crossSite);
    expect(login.status).toBe(200);
    const live = await liveSession(sb);
    const logout = await request(sb.app).post('/logout/saml').set(crossSite).set('Cookie', live.cookie).type('form').send({ SAMLRequest: b64(signedLogout(sb, live)) });
    expect(logout.status).toBeLessThan(400);
    expect(logout.text).not.toContain('ERR_CROSS_SITE_REQUEST');
  });

  it('refuses a Host that is not PUBLIC_URL, ALLOWED_HOSTS or loopback on the listening port (421 naming ALLOWED_HOSTS)', async () => {
    for (const host of ['evil.example', 'evil.example:8080', 'localhost.evil.example:8080', 'localhost:9999', 'sandbox.team.test.evil.example', 'ci.example.test:9001', '']) {
      for (const path of ['/', '/api/services', '/login/saml']) {
        const res = await request(sb.app).get(path).set('Host', host);
        expect(res.status, `${host} ${path}`).toBe(421);
        expect(res.text).toContain('ERR_HOST_NOT_ALLOWED');
        expect(res.text).toContain('ALLOWED_HOSTS');
      }
    }
    const rebind = await request(sb.app).post('/api/reset?registry=true').set('Host', 'evil.example:8080');
    expect(rebind.status).toBe(421);
    expect(rebind.body.error).toMatchObject({ code: 'ERR_HOST_NOT_ALLOWED', where: 'Host', found: 'evil.example:8080' });
    for (const host of ['localhost:8080', 'LOCALHOST:8080', '127.0.0.1:8080', '[::1]:8080', 'sandbox.team.test', 'sandbox.team.test:443', 'ci.example.test:9000']) {
      expect((await request(sb.app).get('/api/services').set('Host', host)).status, host).toBe(200);
    }
    // A loopback reverse proxy passes the browser's name on: it is checked too.
    const proxied = await request(sb.app).get('/api/services').set('X-Forwarded-Host', 'evil.example');
    expect(proxied.status).toBe(421);
    expect(proxied.body.error.found).toBe('evil.example');
    expect((await request(sb.app).get('/api/services').set('X-Forwarded-Host', 'sandbox.team.test')).status).toBe(200);
    // Probes that address the container by IP.
    expect((await request(sb.app).get('/health').set('Host', '10.1.2.3:8080')).status).toBe(200);
  });

  it('ALLOWED_HOSTS is read from the environment and a malformed entry stops start-up naming it', () => {
    expect(loadConfig({ ALLOWED_HOSTS: ' Sandbox.Team.Test , 10.0.0.5:8080,[::1]:8080 ' }).allowedHosts).toEqual(['sandbox.team.test', '10.0.0.5:8080', '[::1]:8080']);
    expect(loadConfig({}).allowedHosts).toEqual([]);
    expect(() => loadConfig({ ALLOWED_HOSTS: 'ok.test,http://bad.test/' })).toThrow(ConfigError);
    expect(() => loadConfig({ ALLOWED_HOSTS: 'http://bad.test/' })).toThrow(/ALLOWED_HOSTS/);
  });

  it('every page carries CSP (frame-ancestors self, nonce scripts only), nosniff and Referrer-Policy; no inline handlers', async () => {
    const live = await liveSession(sb);
    const loginPage = await request(sb.app).post('/login/saml').type('form').send({ SAMLRequest: b64(signedAuthn(sb)) });
    const autopost = await request(sb.app).post('/login/saml/continue').type('form').send({ pending: pendingIdOf(loginPage.text), persona: '2001000000011' });
    const pages: Array<[string, Res]> = [
      ['home', (await request(sb.app).get('/').set('Cookie', live.cookie)) as unknown as Res],
      ['services', (await request(sb.app).get('/services')) as unknown as Res],
      ['service', (await request(sb.app).get('/services/ecoalert')) as unknown as Res],
      ['form', (await request(sb.app).get('/services/new')) as unknown as Res],
      ['events', (await request(sb.app).get('/events')) as unknown as Res],
      ['meta', (await request(sb.app).get('/meta')) as unknown as Res],
      ['signin', (await request(sb.app).get('/signin')) as unknown as Res],
      ['login', loginPage as unknown as Res],
      ['autopost', autopost as unknown as Res],
      ['error', (await request(sb.app).get('/login/saml')) as unknown as Res],
      ['json', (await request(sb.app).get('/api/services')) as unknown as Res],
    ];
    const nonces = new Set<string>();
    for (const [name, res] of pages) {
      const csp = String(res.headers['content-security-policy'] ?? '');
      expect(csp, name).toContain("frame-ancestors 'self'");
      expect(csp, name).toContain("object-src 'none'");
      const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce, `${name}: ${csp}`).toBeDefined();
      expect(csp, name).not.toContain("'unsafe-inline' 'nonce");
      expect(/script-src[^;]*'unsafe-inline'/.test(csp), name).toBe(false);
      nonces.add(nonce!);
      expect(res.headers['x-content-type-options'], name).toBe('nosniff');
      expect(res.headers['referrer-policy'], name).toBe('strict-origin-when-cross-origin');
      for (const tag of res.text.matchAll(/<script\b[^>]*>/g)) expect(tag[0], name).toContain(`nonce="${nonce}"`);
      expect(res.text, name).not.toMatch(/\son[a-z]+\s*=\s*["']/i);
    }
    expect(nonces.size).toBe(pages.length); // fresh per response
    expect(autopost.text).toContain('<script nonce=');
  });

  it('every view: each inline <script> carries the CSP nonce, and no inline event handler (CSP would block it)', () => {
    const dir = path.join(ROOT, 'views');
    const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ejs'));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      for (const tag of text.matchAll(/<script\b.{0,60}/g)) expect(tag[0], f).toMatch(/^<script nonce="<%= locals\.cspNonce %>">/);
      expect(text, f).not.toMatch(/<[a-z][^>]*\son[a-z]+\s*=/i);
      expect(text, f).not.toMatch(/javascript:/i);
    }
  });
});
