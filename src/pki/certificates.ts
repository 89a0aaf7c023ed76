// Building and reading X.509 certificates. Keys come from node:crypto (native RSA); node-forge only
// assembles the certificate structure, and the TBS is signed with node:crypto too.
import crypto, { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { installNativeDigests } from './native-digests.js';
import { x509Of } from './parsed.js';

installNativeDigests();

export interface KeyPair {
  privateKeyPem: string;
  certificatePem: string;
}

export interface SubjectField {
  /** forge short name (CN, O, OU, C, L, ST, serialNumber, title, street, postalCode) or an OID. */
  name: string;
  value: string;
}

export interface CertificateTemplate {
  subject: SubjectField[];
  /** Defaults to self-signed. */
  issuer?: KeyPair;
  validDays?: number;
  notBefore?: Date;
  isCa?: boolean;
  keyUsage?: { digitalSignature?: boolean; nonRepudiation?: boolean; keyEncipherment?: boolean; keyCertSign?: boolean; cRLSign?: boolean };
  extKeyUsage?: { serverAuth?: boolean; clientAuth?: boolean; timeStamping?: boolean; emailProtection?: boolean };
  subjectAltNames?: Array<{ dns?: string; ip?: string }>;
  /** Reuse an existing key (compatible certificate = same subject, but here a new key is the point). */
  privateKeyPem?: string;
}

export function generateRsaKeyPem(bits = 2048): string {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: 0x10001 });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

const OIDS: Record<string, string> = {
  title: '2.5.4.12',
  street: '2.5.4.9',
  postalCode: '2.5.4.17',
  telephoneNumber: '2.5.4.20',
  organizationIdentifier: '2.5.4.97',
};

function toForgeAttrs(fields: SubjectField[]): forge.pki.CertificateField[] {
  return fields.map((f) => {
    if (OIDS[f.name]) return { type: OIDS[f.name], value: f.value, valueTagClass: forge.asn1.Type.UTF8 } as unknown as forge.pki.CertificateField;
    if (/^\d+(\.\d+)+$/.test(f.name)) return { type: f.name, value: f.value, valueTagClass: forge.asn1.Type.UTF8 } as unknown as forge.pki.CertificateField;
    // UTF8String so Romanian and Russian names survive (ș, ț, кириллица).
    return { shortName: f.name, value: f.value, valueTagClass: f.name === 'C' || f.name === 'serialNumber' ? forge.asn1.Type.PRINTABLESTRING : forge.asn1.Type.UTF8 } as unknown as forge.pki.CertificateField;
  });
}

function randomSerialHex(): string {
  const b = crypto.randomBytes(16);
  b[0] &= 0x7f; // positive INTEGER
  if (b[0] === 0) b[0] = 0x01;
  return b.toString('hex');
}

