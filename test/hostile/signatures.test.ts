// Hostile signatures on AuthnRequest and LogoutRequest: wrapping (XSW), references to another element,
// URI="", a foreign KeyInfo certificate, HMAC and unknown algorithms, SHA-1 when switched off.
import request from 'supertest';
import { SignedXml } from 'xml-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../helpers.js';
import { ALG } from '../../src/mpass/signature.js';
import { ECOALERT, OFFICIAL_SP, startSandbox } from '../helpers.js';
import { dotnetId, officialAuthnRequestXml, officialLogoutResponseXml, signLikeDotnet } from '../official-client.js';
import { accepted, authnFor, b64, bothBindings, expectRefused, getSaml, handSign, isLoginPage, liveSession, logoutXml, otherSigner, postSaml, signedRedirectQuery, type Endpoint } from './support.js';

let sb: Sandbox;
let strict: Sandbox;
let session: { nameId: string; sessionIndex: string };
let other: { key: string; cert: string };

beforeAll(async () => {
  sb = await startSandbox();
  strict = await startSandbox({ allowSha1: false });
  session = await liveSession(sb);
  other = await otherSigner(sb);
});
afterAll(() => undefined);

type Kind = 'AuthnRequest' | 'LogoutRequest';
const KINDS: Array<[Kind, Endpoint]> = [
  ['AuthnRequest', '/login/saml'],
  ['LogoutRequest', '/logout/saml'],
];

/** The unsigned message of this kind; `evil` changes what an attacker would want changed. */
function unsigned(kind: Kind, opts: { id?: string; evil?: boolean } = {}): string {
  const id = opts.id ?? dotnetId();
  if (kind === 'AuthnRequest') return officialAuthnRequestXml({ ...authnFor(sb), id, acs: opts.evil ? 'https://attacker.example/acs' : ECOALERT.acs });
  return logoutXml(sb, opts.evil ? { nameId: '2002000000022', sessionIndex: session.sessionIndex } : session, ECOALERT, id);
}
const sign = (kind: Kind, xml: string, key = ECOALERT.key, cert = ECOALERT.cert) => signLikeDotnet(xml, kind, key, cert);
const sigOf = (signed: string) => /<Signature[\s\S]*<\/Signature>/.exec(signed)![0];
const withoutSig = (signed: string) => signed.replace(sigOf(signed), '');
const afterIssuer = (xml: string, insert: string) => xml.replace(/(<\/saml2:Issuer>)/, `$1${insert}`);
const rootId = (xml: string) => /ID="([^"]+)"/.exec(xml)![1]!;
const ext = (inner: string) => `<saml2p:Extensions>${inner}</saml2p:Extensions>`;
const postResponse = (s: Sandbox, xml: string) => request(s.app).post('/logout/saml').type('form').send({ SAMLResponse: b64(xml) });
const intoObject = (sig: string, inner: string) => sig.replace('</Signature>', `<Object>${inner}</Object></Signature>`);

/**
 * Signature-wrapping variants (after Somorovsky et al., XSW1–XSW8, adapted to a request whose root is the
 * signed element): the legitimately signed message is kept somewhere in the document, an unsigned evil
 * message takes the root's place.
 */
