// Optional ADMIN_TOKEN: when set, every /api write needs `Authorization: Bearer <token>`; reads stay open.
import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { SandboxError } from '../errors.js';
import type { Sandbox } from '../sandbox.js';

export function requireAdmin(sb: Sandbox) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!sb.config.adminToken || req.method === 'GET' || req.method === 'HEAD') return next();
    if (sameSecret(req.headers.authorization ?? '', `Bearer ${sb.config.adminToken}`)) return next();
    throw new SandboxError(401, { code: 'ERR_ADMIN_TOKEN', where: 'Authorization', message: 'This sandbox protects /api writes with ADMIN_TOKEN.', found: req.headers.authorization ? 'a different token' : '(no Authorization header)', fix: 'Send Authorization: Bearer <ADMIN_TOKEN>.' });
  };
}

/** Constant-time comparison, so the token cannot be guessed byte by byte from response times. */
function sameSecret(a: string, b: string): boolean {
  const x = crypto.createHash('sha256').update(a).digest();
  const y = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(x, y);
}