export function createCertificate(t: CertificateTemplate): KeyPair {
  const privateKeyPem = t.privateKeyPem ?? generateRsaKeyPem();
  const publicKeyPem = crypto.createPublicKey(privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
  cert.serialNumber = randomSerialHex();
  const notBefore = t.notBefore ?? new Date(Date.now() - 24 * 3600 * 1000);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = new Date(notBefore.getTime() + (t.validDays ?? 3650) * 24 * 3600 * 1000);
  const subject = toForgeAttrs(t.subject);
  cert.setSubject(subject);
  const issuerCert = t.issuer ? forge.pki.certificateFromPem(t.issuer.certificatePem) : undefined;
  cert.setIssuer(issuerCert ? issuerCert.subject.attributes : subject);

  const exts: object[] = [{ name: 'basicConstraints', cA: !!t.isCa, critical: true }];
  const ku = t.keyUsage ?? (t.isCa ? { keyCertSign: true, cRLSign: true } : { digitalSignature: true, nonRepudiation: true, keyEncipherment: true });
  exts.push({ name: 'keyUsage', critical: true, ...ku });
  if (t.extKeyUsage) exts.push({ name: 'extKeyUsage', critical: !!t.extKeyUsage.timeStamping, ...t.extKeyUsage });
  if (t.subjectAltNames?.length) {
    exts.push({ name: 'subjectAltName', altNames: t.subjectAltNames.map((a) => (a.dns ? { type: 2, value: a.dns } : { type: 7, ip: a.ip })) });
  }
  exts.push({ name: 'subjectKeyIdentifier' });
  if (issuerCert) {
    exts.push({ name: 'authorityKeyIdentifier', keyIdentifier: issuerCert.generateSubjectKeyIdentifier().getBytes() });
  }
  cert.setExtensions(exts);

  // Sign the TBSCertificate with node:crypto (native RSA) instead of forge's pure-JS RSA.
  cert.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption;
  cert.signatureOid = forge.pki.oids.sha256WithRSAEncryption;
  const tbsDer = forge.asn1.toDer((forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(cert)).getBytes();
  const signerKey = t.issuer ? t.issuer.privateKeyPem : privateKeyPem;
  cert.signature = crypto.sign('sha256', Buffer.from(tbsDer, 'binary'), signerKey).toString('binary');
  return { privateKeyPem, certificatePem: forge.pki.certificateToPem(cert) };
}

/** PKCS#12 (.pfx) with the key, the leaf and its chain; 3DES so Windows/.NET and OpenSSL 3 both read it. */
export function toPfx(pair: KeyPair, chain: string[], password: string, friendlyName?: string): Buffer {
  const key = forge.pki.privateKeyFromPem(pair.privateKeyPem);
  const certs = [pair.certificatePem, ...chain].map((p) => forge.pki.certificateFromPem(p));
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, certs, password, { algorithm: '3des', friendlyName, count: 2048 });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

export function pemToDer(pem: string): Buffer {
  return x509Of(pem).raw;
}

export function derToPem(der: Buffer): string {
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

/** Base64 of the DER certificate, as it travels in XML-DSig X509Certificate and in MSign SOAP. */
export function certBase64(pem: string): string {
  return pemToDer(pem).toString('base64');
}

/**
 * Serial numbers are compared canonically: upper-case hex without separators or leading zeros
 * (.NET prints `1C1A0D18…`, OpenSSL `1c:1a:0d…`, some tools keep a leading 00).
 * Only for matching: never show this form (it drops the leading zero of `0A4C…`).
 */
export function canonicalSerial(serial: string): string {
  const hex = serial.replace(/[^0-9a-f]/gi, '').toUpperCase().replace(/^0+(?=.)/, '');
  return hex;
}

/**
 * A serial as `openssl x509 -serial` and the real service print it: upper-case hex of whole octets, leading
 * zero octets kept (`0A4C…`, not `A4C…`). node:crypto's X509Certificate.serialNumber already has this form.
 */
export function printSerial(serial: string): string {
  const hex = serial.replace(/[^0-9a-f]/gi, '').toUpperCase();
  return hex.length % 2 ? `0${hex}` : hex;
}

/** Is `at` inside the certificate's validity period? Otherwise a sentence naming both dates. */
export function validityProblem(x: X509Certificate, at: Date): string | undefined {
  const from = new Date(x.validFrom);
  const to = new Date(x.validTo);
  if (at < from) return `is not valid yet: valid from ${from.toISOString()} to ${to.toISOString()} (now ${at.toISOString()})`;
  if (at > to) return `has expired: valid from ${from.toISOString()} to ${to.toISOString()} (now ${at.toISOString()})`;
  return undefined;
}

export function describeCertificate(pem: string) {
  const x = new X509Certificate(pem);
  return {
    subject: x.subject.replace(/\n/g, ', '),
    issuer: x.issuer.replace(/\n/g, ', '),
    serialNumber: printSerial(x.serialNumber),
    validFrom: new Date(x.validFrom).toISOString(),
    validTo: new Date(x.validTo).toISOString(),
    fingerprintSha256: x.fingerprint256,
    keyType: x.publicKey.asymmetricKeyType ?? 'unknown',
    keyBits: x.publicKey.asymmetricKeyDetails?.modulusLength,
  };
}
