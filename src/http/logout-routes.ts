// Single logout over HTTP: /logout/saml (both message kinds), the run page with its timeline, the
// sandbox's own Logout button and the headless API. The state machine lives in src/mpass/logout.ts, the
// headless front channel in src/mpass/front-channel.ts; these routes only render what they return.
import { Router, type Request, type Response } from 'express';
import { SandboxError } from '../errors.js';
import type { BindingContext } from '../mpass/bindings.js';
import { logoutHeadless } from '../mpass/front-channel.js';
import { runView, TIMEOUT_CAUSES, type LogoutRun } from '../mpass/logout.js';
import type { Sandbox } from '../sandbox.js';
import { sessionBySessionIndex } from './api-routes.js';
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
    // The likely causes of a timeout are the core's fixed list (TIMEOUT_CAUSES): shown in the page's language.
    const causes = Object.fromEntries(TIMEOUT_CAUSES.map((c, i) => [c, t(`logout.cause.${i}` as 'logout.cause.0')]));
    return {
      causes,
      causeOf: (c: string) => causes[c] ?? c,
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
    // A LogoutResponse settled one target: it arrived inside the target's iframe, which says so.
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

  r.get('/logout/run/:id', (req, res) => {
    const run = runOf(req);
    renderPage(req, res, 'logout-run', { title: 'Logout', run: runView(run), ...names(req), timeoutMs: Math.max(0, run.deadline - sb.clock.nowMs()) });
  });
  r.get('/logout/run/:id/status', (req, res) => {
    const run = runOf(req);
    slo.expire(run);
    res.json({ ...runView(run), allSettled: slo.allSettled(run) });
  });
  // The hidden iframe of one target: the auto-post page carrying its LogoutRequest (MPASS.md §8.2 step 2).
  r.get('/logout/run/:id/frame/:index', (req, res) => {
    const run = runOf(req);
    const t = slo.markSent(run, Number(req.params.index));
    if (!t) throw new SandboxError(404, { code: 'ERR_LOGOUT_TARGET', where: 'index', message: 'No such service in this logout, or the logout is over.', fix: 'Reload the logout page.' });
    deliver(req, res, t.context as BindingContext);
  });

  const finish = (req: Request, res: Response) => {
    const run = runOf(req);
    const context = slo.finish(run);
    clearSsoCookie(res);
    if (context) return deliver(req, res, context);
    renderPage(req, res, 'logout-done', { title: 'Logout', run: runView(run), ...names(req) });
  };
  r.get('/logout/run/:id/finish', finish);
  r.post('/logout/run/:id/finish', finish);

  // Headless logout for test suites: the sandbox plays the browser's part (src/mpass/front-channel.ts).
  r.post('/api/sessions/:sessionIndex/logout', async (req, res) => {
    const session = sessionBySessionIndex(sb, String(req.params.sessionIndex));
    res.json(runView(await logoutHeadless(slo, session)));
  });
  return r;
}
