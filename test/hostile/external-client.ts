// An attacker outside the sandbox's process: a child node process builds and sends one large SOAP body, so the
// /health probe measures the sandbox's event loop, not the test's own work of building and encrypting 50 MB.
import { execFile } from 'node:child_process';
import type { Tls } from '../msign/helpers.js';

export interface BodySpec {
  prefix: string;
  /** `repeat` written `count` times between prefix and suffix */
  repeat: string;
  count: number;
  suffix: string;
}

const SCRIPT = `
import https from 'node:https';
const o = JSON.parse(process.env.SPEC);
const body = o.prefix + o.repeat.repeat(o.count) + o.suffix;
const u = new URL(o.url);
const req = https.request({ host: '127.0.0.1', port: u.port, path: u.pathname, method: 'POST', agent: false, ca: o.ca, servername: 'localhost', key: o.key, cert: o.cert,
  headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: o.action, 'Content-Length': Buffer.byteLength(body) } }, (res) => {
  const parts = [];
  res.on('data', (c) => parts.push(c));
  res.on('end', () => { process.stdout.write(JSON.stringify({ status: res.statusCode, body: Buffer.concat(parts).toString('utf8') })); process.exit(0); });
});
req.on('error', (e) => { process.stdout.write(JSON.stringify({ status: 0, body: String(e) })); process.exit(0); });
req.end(body);
`;

export function soapFromChild(url: string, ca: string, tls: Tls | null, action: string, spec: BodySpec): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', SCRIPT], { env: { ...process.env, SPEC: JSON.stringify({ ...spec, url, ca, key: tls?.key, cert: tls?.cert, action }) }, maxBuffer: 16 * 1024 * 1024 }, (err, stdout) => {
      if (err) reject(err);
      else resolve(JSON.parse(stdout) as { status: number; body: string });
    });
  });
}
