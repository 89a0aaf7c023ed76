// Shared plumbing for the hostile-input catalogue: how a hostile message is sent through the public HTTP
// surface, and the one oracle every case must satisfy (4xx naming the problem, process healthy, no
// Success for a forged message, nothing half-written).
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { DOMParser } from '@xmldom/xmldom';
import request from 'supertest';
import { ExclusiveCanonicalization } from 'xml-crypto';
import { expect } from 'vitest';
import type { Sandbox } from '../helpers.js';
import { ALG } from '../../src/mpass/signature.js';
import { ECOALERT, OFFICIAL_SP, scrapeForm } from '../helpers.js';
import { dotnetId, officialLogoutRequestXml, signedOfficialAuthnRequest, signLikeDotnet } from '../official-client.js';

export type Endpoint = '/login/saml' | '/logout/saml';
export type Res = request.Response;

export const b64 = (xml: string | Buffer) => Buffer.from(xml).toString('base64');
export const deflate64 = (xml: string | Buffer) => zlib.deflateRawSync(Buffer.from(xml)).toString('base64');

/** HTTP-POST binding: form field SAMLRequest = base64 of the XML (MPASS.md §2.2). */
export function postSaml(sb: Sandbox, endpoint: Endpoint, encoded: string, extra: Record<string, string> = {}): Promise<Res> {
  return request(sb.app).post(endpoint).type('form').send(new URLSearchParams({ SAMLRequest: encoded, ...extra }).toString()) as unknown as Promise<Res>;
}

/** HTTP-Redirect binding with a raw query string, exactly as given. */
export function getSaml(sb: Sandbox, endpoint: Endpoint, rawQuery: string): Promise<Res> {
  return request(sb.app).get(`${endpoint}?${rawQuery}`) as unknown as Promise<Res>;
}

/** Send one XML document over both bindings (POST plain base64; Redirect DEFLATE + base64, unsigned query). */
export async function bothBindings(sb: Sandbox, endpoint: Endpoint, xml: string): Promise<Array<[string, Res]>> {
  return [
    ['HTTP-POST', await postSaml(sb, endpoint, b64(xml))],
    ['HTTP-Redirect', await getSaml(sb, endpoint, `SAMLRequest=${encodeURIComponent(deflate64(xml))}`)],
  ];
}

/** A signed Redirect query (SAML Bindings §3.4.4.1) over the given XML. */
export function signedRedirectQuery(xml: string, key: string, opts: { relayState?: string; sigAlg?: string } = {}): string {
  const sigAlg = opts.sigAlg ?? ALG.rsaSha256;
  let q = `SAMLRequest=${encodeURIComponent(deflate64(xml))}`;
  if (opts.relayState !== undefined) q += `&RelayState=${encodeURIComponent(opts.relayState)}`;
  q += `&SigAlg=${encodeURIComponent(sigAlg)}`;
  const alg = sigAlg === ALG.rsaSha1 ? 'RSA-SHA1' : 'RSA-SHA256';
  return `${q}&Signature=${encodeURIComponent(crypto.sign(alg, Buffer.from(q), key).toString('base64'))}`;
}

/** Every SAMLResponse carried by an answer (auto-post form field or Redirect Location), decoded. */
export function samlResponsesOf(res: Res): string[] {
  const out: string[] = [];
  const loc = res.headers.location as string | undefined;
  if (loc) {
    const m = /[?&]SAMLResponse=([^&]+)/.exec(loc);
    if (m) out.push(zlib.inflateRawSync(Buffer.from(decodeURIComponent(m[1]!), 'base64')).toString('utf8'));
  }
  for (const f of (res.text ?? '').matchAll(/name="SAMLResponse" value="([^"]*)"/g)) out.push(Buffer.from(f[1]!, 'base64').toString('utf8'));
  return out;
}

const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
export const carriesSuccess = (res: Res) => samlResponsesOf(res).some((x) => x.includes(SUCCESS));
export const isLoginPage = (res: Res) => res.status === 200 && /name="pending"/.test(res.text ?? '');
/** What "the sandbox accepted this message" looks like: a login page, a Success answer, or a logout run. */
export const accepted = (res: Res) => isLoginPage(res) || carriesSuccess(res) || /\/logout\/run\//.test(String(res.headers.location ?? ''));

