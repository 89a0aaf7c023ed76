// The main port's TLS server certificate (issue 13): issued by the sandbox CA — the one CA published at
// /meta/ca.pem, which also issues MSign's TLS certificate — for the PUBLIC_URL host, localhost and 127.0.0.1.
// Kept in CERTS_DIR and reused; reissued when PUBLIC_URL names another host, when it no longer chains to the
// current CA (CERTS_DIR's CA was replaced) or when it is about to expire.
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createCertificate, type KeyPair } from './certificates.js';

const NAME = 'tls-server';
/** Browsers refuse leaf certificates valid longer than 398 days. */
const VALID_DAYS = 397;

export function tlsServerCertificate(certsDir: string, ca: KeyPair, publicHost: string): KeyPair & { reissued: boolean } {
  const host = publicHost.replace(/^\[|\]$/g, '');
  const keyFile = path.join(certsDir, `${NAME}.key.pem`);
  const certFile = path.join(certsDir, `${NAME}.cer.pem`);
  if (fs.existsSync(keyFile) && fs.existsSync(certFile)) {
    const pair = { privateKeyPem: fs.readFileSync(keyFile, 'utf8'), certificatePem: fs.readFileSync(certFile, 'utf8') };
    if (stillFits(pair.certificatePem, ca, host)) return { ...pair, reissued: false };
  }
  const names = [...new Set(['localhost', host])].filter((h) => net.isIP(h) === 0);
  const ips = [...new Set(['127.0.0.1', '::1', host])].filter((h) => net.isIP(h) !== 0);
  const pair = createCertificate({
    subject: [
      { name: 'CN', value: host },
      { name: 'O', value: 'MPass-MSign Sandbox' },
      { name: 'C', value: 'MD' },
    ],
    issuer: ca,
    validDays: VALID_DAYS,
    keyUsage: { digitalSignature: true, keyEncipherment: true },
    extKeyUsage: { serverAuth: true },
    subjectAltNames: [...names.map((dns) => ({ dns })), ...ips.map((ip) => ({ ip }))],
  });
  fs.mkdirSync(certsDir, { recursive: true });
  // Key first, certificate last: a half-written pair fails stillFits and is reissued on the next start.
  write(keyFile, pair.privateKeyPem, 0o600);
  write(certFile, pair.certificatePem, 0o644);
  return { ...pair, reissued: true };
}

function stillFits(certificatePem: string, ca: KeyPair, host: string): boolean {
  try {
    const x = new crypto.X509Certificate(certificatePem);
    const named = net.isIP(host) ? x.checkIP(host) !== undefined : x.checkHost(host) !== undefined;
    const issued = x.verify(new crypto.X509Certificate(ca.certificatePem).publicKey);
    return named && issued && x.checkHost('localhost') !== undefined && Date.parse(x.validTo) - Date.now() > 7 * 86400_000;
  } catch {
    return false;
  }
}

function write(file: string, content: string, mode: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content, { mode });
  fs.renameSync(tmp, file);
}
