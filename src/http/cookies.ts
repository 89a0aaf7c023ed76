import type { Request, Response } from 'express';

export const SSO_COOKIE = 'mpass_sso';

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) {
      // A value that is not valid percent-encoding was never set by the sandbox: treat it as no session.
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * The SSO cookie must reach /login/saml on a cross-site form POST from the service, so it is
 * SameSite=None; Secure — which browsers accept on https and on http://localhost. Elsewhere on plain
 * http it falls back to Lax (SSO then works for Redirect-binding requests only).
 */
export function setSsoCookie(res: Response, publicUrl: string, value: string, maxAgeSeconds: number): void {
  const u = new URL(publicUrl);
  const secureContext = u.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
  res.cookie(SSO_COOKIE, value, { httpOnly: true, path: '/', maxAge: maxAgeSeconds * 1000, sameSite: secureContext ? 'none' : 'lax', secure: secureContext });
}

export function clearSsoCookie(res: Response): void {
  res.clearCookie(SSO_COOKIE, { path: '/' });
}
