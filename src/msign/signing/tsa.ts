// RFC 3161 time-stamp tokens from the sandbox TSA: CMS SignedData over a TSTInfo, built with the
// node-forge ASN.1 toolkit and signed with node:crypto; and their verification.
import crypto from 'node:crypto';
import forge from 'node-forge';
import type { KeyPair } from '../../pki/certificates.js';
import { cached, privateKeyOf, x509Of } from '../../pki/parsed.js';

const forgeCerts = new Map<string, forge.pki.Certificate>();
const tsaForgeCert = (pem: string) => cached(forgeCerts, pem, (p) => forge.pki.certificateFromPem(p));

const { asn1 } = forge;
const T = asn1.Type;
const C = asn1.Class;

const OID = {
  signedData: '1.2.840.113549.1.7.2',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  policy: '1.3.6.1.4.1.99999.1.1',
};

const oid = (o: string) => asn1.create(C.UNIVERSAL, T.OID, false, asn1.oidToDer(o).getBytes());
const seq = (v: forge.asn1.Asn1[]) => asn1.create(C.UNIVERSAL, T.SEQUENCE, true, v);
const set = (v: forge.asn1.Asn1[]) => asn1.create(C.UNIVERSAL, T.SET, true, v);
const int = (hex: string) => asn1.create(C.UNIVERSAL, T.INTEGER, false, forge.util.hexToBytes(hex.length % 2 ? `0${hex}` : hex));
const octets = (b: Buffer) => asn1.create(C.UNIVERSAL, T.OCTETSTRING, false, b.toString('binary'));
const algId = (o: string) => seq([oid(o), asn1.create(C.UNIVERSAL, T.NULL, false, '')]);
const der = (a: forge.asn1.Asn1) => Buffer.from(asn1.toDer(a).getBytes(), 'binary');

function genTime(d: Date): forge.asn1.Asn1 {
  const s = d.toISOString().replace(/[-:T]/g, '').replace(/\.(\d{3})Z$/, '.$1Z');
  return asn1.create(C.UNIVERSAL, T.GENERALIZEDTIME, false, s);
}

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
  const signedAttrs = [
    seq([oid(OID.contentType), set([oid(OID.tstInfo)])]),
    seq([oid(OID.messageDigest), set([octets(crypto.createHash('sha256').update(tstDer).digest())])]),
  ];
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

/** Check a token against the data it should stamp; returns genTime when valid. */
export function verifyTimestampToken(token: Buffer, data: Buffer, trustedCa: crypto.X509Certificate): { ok: true; genTime: Date } | { ok: false; reason: string } {
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
    if (!tsaCert.verify(trustedCa.publicKey)) return { ok: false, reason: 'TSA certificate not issued by the sandbox CA' };
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
    return { ok: true, genTime: new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? ''}Z`) };
  } catch (e) {
    return { ok: false, reason: `unreadable time-stamp token (${(e as Error).message})` };
  }
}
