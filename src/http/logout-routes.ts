// Single logout over HTTP: /logout/saml (both message kinds), the run page with its timeline, the
// sandbox's own Logout button and the headless API. The state machine lives in src/mpass/logout.ts.
import { Router, type Request, type Response } from 'express';
import { SandboxError } from '../errors.js';
import type { BindingContext } from '../mpass/bindings.js';
import { runView, type LogoutRun } from '../mpass/logout.js';
import type { Sandbox } from '../sandbox.js';
import { clearSsoCookie, readCookie, SSO_COOKIE } from './cookies.js';
import { httpInput } from './mpass-routes.js';
import { translator } from './i18n.js';
import { deliver, pageLang, renderPage } from './render.js';

export function logoutRoutes(sb: Sandbox): Router {
  const r = Router();
  // Service names in the page's language come from the registration itself (name.ro/ru/en); the states'
  // details the sandbox writes are translated, details a service sent stay as they came.
  const names = (req: Request) => {
    const lang = pageLang(req);
    const t = translator(lang);
    const known: Record<string, string> = { 'the logout finished before this service answered': t('logout.detail.finished') };
    return {
      nameOf: (tg: { serviceId: string; name: string }) => sb.registry.get(tg.serviceId)?.name[lang] ?? tg.name,
      detailOf: (tg: { detail?: string }) => (tg.detail ? known[tg.detail] ?? tg.detail : ''),
    };
  };
  const slo = sb.slo;

  const runOf = (req: Request): LogoutRun => {
    const run = slo.runs.get(String(req.params.id));
    if (!run) throw new SandboxError(410, { code: 'ERR_LOGOUT_EXPIRED', where: 'logout', message: 'This logout run is unknown or over (the sandbox may have restarted).', fix: 'Start the logout again from the service or from the sandbox home page.' });
    return run;
  };
  const runUrl = (req: Request, run: LogoutRun) => `/logout/run/${run.id}?lang=${pageLang(req)}`;

  const receive = (req: Request, res: Response) => {
    const out = slo.receive(httpInput(req), readCookie(req, SSO_COOKIE));
    if (out.kind === 'deliver') {
      if (out.run?.finished) clearSsoCookie(res);
      return deliver(req, res, out.context);
    }
    if (out.kind === 'run') return res.redirect(303, runUrl(req, out.run));
    // A LogoutResponse settled one target: inside an iframe say so; after a top-level hop, go back to the run.
    if (out.target.mode === 'top') return res.redirect(303, runUrl(req, out.run));
    renderPage(req, res, 'logout-frame-done', { title: 'Logout', target: out.target, runId: out.run.id });
  };
  r.get('/logout/saml', receive);
  r.post('/logout/saml', receive);

  // The sandbox's own Logout button (TC_FUNCT_05).
  r.post('/logout', (req, res) => {
    const session = sb.mpass.sessions.get(readCookie(req, SSO_COOKIE));
    if (!session) {
      clearSsoCookie(res);
      return renderPage(req, res, 'logout-done', { title: 'Logout', run: undefined, ...names(req) });
    }
    res.redirect(303, runUrl(req, slo.startForSession(session)));
  });

  r.get('/logout/run/:id', async (req, res) => {
    const run = runOf(req);
    if (!run.finished) await probeFraming(sb, run);
    renderPage(req, res, 'logout-run', { title: 'Logout', run: runView(run), ...names(req), timeoutMs: Math.max(0, run.deadline - sb.clock.nowMs()) });
  });
  r.get('/logout/run/:id/status', (req, res) => {
    const run = runOf(req);
    slo.expire(run);
    res.json({ ...runView(run), allSettled: slo.allSettled(run) });
  });
  const hop = (mode: 'frame' | 'top') => (req: Request, res: Response) => {
    const run = runOf(req);
    const t = slo.markSent(run, Number(req.params.index));
    if (!t || run.finished) throw new SandboxError(404, { code: 'ERR_LOGOUT_TARGET', where: 'index', message: 'No such service in this logout.', fix: 'Reload the logout page.' });
    if (mode === 'top') res.set('Cache-Control', 'no-store');
    deliver(req, res, t.context as BindingContext);
  };
  r.get('/logout/run/:id/frame/:index', hop('frame'));
  r.get('/logout/run/:id/top/:index', hop('top'));

  const finish = (req: Request, res: Response) => {
    const run = runOf(req);
    const context = slo.finish(run);
    clearSsoCookie(res);
    if (context) return deliver(req, res, context);
    renderPage(req, res, 'logout-done', { title: 'Logout', run: runView(run), ...names(req) });
  };
  r.get('/logout/run/:id/finish', finish);
  r.post('/logout/run/:id/finish', finish);

  // Headless logout for test suites: the sandbox plays the browser's part, posting each LogoutRequest to
  // the service and feeding the LogoutResponse it answers with back into /logout/saml.
  r.post('/api/sessions/:id/logout', async (req, res) => {
    const session = sb.mpass.sessions.get(String(req.params.id)) ?? sb.mpass.sessions.bySessionIndex(String(req.params.id));
    if (!session) {
      res.status(404).json({ error: { code: 'ERR_SESSION_NOT_FOUND', where: 'id', message: 'No live session with this id or SessionIndex.', found: req.params.id, fix: 'List live sessions with GET /api/sessions.' } });
      return;
    }
    const run = slo.startForSession(session);
    await Promise.all(run.targets.map((_t, i) => frontChannel(sb, run, i)));
    slo.finish(run);
    res.json(runView(run));
  });
  return r;
}

