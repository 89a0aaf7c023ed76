// Hostile encodings and HTTP shapes: broken base64 and DEFLATE, DEFLATE bombs, oversized bodies, missing,
// duplicated and mistyped parameters, query-signature tampering.
import zlib from 'node:zlib';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../helpers.js';
import { ECOALERT, startSandbox } from '../helpers.js';
import { officialAuthnRequestXml } from '../official-client.js';
import { authnFor, b64, deflate64, expectHealthy, expectRefused, getSaml, isLoginPage, liveSession, logoutXml, postSaml, signedAuthn, signedRedirectQuery, type Endpoint } from './support.js';

let sb: Sandbox;
let session: { nameId: string; sessionIndex: string };
beforeAll(async () => {
  sb = await startSandbox();
  session = await liveSession(sb);
});

const ENDPOINTS: Endpoint[] = ['/login/saml', '/logout/saml'];
let bombCache: { bomb: Buffer; big: Buffer } | undefined;
/** A Redirect-size bomb (4 MB → ~4 KB) and a POST-size one (200 MB → ~200 KB: node-saml DEFLATEs POST messages too). */
const bombs = () =>
  (bombCache ??= {
    bomb: zlib.deflateRawSync(Buffer.alloc(4 * 1024 * 1024, 0), { level: 9 }),
    big: zlib.deflateRawSync(Buffer.alloc(200 * 1024 * 1024, 0x20), { level: 9 }),
  });
const unsignedFor = (endpoint: Endpoint) => (endpoint === '/login/saml' ? officialAuthnRequestXml(authnFor(sb)) : logoutXml(sb, session));

