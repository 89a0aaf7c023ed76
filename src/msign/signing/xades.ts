// XAdES-T over a bare SHA-1 hash (MSIGN.md §6): the e-Service never sends the document, so the data
// reference is detached — its DigestValue IS the supplied hash. SignedInfo and SignedProperties are
// canonicalised by xml-crypto's exclusive c14n; the SignatureTimeStamp comes from the sandbox TSA.
import crypto from 'node:crypto';
import { ExclusiveCanonicalization } from 'xml-crypto';
import { certBase64, type KeyPair } from '../../pki/certificates.js';
import { privateKeyOf, x509Of } from '../../pki/parsed.js';
import { childElements, escapeXml, parseXml } from '../../xml/parse.js';
import type { MessageKey } from '../messages.js';
import { createTimestampToken, verifyTimestampToken } from './tsa.js';
import { distrustSigner, type TrustAnchors } from './trust.js';

export const XADES_NS = 'http://uri.etsi.org/01903/v1.3.2#';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const EXC = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const SHA1 = 'http://www.w3.org/2000/09/xmldsig#sha1';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
const SP_TYPE = 'http://uri.etsi.org/01903#SignedProperties';

/** The URI of the detached data reference; tools resolve it only through a URL map (see tests). */
export const contentUri = (index: number) => `urn:msign:content:${index}`;

const c14n = (el: Element) => new ExclusiveCanonicalization().process(el, {});

function byId(doc: Document, id: string): Element | undefined {
  const all = doc.getElementsByTagNameNS('*', '*');
  const found: Element[] = [];
  for (let i = 0; i < all.length; i++) if (all[i]!.getAttribute('Id') === id) found.push(all[i]!);
  return found.length === 1 ? found[0] : undefined;
}

export interface XadesInput {
  hash: Buffer;
  index: number;
  signer: KeyPair;
  tsa: KeyPair;
  at: Date;
}