/** Services whose logout page refuses to be framed (X-Frame-Options / CSP frame-ancestors) go top-level. */
async function probeFraming(sb: Sandbox, run: LogoutRun & { probed?: boolean }): Promise<void> {
  if (run.probed) return;
  run.probed = true;
  const origin = new URL(sb.config.publicUrl).origin;
  await Promise.all(
    run.targets.map(async (t, i) => {
      try {
        const res = await fetch(t.destination, { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(800) });
        const xfo = res.headers.get('x-frame-options')?.toUpperCase();
        const fa = /frame-ancestors([^;]*)/i.exec(res.headers.get('content-security-policy') ?? '')?.[1]?.trim();
        const sameOrigin = new URL(t.destination).origin === origin;
        if ((xfo === 'DENY' || (xfo === 'SAMEORIGIN' && !sameOrigin)) && !fa) sb.slo.markRefusedFraming(run, i, `X-Frame-Options: ${xfo}`);
        else if (fa !== undefined && !fa.split(/\s+/).some((s) => s === '*' || s === origin || (s === "'self'" && sameOrigin))) sb.slo.markRefusedFraming(run, i, `Content-Security-Policy: frame-ancestors ${fa}`);
      } catch {
        /* unreachable or slow: try the iframe, the timeout decides */
      }
    }),
  );
}

async function frontChannel(sb: Sandbox, run: LogoutRun, index: number): Promise<void> {
  const t = sb.slo.markSent(run, index);
  if (!t || t.context.binding !== 'HTTP-POST') return;
  try {
    const signal = AbortSignal.timeout(Math.max(50, run.deadline - sb.clock.nowMs()));
    const res = await fetch(t.context.action, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(t.context.fields), redirect: 'manual', signal });
    const location = res.headers.get('location');
    if (location && res.status >= 300 && res.status < 400) {
      // HTTP-Redirect LogoutResponse: hand over the query exactly as sent (its signature covers the raw octets).
      const url = new URL(location, t.context.action);
      const rawQuery = url.search.slice(1);
      sb.slo.receive({ method: 'GET', query: Object.fromEntries(url.searchParams), body: undefined, rawQuery }, undefined);
      return;
    }
    const html = await res.text();
    const field = (name: string) => new RegExp(`name="${name}"[^>]*value="([^"]*)"`, 'i').exec(html)?.[1]?.replace(/&#x2B;|&#43;/g, '+').replace(/&#x3D;|&#61;/g, '=').replace(/&#x2F;|&#47;/g, '/').replace(/&amp;/g, '&');
    const samlResponse = field('SAMLResponse');
    if (!samlResponse) return;
    sb.slo.receive({ method: 'POST', query: {}, body: { SAMLResponse: samlResponse, RelayState: field('RelayState') }, rawQuery: '' }, undefined);
  } catch {
    /* no usable answer: settled as timeout (or by the rejection recorded) at finish */
  }
}
