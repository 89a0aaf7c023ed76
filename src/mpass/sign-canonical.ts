// The signing fast path for the messages the sandbox writes itself (issue 12 §2). The renderers emit
// exclusive-canonical XML (src/xml/c14n.ts), so the digest of an element is a hash over a substring the
// sandbox already has; SignedInfo is a fixed canonical template; one RSA signature (node:crypto) remains.
// No DOM and no canonicaliser: xml-crypto stays for verification and as the test oracle
// (test/mpass/sign-canonical.test.ts proves DigestValue, SignedInfo and SignatureValue equal xml-crypto's).
import crypto from 'node:crypto';
import { privateKeyOf } from '../pki/parsed.js';
import { ALG, keyInfoOf, type SignOptions } from './signature.js';

const DS = 'http://www.w3.org/2000/09/xmldsig#';
const HASH: Record<string, string> = { [ALG.sha256]: 'sha256', [ALG.sha1]: 'sha1', [ALG.sha512]: 'sha512' };
const RSA: Record<string, string> = { [ALG.rsaSha256]: 'RSA-SHA256', [ALG.rsaSha1]: 'RSA-SHA1', [ALG.rsaSha512]: 'RSA-SHA512' };

/**
 * Enveloped signature (exc-c14n, enveloped-signature transform) over the element whose ID is `id`, put
 * right after that element's saml:Issuer, in canonical form so the document stays canonical.
 * Precondition (what the renderers guarantee): `xml` is exclusive-canonical, the element declares every
 * namespace it uses, and it is the document root or is closed by the first matching end tag after it.
 */
export function signCanonical(xml: string, id: string, opts: SignOptions): string {
  const sigAlg = opts.signatureAlgorithm ?? ALG.rsaSha256;
  const digestAlg = opts.digestAlgorithm ?? ALG.sha256;
  const hash = HASH[digestAlg];
  const rsa = RSA[sigAlg];
  if (!hash || !rsa) throw new Error(`signCanonical: unsupported algorithm ${!hash ? digestAlg : sigAlg}`);
  const idAt = xml.indexOf(` ID="${id}"`);
  if (idAt < 0) throw new Error(`signCanonical: no element with ID ${id}`);
  const start = xml.lastIndexOf('<', idAt);
  const name = xml.slice(start + 1, xml.indexOf(' ', start));
  const end = start === 0 ? xml.length : xml.indexOf(`</${name}>`, idAt) + name.length + 3;
  const digest = crypto.createHash(hash).update(xml.slice(start, end), 'utf8').digest('base64');
  const signedInfoBody =
    `<CanonicalizationMethod Algorithm="${ALG.excC14n}"></CanonicalizationMethod><SignatureMethod Algorithm="${sigAlg}"></SignatureMethod>` +
    `<Reference URI="#${id}"><Transforms><Transform Algorithm="${ALG.enveloped}"></Transform><Transform Algorithm="${ALG.excC14n}"></Transform></Transforms>` +
    `<DigestMethod Algorithm="${digestAlg}"></DigestMethod><DigestValue>${digest}</DigestValue></Reference></SignedInfo>`;
  // SignedInfo canonicalised on its own declares the ds default namespace it inherits from Signature.
  const value = crypto.sign(rsa, Buffer.from(`<SignedInfo xmlns="${DS}">${signedInfoBody}`, 'utf8'), privateKeyOf(opts.key.privateKeyPem)).toString('base64');
  const signature = `<Signature xmlns="${DS}"><SignedInfo>${signedInfoBody}<SignatureValue>${value}</SignatureValue><KeyInfo>${keyInfoOf(opts.key.certificatePem, undefined)}</KeyInfo></Signature>`;
  const issuerEnd = xml.indexOf('</saml:Issuer>', start) + '</saml:Issuer>'.length;
  return xml.slice(0, issuerEnd) + signature + xml.slice(issuerEnd);
}
