// Single logout against real node-saml services on their own ports (MPASS.md §8, TC_FUNCT_04/05).
import type http from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../helpers.js';
import { pendingIdOf, scrapeForm } from '../helpers.js';
import { SAML } from '@node-saml/node-saml';
import { dotnetId, officialLogoutRequestXml, officialLogoutResponseXml, signLikeDotnet } from '../official-client.js';
import { startListeningSandbox, startTestSp, type TestSp } from '../sp-server.js';

let sb: Sandbox;
let server: http.Server;
let url: string;
const sps: TestSp[] = [];

beforeAll(async () => {
  ({ sb, server, url } = await startListeningSandbox({ logoutTimeoutMs: 1500 }));
});
afterAll(async () => {
  await Promise.all(sps.map((s) => s.close()));
  server?.close();
});

async function sp(name: string, behaviour: Parameters<typeof startTestSp>[3] = 'ok') {
  const s = await startTestSp(sb, url, name, behaviour);
  sps.push(s);
  return s;
}

/** Log one persona in to every service in one browser session (the cookie), as a browser would. */
async function loginAll(services: TestSp[], persona = '2001000000011'): Promise<{ cookie: string; sessionIndex: string }> {
  let cookie = '';
  for (const s of services) {
    await request(sb.app).post('/api/script').send({ issuer: s.issuer, persona });
    const form = scrapeForm(await s.saml.getAuthorizeFormAsync(`rs-${s.name}`));
    const res = await request(sb.app).post('/login/saml').set('Cookie', cookie).type('form').send(form.fields);
    const set = (res.headers['set-cookie'] as unknown as string[] | undefined)?.[0]?.split(';')[0];
    if (set) cookie = set;
    const answer = scrapeForm(res.text);
    const acs = await fetch(answer.action, { method: 'POST', body: new URLSearchParams(answer.fields) });
    expect(await acs.text()).toContain('logged in as');
  }
  const sessionIndex = services[0]!.logins.at(-1)!.sessionIndex!;
  for (const s of services) expect(s.logins.at(-1)!.sessionIndex).toBe(sessionIndex);
  return { cookie, sessionIndex };
}

/** Drive a logout run page the way the browser's iframes do, without a browser. */
async function driveRun(location: string, cookie: string) {
  const runId = /\/logout\/run\/([^?]+)/.exec(location)![1]!;
  const run = (await request(sb.app).get(`/logout/run/${runId}/status`)).body as { targets: unknown[] };
  await Promise.all(
    run.targets.map(async (_t, i) => {
      const hop = scrapeForm((await request(sb.app).get(`/logout/run/${runId}/frame/${i}`)).text);
      try {
        const res = await fetch(hop.action, { method: 'POST', body: new URLSearchParams(hop.fields), redirect: 'manual', signal: AbortSignal.timeout(1400) });
        const loc = res.headers.get('location');
        if (loc) await request(sb.app).get(loc.slice(url.length)).set('Cookie', cookie);
      } catch {
        /* a slow service: the run's timeout decides */
      }
    }),
  );
  await new Promise((r) => setTimeout(r, 1600)); // past the logout timeout
  return request(sb.app).get(`/logout/run/${runId}/finish`).set('Cookie', cookie);
}

