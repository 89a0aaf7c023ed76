// Listening on the main port: plain http, or TLS when PUBLIC_URL is https:// (issue 13), plus the optional
// http port that only redirects to PUBLIC_URL. main.ts and the tests start the sandbox through this one function.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { applyLimits, httpLimits, serverOptions } from '../net/limits.js';
import { tlsServerCertificate } from '../pki/tls-server.js';
import type { KeyPair } from '../pki/certificates.js';

export interface MainServer {
  server: http.Server | https.Server;
  /** The http port that redirects to PUBLIC_URL, when HTTP_REDIRECT_PORT is set. */
  redirect?: http.Server;
  port: number;
  tls: boolean;
  close(): Promise<void>;
}

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The SSO cookie travels on the service's cross-site form POST only as SameSite=None; Secure, which browsers
 * accept over https and on localhost only (src/http/cookies.ts): elsewhere single sign-on over POST is lost.
 */
export function plainHttpWarning(config: Pick<Config, 'publicUrl'>): string | undefined {
  const u = new URL(config.publicUrl);
  if (u.protocol !== 'http:' || LOOPBACK.includes(u.hostname)) return undefined;
  return `PUBLIC_URL ${config.publicUrl} is plain http on a host other than localhost: browsers refuse the SSO cookie's SameSite=None; Secure there, so it falls back to Lax and a service's second AuthnRequest over HTTP-POST shows the login page again (no SSO, TC_FUNCT_02). Fix: PUBLIC_URL=https://${u.host} (the sandbox then serves TLS with a certificate from /meta/ca.pem).`;
}

/** The main port's key and certificate: the team's files, else one issued by the sandbox CA for the PUBLIC_URL host. */
export function mainTlsKey(config: Config, ca: KeyPair, log: Logger): KeyPair {
  if (config.tlsCertFile && config.tlsKeyFile) {
    return { certificatePem: fs.readFileSync(config.tlsCertFile, 'utf8'), privateKeyPem: fs.readFileSync(config.tlsKeyFile, 'utf8') };
  }
  const host = new URL(config.publicUrl).hostname;
  const pair = tlsServerCertificate(config.certsDir, ca, host);
  if (pair.reissued) log.info('issued the TLS server certificate of the main port', { host, file: `${config.certsDir}/tls-server.cer.pem`, trust: `${config.publicUrl}/meta/ca.pem` });
  return pair;
}

export async function listenMain(app: RequestListener, config: Config, ca: KeyPair, log: Logger, opts: { host?: string; port?: number } = {}): Promise<MainServer> {
  const tls = new URL(config.publicUrl).protocol === 'https:';
  const warning = plainHttpWarning(config);
  if (warning) log.warn(warning, { code: 'WARN_PLAIN_HTTP_PUBLIC_URL' });
  // Connection limits (src/net/limits.ts): a shared sandbox must not be held by idle or slow clients.
  const limits = httpLimits(config);
  let server: http.Server | https.Server;
  if (tls) {
    const key = mainTlsKey(config, ca, log);
    server = https.createServer({ ...serverOptions(limits), handshakeTimeout: limits.tlsHandshakeTimeoutMs, key: key.privateKeyPem, cert: key.certificatePem }, app);
    // Port scanners and plain-http clients hitting the TLS port must not take the process down.
    server.on('tlsClientError', () => undefined);
  } else {
    server = http.createServer(serverOptions(limits), app);
  }
  applyLimits(server, limits);
  const port = await listen(server, opts.port ?? config.port, opts.host);
  let redirect: http.Server | undefined;
  if (tls && config.httpRedirectPort) {
    // The target is PUBLIC_URL, never the request's Host header: an open redirect would be a gift to phishing.
    const origin = new URL(config.publicUrl).origin;
    redirect = http.createServer((req, res) => {
      res.writeHead(308, { location: `${origin}${req.url?.startsWith('/') ? req.url : '/'}`, 'content-type': 'text/plain' });
      res.end(`This port only redirects to ${origin}\n`);
    });
    await listen(redirect, config.httpRedirectPort, opts.host);
  }
  return {
    server,
    redirect,
    port,
    tls,
    close: async () => {
      await Promise.all(
        [server, redirect].filter((s): s is http.Server => s !== undefined).map(
          (s) =>
            new Promise<void>((r) => {
              s.closeAllConnections();
              s.close(() => r());
            }),
        ),
      );
    },
  };
}

function listen(server: http.Server, port: number, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
