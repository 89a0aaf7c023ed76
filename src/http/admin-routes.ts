// Page sign-in for a sandbox run with ADMIN_TOKEN: the token is typed once, the browser keeps a derived
// session cookie (never the token), and signing out ends it. The API keeps `Authorization: Bearer`.
import { Router, type Request, type Response } from 'express';
import type { Config } from '../config.js';
import { ADMIN_COOKIE, sameSecret, type AdminGuard } from './admin-token.js';
import { readCookie } from './cookies.js';
import { pageLang, renderPage } from './render.js';

/** Only a path of this site: `//evil.example` or `/\evil.example` would leave it (open redirect). */
export function localPath(v: unknown): string {
  return typeof v === 'string' && /^\/(?![/\\])/.test(v) && !/[\r\n]/.test(v) ? v : '/';
}

export function adminRoutes(config: Config, guard: AdminGuard): Router {
  const r = Router();
  // SameSite=Strict: no other site can make the browser send it, so the forms need no extra CSRF token (the
  // Origin check of every write is the second line). Secure whenever the sandbox is reached over https.
  const secure = (req: Request) => req.secure || new URL(config.publicUrl).protocol === 'https:';
  const page = (req: Request, res: Response, status = 200, problem?: string) =>
    renderPage(req, res, 'signin', { title: 'Sign in', enabled: !!guard.token, next: localPath(req.query.next ?? (req.body as Record<string, unknown> | undefined)?.next), problem }, status);

  r.get('/signin', (req, res) => page(req, res));
  r.post('/signin', (req, res) => {
    const typed = (req.body as Record<string, unknown> | undefined)?.token;
    if (!guard.token) return page(req, res, 404);
    if (typeof typed !== 'string' || !sameSecret(typed, guard.token)) return page(req, res, 401, 'ERR_ADMIN_TOKEN');
    const { value, maxAgeSeconds } = guard.sessions!.issue();
    res.cookie(ADMIN_COOKIE, value, { httpOnly: true, sameSite: 'strict', secure: secure(req), path: '/', maxAge: maxAgeSeconds * 1000 });
    res.redirect(303, localPath((req.body as Record<string, unknown>).next));
  });
  r.post('/signout', (req, res) => {
    guard.sessions?.revoke(readCookie(req, ADMIN_COOKIE));
    res.clearCookie(ADMIN_COOKIE, { httpOnly: true, sameSite: 'strict', secure: secure(req), path: '/' });
    res.redirect(303, `/?lang=${pageLang(req)}`);
  });
  return r;
}