describe('service-initiated logout (TC_FUNCT_04)', () => {
  it('propagates to every other service, then answers the initiator with PartialLogout when one timed out and one failed', async () => {
    const a = await sp('initiator');
    const b = await sp('answers');
    const c = await sp('slow', 'slow');
    const d = await sp('fails', 'error');
    const { cookie, sessionIndex } = await loginAll([a, b, c, d]);

    // node-saml builds the LogoutRequest (HTTP-Redirect binding, query-signed)
    const logoutUrl = new URL(await a.saml.getLogoutUrlAsync({ issuer: a.issuer, nameID: '2001000000011', sessionIndex, nameIDFormat: undefined as never }, 'back-to-a', {}));
    const started = await request(sb.app).get(`${logoutUrl.pathname}${logoutUrl.search}`).set('Cookie', cookie);
    expect(started.status).toBe(303);
    const finish = await driveRun(started.headers.location!, cookie);

    // Each other service received a LogoutRequest that node-saml accepted, with its own NameID and SessionIndex
    for (const s of [b, c, d]) expect(s.logoutRequests).toEqual([{ ok: true, nameID: '2001000000011', sessionIndex }]);
    expect(a.logoutRequests).toEqual([]);

    const answer = scrapeForm(finish.text);
    expect(answer.action).toBe(`${a.base}/logout`);
    expect(answer.fields.RelayState).toBe('back-to-a');
    const res = await fetch(answer.action, { method: 'POST', body: new URLSearchParams(answer.fields) });
    expect(await res.text()).toContain('logged out');
    const final = a.logoutResponses.at(-1)!;
    expect(final.ok).toBe(true);
    expect(final.xml).toContain('urn:oasis:names:tc:SAML:2.0:status:Success');
    expect(final.xml).toContain('urn:oasis:names:tc:SAML:2.0:status:PartialLogout');
    expect(final.xml).toMatch(/slow.*timeout/);

    const run = (await request(sb.app).get(`/logout/run/${/run\/([^/?]+)/.exec(started.headers.location!)![1]}/status`)).body;
    expect(Object.fromEntries(run.targets.map((t: { issuer: string; state: string }) => [t.issuer.split('/').pop(), t.state]))).toEqual({ answers: 'answered', slow: 'timeout', fails: 'error' });
    expect((await request(sb.app).get(`/api/sessions/${sessionIndex}`)).status).toBe(404);
  });

  it('answers Success directly when the initiator is the only service of the session', async () => {
    const a = await sp('alone');
    const { cookie, sessionIndex } = await loginAll([a], '2002000000022');
    const id = dotnetId();
    await (a.saml as unknown as { cacheProvider: { saveAsync(k: string, v: string): Promise<unknown> } }).cacheProvider.saveAsync(id, new Date().toISOString());
    const xml = signLikeDotnet(officialLogoutRequestXml({ id, destination: `${url}/logout/saml`, issuer: a.issuer, nameId: '2002000000022', sessionIndex }), 'LogoutRequest', a.key, a.cert);
    const res = await request(sb.app).post('/logout/saml').set('Cookie', cookie).type('form').send({ SAMLRequest: Buffer.from(xml).toString('base64'), RelayState: 'rs' });
    const form = scrapeForm(res.text);
    expect(form.action).toBe(`${a.base}/logout`);
    await fetch(form.action, { method: 'POST', body: new URLSearchParams(form.fields) });
    expect(a.logoutResponses.at(-1)).toMatchObject({ ok: true, relayState: 'rs' });
    expect(a.logoutResponses.at(-1)!.xml).not.toContain('PartialLogout');
    expect(res.headers['set-cookie']?.[0]).toMatch(/mpass_sso=;/);
  });

  it('answers an unknown or stale SessionIndex with a signed Requester/UnknownPrincipal LogoutResponse, never a crash', async () => {
    const a = await sp('stale');
    const xml = signLikeDotnet(officialLogoutRequestXml({ destination: `${url}/logout/saml`, issuer: a.issuer, nameId: '2001000000011', sessionIndex: 'no-such-session' }), 'LogoutRequest', a.key, a.cert);
    const res = await request(sb.app).post('/logout/saml').type('form').send({ SAMLRequest: Buffer.from(xml).toString('base64') });
    const form = scrapeForm(res.text);
    const out = Buffer.from(form.fields.SAMLResponse!, 'base64').toString('utf8');
    expect(out).toContain('status:Requester');
    expect(out).toContain('status:UnknownPrincipal');
    expect(out).toContain('No live MPass session');
    const ev = (await request(sb.app).get('/api/events?limit=5')).body.find((e: { message: string; verdict: string }) => e.message === 'LogoutRequest' && e.verdict === 'rejected');
    expect(ev.rejection.code).toBe('ERR_UNKNOWN_SESSION');
  });

  it.each([
    ['unsigned', (xml: string) => xml, 'ERR_SIGNATURE_MISSING'],
    ['wrong Destination', null, 'ERR_DESTINATION'],
  ])('rejects a LogoutRequest that is %s', async (_l, transform, code) => {
    const a = await sp(`bad-${code.toLowerCase()}`);
    const base = officialLogoutRequestXml({ destination: transform ? `${url}/logout/saml` : 'https://mpass.staging.egov.md/logout/saml', issuer: a.issuer, nameId: 'x', sessionIndex: 'y' });
    const xml = transform ? transform(base) : signLikeDotnet(base, 'LogoutRequest', a.key, a.cert);
    const res = await request(sb.app).post('/logout/saml').type('form').send({ SAMLRequest: Buffer.from(xml).toString('base64') });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.text).toContain(code);
  });

  it('refuses a LogoutResponse that answers nothing the sandbox asked', async () => {
    const a = await sp('stray');
    const xml = signLikeDotnet(`<saml2p:LogoutResponse ID="${dotnetId()}" Version="2.0" IssueInstant="${new Date().toISOString()}" Destination="${url}/logout/saml" InResponseTo="_nothing" xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion"><saml2:Issuer>${a.issuer}</saml2:Issuer><saml2p:Status><saml2p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success" /></saml2p:Status></saml2p:LogoutResponse>`, 'LogoutResponse', a.key, a.cert);
    const res = await request(sb.app).post('/logout/saml').type('form').send({ SAMLResponse: Buffer.from(xml).toString('base64') });
    expect(res.status).toBe(400);
    expect(res.text).toContain('ERR_UNKNOWN_IN_RESPONSE_TO');
  });
});