describe.each(ENDPOINTS)('encodings at %s', (endpoint) => {
  it.each([
    ['punctuation', '!!!not*base64???'],
    ['a lone character (length ≡ 1 mod 4)', 'PHNhbWxwOkF1dGhuUmVxdWVzdC8-a'],
    ['base64url alphabet', Buffer.from('<a>?>>>?</a>').toString('base64url') + '-_'],
    ['padding in the middle', 'PGE+==PC9hPg=='],
    ['percent signs', '%3Ca%3E'],
    ['too much padding', 'PGE+PC9hPg==='],
  ])('refuses broken base64 (%s) on both bindings: ERR_BINDING_BASE64', async (_n, value) => {
    await expectRefused(sb, await postSaml(sb, endpoint, value), 'ERR_BINDING_BASE64', { where: 'SAMLRequest', status: 400 });
    await expectRefused(sb, await getSaml(sb, endpoint, `SAMLRequest=${encodeURIComponent(value)}`), 'ERR_BINDING_BASE64', { where: 'SAMLRequest', status: 400 });
  });

  it('refuses broken DEFLATE on the Redirect binding: ERR_BINDING_DEFLATE', async () => {
    const good = zlib.deflateRawSync(Buffer.from(unsignedFor(endpoint)));
    const cases = [
      Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00, 0x13, 0x37]), // invalid block type
      good.subarray(0, Math.floor(good.length / 2)), // truncated stream
      zlib.deflateSync(Buffer.from(unsignedFor(endpoint))).subarray(0, 1).fill(0xff), // zlib header, mangled
      Buffer.from('plain text, never compressed'),
    ];
    for (const bytes of cases) await expectRefused(sb, await getSaml(sb, endpoint, `SAMLRequest=${encodeURIComponent(bytes.toString('base64'))}`), /ERR_BINDING_DEFLATE|ERR_XML_MALFORMED|ERR_XML_ENCODING/, { where: 'SAMLRequest', status: 400 });
  });

  it('refuses a DEFLATE bomb (4 MB of zeros in ~4 KB) with 413, without inflating it all', async () => {
    const { bomb, big } = bombs();
    expect(bomb.length).toBeLessThan(8 * 1024);
    expect(big.length).toBeLessThan(300 * 1024);
    const before = process.memoryUsage().rss;
    const t0 = Date.now();
    await expectRefused(sb, await getSaml(sb, endpoint, `SAMLRequest=${encodeURIComponent(bomb.toString('base64'))}`), 'ERR_MESSAGE_TOO_LARGE', { where: 'SAMLRequest', status: 413 });
    await expectRefused(sb, await postSaml(sb, endpoint, big.toString('base64')), 'ERR_MESSAGE_TOO_LARGE', { where: 'SAMLRequest', status: 413 });
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(process.memoryUsage().rss - before).toBeLessThan(150 * 1024 * 1024);
  });

  it('refuses a POST body above the limit with 413 (ERR_BODY_TOO_LARGE)', async () => {
    const huge = 'A'.repeat(sb.config.maxSamlBytes * 2);
    await expectRefused(sb, await postSaml(sb, endpoint, huge), 'ERR_BODY_TOO_LARGE', { status: 413 });
  });

  it('refuses a decoded message above maxSamlBytes with 413 (ERR_MESSAGE_TOO_LARGE), POST and Redirect', async () => {
    const padded = unsignedFor(endpoint).replace('</saml2:Issuer>', `</saml2:Issuer><!--${'x'.repeat(sb.config.maxSamlBytes)}-->`);
    await expectRefused(sb, await postSaml(sb, endpoint, b64(padded)), 'ERR_MESSAGE_TOO_LARGE', { status: 413 });
    await expectRefused(sb, await getSaml(sb, endpoint, `SAMLRequest=${encodeURIComponent(deflate64(padded))}`), 'ERR_MESSAGE_TOO_LARGE', { status: 413 });
  });

  it('refuses a missing SAMLRequest: no body, other fields only, wrong content types, no query', async () => {
    const missing = (res: request.Response) => expectRefused(sb, res, 'ERR_BINDING_MISSING', { where: 'SAMLRequest', status: 400 });
    await missing(await request(sb.app).post(endpoint));
    await missing(await request(sb.app).post(endpoint).type('form').send('RelayState=x&SigAlg=y'));
    await missing(await request(sb.app).post(endpoint).set('Content-Type', 'text/plain').send(`SAMLRequest=${b64(unsignedFor(endpoint))}`));
    await missing(await request(sb.app).get(endpoint));
    await missing(await request(sb.app).get(`${endpoint}?RelayState=only`));
    await missing(await request(sb.app).get(`${endpoint}?samlrequest=${encodeURIComponent(deflate64(unsignedFor(endpoint)))}`));
  });

  it('refuses SAMLRequest sent with JSON types other than a string', async () => {
    for (const v of [42, null, true, { xml: 'x' }]) await expectRefused(sb, await request(sb.app).post(endpoint).send({ SAMLRequest: v }), 'ERR_BINDING_MISSING', { status: 400 });
    await expectRefused(sb, await request(sb.app).post(endpoint).send({ SAMLRequest: ['a', 'b'] }), 'ERR_BINDING_DUPLICATE', { status: 400 });
  });

  it('refuses duplicated parameters (SAMLRequest, RelayState, SigAlg, Signature), also when spelled with escapes', async () => {
    const enc = b64(signedAuthn(sb));
    const dup = (res: request.Response, where: string) => expectRefused(sb, res, 'ERR_BINDING_DUPLICATE', { where, status: 400 });
    await dup(await request(sb.app).post(endpoint).type('form').send(`SAMLRequest=${encodeURIComponent(enc)}&SAMLRequest=${encodeURIComponent(enc)}`), 'SAMLRequest');
    await dup(await request(sb.app).post(endpoint).type('form').send(`SAMLRequest=${encodeURIComponent(enc)}&RelayState=a&RelayState=b`), 'RelayState');
    const q = signedRedirectQuery(unsignedFor(endpoint), ECOALERT.key, { relayState: 'rs' });
    const evil = encodeURIComponent(deflate64(unsignedFor(endpoint).replace(ECOALERT.acs, 'https://attacker.example/acs')));
    await dup(await getSaml(sb, endpoint, `${q}&SAMLRequest=${evil}`), 'SAMLRequest');
    await dup(await getSaml(sb, endpoint, `SAML%52equest=${evil}&${q}`), 'SAMLRequest');
    await dup(await getSaml(sb, endpoint, `${q}&RelayState=other`), 'RelayState');
    await dup(await getSaml(sb, endpoint, `${q}&SigAlg=${encodeURIComponent('http://www.w3.org/2000/09/xmldsig#rsa-sha1')}`), 'SigAlg');
    await dup(await getSaml(sb, endpoint, `${q}&Signature=AAAA`), 'Signature');
    await expectRefused(sb, await postSaml(sb, endpoint, enc, { SAMLResponse: enc }), 'ERR_BINDING_AMBIGUOUS', { status: 400 });
  });

  it('refuses a signed Redirect query whose SAMLRequest or RelayState was swapped or added after signing', async () => {
    const q = signedRedirectQuery(unsignedFor(endpoint), ECOALERT.key, { relayState: 'rs' });
    const evil = encodeURIComponent(deflate64(unsignedFor(endpoint).replace(ECOALERT.acs, 'https://attacker.example/acs').replace(session.nameId, '2002000000022')));
    await expectRefused(sb, await getSaml(sb, endpoint, q.replace(/SAMLRequest=[^&]*/, `SAMLRequest=${evil}`)), 'ERR_SIGNATURE_INVALID', { where: 'query Signature', status: 403 });
    await expectRefused(sb, await getSaml(sb, endpoint, q.replace('RelayState=rs', 'RelayState=evil')), 'ERR_SIGNATURE_INVALID', { status: 403 });
    const noRs = signedRedirectQuery(unsignedFor(endpoint), ECOALERT.key);
    await expectRefused(sb, await getSaml(sb, endpoint, noRs.replace('&SigAlg', '&RelayState=added&SigAlg')), 'ERR_SIGNATURE_INVALID', { status: 403 });
    await expectRefused(sb, await getSaml(sb, endpoint, q.replace(/&Signature=[^&]*/, '')), 'ERR_SIGNATURE_MISSING', { status: 403 });
    // Broken percent-encoding in the signed parameters used to throw a URIError: a 500.
    await expectRefused(sb, await getSaml(sb, endpoint, q.replace(/&Signature=[^&]*/, '&Signature=%%%')), 'ERR_SIGNATURE_MALFORMED', { where: 'query Signature', status: 403 });
    await expectRefused(sb, await getSaml(sb, endpoint, q.replace(/&Signature=[^&]*/, '&Signature=%E0%A4%A')), 'ERR_SIGNATURE_MALFORMED', { where: 'query Signature', status: 403 });
    await expectRefused(sb, await getSaml(sb, endpoint, q.replace(/SigAlg=[^&]*/, 'SigAlg=%ZZ')), 'ERR_SIGNATURE_MALFORMED', { where: 'query SigAlg', status: 403 });
    await expectRefused(sb, await getSaml(sb, endpoint, q.replace(/&Signature=[^&]*/, '&Signature=')), /ERR_SIGNATURE_INVALID|ERR_SIGNATURE_MISSING/, { status: 403 });
  });

  it('refuses a message of the wrong kind', async () => {
    const other = endpoint === '/login/saml' ? logoutXml(sb, session) : officialAuthnRequestXml(authnFor(sb));
    await expectRefused(sb, await postSaml(sb, endpoint, b64(other)), 'ERR_WRONG_MESSAGE', { where: 'SAMLRequest', status: 400 });
    await expectRefused(sb, await postSaml(sb, endpoint, b64('<samlp:AuthnRequest xmlns:samlp="urn:evil"/>')), 'ERR_WRONG_MESSAGE', { status: 400 });
  });
});

