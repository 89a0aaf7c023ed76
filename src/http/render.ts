// One place that turns results and rejections into HTTP answers: pages, JSON, auto-post forms.
import type { NextFunction, Request, Response } from 'express';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { statusOf } from '../catalogue.js';
import { SandboxError, ValidationError, localizeRejection, rejection, type Rejection } from '../errors.js';
import type { Logger } from '../log.js';
import type { BindingContext } from '../mpass/bindings.js';
import { asLang, type Lang } from '../lang.js';
import { faultText, personaLabel, translator } from './i18n.js';

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
  res.status(status).set('Cache-Control', 'no-cache, no-store').render(view, { title: '', ...locals, lang, t: translator(lang), langHref, when: (d: Date | string | number) => when(d, lang), personaLabel, faultText, esc: escapeHtml });
}

/** The MSign SOAP base URL people configure: the public host with the MSign TLS port (MSIGN.md §3.1). */
export function msignUrlOf(config: { publicUrl: string; msignTlsPort: number }): string {
  return `https://${new URL(config.publicUrl).hostname}:${config.msignTlsPort}`;
}

/** The one plain line `npm start` prints for a person, before the JSON log. */
export function startLine(config: { publicUrl: string; msignTlsPort: number }): string {
  return `Open ${config.publicUrl} — MSign on ${msignUrlOf(config)}`;
}

const LOCALE: Record<Lang, string> = { ro: 'ro-MD', ru: 'ru-MD', en: 'en-GB' };
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A time as people in Moldova read it: the page's language, Europe/Chisinau zone; the exact UTC instant in
 * the tooltip and the datetime attribute. Returns HTML (a <time> element) for <%- %>.
 */
export function when(d: Date | string | number, lang: Lang): string {
  const date = d instanceof Date ? d : new Date(d);
  if (Number.isNaN(date.getTime())) return escapeHtml(String(d));
  const local = new Intl.DateTimeFormat(LOCALE[lang], { timeZone: 'Europe/Chisinau', dateStyle: 'medium', timeStyle: 'medium' }).format(date);
  const iso = date.toISOString();
  return `<time datetime="${iso}" title="${iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC')}">${escapeHtml(local)}</time>`;
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

/**
 * The language of a JSON answer: ?lang= first, then the first of ro/ru/en in Accept-Language (by q),
 * else English — API clients that ask nothing keep today's English texts.
 */
export function apiLang(req: Request): Lang {
  const q = asLang(req.query.lang);
  if (q) return q;
  const header = String(req.headers['accept-language'] ?? '');
  const ranked = header
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const qv = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
      return { lang: asLang(tag?.split('-')[0]), q: qv === undefined ? 1 : Number(qv), i };
    })
    .filter((x): x is { lang: Lang; q: number; i: number } => !!x.lang && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return ranked[0]?.lang ?? 'en';
}

/** Errors of the HTTP layer itself (body parsers, multer, unknown throws) as catalogued rejections. */
function asRejections(err: unknown, req: Request, log: Logger): { status: number; rejections: Rejection[]; many: boolean } {
  const e = err as { type?: string; status?: number; limit?: number; message?: string };
  if (err instanceof SandboxError) return { status: err.status, rejections: [err.rejection], many: false };
  if (err instanceof ValidationError) return { status: statusOf('ERR_INVALID_FIELD'), rejections: err.problems, many: true };
  if (e?.type === 'entity.too.large') {
    return { status: statusOf('ERR_BODY_TOO_LARGE'), rejections: [rejection('ERR_BODY_TOO_LARGE', '(body)', { message: `The request body is larger than the ${e.limit} bytes allowed here.` })], many: false };
  }
  if (e?.type === 'entity.parse.failed' || e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    return { status: statusOf('ERR_BODY_MALFORMED'), rejections: [rejection('ERR_BODY_MALFORMED', '(body)', { message: `The request body could not be parsed: ${e.message}` })], many: false };
  }
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    return { status: e.status, rejections: [rejection('ERR_BAD_REQUEST', '(request)', { message: e.message ?? 'Bad request' })], many: false };
  }
  log.error('unexpected error', { path: req.path, error: (err as Error)?.stack ?? String(err) });
  return { status: statusOf('ERR_INTERNAL'), rejections: [rejection('ERR_INTERNAL', req.path)], many: false };
}

// Switching language on an error page keeps the error: the language links carry the rejections, sealed
// with a key of this process so that nobody can make the sandbox's own page show a text of their choosing.
const ERROR_KEY = randomBytes(32);
const seal = (payload: string) => createHmac('sha256', ERROR_KEY).update(payload).digest('base64url');

export function sealRejections(rejections: Rejection[], status: number): string {
  const payload = Buffer.from(JSON.stringify({ s: status, r: rejections })).toString('base64url');
  return `${payload}.${seal(payload)}`;
}

export function openRejections(token: unknown): { status: number; rejections: Rejection[] } | undefined {
  if (typeof token !== 'string' || token.length > 16384) return undefined;
  const [payload, mac] = token.split('.');
  if (!payload || !mac) return undefined;
  const expected = Buffer.from(seal(payload));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  try {
    const v = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { s: number; r: Rejection[] };
    return { status: v.s, rejections: v.r };
  } catch {
    return undefined;
  }
}

/** Where "back" goes on an error page: the page the person came from, if it is one of ours. */
function backHref(req: Request, lang: Lang): string {
  const ref = req.get('referer');
  if (ref) {
    try {
      const u = new URL(ref);
      if (u.host === req.get('host')) return `${u.pathname}${u.search}`;
    } catch {
      /* not a URL: fall back to home */
    }
  }
  return `/?lang=${lang}`;
}

export function renderError(req: Request, res: Response, status: number, rejections: Rejection[], returnTo?: SandboxError['returnTo']): void {
  const lang = pageLang(req);
  const token = sealRejections(rejections, status);
  renderPage(req, res, 'error', {
    status,
    rejections: rejections.map((r) => localizeRejection(r, lang)),
    title: translator(lang)(status === 404 ? 'error.notFound' : 'error.title'),
    back: backHref(req, lang),
    returnTo,
    langHref: (l: Lang) => `/error?lang=${l}&e=${encodeURIComponent(token)}`,
  }, status);
}

export function errorHandler(log: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const { status, rejections, many } = asRejections(err, req, log);
    if (status < 500) log.warn('rejected', { method: req.method, path: req.path, status, problems: rejections.map((r) => `${r.code} ${r.where}: ${r.message}`) });
    if (res.headersSent) return;
    if (isApi(req)) {
      const lang = apiLang(req);
      const shown = rejections.map((r) => localizeRejection(r, lang));
      res.status(status).set('Content-Language', lang).json(shown.length === 1 && !many ? { error: shown[0] } : { errors: shown });
      return;
    }
    renderError(req, res, status, rejections, err instanceof SandboxError ? err.returnTo : undefined);
  };
}