/** A ForceAuthn login to `s` through the login page in the browser that carries `cookie`. */
async function forceAuthnLogin(s: TestSp, cookie: string, persona: string): Promise<string> {
  const options = (s.saml as unknown as { options: ConstructorParameters<typeof SAML>[0] }).options;
  const force = new SAML({ ...options, forceAuthn: true, cacheProvider: (s.saml as unknown as { cacheProvider: never }).cacheProvider });
  const form = scrapeForm(await force.getAuthorizeFormAsync(`rs-force-${s.name}`));
  const page = await request(sb.app).post('/login/saml').set('Cookie', cookie).type('form').send(form.fields);
  expect(page.text).toContain('name="pending"'); // ForceAuthn: the login page even with a session
  const res = await request(sb.app).post('/login/saml/continue').set('Cookie', cookie).type('form').send({ pending: pendingIdOf(page.text), persona });
  const set = (res.headers['set-cookie'] as unknown as string[] | undefined)?.[0]?.split(';')[0];
  const answer = scrapeForm(res.text);
  expect(await (await fetch(answer.action, { method: 'POST', body: new URLSearchParams(answer.fields) })).text()).toContain('logged in as');
  return set ?? cookie;
}

describe('ForceAuthn keeps one MPass session per browser (issue 8)', () => {
  it('the same person: same SessionIndex, and a later single logout reaches the services of before and after', async () => {
    const a = await sp('force-a');
    const b = await sp('force-b');
    const { cookie, sessionIndex } = await loginAll([a], '2006000000077');
    const after = await forceAuthnLogin(b, cookie, '2006000000077');
    expect(b.logins.at(-1)!.sessionIndex).toBe(sessionIndex);
    expect(after.split('=')[1]).toBe(cookie.split('=')[1]);
    const res = await request(sb.app).post(`/api/sessions/${b.logins.at(-1)!.sessionIndex}/logout`);
    expect(res.body.targets.map((t: { issuer: string; state: string }) => [t.issuer, t.state])).toEqual([[a.issuer, 'answered'], [b.issuer, 'answered']]);
    for (const s of [a, b]) expect(s.logoutRequests, s.name).toEqual([{ ok: true, nameID: a.logins.at(-1)!.nameID, sessionIndex }]);
  });

  it('another person: the new session carries the earlier services over, each logged out with its own NameID and SessionIndex', async () => {
    const a = await sp('force-other-a');
    const b = await sp('force-other-b');
    const { cookie, sessionIndex } = await loginAll([a], '2006000000077');
    await forceAuthnLogin(b, cookie, '2007000000088');
    const newIndex = b.logins.at(-1)!.sessionIndex!;
    expect(newIndex).not.toBe(sessionIndex);
    const res = await request(sb.app).post(`/api/sessions/${newIndex}/logout`);
    expect(res.body.targets.map((t: { state: string }) => t.state)).toEqual(['answered', 'answered']);
    expect(a.logins.at(-1)!.nameID).not.toBe(b.logins.at(-1)!.nameID);
    expect(a.logoutRequests).toEqual([{ ok: true, nameID: a.logins.at(-1)!.nameID, sessionIndex }]);
    expect(b.logoutRequests).toEqual([{ ok: true, nameID: b.logins.at(-1)!.nameID, sessionIndex: newIndex }]);
    expect((await request(sb.app).get(`/api/sessions/${sessionIndex}`)).status).toBe(404);
  });
});

