// XML-DSig for SAML messages: enveloped signatures (HTTP-POST) and query signatures (HTTP-Redirect).
// xml-crypto does the canonicalisation and the maths; this module decides *what* must be signed, so that
// a valid signature over some other element (signature wrapping) never counts.
import crypto from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { truncate, type Rejection } from '../errors.js';
import type { KeyPair } from '../pki/certificates.js';
import { cached, privateKeyOf, publicKeyOf } from '../pki/parsed.js';
import { NS, attr, childElements } from '../xml/parse.js';

export const ALG = {
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  rsaSha1: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  rsaSha512: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  sha1: 'http://www.w3.org/2000/09/xmldsig#sha1',
  sha512: 'http://www.w3.org/2001/04/xmlenc#sha512',
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  excC14nComments: 'http://www.w3.org/2001/10/xml-exc-c14n#WithComments',
  c14n: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
  c14nComments: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments',
  enveloped: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
} as const;

const SHA1_ALGS = new Set<string>([ALG.rsaSha1, ALG.sha1]);
const SIGNATURE_ALGS = new Set<string>([ALG.rsaSha256, ALG.rsaSha1, ALG.rsaSha512]);
const DIGEST_ALGS = new Set<string>([ALG.sha256, ALG.sha1, ALG.sha512]);
const C14N_ALGS = new Set<string>([ALG.excC14n, ALG.excC14nComments, ALG.c14n, ALG.c14nComments]);
const TRANSFORMS = new Set<string>([ALG.enveloped, ...C14N_ALGS]);

// KeyInfo exactly as xml-crypto's default writes it for a certificate, computed once per certificate
// (building it parses the certificate; src/pki/parsed.ts explains why that matters on the hot path).
const keyInfos = new Map<string, string | null>();
export const keyInfoOf = (certPem: string, prefix: string | undefined) => cached(keyInfos, `${prefix ?? ''}\n${certPem}`, () => SignedXml.getKeyInfoContent({ publicCert: certPem, prefix }));

export interface SignOptions {
  key: KeyPair;
  signatureAlgorithm?: string;
  digestAlgorithm?: string;
}

/**
 * Enveloped signature over the element with this ID, placed right after its Issuer (SAML schema order),
 * RSA-SHA256 / SHA-256 / exclusive c14n, KeyInfo with the certificate (MPASS.md §6.2, §13).
 */
export function signEnveloped(xml: string, elementLocalName: string, id: string, opts: SignOptions): string {
  const certPem = opts.key.certificatePem;
  const sig = new SignedXml({
    privateKey: privateKeyOf(opts.key.privateKeyPem),
    publicCert: certPem,
    getKeyInfoContent: (args) => keyInfoOf(certPem, args?.prefix ?? undefined),
    signatureAlgorithm: (opts.signatureAlgorithm ?? ALG.rsaSha256) as never,
    canonicalizationAlgorithm: ALG.excC14n,
  });
  const sel = `//*[local-name()='${elementLocalName}' and @ID='${id}']`;
  sig.addReference({ xpath: sel, transforms: [ALG.enveloped, ALG.excC14n], digestAlgorithm: (opts.digestAlgorithm ?? ALG.sha256) as never });
  sig.computeSignature(xml, { location: { reference: `${sel}/*[local-name()='Issuer']`, action: 'after' } });
  return sig.getSignedXml();
}

