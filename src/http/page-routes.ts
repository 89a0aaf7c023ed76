// The sandbox's own pages: home (the MPass session of this browser) and the event log.
import { Router } from 'express';
import type { Sandbox } from '../sandbox.js';
import { SSO_COOKIE, readCookie } from './cookies.js';
import { renderPage } from './render.js';

export function pageRoutes(sb: Sandbox): Router {
  const r = Router();
  r.get('/', (req, res) => {
    const session = sb.mpass.sessions.get(readCookie(req, SSO_COOKIE));
    renderPage(req, res, 'home', { title: 'Home', session, services: sb.registry.list(), config: sb.config, entityId: sb.mpass.entityId });
  });
  r.get('/events', (req, res) => {
    renderPage(req, res, 'events', { title: 'Events', events: sb.events.list(200) });
  });
  return r;
}
