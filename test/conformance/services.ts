// Three services for the conformance proof (issue 10): each on its own port with its own cookie session.
// - strict: node-saml (signature, InResponseTo always, Audience, conditions) plus the checks of the official
//   client node-saml lacks (Response Destination, IssueInstant window, Issuer, Recipient; MPASS.md §7.4), and
//   the §7.6 checks on LogoutRequests (signature by node-saml, Destination, NameID + SessionIndex).
// - lax: reads the Response without verifying its signature, InResponseTo or Destination (a common shortcut);
//   keeps every other check. Its single logout likewise skips signature and Destination.
// - down: registered, nothing listens.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SAML, type Profile } from '@node-saml/node-saml';
import { DOMParser } from '@xmldom/xmldom';
import express from 'express';
import type { Sandbox } from '../helpers.js';
import { freePort } from '../sp-server.js';

export type Strictness = 'strict' | 'lax';

export interface ConformanceSp {
  issuer: string;
  base: string;
  serviceId: string;
  loginUrl: string;
  checkUrl: string;
  logoutUrl: string;
  close(): Promise<void>;
}

const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';
const SAML_NS = 'urn:oasis:names:tc:SAML:2.0:assertion';
const SKEW_MS = 5 * 60 * 1000;

export async function startConformanceSp(sb: Sandbox, sandboxUrl: string, kind: Strictness): Promise<ConformanceSp> {
  const app = express();
  app.use(express.urlencoded({ extended: false, limit: '2mb' }));
  const server = await new Promise<http.Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://localhost:${(server.address() as AddressInfo).port}`;
  const issuer = `${base}/sp/${kind}`;
  const acs = `${base}/acs`;
  const cert = sb.pki.issueServiceCertificate(`${kind}.conformance.localhost`);
  const saml = new SAML({
    entryPoint: `${sandboxUrl}/login/saml`,
    logoutUrl: `${sandboxUrl}/logout/saml`,
    callbackUrl: acs,
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
  // Local sessions: cookie → the NameID and SessionIndex of the login.
  const sessions = new Map<string, { nameID: string; nameIDFormat: string; sessionIndex?: string }>();
  const sid = (req: express.Request) => /(?:^|;\s*)sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];

  app.get('/login', async (_req, res) => {
    res.type('html').send(await saml.getAuthorizeFormAsync('rs'));
  });
  app.get('/me', (req, res) => {
    const s = sessions.get(sid(req) ?? '');
    if (!s) return res.status(401).send('not logged in');
    res.send(`logged in as ${s.nameID}`);
  });
  app.post('/acs', async (req, res) => {
    try {
      const profile = kind === 'strict' ? await strictResponse(saml, req.body.SAMLResponse, acs, sb.config.mpassEntityId) : laxResponse(req.body.SAMLResponse, issuer, acs, sb.config.mpassEntityId);
      const id = crypto.randomUUID();
      sessions.set(id, { nameID: profile.nameID, nameIDFormat: profile.nameIDFormat, sessionIndex: profile.sessionIndex });
      res.cookie('sid', id, { httpOnly: true, path: '/' }).redirect(302, '/me');
    } catch (e) {
      res.status(401).type('html').send(`<p>Login refused: ${(e as Error).message}</p>`);
    }
  });
  app.get('/logout', async (req, res) => {
    const id = sid(req) ?? '';
    const s = sessions.get(id);
    sessions.delete(id);
    res.clearCookie('sid', { path: '/' });
    if (!s) return res.redirect(302, '/');
    res.redirect(302, await saml.getLogoutUrlAsync({ issuer, nameID: s.nameID, nameIDFormat: s.nameIDFormat, sessionIndex: s.sessionIndex }, 'bye', {}));
  });
  app.post('/logout', (_req, res) => {
    res.type('html').send('<p>logged out</p>');
  });
  app.post('/slo', async (req, res) => {
    try {
      const request = kind === 'strict' ? (await saml.validatePostRequestAsync(req.body)).profile! : laxLogoutRequest(req.body.SAMLRequest);
      const xml = Buffer.from(req.body.SAMLRequest, 'base64').toString('utf8');
      if (kind === 'strict') {
        const destination = /Destination="([^"]*)"/.exec(xml)?.[1];
        if (destination !== `${base}/slo`) throw new Error(`Destination ${destination} is not ${base}/slo`);
      }
      const match = [...sessions.entries()].filter(([, s]) => s.nameID === request.nameID && s.sessionIndex === request.sessionIndex);
      if (!match.length) throw new Error('no session with this NameID and SessionIndex');
      for (const [k] of match) sessions.delete(k);
      res.redirect(302, await saml.getLogoutResponseUrlAsync(request, req.body.RelayState ?? '', {}, true));
    } catch (e) {
      res.status(400).send(`LogoutRequest refused: ${(e as Error).message}`);
    }
  });

  const service = await sb.registry.create({
    name: { ro: `Conformitate ${kind}`, ru: `Соответствие ${kind}`, en: `Conformance ${kind}` },
    description: `A ${kind} node-saml service for the conformance proof.`,
    contact: { name: 'Test', email: 'test@example.md' },
    certificate: cert.certificatePem,
    mpass: { issuer, assertionConsumerServiceUrl: acs, logoutRequestUrl: `${base}/slo`, logoutResponseUrl: `${base}/logout`, attributes: ['FirstName', 'LastName'] },
  });
  return {
    issuer, base, serviceId: service.id, loginUrl: `${base}/login`, checkUrl: `${base}/me`, logoutUrl: `${base}/logout`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** A registered service on a port where nothing listens. */
export async function registerDownService(sb: Sandbox): Promise<ConformanceSp> {
  const base = `http://127.0.0.1:${await freePort()}`;
  const issuer = 'https://down.conformance.example.test';
  const cert = sb.pki.issueServiceCertificate('down.conformance.localhost');
  const service = await sb.registry.create({
    name: { ro: 'Oprit', ru: 'Выключен', en: 'Down' },
    description: 'Nothing listens here.',
    contact: { name: 'Test', email: 'test@example.md' },
    certificate: cert.certificatePem,
    mpass: { issuer, assertionConsumerServiceUrl: `${base}/acs`, logoutRequestUrl: `${base}/slo`, logoutResponseUrl: `${base}/logout`, attributes: ['FirstName'] },
  });
  return { issuer, base, serviceId: service.id, loginUrl: `${base}/login`, checkUrl: `${base}/me`, logoutUrl: `${base}/logout`, close: async () => {} };
}

async function strictResponse(saml: SAML, samlResponse: string, acs: string, idp: string): Promise<Profile> {
  const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: samlResponse });
  if (!profile) throw new Error('no profile');
  const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
  const root = /<samlp:Response [^>]*>/.exec(xml)?.[0] ?? '';
  const destination = /Destination="([^"]*)"/.exec(root)?.[1];
  if (destination !== acs) throw new Error(`Destination ${destination ?? 'missing'}`);
  const issueInstant = /IssueInstant="([^"]*)"/.exec(root)?.[1];
  if (!issueInstant || Math.abs(Date.now() - Date.parse(issueInstant)) > SKEW_MS) throw new Error(`IssueInstant ${issueInstant}`);
  for (const m of xml.matchAll(/<saml:Issuer>([^<]*)<\/saml:Issuer>/g)) if (m[1] !== idp) throw new Error(`Issuer ${m[1]}`);
  const recipient = /Recipient="([^"]*)"/.exec(xml)?.[1];
  if (recipient !== acs) throw new Error(`Recipient ${recipient}`);
  return profile;
}