export async function expectHealthy(sb: Sandbox): Promise<void> {
  const h = await request(sb.app).get('/health');
  expect(h.status).toBe(200);
  expect(h.body.status).toBe('ok');
}

/**
 * The catalogue's oracle: a 4xx (never 5xx) whose body names the error code (and the field, when given),
 * not accepted, no Success Response, and the process answers /health afterwards.
 */
export async function expectRefused(sb: Sandbox, res: Res, code: string | RegExp, opts: { where?: string; status?: number } = {}): Promise<void> {
  const ctx = `${res.status} ${(res.text ?? '').replace(/\s+/g, ' ').slice(0, 600)}`;
  expect(res.status, ctx).toBeGreaterThanOrEqual(400);
  expect(res.status, ctx).toBeLessThan(500);
  if (opts.status) expect(res.status, ctx).toBe(opts.status);
  if (typeof code === 'string') expect(res.text, ctx).toContain(code);
  else expect(res.text, ctx).toMatch(code);
  if (opts.where) expect(unescape(res.text), ctx).toContain(opts.where);
  expect(res.text, ctx).not.toContain('ERR_INTERNAL');
  expect(accepted(res), ctx).toBe(false);
  await expectHealthy(sb);
}

const unescape = (s: string) => s.replace(/&#34;/g, '"').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

// ---------------------------------------------------------------- valid messages to start from

export const authnFor = (sb: Sandbox, sp = ECOALERT) => ({ destination: sb.mpass.ssoUrl, acs: sp.acs, issuer: sp.issuer });
export const signedAuthn = (sb: Sandbox, sp = ECOALERT) => signedOfficialAuthnRequest(authnFor(sb, sp), sp.key, sp.cert);

/** Log the persona in to EcoAlert and the official SP (one SSO session), so a LogoutRequest has a live session to end. */
export async function liveSession(sb: Sandbox, persona = '2001000000011'): Promise<{ cookie: string; nameId: string; sessionIndex: string }> {
  let cookie = '';
  let last = '';
  for (const sp of [ECOALERT, OFFICIAL_SP]) {
    await request(sb.app).post('/api/script').send({ issuer: sp.issuer, persona });
    const res = await request(sb.app).post('/login/saml').set('Cookie', cookie).type('form').send({ SAMLRequest: b64(signedAuthn(sb, sp)) });
    expect(res.status).toBe(200);
    const set = (res.headers['set-cookie'] as unknown as string[] | undefined)?.[0]?.split(';')[0];
    if (set) cookie = set;
    last = Buffer.from(scrapeForm(res.text).fields.SAMLResponse!, 'base64').toString('utf8');
    expect(last).toContain(SUCCESS);
  }
  return { cookie, nameId: /<saml:NameID>([^<]+)</.exec(last)![1]!, sessionIndex: /SessionIndex="([^"]+)"/.exec(last)![1]! };
}

export const logoutXml = (sb: Sandbox, s: { nameId: string; sessionIndex: string }, sp = ECOALERT, id = dotnetId()) =>
  officialLogoutRequestXml({ id, destination: sb.mpass.sloUrl, issuer: sp.issuer, nameId: s.nameId, sessionIndex: s.sessionIndex });
export const signedLogout = (sb: Sandbox, s: { nameId: string; sessionIndex: string }, sp = ECOALERT) => signLikeDotnet(logoutXml(sb, s, sp), 'LogoutRequest', sp.key, sp.cert);

// ---------------------------------------------------------------- hand-built signatures

export interface HandSignature {
  /** Reference URI; default `#<root ID>`. */
  uri?: string;
  transforms?: string[];
  /** Raw XML put inside a Transform (e.g. an xsl:stylesheet), by transform index. */
  transformBody?: Record<number, string>;
  digestAlgorithm?: string;
  signatureAlgorithm?: string;
  c14n?: string;
  key?: string;
  cert?: string;
  /** Sign with HMAC under this secret instead of RSA. */
  hmacSecret?: string;
  /**
   * Decoys: the real SignatureMethod/DigestMethod (signatureAlgorithm/digestAlgorithm, what the signature
   * is made with) sit in a foreign namespace before a ds: element that names these innocent algorithms.
   */
  decoy?: { signatureMethod?: string; digestMethod?: string };
}