describe('forged LogoutResponses (issue 8)', () => {
  it('an unsigned or foreign LogoutResponse is logged as rejected and settles nothing; the real signed answer then does', async () => {
    const a = await sp('forge-initiator');
    const b = await sp('forge-target');
    const c = await sp('forge-other');
    const { cookie, sessionIndex } = await loginAll([a, b, c], '2005000000066');
    const logoutUrl = new URL(await a.saml.getLogoutUrlAsync({ issuer: a.issuer, nameID: '2005000000066', sessionIndex, nameIDFormat: undefined as never }, 'rs', {}));
    const started = await request(sb.app).get(`${logoutUrl.pathname}${logoutUrl.search}`).set('Cookie', cookie);
    const runId = /\/logout\/run\/([^?]+)/.exec(started.headers.location!)![1]!;
    const status = async () => (await request(sb.app).get(`/logout/run/${runId}/status`)).body as { targets: Array<{ issuer: string; requestId: string; state: string }> };
    const targetB = (await status()).targets.find((t) => t.issuer === b.issuer)!;

    // 1. unsigned, with B's issuer and the right InResponseTo (guessable from any page that showed it)
    const unsigned = officialLogoutResponseXml({ destination: `${url}/logout/saml`, issuer: b.issuer, inResponseTo: targetB.requestId, status: 'urn:oasis:names:tc:SAML:2.0:status:Responder' });
    const r1 = await request(sb.app).post('/logout/saml').type('form').send({ SAMLResponse: Buffer.from(unsigned).toString('base64') });
    expect(r1.status).toBe(403);
    expect(r1.text).toContain('ERR_SIGNATURE_MISSING');
    // 2. validly signed, but by another registered service (C) under C's issuer
    const foreign = signLikeDotnet(officialLogoutResponseXml({ destination: `${url}/logout/saml`, issuer: c.issuer, inResponseTo: targetB.requestId }), 'LogoutResponse', c.key, c.cert);
    const r2 = await request(sb.app).post('/logout/saml').type('form').send({ SAMLResponse: Buffer.from(foreign).toString('base64') });
    expect(r2.status).toBe(403);
    expect(r2.text).toContain('ERR_ISSUER');
    // 3. signed by C's key but claiming B's issuer
    const impostor = signLikeDotnet(officialLogoutResponseXml({ destination: `${url}/logout/saml`, issuer: b.issuer, inResponseTo: targetB.requestId }), 'LogoutResponse', c.key, c.cert);
    const r3 = await request(sb.app).post('/logout/saml').type('form').send({ SAMLResponse: Buffer.from(impostor).toString('base64') });
    expect(r3.status).toBe(403);
    expect(r3.text).toContain('ERR_SIGNATURE');
    expect((await status()).targets.find((t) => t.issuer === b.issuer)!.state).toBe('pending');
    const rejected = (await request(sb.app).get('/api/events?limit=20')).body.filter((e: { message: string; verdict: string }) => e.message === 'LogoutResponse' && e.verdict === 'rejected');
    expect(rejected.map((e: { rejection: { code: string } }) => e.rejection.code)).toEqual(expect.arrayContaining(['ERR_SIGNATURE_MISSING', 'ERR_ISSUER']));

    // The real browser hops follow: B's and C's signed answers settle their targets, the logout is a full Success.
    const finish = await driveRun(started.headers.location!, cookie);
    expect(Object.fromEntries((await status()).targets.map((t) => [t.issuer.split('/').pop(), t.state]))).toEqual({ 'forge-target': 'answered', 'forge-other': 'answered' });
    const answer = scrapeForm(finish.text);
    const final = Buffer.from(answer.fields.SAMLResponse!, 'base64').toString('utf8');
    expect(final).toContain('urn:oasis:names:tc:SAML:2.0:status:Success');
    expect(final).not.toContain('PartialLogout');
  });
});

