// Which registered MSign consumer is calling (MSIGN.md §2): the TLS client certificate — readable,
// inside its validity period, registered by serial and byte for byte — then the IP allow-list.
// Serials are printed as openssl and the real service print them (0A4C…) and matched canonically.
import type crypto from 'node:crypto';
import { printSerial, validityProblem } from '../pki/certificates.js';
import { x509Of } from '../pki/parsed.js';
import type { Registry } from '../registry/index.js';
import type { Service } from '../registry/service.js';
import { fault } from './soap/faults.js';

export const normaliseIp = (ip: string): string => {
  const v = ip.trim().toLowerCase();
  return v.startsWith('::ffff:') && v.includes('.') ? v.slice(7) : v;
};

const WHERE = 'TLS client certificate';

export function authenticateConsumer(registry: Registry, clientCertificate: Buffer | undefined, remoteAddress: string, now: Date): Service {
  if (!clientCertificate || clientCertificate.length === 0) {
    throw fault('AuthenticationFailed', WHERE, 'Invalid authentication certificate provided: no client certificate was presented in the TLS handshake.', 'Configure the HTTPS client with the system certificate (.pfx with key) registered for your service, e.g. new https.Agent({ pfx, passphrase }).');
  }
  let x: crypto.X509Certificate;
  try {
    x = x509Of(clientCertificate);
  } catch {
    throw fault('AuthenticationFailed', WHERE, 'Invalid authentication certificate provided: it cannot be read.', 'Present an X.509 certificate.');
  }
  const serial = printSerial(x.serialNumber);
  // The handshake accepts any certificate (server.ts), so the validity period is checked here, as the real
  // service's TLS stack would refuse an expired or not-yet-valid certificate.
  const validity = validityProblem(x, now);
  if (validity) {
    throw fault('AuthenticationFailed', WHERE, `Invalid authentication certificate provided: the certificate with serial ${serial} ${validity}.`, 'Present a certificate that is valid now: issue a new one (POST /api/certificates, or renew the STISC certificate), register its .cer and use its .pfx.', { found: `${new Date(x.validFrom).toISOString()} – ${new Date(x.validTo).toISOString()}`, expected: `valid at ${now.toISOString()}` });
  }
  const services = registry.byCertificateSerial(serial).filter((s) => s.msign);
  if (!services.length) {
    throw fault('AuthenticationFailed', WHERE, `Invalid authentication certificate provided, Unknown service consumer: ${serial}.`, 'Register this certificate (its .cer) for MSign on the sandbox (Services → Register, MSign section), or present the certificate you registered.', { found: serial });
  }
  const same = services.filter((s) => x509Of(s.certificate).raw.equals(x.raw));
  if (!same.length) {
    throw fault('AuthenticationFailed', WHERE, `Invalid authentication certificate provided: serial ${serial} is registered, but with a different certificate.`, 'Present exactly the certificate registered for your service.', { found: serial });
  }
  const ip = normaliseIp(remoteAddress);
  const allowed = same.find((s) => s.msign!.ipAddresses.some((a) => normaliseIp(a) === ip));
  if (!allowed) {
    throw fault('AuthenticationFailed', 'IP address', `Calls from ${ip} are not allowed for the service with certificate ${serial} (registered addresses: ${same[0]!.msign!.ipAddresses.join(', ')}).`, `Add ${ip} to the service's MSign IP addresses, or call from a registered address.`, { found: ip });
  }
  return allowed;
}
