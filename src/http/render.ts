// One place that turns results and rejections into HTTP answers: pages, JSON, auto-post forms.
import type { NextFunction, Request, Response } from 'express';
import { SandboxError, ValidationError, type Rejection } from '../errors.js';
import type { Logger } from '../log.js';
import type { BindingContext } from '../mpass/bindings.js';
import { asLang, type Lang } from '../lang.js';
import { localizeRejection, translator } from './i18n.js';

export function pageLang(req: Request): Lang {
  return asLang(req.query.lang) ?? asLang((req.body as Record<string, unknown> | undefined)?.lang) ?? 'ro';
}

export function renderPage(req: Request, res: Response, view: string, locals: Record<string, unknown> = {}, status = 200): void {
  const lang = (locals.lang as Lang | undefined) ?? pageLang(req);
  const langHref = (locals.langHref as ((l: Lang) => string) | undefined) ?? ((l: Lang) => {
    const u = new URL(req.originalUrl, 'http://x');
    u.searchParams.set('lang', l);
    return req.method === 'GET' ? `${u.pathname}${u.search}` : `/?lang=${l}`;
  });
  res.status(status).set('Cache-Control', 'no-cache, no-store').render(view, { title: '', ...locals, lang, t: translator(lang), langHref });
}

/** Deliver a SAML message to the browser: auto-submitting form (HTTP-POST) or 302 (HTTP-Redirect). */
export function deliver(req: Request, res: Response, ctx: BindingContext, opts: { replay?: boolean; lang?: Lang } = {}): void {
  const lang = opts.lang ?? pageLang(req);
  if (ctx.binding === 'HTTP-Redirect' && opts.replay) {
    res.status(200).set({ 'Cache-Control': 'no-cache, no-store', 'Content-Type': 'text/html; charset=UTF-8' }).render('redirect-replay', { lang, t: translator(lang), location: ctx.location });
    return;
  }
  if (ctx.binding === 'HTTP-Redirect') {
    res.set('Cache-Control', 'no-cache, no-store').redirect(302, ctx.location);
    return;
  }
  res
    .status(200)
    .set({ 'Cache-Control': 'no-cache, no-store', Expires: 'Thu, 01 Jan 1970 00:00:00 GMT', 'Content-Type': 'text/html; charset=UTF-8' })
    .render('autopost', { lang, t: translator(lang), form: { action: ctx.action, fields: ctx.fields }, replay: !!opts.replay });
}

const isApi = (req: Request) => req.path.startsWith('/api/');

export function errorHandler(log: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    let status = 500;
    let rejections: Rejection[];
    const e = err as { type?: string; status?: number; limit?: number; message?: string };
    if (err instanceof SandboxError) {
      status = err.status;
      rejections = [err.rejection];
    } else if (err instanceof ValidationError) {
      status = 400;
      rejections = err.problems;
    } else if (e?.type === 'entity.too.large') {
      status = 413;
      rejections = [{ code: 'ERR_BODY_TOO_LARGE', where: '(body)', message: `The request body is larger than the ${e.limit} bytes allowed here.`, fix: 'Send a smaller body; the limits are in the README (MAX_SAML_BYTES, MAX_SOAP_BYTES).' }];
    } else if (e?.type === 'entity.parse.failed' || e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
      status = 400;
      rejections = [{ code: 'ERR_BODY_MALFORMED', where: '(body)', message: `The request body could not be parsed: ${e.message}`, fix: 'Send valid JSON (Content-Type: application/json) or a valid form body.' }];
    } else if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
      status = e.status;
      rejections = [{ code: 'ERR_BAD_REQUEST', where: '(request)', message: e.message ?? 'Bad request', fix: 'Check the request against the README.' }];
    } else {
      log.error('unexpected error', { path: req.path, error: (err as Error)?.stack ?? String(err) });
      rejections = [{ code: 'ERR_INTERNAL', where: req.path, message: 'The sandbox hit an unexpected error; it is logged and the sandbox keeps running.', fix: 'Retry; if it repeats, report the log line.' }];
    }
    if (status < 500) log.warn('rejected', { method: req.method, path: req.path, status, problems: rejections.map((r) => `${r.code} ${r.where}: ${r.message}`) });
    if (res.headersSent) return;
    if (isApi(req)) {
      res.status(status).json(rejections.length === 1 && !(err instanceof ValidationError) ? { error: rejections[0] } : { errors: rejections });
      return;
    }
    const lang = pageLang(req);
    renderPage(req, res, 'error', { rejections: rejections.map((r) => localizeRejection(r, lang)), title: 'Error', returnTo: err instanceof SandboxError ? err.returnTo : undefined }, status);
  };
}