describe('a logout target settles once (issue 8: guarded transitions)', () => {
  it('a genuine answer arriving after the timeout changes nothing and is logged as refused', async () => {
    const a = await sp('late-a');
    const { cookie } = await loginAll([a], '2003000000033');
    const started = await request(sb.app).post('/logout').set('Cookie', cookie);
    const runId = /\/logout\/run\/([^?]+)/.exec(started.headers.location!)![1]!;
    const hop = scrapeForm((await request(sb.app).get(`/logout/run/${runId}/frame/0`)).text);
    const answer = await fetch(hop.action, { method: 'POST', body: new URLSearchParams(hop.fields), redirect: 'manual' });
    const late = answer.headers.get('location')!;
    await new Promise((r) => setTimeout(r, sb.config.logoutTimeoutMs + 200));
    // nothing polled the run: the deadline still holds when the answer arrives
    await request(sb.app).get(late.slice(url.length));
    expect((await request(sb.app).get(`/logout/run/${runId}/status`)).body.targets[0].state).toBe('timeout');
    const events = (await request(sb.app).get('/api/events?limit=10')).body as Array<{ message: string; summary?: string }>;
    expect(events.some((e) => e.message === 'SingleLogout' && /refused: .*late-a is already timeout; answered ignored/.test(e.summary ?? ''))).toBe(true);
  });
});

describe('sandbox-initiated logout (TC_FUNCT_05) through the API', () => {
  it('logs out of every service, reports each outcome and ends the session', async () => {
    const a = await sp('api-a');
    const b = await sp('api-b', 'error');
    const c = await sp('api-c', 'silent');
    const { sessionIndex } = await loginAll([a, b, c], '2004000000044');
    const res = await request(sb.app).post(`/api/sessions/${sessionIndex}/logout`);
    expect(res.status).toBe(200);
    expect(res.body.finished).toBe(true);
    expect(res.body.result.subCode).toBe('urn:oasis:names:tc:SAML:2.0:status:PartialLogout');
    // c answers 200 without a LogoutResponse: what MPass's iframe ends with too (timeout), with what it did as detail
    expect(res.body.targets.map((t: { state: string }) => t.state)).toEqual(['answered', 'error', 'timeout']);
    expect(res.body.targets[2].detail).toContain('without a LogoutResponse');
    expect(res.body.targets[2].causes.join(' ')).toMatch(/X-Frame-Options[\s\S]*SameSite/);
    expect((await request(sb.app).get(`/api/sessions/${sessionIndex}`)).status).toBe(404);
  });
});

describe('logout faults: a strict service rejects each broken LogoutRequest', () => {
  it.each(['logout-unsigned', 'logout-compatible-certificate', 'logout-wrong-session-index', 'logout-wrong-destination'])('%s', async (fault) => {
    const a = await sp(`lf-${fault}`);
    await request(sb.app).put(`/api/services/${a.serviceId}`).send({ ...stripView((await request(sb.app).get(`/api/services/${a.serviceId}`)).body), mpass: { ...(await request(sb.app).get(`/api/services/${a.serviceId}`)).body.mpass, faults: [fault] } });
    const { sessionIndex } = await loginAll([a], '2007000000088');
    const res = await request(sb.app).post(`/api/sessions/${sessionIndex}/logout`);
    expect(a.logoutRequests).toHaveLength(1);
    expect(a.logoutRequests[0]!.ok).toBe(false);
    expect(res.body.targets[0].state).not.toBe('answered');
  });
});

describe('logout scripts', () => {
  it('POST /api/script with logoutFaults breaks only the next single logout of that service', async () => {
    const a = await sp('ls-a');
    const first = await loginAll([a], '2008000000099');
    await request(sb.app).post('/api/script').send({ issuer: a.issuer, logoutFaults: ['logout-unsigned'] }).expect(201);
    expect((await request(sb.app).get('/api/script')).body.logouts).toEqual([{ issuer: a.issuer, faults: ['logout-unsigned'], remaining: 1 }]);
    await request(sb.app).post(`/api/sessions/${first.sessionIndex}/logout`).expect(200);
    expect(a.logoutRequests.at(-1)!.ok).toBe(false);
    const second = await loginAll([a], '2008000000099');
    const res = await request(sb.app).post(`/api/sessions/${second.sessionIndex}/logout`);
    expect(a.logoutRequests.at(-1)!.ok).toBe(true);
    expect(res.body.targets[0].state).toBe('answered');
    const bad = await request(sb.app).post('/api/script').send({ issuer: a.issuer, logoutFaults: ['response-unsigned'] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].where).toBe('logoutFaults');
  });
});

function stripView(s: Record<string, unknown>) {
  const { id: _i, source: _s, createdAt: _c, updatedAt: _u, certificateInfo: _ci, certificateSerial: _cs, ...rest } = s;
  return rest;
}
