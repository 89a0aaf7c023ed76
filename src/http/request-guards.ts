// Checks every request passes before any route sees it: the Host it was sent to (DNS rebinding), where a
// state-changing request comes from (CSRF), what a JSON route accepts, and the headers every page carries.
// Each check is a small function of the request; the middlewares only turn a refusal into an answer.
import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Config } from '../config.js';
import { SandboxError, type Rejection } from '../errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Endpoints that must accept cross-site form POSTs: the SAML HTTP-POST binding delivers AuthnRequests,
 * LogoutRequests and LogoutResponses from the service's pages (SAML Bindings §3.5, MPASS.md §2.2), and an
 * e-service may open the MSign signing page with a POST (MSIGN.md §5.1). Their own checks (signatures,
 * pending ids, the signing page token) protect them instead.
 */
export const CROSS_SITE_ENDPOINTS: RegExp[] = [/^\/login\/saml\/?$/i, /^\/logout\/saml\/?$/i, /^\/msign\/[^/]+\/?$/i];

/** `host[:port]` → [lower-case host name, port or undefined]. IPv6 literals keep their brackets. */
function splitHost(value: string): [string, string | undefined] {
  const v = value.trim().toLowerCase();
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(v);
  return m ? [m[1]!, m[2]] : [v, undefined];
}

/**
 * Whether `host` (a Host header) names this sandbox: PUBLIC_URL's host (with its port), an ALLOWED_HOSTS
 * entry (an entry without a port allows any port), or a loopback name on PUBLIC_URL's port or on the
 * port the connection actually arrived at (tests and `docker run -p` bind ephemeral or mapped ports).
 */
export function hostAllowed(config: Pick<Config, 'publicUrl' | 'allowedHosts'>, host: string, localPort?: number): boolean {
  const [name, port] = splitHost(host);
  if (!name) return false;
  const pub = new URL(config.publicUrl);
  const pubPort = pub.port || (pub.protocol === 'https:' ? '443' : '80');
  const effective = port ?? pubPort;
  if (name === pub.hostname.toLowerCase() && effective === pubPort) return true;
  if (LOOPBACK.has(name) && (effective === pubPort || (localPort !== undefined && effective === String(localPort)))) return true;
  return config.allowedHosts.some((entry) => {
    const [n, p] = splitHost(entry);
    return n === name && (p === undefined || p === effective);
  });
}

export function hostGuard(config: Config) {
  const expected = () => [new URL(config.publicUrl).host, ...config.allowedHosts, 'localhost/127.0.0.1 on the listening port'].join(', ');
  return (req: Request, _res: Response, next: NextFunction) => {
    // Container and orchestrator probes address the process by IP; /health reveals only counts.
    if (req.path === '/health' && SAFE_METHODS.has(req.method)) return next();
    const hosts = [req.headers.host ?? ''];
    // A trusted (loopback) proxy may say which name the browser used.
    const forwarded = req.headers['x-forwarded-host'];
    if (typeof forwarded === 'string' && req.app.get('trust proxy fn')(req.socket.remoteAddress, 0)) hosts.push(forwarded.split(',')[0]!.trim());
    const bad = hosts.find((h) => !hostAllowed(config, h, req.socket.localPort));
    if (bad === undefined) return next();
    next(
      new SandboxError(421, {
        code: 'ERR_HOST_NOT_ALLOWED',
        where: 'Host',
        message: 'This sandbox does not answer to this host name (a page reaching it through another name could be a DNS-rebinding attack).',
        found: bad || '(no Host header)',
        expected: expected(),
        fix: `Open the sandbox at ${config.publicUrl}, or add this host name to ALLOWED_HOSTS (comma-separated, e.g. ALLOWED_HOSTS=${splitHost(bad)[0] || 'sandbox.example.test'}).`,
      }),
    );
  };
}

/**
 * Why a state-changing request is refused as cross-site, or undefined. Browsers send `Origin` on every
 * POST (and `Sec-Fetch-Site`); a client that sends neither is not a browser and cannot be a victim of CSRF.
 */
export function crossSiteProblem(req: Request, publicUrl: string): Rejection | undefined {
  if (SAFE_METHODS.has(req.method) || CROSS_SITE_ENDPOINTS.some((re) => re.test(req.path))) return undefined;
  const origin = req.headers.origin;
  const site = req.headers['sec-fetch-site'];
  // The origin the browser used: PUBLIC_URL, or the (already allowed) Host / trusted X-Forwarded-Host it sent.
  const own = new Set([new URL(publicUrl).origin, `${req.protocol}://${req.headers.host ?? ''}`, `${req.protocol}://${req.host ?? ''}`]);
  const fix = 'Use the sandbox pages themselves (same origin), or call the API from a test suite or curl (no browser Origin). Cross-site pages cannot change the sandbox.';
  if (origin !== undefined) {
    if (own.has(origin)) return undefined;
    return { code: 'ERR_CROSS_SITE_REQUEST', where: 'Origin', message: 'A page of another site tried to change this sandbox (cross-site request refused).', found: origin, expected: [...own].join(' or '), fix };
  }
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return { code: 'ERR_CROSS_SITE_REQUEST', where: 'Sec-Fetch-Site', message: 'A page of another site tried to change this sandbox (cross-site request refused).', found: String(site), expected: 'same-origin', fix };
  }
  return undefined;
}

export function crossSiteGuard(config: Config) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const problem = crossSiteProblem(req, config.publicUrl);
    next(problem ? new SandboxError(403, problem) : undefined);
  };
}

/**
 * The JSON API takes JSON only. A form or text/plain body is what a cross-site HTML form can send
 * without a CORS preflight; refusing it also stops such a body being half-understood as fields.
 */
export function jsonOnly() {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const length = Number(req.headers['content-length'] ?? 0);
    const hasBody = req.headers['transfer-encoding'] !== undefined || length > 0;
    if (!hasBody || req.is(['application/json', 'application/*+json'])) return next();
    next(
      new SandboxError(415, {
        code: 'ERR_UNSUPPORTED_MEDIA_TYPE',
        where: 'Content-Type',
        message: 'The API accepts JSON bodies only.',
        found: req.headers['content-type'] ?? '(none)',
        expected: 'application/json',
        fix: 'Send the body as JSON with Content-Type: application/json.',
      }),
    );
  };
}

/**
 * Headers on every answer. The pages' inline scripts (auto-post forms, the logout timeline) run under a
 * per-response nonce (res.locals.cspNonce). frame-src and form-action stay open: the auto-post forms and
 * the single-logout iframes deliver SAML messages to each service's own URLs (MPASS.md §2.2, §5.4).
 * Inline styles are allowed: every value on the pages is HTML-escaped, styles carry no script.
 */
export function securityHeaders() {
  return (_req: Request, res: Response, next: NextFunction) => {
    const nonce = crypto.randomBytes(16).toString('base64');
    res.locals.cspNonce = nonce;
    res.set({
      'Content-Security-Policy': [
        "default-src 'self'",
        `script-src 'nonce-${nonce}'`,
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        'frame-src http: https:',
        "frame-ancestors 'self'",
        "object-src 'none'",
        "base-uri 'none'",
      ].join('; '),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'strict-origin-when-cross-origin',
      'X-Frame-Options': 'SAMEORIGIN',
    });
    next();
  };
}