const DS = 'http://www.w3.org/2000/09/xmldsig#';
const HASH: Record<string, string> = { [ALG.sha256]: 'sha256', [ALG.sha1]: 'sha1', [ALG.sha512]: 'sha512' };
const RSA: Record<string, string> = { [ALG.rsaSha256]: 'RSA-SHA256', [ALG.rsaSha1]: 'RSA-SHA1', [ALG.rsaSha512]: 'RSA-SHA512' };

/**
 * An enveloped signature computed by hand, so algorithms and transforms xml-crypto would refuse to
 * produce (XSLT, HMAC, unknown URIs) can still be real, cryptographically correct signatures. The digest is
 * exclusive c14n of the root without its Signature (what enveloped + exc-c14n, and an identity XSLT, yield).
 */
const method = (real: string, shown: string | undefined, name: string) =>
  shown === undefined ? `<${name} Algorithm="${real}"/>` : `<x:${name} xmlns:x="urn:decoy" Algorithm="${real}"/><${name} Algorithm="${shown}"/>`;

export function handSign(xml: string, o: HandSignature = {}): string {
  const parse = (s: string) => new DOMParser().parseFromString(s, 'text/xml') as unknown as Document;
  const root = parse(xml).documentElement!;
  const id = root.getAttribute('ID')!;
  const digestAlg = o.digestAlgorithm ?? ALG.sha256;
  const sigAlg = o.signatureAlgorithm ?? ALG.rsaSha256;
  const transforms = o.transforms ?? [ALG.enveloped, ALG.excC14n];
  const canon = new ExclusiveCanonicalization().process(root as unknown as Element, {}) as string;
  const digest = crypto.createHash(HASH[digestAlg] ?? 'sha256').update(canon).digest('base64');
  const signedInfo =
    `<SignedInfo><CanonicalizationMethod Algorithm="${o.c14n ?? ALG.excC14n}"/>${method(sigAlg, o.decoy?.signatureMethod, 'SignatureMethod')}` +
    `<Reference URI="${o.uri ?? `#${id}`}"><Transforms>${transforms.map((t, i) => `<Transform Algorithm="${t}">${o.transformBody?.[i] ?? ''}</Transform>`).join('')}</Transforms>` +
    `${method(digestAlg, o.decoy?.digestMethod, 'DigestMethod')}<DigestValue>${digest}</DigestValue></Reference></SignedInfo>`;
  const cert = (o.cert ?? ECOALERT.cert).replace(/-----[^-]+-----|\s/g, '');
  const placeholder = `<Signature xmlns="${DS}">${signedInfo}<SignatureValue>SIG</SignatureValue><KeyInfo><X509Data><X509Certificate>${cert}</X509Certificate></X509Data></KeyInfo></Signature>`;
  const withSig = xml.replace(/(<\/(?:\w+:)?Issuer>)/, `$1${placeholder}`);
  const si = parse(withSig).getElementsByTagNameNS(DS, 'SignedInfo')[0]!;
  const siCanon = new ExclusiveCanonicalization().process(si as unknown as Element, {}) as string;
  const value = o.hmacSecret
    ? crypto.createHmac('sha1', o.hmacSecret).update(siCanon).digest('base64')
    : crypto.sign(RSA[sigAlg] ?? 'RSA-SHA256', Buffer.from(siCanon), o.key ?? ECOALERT.key).toString('base64');
  return withSig.replace('<SignatureValue>SIG</SignatureValue>', `<SignatureValue>${value}</SignatureValue>`);
}

/** A throwaway RSA key and self-signed certificate (the "other" signer). */
export async function otherSigner(sb: Sandbox, cn = 'ecoalert.localhost'): Promise<{ key: string; cert: string }> {
  const r = await request(sb.app).post('/api/certificates').send({ commonName: cn });
  expect(r.status).toBe(201);
  return { key: r.body.privateKeyPem, cert: r.body.certificatePem };
}
