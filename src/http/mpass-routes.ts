// MPass endpoints (MPASS.md §1): /login/saml, /logout/saml, /meta, /meta/saml. Thin: read, call, render.
import { Router, type Request, type Response } from 'express';
import { FAULTS } from '../mpass/faults.js';
import { SandboxError } from '../errors.js';
import { asLang, type Lang } from '../lang.js';
import type { Delivery, PendingLogin } from '../mpass/idp.js';
import { idpMetadata } from '../mpass/metadata.js';
import { pemToDer } from '../pki/certificates.js';
import type { Sandbox } from '../sandbox.js';
import { SSO_COOKIE, readCookie, setSsoCookie } from './cookies.js';
import { deliver, msignUrlOf, pageLang, renderPage } from './render.js';

export function httpInput(req: Request) {
  const q = req.originalUrl.indexOf('?');
  return { method: req.method, query: req.query as Record<string, unknown>, body: req.body as Record<string, unknown> | undefined, rawQuery: q >= 0 ? req.originalUrl.slice(q + 1) : '' };
}

export function mpassRoutes(sb: Sandbox): Router {
  const r = Router();
  const { mpass, config } = sb;

  const send = (req: Request, res: Response, d: Delivery) => {
    if (d.session) setSsoCookie(res, config.publicUrl, d.session.id, Math.max(1, Math.floor((d.session.notOnOrAfter - sb.clock.nowMs()) / 1000)));
    deliver(req, res, d.context, { replay: d.replay });
  };

  const login = (req: Request, res: Response) => {
    const lang = asLang(req.query.lang);
    const out = mpass.startLogin(httpInput(req), { sessionId: readCookie(req, SSO_COOKIE), address: req.ip, lang });
    if (out.kind === 'deliver') return send(req, res, out);
    loginPage(req, res, out.pending, out.pending.lang);
  };
  const loginPage = (req: Request, res: Response, pending: PendingLogin, lang: Lang) => {
    const service = sb.registry.require(pending.serviceId);
    const faults = FAULTS.filter((f) => f.applies === 'response');
    // The language links re-open this same pending login (the AuthnRequest arrived by POST).
    const langHref = (l: Lang) => `/login/saml/pending/${pending.id}?lang=${l}`;
    renderPage(req, res, 'login', { lang, langHref, title: 'MPass', service, pending, personas: sb.personas, faults, serviceFaults: service.mpass!.faults });
  };
  r.get('/login/saml', login);
  r.post('/login/saml', login);
  r.get('/login/saml/pending/:id', (req, res) => {
    const pending = mpass.pending.get(String(req.params.id));
    if (!pending) throw new SandboxError(410, { code: 'ERR_LOGIN_EXPIRED', where: 'login', message: 'This login request has expired or was already answered (the sandbox may have restarted).', fix: 'Go back to the service and start the login again.' });
    loginPage(req, res, pending, asLang(req.query.lang) ?? pending.lang);
  });

  r.post('/login/saml/continue', (req, res) => {
    const b = req.body as Record<string, string | string[] | undefined>;
    const list = (v: unknown) => (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []).map(String);
    const one = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const d = mpass.completeLogin(
      {
        pendingId: one(b.pending),
        action: one(b.action),
        persona: one(b.persona),
        custom: one(b.customIdnp) ? { idnp: one(b.customIdnp)?.trim(), firstName: one(b.customFirstName), lastName: one(b.customLastName), birthDate: one(b.customBirthDate) } : undefined,
        faults: list(b.faults),
      },
      { sessionId: readCookie(req, SSO_COOKIE) },
    );
    send(req, res, d);
  });

  // application/xml so that a browser shows it (application/samlmetadata+xml is only offered for download);
  // ?download=1 is the file to save, under a name that says what it is.
  r.get('/meta/saml', (req, res) => {
    if (req.query.download !== undefined) res.type('application/samlmetadata+xml').attachment('mpass-sandbox-metadata.xml');
    else res.type('application/xml');
    res.send(idpMetadata(mpass.entityId, mpass.ssoUrl, mpass.sloUrl, sb.pki.idp.certificatePem));
  });
  r.get('/meta/idp.cer', (_req, res) => {
    res.type('application/pkix-cert').attachment('mpass-sandbox-idp.cer').send(pemToDer(sb.pki.idp.certificatePem));
  });
  r.get('/meta/idp.pem', (_req, res) => {
    res.type('application/x-pem-file').attachment('mpass-sandbox-idp.pem').send(sb.pki.idp.certificatePem);
  });
  r.get('/meta/ca.cer', (_req, res) => {
    res.type('application/pkix-cert').attachment('sandbox-ca.cer').send(pemToDer(sb.pki.ca.certificatePem));
  });
  r.get('/meta/ca.pem', (_req, res) => {
    res.type('application/x-pem-file').attachment('sandbox-ca.pem').send(sb.pki.ca.certificatePem);
  });
  r.get('/meta', (req, res) => {
    renderPage(req, res, 'meta', { title: 'Metadata', lang: pageLang(req), entityId: mpass.entityId, ssoUrl: mpass.ssoUrl, sloUrl: mpass.sloUrl, publicUrl: config.publicUrl, msignUrl: msignUrlOf(config) });
  });
  return r;
}
