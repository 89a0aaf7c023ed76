// RFC 3161 time-stamp tokens from the sandbox TSA: CMS SignedData over a TSTInfo, built with the
// node-forge ASN.1 toolkit and signed with node:crypto; and their verification.
import crypto from 'node:crypto';
import forge from 'node-forge';
import type { KeyPair } from '../../pki/certificates.js';
import { cached, privateKeyOf, x509Of } from '../../pki/parsed.js';
import type { MessageKey } from '../messages.js';
import { distrustTsa, type TrustAnchors } from './trust.js';
import { algId, asn1, der, generalizedTime, int, octets, OID, oid, seq, set, signingCertificateV2, sortedSet } from './cms.js';

const forgeCerts = new Map<string, forge.pki.Certificate>();
const tsaForgeCert = (pem: string) => cached(forgeCerts, pem, (p) => forge.pki.certificateFromPem(p));

const T = asn1.Type;
const C = asn1.Class;
const genTime = generalizedTime;

/** A time-stamp token (ContentInfo DER) whose messageImprint is SHA-256(data). */
export function createTimestampToken(data: Buffer, tsa: KeyPair, at: Date): Buffer {
  const cert = tsaForgeCert(tsa.certificatePem);
  const tstInfo = seq([
    int('01'),
    oid(OID.policy),
    seq([algId(OID.sha256), octets(crypto.createHash('sha256').update(data).digest())]),
    int(crypto.randomBytes(8).toString('hex').replace(/^[89a-f]/, '1')),
    genTime(at),
  ]);
  const tstDer = der(tstInfo);
  // RFC 3161 §2.4.1 / RFC 5816: the token names its TSA certificate with an ESS signing-certificate(-v2).
  const signedAttrs = sortedSet([
    seq([oid(OID.contentType), set([oid(OID.tstInfo)])]),
    seq([oid(OID.messageDigest), set([octets(crypto.createHash('sha256').update(tstDer).digest())])]),
    signingCertificateV2(x509Of(tsa.certificatePem).raw),
  ]);
  // The signature covers the DER of the attributes as a SET (RFC 5652 §5.4).
  const signature = crypto.sign('sha256', der(set(signedAttrs)), privateKeyOf(tsa.privateKeyPem));
  const issuerAndSerial = seq([forge.pki.distinguishedNameToAsn1(cert.issuer), int(cert.serialNumber)]);
  const signerInfo = seq([
    int('01'),
    issuerAndSerial,
    algId(OID.sha256),
    asn1.create(C.CONTEXT_SPECIFIC, 0, true, signedAttrs),
    algId(OID.rsaEncryption),
    asn1.create(C.UNIVERSAL, T.OCTETSTRING, false, signature.toString('binary')),
  ]);
  const signedData = seq([
    int('03'),
    set([algId(OID.sha256)]),
    seq([oid(OID.tstInfo), asn1.create(C.CONTEXT_SPECIFIC, 0, true, [asn1.create(C.UNIVERSAL, T.OCTETSTRING, false, tstDer.toString('binary'))])]),
    asn1.create(C.CONTEXT_SPECIFIC, 0, true, [forge.pki.certificateToAsn1(cert)]),
    set([signerInfo]),
  ]);
  return der(seq([oid(OID.signedData), asn1.create(C.CONTEXT_SPECIFIC, 0, true, [signedData])]));
}

export type TimestampVerdict = { ok: true; genTime: Date } | { ok: false; reason: string; key?: MessageKey };

/** Check a token against the data it should stamp and its TSA against the trust anchors; genTime when valid. */
export function verifyTimestampToken(token: Buffer, data: Buffer, anchors: TrustAnchors): TimestampVerdict {
  try {
    const ci = asn1.fromDer(token.toString('binary'));
    const sd = (ci.value as forge.asn1.Asn1[])[1]!.value[0] as forge.asn1.Asn1;
    const parts = sd.value as forge.asn1.Asn1[];
    const encap = parts[2]!.value as forge.asn1.Asn1[];
    if (asn1.derToOid((encap[0]!.value as string)) !== OID.tstInfo) return { ok: false, reason: 'not a TSTInfo' };
    const tstDer = Buffer.from(((encap[1]!.value as forge.asn1.Asn1[])[0]!.value as string), 'binary');
    const certs = parts.find((p) => p.tagClass === C.CONTEXT_SPECIFIC && p.type === 0);
    const signerInfos = parts[parts.length - 1]!.value as forge.asn1.Asn1[];
    if (!certs || signerInfos.length !== 1) return { ok: false, reason: 'no TSA certificate or signer' };
    const tsaCert = x509Of(der((certs.value as forge.asn1.Asn1[])[0]!));
    const si = signerInfos[0]!.value as forge.asn1.Asn1[];
    const attrsNode = si[3]!;
    const attrs = attrsNode.value as forge.asn1.Asn1[];
    const sig = Buffer.from(si[5]!.value as string, 'binary');
    if (!crypto.verify('sha256', der(set(attrs)), tsaCert.publicKey, sig)) return { ok: false, reason: 'TSA signature invalid' };
    const md = attrs.find((a) => asn1.derToOid((a.value as forge.asn1.Asn1[])[0]!.value as string) === OID.messageDigest);
    const mdValue = md ? Buffer.from(((md.value as forge.asn1.Asn1[])[1]!.value as forge.asn1.Asn1[])[0]!.value as string, 'binary') : undefined;
    if (!mdValue || !mdValue.equals(crypto.createHash('sha256').update(tstDer).digest())) return { ok: false, reason: 'TSTInfo digest mismatch' };
    const tst = asn1.fromDer(tstDer.toString('binary')).value as forge.asn1.Asn1[];
    const imprint = Buffer.from(((tst[2]!.value as forge.asn1.Asn1[])[1]!.value as string), 'binary');
    if (!imprint.equals(crypto.createHash('sha256').update(data).digest())) return { ok: false, reason: 'time-stamp does not cover this signature' };
    const gt = tst[4]!.value as string;
    const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d+)?Z$/.exec(gt);
    if (!m) return { ok: false, reason: 'bad genTime' };
    const genTime = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? ''}Z`);
    const distrust = distrustTsa(tsaCert, anchors, genTime);
    if (distrust) return { ok: false, reason: distrust.detail, key: distrust.key };
    return { ok: true, genTime };
  } catch (e) {
    return { ok: false, reason: `unreadable time-stamp token (${(e as Error).message})` };
  }
}
