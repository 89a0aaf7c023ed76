// A real service provider on its own HTTP port, built on node-saml: logs in at /login → /acs, answers the
// sandbox's LogoutRequests at /slo (validated by node-saml) and receives the final LogoutResponse at /logout.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { SAML } from '@node-saml/node-saml';
import express from 'express';
import type { Config } from '../src/config.js';
import { listenMain, type MainServer } from '../src/http/serve.js';
import { silentLog, startSandbox, type Sandbox } from './helpers.js';

export type SloBehaviour = 'ok' | 'slow' | 'error' | 'deny-frame' | 'silent';

export interface TestSp {
  name: string;
  issuer: string;
  base: string;
  saml: SAML;
  key: string;
  cert: string;
  serviceId: string;
  logins: Array<{ nameID: string; sessionIndex?: string }>;
  logoutRequests: Array<{ ok: boolean; error?: string; nameID?: string; sessionIndex?: string }>;
  logoutResponses: Array<{ ok: boolean; xml?: string; relayState?: string; error?: string }>;
  signCallbacks: Array<Record<string, string>>;
  /** Every request the service received: whether it carried a SAML message (MPass sends nothing else). */
  requests: Array<{ method: string; path: string; saml: boolean }>;
  close(): Promise<void>;
}

const listen = (app: express.Express, tls?: { key: string; cert: string }) =>
  new Promise<http.Server>((resolve) => {
    const s = (tls ? https.createServer(tls, app) : http.createServer(app)) as http.Server;
    s.listen(0, '127.0.0.1', () => resolve(s));
  });

/**
 * `host` names the service in its URLs (a browser maps it to 127.0.0.1 with --host-resolver-rules); `tls` serves
 * it over https with a certificate the sandbox CA issues for that host, like a real MPass service (issue 13).
 */