/** Everything but the signature, InResponseTo and Destination. */
function laxResponse(samlResponse: string, issuer: string, acs: string, idp: string): Profile {
  const doc = new DOMParser().parseFromString(Buffer.from(samlResponse, 'base64').toString('utf8'), 'text/xml');
  const root = doc.documentElement!;
  const first = (parent: { getElementsByTagNameNS(ns: string, n: string): { item(i: number): Element | null } }, ns: string, name: string) => parent.getElementsByTagNameNS(ns, name).item(0);
  const status = first(root, SAMLP, 'StatusCode')?.getAttribute('Value');
  if (status !== 'urn:oasis:names:tc:SAML:2.0:status:Success') throw new Error(`status ${status}`);
  const issueInstant = Date.parse(root.getAttribute('IssueInstant') ?? '');
  if (!(Math.abs(Date.now() - issueInstant) <= SKEW_MS)) throw new Error('IssueInstant');
  const assertion = first(root, SAML_NS, 'Assertion');
  if (!assertion) throw new Error('no Assertion');
  for (const el of Array.from(doc.getElementsByTagNameNS(SAML_NS, 'Issuer'))) if (el.textContent !== idp) throw new Error(`Issuer ${el.textContent}`);
  const conditions = first(assertion, SAML_NS, 'Conditions');
  const now = Date.now();
  if (conditions?.getAttribute('NotBefore') && Date.parse(conditions.getAttribute('NotBefore')!) > now) throw new Error('not yet valid');
  if (!conditions?.getAttribute('NotOnOrAfter') || Date.parse(conditions.getAttribute('NotOnOrAfter')!) <= now) throw new Error('expired');
  if (first(assertion, SAML_NS, 'Audience')?.textContent !== issuer) throw new Error('Audience');
  if (first(assertion, SAML_NS, 'SubjectConfirmationData')?.getAttribute('Recipient') !== acs) throw new Error('Recipient');
  const nameId = first(assertion, SAML_NS, 'NameID');
  return { issuer: idp, nameID: nameId?.textContent ?? '', nameIDFormat: nameId?.getAttribute('Format') ?? 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified', sessionIndex: first(assertion, SAML_NS, 'AuthnStatement')?.getAttribute('SessionIndex') ?? undefined };
}

/** A LogoutRequest read without checking its signature or Destination. */
function laxLogoutRequest(samlRequest: string): Profile {
  const root = new DOMParser().parseFromString(Buffer.from(samlRequest, 'base64').toString('utf8'), 'text/xml').documentElement!;
  const nameId = root.getElementsByTagNameNS(SAML_NS, 'NameID').item(0);
  return { ID: root.getAttribute('ID') ?? '', issuer: root.getElementsByTagNameNS(SAML_NS, 'Issuer').item(0)?.textContent ?? '', nameID: nameId?.textContent ?? '', nameIDFormat: nameId?.getAttribute('Format') ?? '', sessionIndex: root.getElementsByTagNameNS(SAMLP, 'SessionIndex').item(0)?.textContent ?? undefined };
}
