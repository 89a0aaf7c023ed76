// CMS (RFC 5652) building blocks shared by the time-stamp tokens (tsa.ts) and the PAdES signatures
// (cades.ts): node-forge's ASN.1 toolkit for the structures; every hash and signature is node:crypto's.
import crypto from 'node:crypto';
import forge from 'node-forge';

export const { asn1 } = forge;
const T = asn1.Type;
const C = asn1.Class;

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  /** RFC 5035 id-aa-signingCertificateV2 */
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  /** RFC 3161 Appendix A id-aa-signatureTimeStampToken */
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  policy: '1.3.6.1.4.1.99999.1.1',
};

export type Asn1 = forge.asn1.Asn1;
export const oid = (o: string) => asn1.create(C.UNIVERSAL, T.OID, false, asn1.oidToDer(o).getBytes());
export const seq = (v: Asn1[]) => asn1.create(C.UNIVERSAL, T.SEQUENCE, true, v);
export const set = (v: Asn1[]) => asn1.create(C.UNIVERSAL, T.SET, true, v);
export const int = (hex: string) => asn1.create(C.UNIVERSAL, T.INTEGER, false, forge.util.hexToBytes(hex.length % 2 ? `0${hex}` : hex));
export const octets = (b: Buffer) => asn1.create(C.UNIVERSAL, T.OCTETSTRING, false, b.toString('binary'));
export const algId = (o: string) => seq([oid(o), asn1.create(C.UNIVERSAL, T.NULL, false, '')]);
export const explicit = (tag: number, v: Asn1[]) => asn1.create(C.CONTEXT_SPECIFIC, tag, true, v);
export const der = (a: Asn1) => Buffer.from(asn1.toDer(a).getBytes(), 'binary');
export const fromDer = (b: Buffer) => asn1.fromDer(forge.util.createBuffer(b.toString('binary')), { parseAllBytes: false } as never);
export const oidOf = (node: Asn1) => asn1.derToOid(node.value as string);
export const attribute = (type: string, values: Asn1[]) => seq([oid(type), set(values)]);

/** The values of an attribute in a SET OF Attribute, by type. */
export function attributeValues(attrs: Asn1[], type: string): Asn1[] | undefined {
  const a = attrs.find((x) => oidOf((x.value as Asn1[])[0]!) === type);
  return a ? ((a.value as Asn1[])[1]!.value as Asn1[]) : undefined;
}

export function generalizedTime(d: Date): Asn1 {
  const s = d.toISOString().replace(/[-:T]/g, '').replace(/\.(\d{3})Z$/, '.$1Z');
  return asn1.create(C.UNIVERSAL, T.GENERALIZEDTIME, false, s);
}

/** The issuer Name and serialNumber nodes of a certificate (TBSCertificate: [0] version, serial, sigAlg, issuer, …). */
export function issuerAndSerialOf(certDer: Buffer): { issuer: Asn1; serial: Asn1; node: Asn1 } {
  const node = fromDer(certDer);
  const tbs = (node.value as Asn1[])[0]!.value as Asn1[];
  return { issuer: tbs[3]!, serial: tbs[1]!, node };
}

/**
 * The ESS signing-certificate-v2 attribute (RFC 5035 §3) binding a signature to its certificate by SHA-256;
 * hashAlgorithm DEFAULT sha256 is omitted, as DER requires of a default value.
 */
export function signingCertificateV2(certDer: Buffer): Asn1 {
  const { issuer, serial } = issuerAndSerialOf(certDer);
  const essCertIdV2 = seq([octets(crypto.createHash('sha256').update(certDer).digest()), seq([seq([explicit(4, [issuer])]), serial])]);
  return attribute(OID.signingCertificateV2, [seq([seq([essCertIdV2])])]);
}

/** DER encoding of a SET OF sorts its elements by their encodings (X.690 §11.6). */
export const sortedSet = (items: Asn1[]): Asn1[] => items.map((a) => ({ a, d: der(a) })).sort((x, y) => Buffer.compare(x.d, y.d)).map((x) => x.a);
