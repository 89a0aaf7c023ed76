// Optional ADMIN_TOKEN: when set, every state-changing route outside the protocol endpoints, and the reads that
// reveal other teams' traffic, need it — as `Authorization: Bearer <token>` (API, scripts) or as the
// signed-in cookie of the pages (/signin). The protocol endpoints stay open: services and browsers call them.
import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { SandboxError } from '../errors.js';
import { readCookie } from './cookies.js';

export const ADMIN_COOKIE = 'mpass_admin';
/** How long a page sign-in lasts. */
export const ADMIN_SESSION_SECONDS = 12 * 3600;

/**
 * Express matches routes case-insensitively (`/API/Events` reaches `/api/events`), so these lists do too.
 *
 * Writes a browser or a service must be able to make without the token: the MPass and MSign protocol
 * endpoints and pages (login, logout, signing), and signing in/out itself. Every other non-GET route needs
 * the token, so a route added later is protected unless it is listed here.
 */
const OPEN_WRITES: RegExp[] = [
  /^\/login\/saml(\/continue)?\/?$/i,
  /^\/logout\/saml\/?$/i,
  /^\/logout\/?$/i,
  /^\/logout\/run\/[^/]+\/finish\/?$/i,
  /^\/msign\/[^/]+\/?$/i,
  /^\/signin\/?$/i,
  /^\/signout\/?$/i,
];
/** Reads that reveal other teams' traffic or test set-up, and the forms whose only use is a protected write. */
const PROTECTED_READS: RegExp[] = [
  /^\/api\/events\/?$/i,
  /^\/api\/sessions(\/.*)?$/i,
  /^\/api\/msign\/requests\/?$/i,
  /^\/api\/script\/?$/i,
  /^\/events\/?$/i,
  /^\/services\/new\/?$/i,
  /^\/services\/[^/]+\/edit\/?$/i,
];

export function needsAdmin(method: string, path: string): boolean {
  if (method === 'HEAD') method = 'GET';
  if (method === 'GET') return PROTECTED_READS.some((re) => re.test(path));
  if (method === 'OPTIONS') return false;
  return !OPEN_WRITES.some((re) => re.test(path));
}

/** Constant-time comparison, so the token cannot be guessed byte by byte from response times. */
export function sameSecret(a: string, b: string): boolean {
  const x = crypto.createHash('sha256').update(a).digest();
  const y = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(x, y);
}

/**
 * Page sign-in without putting the token in a cookie: the cookie is `v1.<expiry>.<nonce>.<mac>`, the MAC keyed
 * by a key derived from ADMIN_TOKEN (so changing the token signs everyone out, and the cookie never reveals it).
 * Signing out revokes the nonce in memory until the cookie would have expired anyway.
 */
export class AdminSessions {
  private readonly key: Buffer;
  private readonly revoked = new Map<string, number>();

  constructor(
    token: string,
    private readonly nowMs: () => number,
  ) {
    this.key = crypto.createHmac('sha256', token).update('mpass-sandbox admin page session v1').digest();
  }

  issue(): { value: string; maxAgeSeconds: number } {
    const expiry = Math.floor(this.nowMs() / 1000) + ADMIN_SESSION_SECONDS;
    const body = `v1.${expiry}.${crypto.randomBytes(18).toString('base64url')}`;
    return { value: `${body}.${this.mac(body)}`, maxAgeSeconds: ADMIN_SESSION_SECONDS };
  }

  valid(value: string | undefined): boolean {
    const parts = value?.split('.') ?? [];
    if (parts.length !== 4 || parts[0] !== 'v1') return false;
    const body = parts.slice(0, 3).join('.');
    if (!sameSecret(parts[3]!, this.mac(body))) return false;
    const expiry = Number(parts[1]);
    return Number.isInteger(expiry) && expiry * 1000 > this.nowMs() && !this.revoked.has(parts[2]!);
  }

  revoke(value: string | undefined): void {
    if (!this.valid(value)) return;
    const [, expiry, nonce] = value!.split('.');
    const now = this.nowMs();
    for (const [n, until] of this.revoked) if (until <= now) this.revoked.delete(n);
    this.revoked.set(nonce!, Number(expiry) * 1000);
  }

  private mac(body: string): string {
    return crypto.createHmac('sha256', this.key).update(body).digest('base64url');
  }
}

/** The guard's view of the configuration: the token, and the page sign-ins made with it. */
export interface AdminGuard {
  token?: string;
  sessions?: AdminSessions;
}

/** Page sign-ins use the real clock, not the sandbox clock: moving the test clock must not sign anyone in or out. */
export function adminGuard(token: string | undefined): AdminGuard {
  return { token, sessions: token ? new AdminSessions(token, () => Date.now()) : undefined };
}

export function isAdmin(guard: AdminGuard, req: Request): boolean {
  if (!guard.token) return true;
  if (sameSecret(req.headers.authorization ?? '', `Bearer ${guard.token}`)) return true;
  return guard.sessions!.valid(readCookie(req, ADMIN_COOKIE));
}

/** Pages get a redirect to the sign-in page (reads) or a page saying why (writes); the API a 401 JSON error. */
export function requireAdmin(guard: AdminGuard) {
  return (req: Request, res: Response, next: NextFunction) => {
    const admin = isAdmin(guard, req);
    // The page header shows Sign in / Sign out from this.
    res.locals.admin = { required: !!guard.token, signedIn: !!guard.token && admin };
    if (admin || !needsAdmin(req.method, req.path)) return next();
    const api = req.path.toLowerCase().startsWith('/api/');
    if (!api && req.method === 'GET') {
      res.redirect(303, `/signin?next=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    next(
      new SandboxError(401, api
        ? { code: 'ERR_ADMIN_TOKEN', where: 'Authorization', message: 'This sandbox runs with ADMIN_TOKEN: this route needs it.', found: req.headers.authorization ? 'a different token' : '(no Authorization header)', fix: 'Send Authorization: Bearer <ADMIN_TOKEN>.' }
        : { code: 'ERR_ADMIN_TOKEN', where: ADMIN_COOKIE, message: 'This sandbox runs with ADMIN_TOKEN: changing services needs the administrator to be signed in.', found: readCookie(req, ADMIN_COOKIE) ? 'an expired or signed-out sign-in' : '(not signed in)', fix: 'Sign in at /signin with the ADMIN_TOKEN, then submit the form again.' }),
    );
  };
}
