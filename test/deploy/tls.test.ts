// Issue 13 §1 without a browser: the main port's certificate (issued, reused, reissued when the host changes, or
// the team's own files), the http port that only redirects, and the configuration refusals.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { plainHttpWarning } from '../../src/http/serve.js';
import { tlsServerCertificate } from '../../src/pki/tls-server.js';
import { createCertificate } from '../../src/pki/certificates.js';
import { tempDir } from '../helpers.js';
import { freePort, startServedSandbox } from '../sp-server.js';

const closers: Array<() => Promise<void>> = [];
// One CERTS_DIR for the file: the keys are generated once (the main-port certificate is reissued per host).
const certsDir = tempDir('tls-sbx-certs');
afterAll(async () => {
  for (const c of closers) await c();
});

function get(url: string, ca?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string; peer?: crypto.X509Certificate }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const mod = u.protocol === 'https:' ? https : http;
    // Connect to 127.0.0.1 whatever the host name says, and verify the certificate against that name.
    const req = mod.get({ host: '127.0.0.1', port: u.port, path: u.pathname, servername: u.hostname, headers: { host: u.host }, ca, checkServerIdentity: (_h: string, c: tls.PeerCertificate) => tls.checkServerIdentity(u.hostname, c) } as https.RequestOptions, (res) => {
      const sock = res.socket as tls.TLSSocket;
      const peer = typeof sock.getPeerX509Certificate === 'function' ? sock.getPeerX509Certificate() : undefined;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), peer });
      });
    });
    req.on('error', reject);
  });
}