export function signHashXadesT(input: XadesInput): Buffer {
  const id = crypto.randomBytes(8).toString('hex');
  const cert = x509Of(input.signer.certificatePem);
  const certDigest = crypto.createHash('sha256').update(cert.raw).digest('base64');
  const issuer = cert.issuer.split('\n').reverse().join(', ');
  const serialDec = BigInt(`0x${cert.serialNumber}`).toString();
  const sp =
    `<xades:SignedProperties xmlns:ds="${DS}" xmlns:xades="${XADES_NS}" Id="SP-${id}"><xades:SignedSignatureProperties>` +
    `<xades:SigningTime>${input.at.toISOString().replace(/\.\d{3}Z$/, 'Z')}</xades:SigningTime>` +
    `<xades:SigningCertificate><xades:Cert><xades:CertDigest><ds:DigestMethod Algorithm="${SHA256}"/><ds:DigestValue>${certDigest}</ds:DigestValue></xades:CertDigest>` +
    `<xades:IssuerSerial><ds:X509IssuerName>${escapeXml(issuer)}</ds:X509IssuerName><ds:X509SerialNumber>${serialDec}</ds:X509SerialNumber></xades:IssuerSerial></xades:Cert></xades:SigningCertificate>` +
    `</xades:SignedSignatureProperties><xades:SignedDataObjectProperties><xades:DataObjectFormat ObjectReference="#R-${id}"><xades:MimeType>application/octet-stream</xades:MimeType></xades:DataObjectFormat></xades:SignedDataObjectProperties></xades:SignedProperties>`;
  const spDigest = crypto.createHash('sha256').update(c14n(parseXml(sp, 'SignedProperties').documentElement!)).digest('base64');
  const signedInfo =
    `<ds:SignedInfo xmlns:ds="${DS}"><ds:CanonicalizationMethod Algorithm="${EXC}"/><ds:SignatureMethod Algorithm="${RSA_SHA256}"/>` +
    `<ds:Reference Id="R-${id}" URI="${contentUri(input.index)}"><ds:DigestMethod Algorithm="${SHA1}"/><ds:DigestValue>${input.hash.toString('base64')}</ds:DigestValue></ds:Reference>` +
    `<ds:Reference Type="${SP_TYPE}" URI="#SP-${id}"><ds:Transforms><ds:Transform Algorithm="${EXC}"/></ds:Transforms><ds:DigestMethod Algorithm="${SHA256}"/><ds:DigestValue>${spDigest}</ds:DigestValue></ds:Reference>` +
    '</ds:SignedInfo>';
  const sigValue = crypto.sign('sha256', Buffer.from(c14n(parseXml(signedInfo, 'SignedInfo').documentElement!), 'utf8'), privateKeyOf(input.signer.privateKeyPem)).toString('base64');
  const svXml = `<ds:SignatureValue xmlns:ds="${DS}" Id="SV-${id}">${sigValue}</ds:SignatureValue>`;
  const token = createTimestampToken(Buffer.from(c14n(parseXml(svXml, 'SignatureValue').documentElement!), 'utf8'), input.tsa, input.at);
  const xml =
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<ds:Signature xmlns:ds="${DS}" Id="S-${id}">${signedInfo}${svXml}` +
    `<ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certBase64(input.signer.certificatePem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>` +
    `<ds:Object><xades:QualifyingProperties xmlns:xades="${XADES_NS}" Target="#S-${id}">${sp}` +
    `<xades:UnsignedProperties><xades:UnsignedSignatureProperties><xades:SignatureTimeStamp Id="TS-${id}"><ds:CanonicalizationMethod Algorithm="${EXC}"/>` +
    `<xades:EncapsulatedTimeStamp>${token.toString('base64')}</xades:EncapsulatedTimeStamp></xades:SignatureTimeStamp></xades:UnsignedSignatureProperties></xades:UnsignedProperties>` +
    '</xades:QualifyingProperties></ds:Object></ds:Signature>';
  return Buffer.from(xml, 'utf8');
}

export interface SignerVerdict {
  certificate?: Buffer;
  signatureValid: boolean;
  signedAt?: Date;
  /** English detail for the event log */
  problem?: string;
  /** The localized reason VerificationResult/Message gives, when more precise than "not valid". */
  reason?: MessageKey;
}

const one = (el: Element | undefined, ns: string, name: string): Element | undefined => (el ? childElements(el, ns, name)[0] : undefined);

/**
 * Verify a XAdES(-T) signature against the hash it must cover; the signer must hold a qualified signing
 * certificate valid at the time-stamp's genTime (or now, without a time-stamp), the time-stamp must come
 * from the sandbox TSA (trust.ts).
 */
export function verifyXades(signature: Buffer, hash: Buffer | null | undefined, anchors: TrustAnchors, now: Date): SignerVerdict {
  let certificate: Buffer | undefined;
  try {
    const doc = parseXml(signature.toString('utf8'), 'Signature');
    const sig = doc.documentElement!;
    if (sig.namespaceURI !== DS || sig.localName !== 'Signature') return { signatureValid: false, problem: 'not an XML signature' };
    const certText = one(one(one(sig, DS, 'KeyInfo'), DS, 'X509Data'), DS, 'X509Certificate')?.textContent;
    if (!certText) return { signatureValid: false, problem: 'no signer certificate' };
    certificate = Buffer.from(certText.replace(/\s+/g, ''), 'base64');
    const cert = new crypto.X509Certificate(certificate);
    const fail = (problem: string, reason?: MessageKey): SignerVerdict => ({ certificate, signatureValid: false, problem, reason });
    const si = one(sig, DS, 'SignedInfo');
    const sv = one(sig, DS, 'SignatureValue');
    if (!si || !sv) return fail('SignedInfo or SignatureValue missing');
    if (one(si, DS, 'CanonicalizationMethod')?.getAttribute('Algorithm') !== EXC) return fail('unsupported canonicalization');
    if (one(si, DS, 'SignatureMethod')?.getAttribute('Algorithm') !== RSA_SHA256) return fail('unsupported signature method');
    const sigBytes = Buffer.from((sv.textContent ?? '').replace(/\s+/g, ''), 'base64');
    if (!crypto.verify('sha256', Buffer.from(c14n(si), 'utf8'), cert.publicKey, sigBytes)) return fail('signature value does not match SignedInfo');
    const refs = childElements(si, DS, 'Reference');
    const dataRefs = refs.filter((r) => !(r.getAttribute('URI') ?? '').startsWith('#'));
    const spRefs = refs.filter((r) => r.getAttribute('Type') === SP_TYPE);
    if (refs.length !== 2 || dataRefs.length !== 1 || spRefs.length !== 1) return fail('expected one data reference and one SignedProperties reference');
    const d = dataRefs[0]!;
    if (one(d, DS, 'DigestMethod')?.getAttribute('Algorithm') !== SHA1) return fail('data reference is not SHA-1');
    const signedHash = Buffer.from((one(d, DS, 'DigestValue')?.textContent ?? '').replace(/\s+/g, ''), 'base64');
    if (!hash || !signedHash.equals(hash)) return fail('the signature does not cover the supplied hash');
    const spRef = spRefs[0]!;
    const spEl = byId(doc, (spRef.getAttribute('URI') ?? '').slice(1));
    if (!spEl || spEl.localName !== 'SignedProperties' || spEl.namespaceURI !== XADES_NS) return fail('SignedProperties not found (or its Id is not unique)');
    const spAlg = one(spRef, DS, 'DigestMethod')?.getAttribute('Algorithm');
    if (spAlg !== SHA256) return fail('SignedProperties digest is not SHA-256');
    const spDigest = crypto.createHash('sha256').update(c14n(spEl)).digest('base64');
    if (spDigest !== (one(spRef, DS, 'DigestValue')?.textContent ?? '').trim()) return fail('SignedProperties were modified');
    const certDigest = spEl.getElementsByTagNameNS(XADES_NS, 'CertDigest')[0];
    const cdValue = certDigest ? one(certDigest, DS, 'DigestValue')?.textContent?.trim() : undefined;
    if (cdValue !== crypto.createHash('sha256').update(cert.raw).digest('base64')) return fail('SigningCertificate does not match the signer certificate');
    const untrusted = distrustSigner(cert, anchors);
    if (untrusted) return fail(untrusted.detail, untrusted.key);
    let signedAt: Date | undefined;
    const ts = sig.getElementsByTagNameNS(XADES_NS, 'EncapsulatedTimeStamp')[0];
    if (ts) {
      const v = verifyTimestampToken(Buffer.from((ts.textContent ?? '').replace(/\s+/g, ''), 'base64'), Buffer.from(c14n(sv), 'utf8'), anchors);
      if (!v.ok) return fail(`signature time-stamp: ${v.reason}`, v.key ?? 'untrustedTimestamp');
      signedAt = v.genTime;
    }
    const distrust = distrustSigner(cert, anchors, signedAt ?? now);
    if (distrust) return fail(distrust.detail, distrust.key);
    return { certificate, signatureValid: true, signedAt };
  } catch (e) {
    return { certificate, signatureValid: false, problem: `unreadable signature (${(e as Error).message})` };
  }
}
