// MSign browser pages (MSIGN.md §5) and the MSign automation API. Thin: read the request, ask
// sb.msign to decide, render. ${PUBLIC_URL}/msign is a client's FrontendAddress.
import { Router, type Request, type Response } from 'express';
import { SandboxError, ValidationError, type Rejection } from '../errors.js';
import { asLang, type Lang } from '../lang.js';
import { localize } from '../msign/messages.js';
import { signingPageTokens } from '../msign/page-token.js';
import type { SignRequestRecord } from '../msign/store.js';
import type { SigningIdentity } from '../msign/signing/identities.js';
import { canonicalSerial } from '../pki/certificates.js';
import type { Sandbox } from '../sandbox.js';
import { deliver, renderPage } from './render.js';
import { translator } from './i18n.js';

/** Form and query parameters with lower-cased names: [LIB] sends returnUrl, the docs ReturnUrl (§5.1). */
function params(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (src: unknown) => {
    if (!src || typeof src !== 'object') return;
    for (const [k, v] of Object.entries(src as Record<string, unknown>)) {
      const s = Array.isArray(v) ? v[0] : v;
      if (typeof s === 'string') out[k.toLowerCase()] = s;
    }
  };
  add(req.query);
  add(req.body);
  return out;
}

const identityValue = (i: SigningIdentity) => (i.kind === 'legal' ? `${i.persona.idnp}@${i.idno}` : i.persona.idnp);

export function msignRoutes(sb: Sandbox): Router {
  const r = Router();
  const pageTokens = signingPageTokens();

  // The MSign core decides what the page does (src/msign/interaction.ts); this only renders it.
  const page = async (req: Request, res: Response) => {
    const p = params(req);
    const lang: Lang = asLang(p.lang) ?? 'ro';
    const t = translator(lang);
    const requestId = String(req.params.requestId ?? '');
    const it = await sb.msign.interaction({ requestId, posted: req.method === 'POST', params: p, pageTokenValid: pageTokens.verify(requestId, p.pagetoken) });
    switch (it.kind) {
      case 'unavailable':
        renderPage(req, res, 'sign-unavailable', { lang, title: t('sign.title'), requestId: it.requestId, status: it.status }, it.status ? 410 : 404);
        return;
      case 'form': {
        const f = it.form;
        const view = {
          lang,
          title: t('sign.title'),
          ...f,
          identityValue,
          pageToken: pageTokens.issue(f.rec.id),
          problem: it.problem ? t(`sign.${it.problem}`) : undefined,
          langHref: (l: Lang) => `/msign/${f.rec.id}?${new URLSearchParams({ ...f.keep, lang: l }).toString()}`,
        };
        renderPage(req, res, 'sign', view, it.problem ? 400 : 200);
        return;
      }
      case 'return':
        deliver(req, res, { binding: 'HTTP-POST', action: it.post.action, fields: it.post.fields }, { lang });
        return;
      case 'refused':
        throw new SandboxError(403, {
          code: 'ERR_SIGN_PAGE_TOKEN',
          where: 'pageToken',
          message: 'This sign or cancel did not come from the signing page the sandbox showed for this request (missing or wrong page token).',
          found: p.pagetoken ? 'a token of another page or another request' : '(no pageToken field)',
          fix: 'Open the signing page (GET /msign/{RequestID}) in the browser and press Sign or Cancel there; a test suite without a browser uses POST /api/msign/script.',
        });
      case 'failed':
        renderPage(req, res, 'sign-failed', { lang, title: t('sign.failed'), reason: localize(it.reason, lang), form: it.post });
        return;
    }
  };
  r.get('/msign/:requestId', page);
  // The roots VerifySignatures trusts, for verifying MSign signatures with other tools (xmlsec1, pdfsig, DSS).
  r.get('/meta/msign-signing-ca.pem', (_req, res) => {
    res.type('application/x-pem-file').attachment('msign-signing-ca.pem').send(sb.pki.signingCa.certificatePem);
  });
  r.get('/meta/msign-tsa-ca.pem', (_req, res) => {
    res.type('application/x-pem-file').attachment('msign-tsa-ca.pem').send(sb.pki.tsaCa.certificatePem);
  });
  r.post('/msign/:requestId', page);

  // Automation: the next SignRequest(s) of a service finish at once, without the page.
  r.post('/api/msign/script', (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const problems: Rejection[] = [];
    const bad = (where: string, message: string, fix: string) => problems.push({ code: 'ERR_INVALID_FIELD', where, message, fix });
    const service =
      typeof b.serviceId === 'string'
        ? sb.registry.get(b.serviceId)
        : typeof b.serial === 'string'
          ? sb.registry.byCertificateSerial(canonicalSerial(b.serial)).find((s) => s.msign)
          : undefined;
    if (!service?.msign) bad(typeof b.serial === 'string' ? 'serial' : 'serviceId', 'No service registered for MSign matches.', 'Send "serviceId" (GET /api/services) or the certificate "serial" of a service with an MSign registration.');
    const outcome = b.outcome ?? 'success';
    if (!['success', 'cancel', 'expire', 'wrong-signer'].includes(outcome as string)) bad('outcome', 'Expected success, cancel, expire or wrong-signer.', 'Send one of those values.');
    if (b.persona !== undefined && (typeof b.persona !== 'string' || !sb.msign.persona(b.persona))) bad('persona', 'No test identity has this IDNP.', 'Send the IDNP of a persona from GET /api/personas (fixtures/personas.json).');
    const times = b.times ?? 1;
    if (!Number.isInteger(times) || (times as number) < 1 || (times as number) > 1000) bad('times', 'Expected a whole number from 1 to 1000.', 'Send "times": 1.');
    if (problems.length) throw new ValidationError(problems);
    sb.msign.addScript(service!.id, { outcome: outcome as 'success', persona: b.persona as string | undefined, times: times as number });
    res.status(201).json({ serviceId: service!.id, queued: sb.msign.pendingScripts(service!.id) });
  });
  r.get('/api/msign/requests', (_req, res) => {
    res.json(sb.msign.requests.list().map((x: SignRequestRecord) => ({ requestId: x.id, serviceId: x.serviceId, status: x.status, contentType: x.request.contentType, contents: x.request.contents.length, createdAt: x.createdAt.toISOString(), expiresAt: x.expiresAt.toISOString(), signer: x.signer })));
  });
  return r;
}