describe('the main port over TLS', () => {
  it('an https PUBLIC_URL is served with a certificate from the sandbox CA, verified by a client trusting only /meta/ca.pem', async () => {
    const { sb, main, url } = await startServedSandbox('https', 'mpass-sandbox', {}, { certsDir });
    closers.push(main.close);
    const ca = sb.pki.ca.certificatePem;
    const health = await get(`${url}/health`, ca);
    expect(health.status).toBe(200);
    expect(health.peer!.checkHost('mpass-sandbox')).toBe('mpass-sandbox');
    expect(health.peer!.checkHost('localhost')).toBe('localhost');
    expect(health.peer!.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect((await get(`https://localhost:${main.port}/meta/ca.pem`, ca)).body).toBe(ca);
    // A client that does not trust the sandbox CA refuses the connection: the certificate is not self-trusted.
    await expect(get(`${url}/health`)).rejects.toThrow(/self[- ]signed|unable to (get|verify)/i);
  });

  it('the certificate is reused across starts and reissued when PUBLIC_URL names another host', () => {
    const dir = tempDir('tls-certs');
    const ca = createCertificate({ subject: [{ name: 'CN', value: 'test CA' }], isCa: true });
    const first = tlsServerCertificate(dir, ca, 'sandbox.test');
    expect(first.reissued).toBe(true);
    const again = tlsServerCertificate(dir, ca, 'sandbox.test');
    expect(again).toMatchObject({ reissued: false, certificatePem: first.certificatePem });
    const moved = tlsServerCertificate(dir, ca, 'mpass-sandbox');
    expect(moved.reissued).toBe(true);
    expect(new crypto.X509Certificate(moved.certificatePem).checkHost('mpass-sandbox')).toBe('mpass-sandbox');
    expect(fs.readFileSync(path.join(dir, 'tls-server.cer.pem'), 'utf8')).toBe(moved.certificatePem);
    // a new CA in CERTS_DIR: the old certificate no longer chains to /meta/ca.pem, so it is reissued
    const otherCa = createCertificate({ subject: [{ name: 'CN', value: 'another CA' }], isCa: true });
    const rechained = tlsServerCertificate(dir, otherCa, 'mpass-sandbox');
    expect(rechained.reissued).toBe(true);
    expect(new crypto.X509Certificate(rechained.certificatePem).verify(new crypto.X509Certificate(otherCa.certificatePem).publicKey)).toBe(true);
    // an IP address as the PUBLIC_URL host goes into the IP SANs
    expect(new crypto.X509Certificate(tlsServerCertificate(dir, ca, '10.1.2.3').certificatePem).checkIP('10.1.2.3')).toBe('10.1.2.3');
  });

  it('TLS_CERT_FILE / TLS_KEY_FILE: the team\'s own certificate is served', async () => {
    const dir = tempDir('team-tls');
    const own = createCertificate({ subject: [{ name: 'CN', value: 'sandbox.team.example' }], subjectAltNames: [{ dns: 'sandbox.team.example' }], extKeyUsage: { serverAuth: true } });
    fs.writeFileSync(path.join(dir, 'cert.pem'), own.certificatePem);
    fs.writeFileSync(path.join(dir, 'key.pem'), own.privateKeyPem);
    const env = { TLS_CERT_FILE: path.join(dir, 'cert.pem'), TLS_KEY_FILE: path.join(dir, 'key.pem'), PUBLIC_URL: 'https://sandbox.team.example:9999' };
    const files = loadConfig(env);
    const { main, url } = await startServedSandbox('https', 'sandbox.team.example', { tlsCertFile: files.tlsCertFile, tlsKeyFile: files.tlsKeyFile }, { certsDir });
    closers.push(main.close);
    const r = await get(`${url}/health`, own.certificatePem);
    expect(r.status).toBe(200);
    expect(r.peer!.fingerprint256).toBe(new crypto.X509Certificate(own.certificatePem).fingerprint256);
  });

  it('HTTP_REDIRECT_PORT answers every request with a 308 to PUBLIC_URL, never to the Host header', async () => {
    const redirectPort = await freePort();
    const { main, url } = await startServedSandbox('https', 'sandbox.test', { httpRedirectPort: redirectPort }, { certsDir });
    closers.push(main.close);
    const r = await new Promise<http.IncomingMessage>((resolve, reject) => http.get({ host: '127.0.0.1', port: redirectPort, path: '/login/saml?SAMLRequest=x', headers: { host: 'evil.example' } }, resolve).on('error', reject));
    r.resume();
    expect(r.statusCode).toBe(308);
    expect(r.headers.location).toBe(`${url}/login/saml?SAMLRequest=x`);
  });

  it('no redirect port unless asked (HTTP_REDIRECT_PORT defaults to off)', async () => {
    expect(loadConfig({ PUBLIC_URL: 'https://sandbox.test' }).httpRedirectPort).toBe(0);
    const { main } = await startServedSandbox('https', 'sandbox.test', {}, { certsDir });
    closers.push(main.close);
    expect(main.redirect).toBeUndefined();
  });
});

describe('configuration', () => {
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return [];
    } catch (e) {
      return (e as ConfigError).problems;
    }
  };
  it('refuses half a TLS pair, TLS files with an http PUBLIC_URL, missing files, and a redirect port without https', () => {
    expect(problems({ PUBLIC_URL: 'https://s.test', TLS_CERT_FILE: __filename })).toEqual([expect.stringMatching(/^TLS_KEY_FILE: expected together with TLS_CERT_FILE/)]);
    expect(problems({ PUBLIC_URL: 'http://s.test', TLS_CERT_FILE: __filename, TLS_KEY_FILE: __filename })).toEqual([
      expect.stringMatching(/^TLS_CERT_FILE=.*PUBLIC_URL="http:\/\/s.test" is http/),
      expect.stringMatching(/^TLS_KEY_FILE=.*PUBLIC_URL="http:\/\/s.test" is http/),
    ]);
    expect(problems({ PUBLIC_URL: 'https://s.test', TLS_CERT_FILE: '/nonexistent/c.pem', TLS_KEY_FILE: __filename })).toEqual([expect.stringMatching(/^TLS_CERT_FILE="\/nonexistent\/c.pem": no such file/)]);
    expect(problems({ PUBLIC_URL: 'http://s.test', HTTP_REDIRECT_PORT: '8081' })).toEqual([expect.stringMatching(/^HTTP_REDIRECT_PORT="8081".*PUBLIC_URL="http:\/\/s.test" is http/)]);
  });

  it('warns about plain http only off localhost', () => {
    expect(plainHttpWarning({ publicUrl: 'http://localhost:8080' })).toBeUndefined();
    expect(plainHttpWarning({ publicUrl: 'http://127.0.0.1:8080' })).toBeUndefined();
    expect(plainHttpWarning({ publicUrl: 'https://mpass-sandbox:8443' })).toBeUndefined();
    expect(plainHttpWarning({ publicUrl: 'http://mpass-sandbox:8080' })).toMatch(/SameSite=None; Secure.*Fix: PUBLIC_URL=https:\/\/mpass-sandbox:8080/);
  });
});

const __filename = new URL(import.meta.url).pathname;