export async function startTestSp(sb: Sandbox, sandboxUrl: string, name: string, behaviour: SloBehaviour = 'ok', opts: { slowMs?: number; register?: boolean; host?: string; tls?: boolean } = {}): Promise<TestSp> {
  const app = express();
  app.use(express.urlencoded({ extended: false, limit: '2mb' }));
  const host = opts.host ?? 'localhost';
  const serverCert = opts.tls ? sb.pki.issueServiceCertificate(host) : undefined;
  const server = await listen(app, serverCert && { key: serverCert.privateKeyPem, cert: serverCert.certificatePem });
  const base = `${opts.tls ? 'https' : 'http'}://${host}:${(server.address() as AddressInfo).port}`;
  const issuer = `${base}/sp/${name}`;
  const cert = sb.pki.issueServiceCertificate(`${name}.sp.localhost`);
  const saml = new SAML({
    entryPoint: `${sandboxUrl}/login/saml`,
    logoutUrl: `${sandboxUrl}/logout/saml`,
    callbackUrl: `${base}/acs`,
    logoutCallbackUrl: `${base}/logout`,
    issuer,
    audience: issuer,
    idpIssuer: sb.config.mpassEntityId,
    idpCert: sb.pki.idp.certificatePem,
    privateKey: cert.privateKeyPem,
    publicCert: cert.certificatePem,
    signatureAlgorithm: 'sha256',
    digestAlgorithm: 'sha256',
    authnRequestBinding: 'HTTP-POST',
    wantAuthnResponseSigned: true,
    wantAssertionsSigned: false,
    validateInResponseTo: 'always' as never,
    identifierFormat: null,
    disableRequestedAuthnContext: true,
  });
  // node-saml reads a POSTed LogoutResponse's InResponseTo only with 'ifPresent' (with 'always' it looks for
  // Response/@InResponseTo and finds none); this twin shares the request-ID cache, so InResponseTo is still checked.
  const logoutSaml = new SAML({ ...(saml as unknown as { options: ConstructorParameters<typeof SAML>[0] }).options, validateInResponseTo: 'ifPresent' as never, cacheProvider: (saml as unknown as { cacheProvider: never }).cacheProvider });
  const sp: TestSp = {
    name, issuer, base, saml, key: cert.privateKeyPem, cert: cert.certificatePem, serviceId: '', logins: [], logoutRequests: [], logoutResponses: [], signCallbacks: [], requests: [],
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
  app.use((req, res, next) => {
    const fields = { ...(req.query as Record<string, unknown>), ...((req.body as Record<string, unknown> | undefined) ?? {}) };
    sp.requests.push({ method: req.method, path: req.path, saml: typeof fields.SAMLRequest === 'string' || typeof fields.SAMLResponse === 'string' });
    if (behaviour === 'deny-frame') res.set('X-Frame-Options', 'DENY');
    next();
  });
  app.get('/login', async (_req, res) => {
    res.type('html').send(await saml.getAuthorizeFormAsync(`login-${name}`));
  });
  app.post('/acs', async (req, res) => {
    try {
      const { profile } = await saml.validatePostResponseAsync(req.body);
      sp.logins.push({ nameID: profile!.nameID, sessionIndex: profile!.sessionIndex });
      res.type('html').send(`<p data-testid="sp-logged-in">${name}: logged in as ${profile!.nameID}</p>`);
    } catch (e) {
      res.status(401).type('html').send(`<p data-testid="sp-rejected">${name}: ${(e as Error).message}</p>`);
    }
  });
  app.get('/slo', (_req, res) => {
    res.status(405).send('POST a LogoutRequest here');
  });
  app.post('/slo', async (req, res) => {
    try {
      const { profile } = await saml.validatePostRequestAsync(req.body);
      // The checks the official client adds (MPASS.md §7.6): Destination, and NameID + SessionIndex of the login.
      const xml = Buffer.from(req.body.SAMLRequest, 'base64').toString('utf8');
      const destination = /Destination="([^"]*)"/.exec(xml)?.[1];
      if (destination !== `${base}/slo`) throw new Error(`Destination ${destination} is not ${base}/slo`);
      const login = sp.logins.findLast((l) => l.nameID === profile!.nameID);
      if (login && login.sessionIndex !== profile!.sessionIndex) throw new Error(`SessionIndex ${profile!.sessionIndex} is not the one of the login (${login.sessionIndex})`);
      sp.logoutRequests.push({ ok: true, nameID: profile!.nameID, sessionIndex: profile!.sessionIndex });
      if (behaviour === 'silent') return res.status(200).send('ignored');
      if (behaviour === 'slow') await new Promise((r) => setTimeout(r, opts.slowMs ?? 3000));
      const url = await saml.getLogoutResponseUrlAsync(profile!, req.body.RelayState ?? '', {}, behaviour !== 'error');
      // A page that refuses framing answers with a page (as the official client's auto-post page does),
      // not a bare 302: browsers apply X-Frame-Options to the page they would show, not to a redirect.
      if (behaviour === 'deny-frame') return res.type('html').send(`<!doctype html><p>Logged out</p><script>location.replace(${JSON.stringify(url)})</script>`);
      res.redirect(302, url);
    } catch (e) {
      sp.logoutRequests.push({ ok: false, error: (e as Error).message });
      res.status(400).send(`rejected: ${(e as Error).message}`);
    }
  });
  app.post('/logout', async (req, res) => {
    try {
      const r = await logoutSaml.validatePostResponseAsync(req.body);
      sp.logoutResponses.push({ ok: r.loggedOut, xml: Buffer.from(req.body.SAMLResponse, 'base64').toString('utf8'), relayState: req.body.RelayState });
      res.type('html').send(`<p data-testid="sp-logged-out">${name}: logged out</p>`);
    } catch (e) {
      sp.logoutResponses.push({ ok: false, error: (e as Error).message, xml: Buffer.from(req.body.SAMLResponse ?? '', 'base64').toString('utf8') });
      res.status(400).type('html').send(`<p data-testid="sp-logout-rejected">${(e as Error).message}</p>`);
    }
  });
  app.post('/msign-return', (req, res) => {
    sp.signCallbacks.push(req.body as Record<string, string>);
    res.type('html').send(`<p data-testid="sp-signed">${name}: back from MSign with ${req.body.RequestID}</p>`);
  });
  if (opts.register === false) return sp;
  const service = await sb.registry.create({
    name: { ro: `SP ${name}`, ru: `SP ${name}`, en: `SP ${name}` },
    description: `node-saml test service ${name}.`,
    contact: { name: 'Test', email: 'test@example.md' },
    certificate: cert.certificatePem,
    mpass: { issuer, assertionConsumerServiceUrl: `${base}/acs`, logoutRequestUrl: `${base}/slo`, logoutResponseUrl: `${base}/logout`, attributes: ['FirstName', 'LastName'] },
  });
  sp.serviceId = service.id;
  return sp;
}

/** A sandbox on a real port, PUBLIC_URL and entity ID naming it, so browsers and peers can reach it. */
export async function startListeningSandbox(overrides: Partial<Config> = {}): Promise<{ sb: Sandbox; server: http.Server; url: string }> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const sb = await startSandbox({ publicUrl: url, mpassEntityId: url, ...overrides });
  const server = await new Promise<http.Server>((resolve) => {
    const s = sb.app.listen(port, '127.0.0.1', () => resolve(s));
  });
  return { sb, server, url };
}

export async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * A sandbox started the way main.ts starts it (listenMain: TLS when the URL is https, the start-up warnings),
 * under any host name: `https://sandbox.test:<port>` with the host mapped to 127.0.0.1 by the browser.
 */
export async function startServedSandbox(scheme: 'http' | 'https', host: string, overrides: Partial<Config> = {}, dirs?: { dataDir?: string; certsDir?: string }): Promise<{ sb: Sandbox; main: MainServer; url: string }> {
  const port = await freePort();
  const url = `${scheme}://${host}:${port}`;
  const sb = await startSandbox({ publicUrl: url, mpassEntityId: url, port, ...overrides }, dirs);
  const main = await listenMain(sb.app, sb.config, sb.pki.ca, silentLog, { host: '127.0.0.1' });
  return { sb, main, url };
}
