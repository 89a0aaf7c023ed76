// Parsed keys and certificates, cached by PEM (or DER). Handing node:crypto a PEM string makes OpenSSL 3
// decode it again on every call: the CPU profiles of the SSO and MSign hot paths showed this decoding (the
// private key on sign, the certificate on verify, X509Certificate objects built per request) costing more
// than the RSA operations themselves. The inputs are few (sandbox keys, registered and persona
// certificates), so small maps are enough; each is cleared when it grows past a bound, so re-registrations
// cannot make it grow forever.
import crypto from 'node:crypto';

const MAX_CACHED = 256;

export function cached<T>(map: Map<string, T>, key: string, make: (key: string) => T): T {
  let v = map.get(key);
  if (v === undefined && !map.has(key)) {
    if (map.size >= MAX_CACHED) map.clear();
    v = make(key);
    map.set(key, v);
  }
  return v as T;
}

const privateKeys = new Map<string, crypto.KeyObject>();
const publicKeys = new Map<string, crypto.KeyObject>();
const certificates = new Map<string, crypto.X509Certificate>();

export const privateKeyOf = (pem: string): crypto.KeyObject => cached(privateKeys, pem, (p) => crypto.createPrivateKey(p));

/** The public key of a certificate (or of a bare public key PEM). */
export const publicKeyOf = (pem: string): crypto.KeyObject => cached(publicKeys, pem, (p) => crypto.createPublicKey(p));

/** A certificate from its PEM or DER bytes. */
export function x509Of(cert: string | Buffer): crypto.X509Certificate {
  if (typeof cert === 'string') return cached(certificates, cert, (p) => new crypto.X509Certificate(p));
  return cached(certificates, `der:${cert.toString('base64')}`, () => new crypto.X509Certificate(cert));
}