describe('hostile SAMLResponse at the two endpoints', () => {
  it('/login/saml refuses any SAMLResponse (ERR_WRONG_ENDPOINT)', async () => {
    const res = await request(sb.app).post('/login/saml').type('form').send({ SAMLResponse: b64('<x/>') });
    await expectRefused(sb, res, 'ERR_WRONG_ENDPOINT', { status: 400 });
  });
  it('/logout/saml refuses DOCTYPEs, garbage and unknown LogoutResponses', async () => {
    const send = (xml: string) => request(sb.app).post('/logout/saml').type('form').send({ SAMLResponse: b64(xml) });
    await expectRefused(sb, await send('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'), 'ERR_XML_DOCTYPE', { where: 'SAMLResponse' });
    await expectRefused(sb, await send('not xml'), /ERR_XML_MALFORMED|ERR_BINDING_BASE64/, { where: 'SAMLResponse' });
    await expectRefused(sb, await send('<a x="1" x="2">'), /ERR_XML_MALFORMED|ERR_WRONG_MESSAGE/, { where: 'SAMLResponse' });
    await expectRefused(sb, await send('<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" InResponseTo="_nope"/>'), 'ERR_UNKNOWN_IN_RESPONSE_TO', { status: 400 });
    await expectRefused(sb, await send('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>'), 'ERR_WRONG_MESSAGE');
  });
});