type Parts = { good: string; id: string; sig: string; evilSameId: string; evilNewId: string; kind: Kind };
function parts(kind: Kind): Parts {
  const good = sign(kind, unsigned(kind));
  const id = rootId(good);
  return { good, id, sig: sigOf(good), evilSameId: unsigned(kind, { id, evil: true }), evilNewId: unsigned(kind, { evil: true }), kind };
}
const WRAPPINGS: Array<[string, string, (p: Parts) => string]> = [
  ['XSW1: evil root with the same ID, signature copied, signed original inside Signature/Object', 'ERR_SIGNATURE_WRAPPING', (p) => afterIssuer(p.evilSameId, intoObject(p.sig, withoutSig(p.good)))],
  ['XSW2: evil root with the same ID, signature copied, signed original in Extensions', 'ERR_SIGNATURE_WRAPPING', (p) => afterIssuer(p.evilSameId, p.sig + ext(withoutSig(p.good)))],
  ['XSW3: evil root with a new ID, signature copied (still pointing at the original), original in Extensions', 'ERR_SIGNATURE_REFERENCE', (p) => afterIssuer(p.evilNewId, p.sig + ext(withoutSig(p.good)))],
  ['XSW4: evil root unsigned, the whole signed original (with its signature) in Extensions', 'ERR_SIGNATURE_MISSING', (p) => afterIssuer(p.evilNewId, ext(p.good))],
  ['XSW5: evil root with a new ID, signature copied, signed original inside Signature/Object', 'ERR_SIGNATURE_REFERENCE', (p) => afterIssuer(p.evilNewId, intoObject(p.sig, withoutSig(p.good)))],
  ['XSW6: evil root with the same ID, signature copied, original carrying its ID as Id= in Extensions', 'ERR_SIGNATURE_WRAPPING', (p) => afterIssuer(p.evilSameId, p.sig + ext(withoutSig(p.good).replace(` ID="${p.id}"`, ` Id="${p.id}"`)))],
  ['XSW7: evil root with the same ID, the original with a foreign-namespaced ID in Extensions', 'ERR_SIGNATURE_INVALID', (p) => afterIssuer(p.evilSameId, p.sig + ext(withoutSig(p.good).replace(` ID="${p.id}"`, ` xmlns:w="urn:x" w:ID="${p.id}"`)))],
  ['XSW8: two signatures, the copied valid one after an attacker one', 'ERR_SIGNATURE_AMBIGUOUS', (p) => afterIssuer(p.evilSameId, sigOf(sign(p.kind, unsigned(p.kind, { id: p.id, evil: true }), other.key, other.cert)) + p.sig)],
  ['the signed original with its Signature moved into Extensions, an evil attribute added', 'ERR_SIGNATURE_MISSING', (p) => p.good.replace(p.sig, '').replace('</saml2:Issuer>', `</saml2:Issuer>${ext(p.sig)}`).replace(' Version="2.0"', ' Version="2.0" Consent="urn:evil"')],
];

