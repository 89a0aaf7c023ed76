// A small MPass service for the Compose recipe, on @node-saml/node-saml, over https like every real MPass service.
// At start it asks the sandbox (mock STISC) for its certificate, registers itself through the integration API,
// then serves: /login (signed AuthnRequest, HTTP-POST) → /acs, /me (200 only when logged in), /logout (its own
// single logout), /slo (the sandbox's LogoutRequests, answered with a signed LogoutResponse), /health.
// Environment (set by compose.yaml): PORT, PUBLIC_URL (https://service.test:9445), SANDBOX_URL, ADMIN_TOKEN,
// NODE_EXTRA_CA_CERTS (the sandbox CA, from the sandbox's certs volume, so Node trusts https://sandbox.test).
import crypto from 'node:crypto';
import https from 'node:https';
import { SAML } from '@node-saml/node-saml';
import express from 'express';

const PORT = Number(process.env.PORT ?? 9445);
const PUBLIC_URL = must('PUBLIC_URL').replace(/\/+$/, '');
const SANDBOX_URL = must('SANDBOX_URL').replace(/\/+$/, '');
const ADMIN_TOKEN = process.env.ADMIN_TOKEN;
const ISSUER = process.env.SAML_ISSUER ?? PUBLIC_URL;

function must(name) {
  const v = process.env[name];
  if (!v) {
    console.error(`${name} is not set`);
    process.exit(2);
  }
  return v;
}

async function api(method, path, body) {
  const res = await fetch(`${SANDBOX_URL}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(ADMIN_TOKEN ? { authorization: `Bearer ${ADMIN_TOKEN}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await res.json().catch(() => undefined);
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${JSON.stringify(data)}`);
  return data;
}

// The sandbox may still be starting (depends_on waits for its health check; a plain process start does not).
async function untilSandboxAnswers() {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${SANDBOX_URL}/health`)).ok) return;
    } catch (e) {
      if (i === 119) throw e;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

await untilSandboxAnswers();
const host = new URL(PUBLIC_URL).hostname;
const issued = await api('POST', '/api/certificates', { commonName: host });
const registration = {
  name: { ro: 'Serviciu exemplu', ru: 'Пример сервиса', en: 'Sample service' },
  description: 'The node-saml sample service of the Compose recipe.',
  contact: { name: 'Sample', email: 'sample@example.md' },
  certificate: issued.certificatePem,
  mpass: {
    issuer: ISSUER,
    assertionConsumerServiceUrl: `${PUBLIC_URL}/acs`,
    logoutRequestUrl: `${PUBLIC_URL}/slo`,
    logoutResponseUrl: `${PUBLIC_URL}/logout`,
    attributes: ['FirstName', 'LastName', 'BirthDate'],
  },
};
const existing = (await api('GET', '/api/services')).find((s) => s.mpass?.issuer === ISSUER);
await (existing ? api('PUT', `/api/services/${existing.id}`, registration) : api('POST', '/api/services', registration));
const idpCert = await (await fetch(`${SANDBOX_URL}/meta/idp.pem`)).text();

const saml = new SAML({
  entryPoint: `${SANDBOX_URL}/login/saml`,
  logoutUrl: `${SANDBOX_URL}/logout/saml`,
  callbackUrl: `${PUBLIC_URL}/acs`,
  logoutCallbackUrl: `${PUBLIC_URL}/logout`,
  issuer: ISSUER,
  audience: ISSUER,
  idpIssuer: SANDBOX_URL,
  idpCert,
  privateKey: issued.privateKeyPem,
  publicCert: issued.certificatePem,
  signatureAlgorithm: 'sha256',
  digestAlgorithm: 'sha256',
  authnRequestBinding: 'HTTP-POST',
  wantAuthnResponseSigned: true,
  wantAssertionsSigned: false,
  validateInResponseTo: 'always', // a Response must answer an AuthnRequest this service sent (TC_SEC_06/07)
  identifierFormat: null,
  disableRequestedAuthnContext: true,
});
// node-saml reads a posted LogoutResponse's InResponseTo only with 'ifPresent' ('always' looks for the
// Response/@InResponseTo of a login); this twin shares the request-ID cache, so InResponseTo is still checked.
const logoutSaml = new SAML({ ...saml.options, validateInResponseTo: 'ifPresent', cacheProvider: saml.cacheProvider });

/** sid → profile; one map, so the sandbox's LogoutRequest can end the session it names. */
const sessions = new Map();
const sidOf = (req) => /(?:^|;\s*)sid=([\w-]+)/.exec(req.headers.cookie ?? '')?.[1];
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

const app = express();
app.disable('x-powered-by');
app.use(express.urlencoded({ extended: false, limit: '2mb' }));
app.get('/health', (_req, res) => res.json({ status: 'ok' }));
app.get('/', (req, res) => {
  const p = sessions.get(sidOf(req));
  res.type('html').send(p ? `<p data-testid="sp-logged-in">Logged in as ${esc(p.nameID)}</p><a href="/logout">Log out</a>` : '<a href="/login" data-testid="sp-login">Log in with MPass</a>');
});
app.get('/login', async (_req, res) => {
  res.type('html').send(await saml.getAuthorizeFormAsync('sample'));
});
app.post('/acs', async (req, res) => {
  try {
    const { profile } = await saml.validatePostResponseAsync(req.body);
    if (!profile) throw new Error('no profile (unsuccessful Response)');
    const sid = crypto.randomUUID();
    sessions.set(sid, profile);
    res.cookie('sid', sid, { httpOnly: true, secure: true, sameSite: 'lax', path: '/' });
    res.type('html').send(`<p data-testid="sp-logged-in">Logged in as ${esc(profile.nameID)}</p>`);
  } catch (e) {
    res.status(401).type('html').send(`<p data-testid="sp-rejected">${esc(e.message)}</p>`);
  }
});
app.get('/me', (req, res) => {
  const p = sessions.get(sidOf(req));
  if (!p) return res.status(401).json({ loggedIn: false });
  res.json({ loggedIn: true, nameID: p.nameID, sessionIndex: p.sessionIndex });
});
app.get('/logout', async (req, res) => {
  const p = sessions.get(sidOf(req));
  if (!p) return res.redirect('/');
  // The local session ends now: the LogoutResponse comes back as a cross-site POST, without the Lax cookie.
  sessions.delete(sidOf(req));
  res.redirect(await saml.getLogoutUrlAsync(p, 'sample-logout', {}));
});
app.post('/logout', async (req, res) => {
  try {
    await logoutSaml.validatePostResponseAsync(req.body);
    res.clearCookie('sid', { path: '/' }).type('html').send('<p data-testid="sp-logged-out">Logged out</p>');
  } catch (e) {
    res.status(400).type('html').send(`<p data-testid="sp-logout-rejected">${esc(e.message)}</p>`);
  }
});
app.post('/slo', async (req, res) => {
  try {
    const { profile } = await saml.validatePostRequestAsync(req.body);
    for (const [sid, p] of sessions) if (p.nameID === profile.nameID && p.sessionIndex === profile.sessionIndex) sessions.delete(sid);
    res.redirect(await saml.getLogoutResponseUrlAsync(profile, req.body.RelayState ?? '', {}, true));
  } catch (e) {
    res.status(400).send(`rejected: ${e.message}`);
  }
});

https.createServer({ key: issued.privateKeyPem, cert: issued.certificatePem }, app).listen(PORT, () => {
  console.log(JSON.stringify({ msg: 'sample service listening', url: PUBLIC_URL, issuer: ISSUER }));
});
