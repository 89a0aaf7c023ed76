// The sandbox PKI, created in CERTS_DIR on first start and reused afterwards:
// - idp: the MPass IdP signing key (self-signed, like the real MPass certificate, MPASS.md §11)
// - idp-compatible: same subject, another key — the "Use compatible certificate for signing" fault (TC_SEC_02)
// - ca: the mock-STISC root CA; it issues service (client) certificates — whose private keys
//   /api/certificates hands out — and the MSign TLS server certificate. Nothing it issues signs documents.
// - signing-ca: the qualified signing CA; it issues only the personas' signing certificates
//   (keyUsage nonRepudiation + digitalSignature). VerifySignatures trusts no other issuer.
// - tsa-ca + tsa: the time-stamping root and its one TSA certificate (extendedKeyUsage timeStamping only,
//   critical, RFC 3161 §2.3). VerifySignatures trusts no other time-stamp.
// Three separate roots, as the real hierarchy is separated: a key that anyone can obtain from the sandbox
// (a service certificate) can never make a signature or a time-stamp that VerifySignatures accepts.
// A CERTS_DIR from before the split holds only ca/idp/idp-compatible/msign-*: the new roots are generated
// beside them (new file names, so the old files are left as they are).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createCertificate, printSerial, toPfx, type CertificateTemplate, type KeyPair } from './certificates.js';

export interface IssuedServiceCertificate {
  commonName: string;
  serialNumber: string;
  certificatePem: string;
  privateKeyPem: string;
  /** base64 DER, the `.cer` file */
  cer: string;
  /** base64 PKCS#12 with key, certificate and the sandbox CA */
  pfx: string;
  pfxPassword: string;
  caCertificatePem: string;
}

export class Pki {
  private constructor(
    readonly dir: string,
    readonly idp: KeyPair,
    readonly idpCompatible: KeyPair,
    readonly ca: KeyPair,
    readonly signingCa: KeyPair,
    readonly tsaCa: KeyPair,
    readonly tsa: KeyPair,
    readonly generated: string[],
  ) {}

  static load(dir: string, idpHost: string): Pki {
    fs.mkdirSync(dir, { recursive: true });
    const generated: string[] = [];
    const pair = (name: string, t: () => CertificateTemplate) => loadOrCreate(dir, name, t, generated);
    const idpSubject = [
      { name: 'CN', value: idpHost },
      { name: 'O', value: 'MPass Sandbox' },
      { name: 'C', value: 'MD' },
    ];
    const ca = pair('ca', () => ({
      subject: [
        { name: 'CN', value: 'MPass-MSign Sandbox Root CA (STISC stand-in)' },
        { name: 'O', value: 'MPass-MSign Sandbox' },
        { name: 'C', value: 'MD' },
      ],
      isCa: true,
      validDays: 7300,
    }));
    const signingCa = pair('signing-ca', () => ({
      subject: [
        { name: 'CN', value: 'MSign Sandbox Qualified Signing CA' },
        { name: 'O', value: 'MPass-MSign Sandbox' },
        { name: 'C', value: 'MD' },
      ],
      isCa: true,
      validDays: 7300,
    }));
    const tsaCa = pair('tsa-ca', () => ({
      subject: [
        { name: 'CN', value: 'MSign Sandbox Time-Stamping Root CA' },
        { name: 'O', value: 'MPass-MSign Sandbox' },
        { name: 'C', value: 'MD' },
      ],
      isCa: true,
      validDays: 7300,
    }));
    const tsa = pair('tsa', () => ({
      subject: [
        { name: 'CN', value: 'MSign Sandbox TSA' },
        { name: 'O', value: 'MPass-MSign Sandbox' },
        { name: 'C', value: 'MD' },
      ],
      issuer: tsaCa,
      validDays: 7000,
      keyUsage: { digitalSignature: true, nonRepudiation: true },
      // RFC 3161 §2.3: exactly one extended key usage, id-kp-timeStamping, marked critical.
      extKeyUsage: { timeStamping: true },
    }));
    const idp = pair('idp', () => ({ subject: idpSubject, validDays: 7300, keyUsage: { digitalSignature: true } }));
    const idpCompatible = pair('idp-compatible', () => ({ subject: idpSubject, validDays: 7300, keyUsage: { digitalSignature: true } }));
    return new Pki(dir, idp, idpCompatible, ca, signingCa, tsaCa, tsa, generated);
  }

  /** Another named key pair in CERTS_DIR (MSign TLS server, TSA, persona signing certificates). */
  keyPair(name: string, template: () => CertificateTemplate): KeyPair {
    return loadOrCreate(this.dir, name, template, this.generated);
  }

  /** Mock STISC: a service (system) certificate for mutual TLS and SAML signing, issued by the sandbox CA. */
  issueServiceCertificate(commonName: string): IssuedServiceCertificate {
    const pair = createCertificate({
      subject: [
        { name: 'CN', value: commonName },
        { name: 'O', value: 'MPass-MSign Sandbox test system' },
        { name: 'C', value: 'MD' },
      ],
      issuer: this.ca,
      validDays: 730,
      keyUsage: { digitalSignature: true, keyEncipherment: true },
      extKeyUsage: { serverAuth: true, clientAuth: true },
      subjectAltNames: /^[a-z0-9.-]+$/i.test(commonName) ? [{ dns: commonName }] : undefined,
    });
    const pfxPassword = crypto.randomBytes(12).toString('base64url');
    const x = new crypto.X509Certificate(pair.certificatePem);
    return {
      commonName,
      serialNumber: printSerial(x.serialNumber),
      certificatePem: pair.certificatePem,
      privateKeyPem: pair.privateKeyPem,
      cer: x.raw.toString('base64'),
      pfx: toPfx(pair, [this.ca.certificatePem], pfxPassword, commonName).toString('base64'),
      pfxPassword,
      caCertificatePem: this.ca.certificatePem,
    };
  }
}

function loadOrCreate(dir: string, name: string, template: () => CertificateTemplate, generated: string[]): KeyPair {
  const keyFile = path.join(dir, `${name}.key.pem`);
  const certFile = path.join(dir, `${name}.cer.pem`);
  if (fs.existsSync(keyFile) && fs.existsSync(certFile)) {
    return { privateKeyPem: fs.readFileSync(keyFile, 'utf8'), certificatePem: fs.readFileSync(certFile, 'utf8') };
  }
  const pair = createCertificate(template());
  // Key first, certificate last: a half-written pair is regenerated on the next start.
  writeAtomic(keyFile, pair.privateKeyPem, 0o600);
  writeAtomic(certFile, pair.certificatePem, 0o644);
  generated.push(name);
  return pair;
}

function writeAtomic(file: string, content: string, mode: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content, { mode });
  fs.renameSync(tmp, file);
}