describe.each(KINDS)('%s signatures', (kind, endpoint) => {
  it('control: the message signed like the official client is accepted', async () => {
    const res = await postSaml(sb, endpoint, b64(sign(kind, unsigned(kind))));
    expect(accepted(res), `${res.status} ${res.text.slice(0, 300)}`).toBe(true);
  });

  it.each(WRAPPINGS)('refuses %s (both bindings)', async (_name, code, build) => {
    for (const [, res] of await bothBindings(sb, endpoint, build(parts(kind)))) await expectRefused(sb, res, code, { where: kind, status: 403 });
  });

  it('refuses a valid signature over another element of the message (Reference to a child)', async () => {
    const xml = unsigned(kind).replace('<saml2:Issuer>', '<saml2:Issuer ID="_issuer">');
    const sig = new SignedXml({ privateKey: ECOALERT.key, publicCert: ECOALERT.cert, signatureAlgorithm: ALG.rsaSha256, canonicalizationAlgorithm: ALG.excC14n });
    sig.addReference({ xpath: "//*[local-name()='Issuer']", transforms: [ALG.excC14n], digestAlgorithm: ALG.sha256 });
    sig.computeSignature(xml, { location: { reference: "/*/*[local-name()='Issuer']", action: 'after' } });
    for (const [, res] of await bothBindings(sb, endpoint, sig.getSignedXml())) await expectRefused(sb, res, 'ERR_SIGNATURE_REFERENCE', { where: `${kind}/Signature/SignedInfo/Reference/@URI`, status: 403 });
  });

  it('refuses an empty Reference URI (URI=""), though it is a real signature over the whole document', async () => {
    for (const [, res] of await bothBindings(sb, endpoint, handSign(unsigned(kind), { uri: '' }))) await expectRefused(sb, res, 'ERR_SIGNATURE_REFERENCE', { where: '@URI' });
  });

  it('refuses a signature made with another key that carries its own certificate in KeyInfo (only the registered certificate counts)', async () => {
    const xml = sign(kind, unsigned(kind), other.key, other.cert);
    expect(xml).toContain(other.cert.replace(/-----[^-]+-----|\s/g, '').slice(0, 40));
    for (const [, res] of await bothBindings(sb, endpoint, xml)) await expectRefused(sb, res, 'ERR_SIGNATURE_INVALID', { where: `${kind}/Signature`, status: 403 });
    // …and the same with the other service's registered key: registered somewhere is not registered for this issuer.
    for (const [, res] of await bothBindings(sb, endpoint, sign(kind, unsigned(kind), OFFICIAL_SP.key, OFFICIAL_SP.cert))) await expectRefused(sb, res, 'ERR_SIGNATURE_INVALID');
  });

  it('refuses a query signature made with another key (HTTP-Redirect)', async () => {
    await expectRefused(sb, await getSaml(sb, endpoint, signedRedirectQuery(unsigned(kind), other.key)), 'ERR_SIGNATURE_INVALID', { where: 'query Signature', status: 403 });
  });

  it.each([
    ['HMAC-SHA1 keyed with the public certificate', { signatureAlgorithm: 'http://www.w3.org/2000/09/xmldsig#hmac-sha1', hmacSecret: ECOALERT.cert }, 'SignatureMethod'],
    ['HMAC-SHA256', { signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#hmac-sha256', hmacSecret: 'secret' }, 'SignatureMethod'],
    ['DSA-SHA1', { signatureAlgorithm: 'http://www.w3.org/2000/09/xmldsig#dsa-sha1' }, 'SignatureMethod'],
    ['an unknown signature method', { signatureAlgorithm: 'urn:evil:none' }, 'SignatureMethod'],
    ['an empty signature method', { signatureAlgorithm: '' }, 'SignatureMethod'],
    ['MD5 digest', { digestAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#md5' }, 'DigestMethod'],
    ['an unknown digest method', { digestAlgorithm: 'urn:evil:digest' }, 'DigestMethod'],
    ['an unknown canonicalization method', { c14n: 'urn:evil:c14n' }, 'CanonicalizationMethod'],
    ['an unknown transform', { transforms: [ALG.enveloped, 'urn:evil:transform'] }, 'Transforms'],
    ['no enveloped-signature transform', { transforms: [ALG.excC14n] }, 'Transforms'],
  ] as const)('refuses %s', async (_n, opts, where) => {
    for (const [, res] of await bothBindings(sb, endpoint, handSign(unsigned(kind), opts as Parameters<typeof handSign>[1]))) await expectRefused(sb, res, /ERR_SIGNATURE_ALGORITHM|ERR_SIGNATURE_TRANSFORM/, { where, status: 403 });
  });

  it('refuses an unknown or HMAC SigAlg on the Redirect query', async () => {
    for (const alg of ['http://www.w3.org/2000/09/xmldsig#hmac-sha1', 'urn:evil', '']) {
      const q = signedRedirectQuery(unsigned(kind), ECOALERT.key).replace(/SigAlg=[^&]*/, `SigAlg=${encodeURIComponent(alg)}`);
      await expectRefused(sb, await getSaml(sb, endpoint, q), /ERR_SIGNATURE_ALGORITHM|ERR_SIGNATURE_MISSING/, { where: 'query' });
    }
  });

  describe('SHA-1 with allowSha1: false', () => {
    const sha1 = { signatureAlgorithm: ALG.rsaSha1, digestAlgorithm: ALG.sha1 };
    const strictSession = () => liveSession(strict);
    const msg = async (s: Sandbox) => {
      if (kind === 'AuthnRequest') return officialAuthnRequestXml({ destination: s.mpass.ssoUrl, acs: ECOALERT.acs, issuer: ECOALERT.issuer });
      const live = s === strict ? await strictSession() : session;
      return logoutXml(s, live);
    };

    it('control: the default sandbox accepts RSA-SHA1 with a SHA-1 digest (MPASS.md §6.1)', async () => {
      const res = await postSaml(sb, endpoint, b64(handSign(await msg(sb), sha1)));
      expect(accepted(res), res.text.slice(0, 300)).toBe(true);
      const q = await getSaml(sb, endpoint, signedRedirectQuery(await msg(sb), ECOALERT.key, { sigAlg: ALG.rsaSha1 }));
      expect(accepted(q) || q.status === 302 || q.status === 303, q.text.slice(0, 300)).toBe(true);
    });

    it.each([
      ['RSA-SHA1 + SHA-1 digest', sha1],
      ['RSA-SHA256 + SHA-1 digest', { digestAlgorithm: ALG.sha1 }],
      ['RSA-SHA1 + SHA-256 digest', { signatureAlgorithm: ALG.rsaSha1 }],
    ] as const)('refuses %s (ERR_SIGNATURE_SHA1), on both bindings', async (_n, opts) => {
      for (const [, res] of await bothBindings(strict, endpoint, handSign(await msg(strict), opts))) await expectRefused(strict, res, 'ERR_SIGNATURE_SHA1', { where: `${kind}/Signature/SignedInfo`, status: 403 });
    });

    // xml-crypto takes the first SignatureMethod/DigestMethod by local name; the ds: ones name SHA-256.
    it.each([
      ['a decoy x:SignatureMethod (RSA-SHA1) before ds:SignatureMethod (RSA-SHA256)', { signatureAlgorithm: ALG.rsaSha1, decoy: { signatureMethod: ALG.rsaSha256 } }],
      ['a decoy x:DigestMethod (SHA-1) before ds:DigestMethod (SHA-256)', { digestAlgorithm: ALG.sha1, decoy: { digestMethod: ALG.sha256 } }],
    ] as const)('refuses %s (ERR_SIGNATURE_SHA1): the allow-list applies to what the verifier uses', async (_n, opts) => {
      for (const [, res] of await bothBindings(strict, endpoint, handSign(await msg(strict), opts))) await expectRefused(strict, res, 'ERR_SIGNATURE_SHA1', { where: `${kind}/Signature/SignedInfo`, status: 403 });
    });

    it('refuses SigAlg rsa-sha1 on the Redirect query', async () => {
      await expectRefused(strict, await getSaml(strict, endpoint, signedRedirectQuery(await msg(strict), ECOALERT.key, { sigAlg: ALG.rsaSha1 })), 'ERR_SIGNATURE_SHA1', { where: 'query SigAlg', status: 403 });
    });
  });
});

describe('LogoutResponse signatures with allowSha1: false', () => {
  // A service's answer during single logout goes through the same verifier as the requests.
  it.each([
    ['a decoy x:SignatureMethod (RSA-SHA1) before ds:SignatureMethod (RSA-SHA256)', { signatureAlgorithm: ALG.rsaSha1, decoy: { signatureMethod: ALG.rsaSha256 } }],
    ['a decoy x:DigestMethod (SHA-1) before ds:DigestMethod (SHA-256)', { digestAlgorithm: ALG.sha1, decoy: { digestMethod: ALG.sha256 } }],
  ] as const)('refuses %s (ERR_SIGNATURE_SHA1)', async (_n, opts) => {
    const live = await liveSession(strict);
    // ECOALERT logs out: the sandbox sends a LogoutRequest to the other participant, OFFICIAL_SP
    const started = await request(strict.app).post('/logout/saml').set('Cookie', live.cookie).type('form').send({ SAMLRequest: b64(sign('LogoutRequest', logoutXml(strict, live))) });
    expect(started.status).toBeLessThan(400);
    const events = (await request(strict.app).get('/api/events?limit=20')).body as Array<{ message: string; direction: string; service: string; xml?: string }>;
    const sent = events.find((e) => e.message === 'LogoutRequest' && e.direction === 'out' && e.service === OFFICIAL_SP.issuer)!;
    const inResponseTo = /ID="([^"]+)"/.exec(sent.xml!)![1]!;
    const answer = officialLogoutResponseXml({ destination: strict.mpass.sloUrl, issuer: OFFICIAL_SP.issuer, inResponseTo });
    await postResponse(strict, handSign(answer, { ...opts, key: OFFICIAL_SP.key, cert: OFFICIAL_SP.cert }));
    const last = (await request(strict.app).get('/api/events?limit=5')).body.find((e: { message: string; direction: string }) => e.message === 'LogoutResponse' && e.direction === 'in');
    expect(last.verdict).toBe('rejected');
    expect(last.rejection).toMatchObject({ code: 'ERR_SIGNATURE_SHA1', where: 'LogoutResponse/Signature/SignedInfo' });
  });
});

describe('a login page is never reached through a wrapped request', () => {
  it('the evil ACS never appears in a delivered form', async () => {
    for (const [, , build] of WRAPPINGS) {
      const res = await postSaml(sb, '/login/saml', b64(build(parts('AuthnRequest'))));
      expect(isLoginPage(res)).toBe(false);
      expect(res.text).not.toContain('action="https://attacker.example/acs"');
    }
  });
});