describe('compressed HTTP bodies (Content-Encoding)', () => {
  /** Raw bytes over a real socket: superagent re-serialises Buffers, which is not what a hostile client does. */
  async function rawPost(path: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; text: string }> {
    const server = sb.app.listen(0);
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as { port: number }).port;
    try {
      const res = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers, body: new Uint8Array(body) });
      return { status: res.status, text: await res.text() };
    } finally {
      server.close();
    }
  }

  it('a gzip bomb as the form body of /login/saml is 413, without inflating it all', async () => {
    const body = zlib.gzipSync(Buffer.from(`SAMLRequest=${'A'.repeat(50 * 1024 * 1024)}`), { level: 9 });
    expect(body.length).toBeLessThan(200 * 1024);
    const t0 = Date.now();
    const res = await rawPost('/login/saml', { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Encoding': 'gzip' }, body);
    expect(res.status, res.text.slice(0, 300)).toBe(413);
    expect(res.text).toContain('ERR_BODY_TOO_LARGE');
    expect(Date.now() - t0).toBeLessThan(3000);
    await expectHealthy(sb);
  });

  it('a deflate bomb as the JSON body of /api/services is 413; an unknown or broken encoding is 4xx; nothing stored', async () => {
    const before = JSON.stringify((await request(sb.app).get('/api/services')).body);
    const bomb = zlib.deflateSync(Buffer.from(`{"name":"${' '.repeat(50 * 1024 * 1024)}"}`), { level: 9 });
    const res = await rawPost('/api/services', { 'Content-Type': 'application/json', 'Content-Encoding': 'deflate' }, bomb);
    expect(res.status, res.text).toBe(413);
    expect(JSON.parse(res.text).error.code).toBe('ERR_BODY_TOO_LARGE');
    for (const [enc, body] of [['x-evil', Buffer.from('{}')], ['gzip', Buffer.from('not gzip at all')]] as const) {
      const r = await rawPost('/api/services', { 'Content-Type': 'application/json', 'Content-Encoding': enc }, body);
      expect(r.status, r.text).toBeGreaterThanOrEqual(400);
      expect(r.status, r.text).toBeLessThan(500);
      expect(r.text).toMatch(/ERR_[A-Z_]+/);
    }
    expect(JSON.stringify((await request(sb.app).get('/api/services')).body)).toBe(before);
    await expectHealthy(sb);
  });
});

describe('hostile cookies', () => {
  it('a session cookie with broken percent-encoding is no session, not a 500', async () => {
    for (const cookie of ['mpass_sso=%', 'mpass_sso=%E0%A4%A', 'mpass_sso=%%%; other=1']) {
      const login = await request(sb.app).post('/login/saml').set('Cookie', cookie).type('form').send({ SAMLRequest: b64(signedAuthn(sb)) });
      expect(login.status, login.text.slice(0, 300)).toBe(200);
      expect(isLoginPage(login)).toBe(true);
      const logout = await request(sb.app).post('/logout').set('Cookie', cookie);
      expect(logout.status).toBeLessThan(500);
      await expectRefused(sb, await request(sb.app).post('/logout/saml').set('Cookie', cookie).type('form').send({ SAMLRequest: 'x' }), 'ERR_BINDING_BASE64');
    }
  });
});

describe('control', () => {
  it('a well-formed signed AuthnRequest still reaches the login page after all of the above', async () => {
    expect(isLoginPage(await postSaml(sb, '/login/saml', b64(signedAuthn(sb))))).toBe(true);
  });
});