/** Verify the enveloped signature that must sit directly under `root` and cover exactly `root`. */
export function verifyEnveloped(xml: string, root: Element, certificatePem: string, allowSha1: boolean): Rejection | null {
  const where = `${root.localName}/Signature`;
  const sigs = childElements(root, NS.ds, 'Signature');
  if (sigs.length === 0) {
    return { code: 'ERR_SIGNATURE_MISSING', where, message: `The ${root.localName} is not signed.`, expected: 'an enveloped ds:Signature right after Issuer', fix: 'Sign the message with the private key of the certificate registered for this service (MPASS.md §6.1).' };
  }
  if (sigs.length > 1) return { code: 'ERR_SIGNATURE_AMBIGUOUS', where, message: `The ${root.localName} carries ${sigs.length} signatures.`, fix: 'Send exactly one enveloped signature.' };
  const sigEl = sigs[0]!;
  const signedInfo = childElements(sigEl, NS.ds, 'SignedInfo')[0];
  if (!signedInfo) return { code: 'ERR_SIGNATURE_MALFORMED', where, message: 'ds:SignedInfo is missing.', fix: 'Produce the signature with a standard XML-DSig library.' };
  const c14n = attr(childElements(signedInfo, NS.ds, 'CanonicalizationMethod')[0] ?? root, 'Algorithm');
  const method = attr(childElements(signedInfo, NS.ds, 'SignatureMethod')[0] ?? root, 'Algorithm');
  if (!c14n || !C14N_ALGS.has(c14n)) return { code: 'ERR_SIGNATURE_ALGORITHM', where: `${where}/SignedInfo/CanonicalizationMethod`, message: 'Unsupported canonicalization method.', found: c14n, expected: ALG.excC14n, fix: 'Use exclusive c14n for SignedInfo.' };
  if (!method || !SIGNATURE_ALGS.has(method)) return { code: 'ERR_SIGNATURE_ALGORITHM', where: `${where}/SignedInfo/SignatureMethod`, message: 'Signature algorithm not accepted (only RSA with SHA-256/512, and SHA-1 when allowed).', found: method, expected: ALG.rsaSha256, fix: 'Sign with RSA-SHA256.' };
  const refs = childElements(signedInfo, NS.ds, 'Reference');
  if (refs.length !== 1) return { code: 'ERR_SIGNATURE_REFERENCE', where: `${where}/SignedInfo/Reference`, message: `Expected one Reference, found ${refs.length}.`, fix: 'Reference only the message root: URI="#<root ID>".' };
  const ref = refs[0]!;
  const id = attr(root, 'ID');
  const uri = attr(ref, 'URI');
  if (!id || uri !== `#${id}`) {
    return { code: 'ERR_SIGNATURE_REFERENCE', where: `${where}/SignedInfo/Reference/@URI`, message: 'The signature does not cover this message: its Reference must point at the root element.', found: uri ?? '(none)', expected: `#${id ?? '<root ID>'}`, fix: 'Sign the message root itself (Reference URI="#" + its ID).' };
  }
  if (countIds(root.ownerDocument!.documentElement!, id) !== 1) {
    return { code: 'ERR_SIGNATURE_WRAPPING', where: `${root.localName}/@ID`, message: `The ID "${id}" appears more than once in the document (signature wrapping).`, found: id, fix: 'Every ID in a SAML message must be unique.' };
  }
  const transforms = childElements(childElements(ref, NS.ds, 'Transforms')[0] ?? ref, NS.ds, 'Transform').map((t) => attr(t, 'Algorithm') ?? '');
  const bad = transforms.find((t) => !TRANSFORMS.has(t));
  if (bad !== undefined) return { code: 'ERR_SIGNATURE_TRANSFORM', where: `${where}/SignedInfo/Reference/Transforms`, message: 'Transform not accepted (only enveloped-signature and c14n; never XSLT or XPath).', found: bad, fix: 'Use the enveloped-signature transform, optionally with exclusive c14n.' };
  if (!transforms.includes(ALG.enveloped)) return { code: 'ERR_SIGNATURE_TRANSFORM', where: `${where}/SignedInfo/Reference/Transforms`, message: 'An enveloped signature needs the enveloped-signature transform.', expected: ALG.enveloped, fix: 'Add the enveloped-signature transform.' };
  const digest = attr(childElements(ref, NS.ds, 'DigestMethod')[0] ?? ref, 'Algorithm');
  if (!digest || !DIGEST_ALGS.has(digest)) return { code: 'ERR_SIGNATURE_ALGORITHM', where: `${where}/SignedInfo/Reference/DigestMethod`, message: 'Digest algorithm not accepted.', found: digest, expected: ALG.sha256, fix: 'Use SHA-256.' };
  if (!allowSha1 && (SHA1_ALGS.has(method) || SHA1_ALGS.has(digest))) {
    return { code: 'ERR_SIGNATURE_SHA1', where: `${where}/SignedInfo`, message: 'SHA-1 is switched off on this sandbox (ALLOW_SHA1=false).', found: SHA1_ALGS.has(method) ? method : digest, expected: ALG.rsaSha256, fix: 'Sign with RSA-SHA256 and a SHA-256 digest.' };
  }

  // Only the registered certificate counts: KeyInfo in the message is ignored.
  let publicKey: crypto.KeyObject;
  try {
    publicKey = publicKeyOf(certificatePem);
  } catch (e) {
    return invalid(where, `: ${(e as Error).message}`);
  }
  const sig = new SignedXml({ publicCert: publicKey, getCertFromKeyInfo: () => null });
  // The allow-list is applied to xml-crypto itself: its tables hold only what this verification accepts,
  // so an algorithm it would pick up from anywhere (it reads the first descendant by local name, not the
  // ds: child read above) can never run unless allowed.
  restrictAlgorithms(sig, allowSha1);
  try {
    sig.loadSignature(sigEl as unknown as Node);
  } catch (e) {
    return { code: 'ERR_SIGNATURE_MALFORMED', where, message: `The signature cannot be read: ${(e as Error).message}`, fix: 'Produce the signature with a standard XML-DSig library.' };
  }
  // …and read back what xml-crypto will actually use, so the verdict names the algorithm really verified.
  const used = usedAlgorithms(sig);
  const sha1 = [used.signature, ...used.digests].find((a) => SHA1_ALGS.has(a));
  if (!allowSha1 && sha1) {
    return { code: 'ERR_SIGNATURE_SHA1', where: `${where}/SignedInfo`, message: 'SHA-1 is switched off on this sandbox (ALLOW_SHA1=false).', found: sha1, expected: ALG.rsaSha256, fix: 'Sign with RSA-SHA256 and a SHA-256 digest.' };
  }
  if (used.signature !== method || used.digests.length !== 1 || used.digests[0] !== digest || used.c14n !== c14n) {
    return { code: 'ERR_SIGNATURE_MALFORMED', where: `${where}/SignedInfo`, message: 'SignedInfo names its algorithms more than once (elements of the same local name in another namespace), so it is ambiguous which one applies.', found: `${used.signature} / ${used.digests.join(', ')}`, expected: `${method} / ${digest}`, fix: 'Put exactly one ds:CanonicalizationMethod, ds:SignatureMethod and ds:DigestMethod in SignedInfo, nothing else of those names.' };
  }
  try {
    if (!sig.checkSignature(xml)) return invalid(where, '');
  } catch (e) {
    return invalid(where, `: ${(e as Error).message}`);
  }
  // Every field is read from `root`: prove it is the element the signature covers, by canonicalising it
  // with the reference's own transforms and comparing with what xml-crypto verified (XML-DSig §4.4.3.2).
  const signed = sig.getSignedReferences();
  const ref0 = sig.getReferences()[0];
  if (signed.length !== 1 || !ref0 || canonicalOf(sig, ref0, root) !== signed[0]) {
    return { code: 'ERR_SIGNATURE_WRAPPING', where, message: `The signature verifies, but over an element other than this ${root.localName} (signature wrapping).`, fix: 'Sign the message root itself and send it unchanged.' };
  }
  return null;
}

