// The sandbox's own pages: home (the MPass session of this browser) and the event log.
import { Router } from 'express';
import type { Sandbox } from '../sandbox.js';
import { SSO_COOKIE, readCookie } from './cookies.js';
import { SandboxError, rejection } from '../errors.js';
import { msignUrlOf, openRejections, renderError, renderPage } from './render.js';

export function pageRoutes(sb: Sandbox): Router {
  const r = Router();
  r.get('/', (req, res) => {
    const session = sb.mpass.sessions.get(readCookie(req, SSO_COOKIE));
    renderPage(req, res, 'home', { title: 'Home', session, services: sb.registry.list(), config: sb.config, entityId: sb.mpass.entityId, msignUrl: msignUrlOf(sb.config) });
  });
  // The language links of an error page (render.ts): the same rejections, in another language.
  r.get('/error', (req, res) => {
    const sealed = openRejections(req.query.e);
    if (!sealed) throw new SandboxError(rejection('ERR_NOT_FOUND', '/error', { message: 'This error page link is not valid (the sandbox may have restarted).', fix: 'Start again from the home page.' }));
    renderError(req, res, sealed.status, sealed.rejections);
  });
  return r;
}
