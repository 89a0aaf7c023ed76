// Reading the `.cer` an integrator sends: PEM, base64 of the DER, or the raw DER file. Anything that
// holds a private key (.pfx/.p12, .key, PEM "PRIVATE KEY") is refused with the integration form's warning.
import crypto, { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { derToPem } from './certificates.js';

export const PRIVATE_KEY_WARNING =
  'Send only the public certificate (.cer); never send the private key. This looks like a private key or a .pfx/.p12 container: export the certificate alone (e.g. `openssl pkcs12 -in service.pfx -clcerts -nokeys -out service.cer`) and rotate the key if it was shared.';

const PEM_BEGIN = '-----BEGIN CERTIFICATE-----';
const PEM_END = '-----END CERTIFICATE-----';

export type CertificateInputResult =
  | { ok: true; pem: string; x509: X509Certificate }
  | { ok: false; privateKey: boolean; message: string; fix: string };

export function readCertificateInput(input: string | Buffer): CertificateInputResult {
  const text = Buffer.isBuffer(input) ? input.toString('latin1') : input;
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    return { ok: false, privateKey: true, message: 'A private key was sent where the certificate belongs.', fix: PRIVATE_KEY_WARNING };
  }
  let der: Buffer | undefined;
  // indexOf, not a lazy regex: /BEGIN([\s\S]*?)END/ rescans the rest of the input from every BEGIN, which is
  // quadratic on a body of repeated BEGIN lines (1 MB of them held the event loop for about half a minute).
  const begin = text.indexOf(PEM_BEGIN);
  const end = begin < 0 ? -1 : text.indexOf(PEM_END, begin + PEM_BEGIN.length);
  if (end >= 0) der = Buffer.from(text.slice(begin + PEM_BEGIN.length, end).replace(/\s+/g, ''), 'base64');
  else if (Buffer.isBuffer(input) && input.length > 0 && input[0] === 0x30) der = input;
  else if (/^[A-Za-z0-9+/=\s]+$/.test(text) && text.trim().length > 0) der = Buffer.from(text.replace(/\s+/g, ''), 'base64');

  if (!der || der.length === 0) {
    return {
      ok: false,
      privateKey: false,
      message: 'The value is neither a PEM certificate nor base64 of a DER .cer file.',
      fix: 'Send the service certificate as PEM (-----BEGIN CERTIFICATE-----…) or as base64 of the DER .cer file.',
    };
  }
  if (looksLikePrivateKeyDer(der)) {
    return { ok: false, privateKey: true, message: 'A private key or a PKCS#12 (.pfx/.p12) file was sent where the certificate belongs.', fix: PRIVATE_KEY_WARNING };
  }
  try {
    const x509 = new X509Certificate(der);
    return { ok: true, pem: derToPem(x509.raw), x509 };
  } catch {
    return {
      ok: false,
      privateKey: false,
      message: 'The bytes do not decode as an X.509 certificate.',
      fix: 'Export the public certificate (.cer, DER or PEM) of the service and send that file.',
    };
  }
}

function looksLikePrivateKeyDer(der: Buffer): boolean {
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      crypto.createPrivateKey({ key: der, format: 'der', type });
      return true;
    } catch (e) {
      // An encrypted PKCS#8 key (EncryptedPrivateKeyInfo) is recognised as one, it only lacks the passphrase.
      if ((e as NodeJS.ErrnoException).code === 'ERR_MISSING_PASSPHRASE') return true;
    }
  }
  try {
    // PKCS#12: SEQUENCE { INTEGER 3, ContentInfo { OID pkcs7-data | pkcs7-signedData, … }, … }
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')), false);
    const parts = asn1.value as forge.asn1.Asn1[];
    if (Array.isArray(parts) && parts.length >= 2) {
      const version = parts[0]!;
      const ci = parts[1]!;
      if (version.type === forge.asn1.Type.INTEGER && forge.util.createBuffer(version.value as string).getInt(8) === 3 && Array.isArray(ci.value)) {
        const oid = forge.asn1.derToOid((ci.value as forge.asn1.Asn1[])[0]!.value as string);
        if (oid.startsWith('1.2.840.113549.1.7.')) return true;
      }
    }
  } catch {
    /* not ASN.1 we understand */
  }
  return false;
}