const invalid = (where: string, detail: string): Rejection => ({ code: 'ERR_SIGNATURE_INVALID', where, message: `The signature does not verify with the registered certificate${detail}.`, fix: 'Sign with the private key matching the registered .cer, and do not change the message after signing.' });

/** Leave in xml-crypto's tables only the algorithms this verification accepts. */
function restrictAlgorithms(sig: SignedXml, allowSha1: boolean): void {
  const keep = <T>(table: Record<string, T>, allowed: Set<string>): Record<string, T> => Object.fromEntries(Object.entries(table).filter(([k]) => allowed.has(k) && (allowSha1 || !SHA1_ALGS.has(k))));
  sig.SignatureAlgorithms = keep(sig.SignatureAlgorithms, SIGNATURE_ALGS);
  sig.HashAlgorithms = keep(sig.HashAlgorithms, DIGEST_ALGS);
  sig.CanonicalizationAlgorithms = keep(sig.CanonicalizationAlgorithms, TRANSFORMS);
}

function usedAlgorithms(sig: SignedXml): { signature: string; c14n: string; digests: string[] } {
  return { signature: sig.signatureAlgorithm ?? '', c14n: sig.canonicalizationAlgorithm ?? '', digests: sig.getReferences().map((r) => r.digestAlgorithm ?? '') };
}

/**
 * `root` canonicalised exactly as xml-crypto's validateReference canonicalises the referenced element
 * (same transforms; comments dropped for a same-document URI), on a copy: the enveloped signature is
 * left out of the copy, never removed from our document.
 */
function canonicalOf(sig: SignedXml, ref: { transforms: readonly string[]; uri?: string }, root: Element): string {
  const c = sig as unknown as { canonicalize(t: readonly string[], n: Node, o: object, f: { discardComments: boolean }): string };
  return c.canonicalize(ref.transforms, root as unknown as Node, {}, { discardComments: (ref.uri ?? '').startsWith('#') });
}

