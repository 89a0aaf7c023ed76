// MSign browser pages (MSIGN.md §5) and the MSign automation API. Thin: read the request, ask
// sb.msign to decide, render. ${PUBLIC_URL}/msign is a client's FrontendAddress.
import { Router, type Request, type Response } from 'express';
import { ValidationError, type Rejection } from '../errors.js';
import { asLang, type Lang } from '../lang.js';
import { localize, type LocalizedMessage } from '../msign/messages.js';
import type { SignRequestRecord } from '../msign/store.js';
import type { SigningIdentity } from '../msign/signing/identities.js';
import { canonicalSerial } from '../pki/certificates.js';
import type { Sandbox } from '../sandbox.js';
import { deliver, renderPage } from './render.js';
import { translator } from './i18n.js';

export const INSTRUMENTS = ['mobile', 'moldsign', 'nationalid', 'securesign', 'tax', 'mobisign'] as const;

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

function absoluteUrl(v: string | undefined): string | undefined {
  if (!v) return undefined;
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

const identityValue = (i: SigningIdentity) => (i.kind === 'legal' ? `${i.persona.idnp}@${i.idno}` : i.persona.idnp);

export function msignRoutes(sb: Sandbox): Router {
  const r = Router();

  const page = async (req: Request, res: Response) => {
    const p = params(req);
    const lang: Lang = asLang(p.lang) ?? 'ro';
    const t = translator(lang);
    const requestId = String(req.params.requestId ?? '');
    const rec = sb.msign.requests.get(requestId);
    if (!rec || rec.status !== 'Pending') {
      renderPage(req, res, 'sign-unavailable', { lang, title: t('sign.title'), requestId, status: rec?.status }, rec ? 410 : 404);
      return;
    }
    const returnUrl = absoluteUrl(p.returnurl);
    const relayState = p.relaystate;
    const service = sb.msign.service(rec);
    const instrument = (INSTRUMENTS as readonly string[]).includes((p.instrument ?? '').toLowerCase()) ? p.instrument!.toLowerCase() : undefined;
    const view = (problem?: string, status = 200) =>
      renderPage(req, res, 'sign', {
        lang,
        title: t('sign.title'),
        rec,
        service,
        identities: sb.msign.identitiesFor(rec),
        identityValue,
        instruments: INSTRUMENTS,
        instrument,
        returnUrl,
        relayState,
        msisdn: p.msisdn ?? '',
        idnp: p.idnp ?? rec.request.expectedSigner?.id ?? '',
        problem,
        selected: p.persona ?? rec.request.expectedSigner?.id ?? '',
        // Language links keep the page's parameters even when the e-Service opened it with a POST.
        langHref: (l: Lang) => {
          const q = new URLSearchParams();
          if (returnUrl) q.set('ReturnUrl', returnUrl);
          if (relayState !== undefined) q.set('RelayState', relayState);
          if (instrument) q.set('Instrument', instrument);
          if (p.msisdn) q.set('MSISDN', p.msisdn);
          q.set('lang', l);
          return `/msign/${rec.id}?${q.toString()}`;
        },
      }, status);
    if (!returnUrl) {
      view(t('sign.returnUrlMissing'), 400);
      return;
    }
    const action = p.action;
    if (req.method !== 'POST' || (action !== 'sign' && action !== 'cancel')) {
      view();
      return;
    }
    const finished = (outcome: LocalizedMessage | null) => {
      const fields: Record<string, string> = { RequestID: rec.id };
      if (relayState !== undefined) fields.RelayState = relayState;
      if (!outcome) {
        deliver(req, res, { binding: 'HTTP-POST', action: returnUrl, fields }, { lang });
        return;
      }
      renderPage(req, res, 'sign-failed', { lang, title: t('sign.failed'), reason: localize(outcome, lang), form: { action: returnUrl, fields } });
    };
    if (action === 'cancel') {
      const reason: LocalizedMessage = { key: 'cancelled' };
      sb.msign.fail(rec, reason);
      finished(reason);
      return;
    }
    // Mobile signature identifies the signer by IDNP + MSISDN instead of a chosen persona (§5.1).
    const mobile = (p.instrument ?? instrument) === 'mobile' || (p.instrument ?? instrument) === 'mobisign';
    let chosen = p.persona;
    // A mobile signature is confirmed on the phone: without the number there is nothing to sign with.
    if (mobile && !p.msisdn?.trim()) {
      view(t('sign.needMsisdn'), 400);
      return;
    }
    if (mobile && p.idnp) {
      if (!/^\d{8,15}$/.test(p.msisdn ?? '')) {
        view(t('sign.badMsisdn'), 400);
        return;
      }
      chosen = p.idnp;
    }
    if (!chosen) {
      view(t('sign.choosePersona'), 400);
      return;
    }
    const identity = sb.msign.identityFromForm(rec, chosen);
    if (!identity) {
      view(t('sign.badIdnp'), 400);
      return;
    }
    finished(await sb.msign.sign(rec, identity));
  };
  r.get('/msign/:requestId', page);
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