function countIds(el: Element, id: string): number {
  let n = 0;
  const stack = [el];
  while (stack.length) {
    const e = stack.pop()!;
    for (const a of ['ID', 'Id', 'id']) if (e.getAttribute(a) === id) n++;
    for (let c = e.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) stack.push(c as Element);
  }
  return n;
}

const NODE_ALG: Record<string, string> = { [ALG.rsaSha256]: 'RSA-SHA256', [ALG.rsaSha1]: 'RSA-SHA1', [ALG.rsaSha512]: 'RSA-SHA512' };

/**
 * HTTP-Redirect query signature (SAML Bindings §3.4.4.1): over the exact octets
 * `SAMLRequest=…&RelayState=…&SigAlg=…` as they appeared in the query string.
 */
export function verifyRedirectSignature(rawQuery: string, param: 'SAMLRequest' | 'SAMLResponse', certificatePem: string, allowSha1: boolean): Rejection | null {
  const parts = new Map<string, string>();
  for (const kv of rawQuery.split('&')) {
    const i = kv.indexOf('=');
    const k = i < 0 ? kv : kv.slice(0, i);
    if (!parts.has(k)) parts.set(k, kv);
  }
  const sigAlgRaw = parts.get('SigAlg');
  const sigRaw = parts.get('Signature');
  if (!sigAlgRaw || !sigRaw) {
    return { code: 'ERR_SIGNATURE_MISSING', where: 'query SigAlg/Signature', message: 'The Redirect-binding message is not signed.', expected: 'SigAlg and Signature query parameters', fix: 'Sign the query string (SAML Bindings §3.4.4.1) with the key of the registered certificate.' };
  }
  const sigAlg = queryValue(sigAlgRaw);
  if (sigAlg === undefined) return { code: 'ERR_SIGNATURE_MALFORMED', where: 'query SigAlg', message: 'SigAlg is not valid URL encoding.', found: truncate(sigAlgRaw), fix: 'URL-encode the SigAlg value (SAML Bindings §3.4.4.1).' };
  const nodeAlg = NODE_ALG[sigAlg];
  if (!nodeAlg) return { code: 'ERR_SIGNATURE_ALGORITHM', where: 'query SigAlg', message: 'Signature algorithm not accepted.', found: sigAlg, expected: ALG.rsaSha256, fix: 'Use RSA-SHA256.' };
  if (!allowSha1 && sigAlg === ALG.rsaSha1) return { code: 'ERR_SIGNATURE_SHA1', where: 'query SigAlg', message: 'SHA-1 is switched off on this sandbox (ALLOW_SHA1=false).', found: sigAlg, fix: 'Use RSA-SHA256.' };
  const octets = [parts.get(param), parts.get('RelayState'), sigAlgRaw].filter((x): x is string => x !== undefined).join('&');
  const signatureText = queryValue(sigRaw);
  if (signatureText === undefined) return { code: 'ERR_SIGNATURE_MALFORMED', where: 'query Signature', message: 'Signature is not valid URL encoding.', found: truncate(sigRaw), fix: 'URL-encode the base64 signature (SAML Bindings §3.4.4.1).' };
  const signature = Buffer.from(signatureText, 'base64');
  let ok = false;
  try {
    ok = crypto.verify(nodeAlg, Buffer.from(octets, 'utf8'), publicKeyOf(certificatePem), signature);
  } catch {
    ok = false;
  }
  return ok ? null : { code: 'ERR_SIGNATURE_INVALID', where: 'query Signature', message: 'The query signature does not verify with the registered certificate.', fix: 'Sign the exact octets SAMLRequest=…&RelayState=…&SigAlg=… (URL-encoded as sent) with the registered key.' };
}

/** The decoded value of a raw `name=value` query segment; undefined when its percent-encoding is broken. */
function queryValue(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment.slice(segment.indexOf('=') + 1).replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** Build a signed Redirect-binding query string (SAMLRequest/SAMLResponse already deflated+base64). */
export function signRedirectQuery(param: 'SAMLRequest' | 'SAMLResponse', encoded: string, relayState: string | undefined, key: KeyPair, sigAlg: string = ALG.rsaSha256): string {
  let q = `${param}=${encodeURIComponent(encoded)}`;
  if (relayState !== undefined) q += `&RelayState=${encodeURIComponent(relayState)}`;
  q += `&SigAlg=${encodeURIComponent(sigAlg)}`;
  const signature = crypto.sign(NODE_ALG[sigAlg]!, Buffer.from(q, 'utf8'), privateKeyOf(key.privateKeyPem)).toString('base64');
  return `${q}&Signature=${encodeURIComponent(signature)}`;
}

