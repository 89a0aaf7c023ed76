// The express app: body limits, views, the route groups, one error handler. No protocol logic here.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { Sandbox } from '../sandbox.js';
import { SandboxError, rejection } from '../errors.js';
import { adminRoutes } from './admin-routes.js';
import { adminGuard, requireAdmin } from './admin-token.js';
import { apiRoutes } from './api-routes.js';
import { conformanceRoutes } from './conformance-routes.js';
import { mpassRoutes } from './mpass-routes.js';
import { msignRoutes } from './msign-routes.js';
import { logoutRoutes } from './logout-routes.js';
import { inspectorRoutes } from './inspector-routes.js';
import { pageRoutes } from './page-routes.js';
import { tryRoutes } from './try-routes.js';
import { errorHandler } from './render.js';
import { registryRoutes } from './registry-routes.js';
import { crossSiteGuard, hostGuard, jsonOnly, securityHeaders } from './request-guards.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', ...(import.meta.url.includes('/dist/') ? ['..'] : []));

export function buildApp(sb: Sandbox): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.set('views', path.join(root, 'views'));
  app.set('view engine', 'ejs');
  // Compile each template once. Express caches views only when NODE_ENV=production, so `npm start` re-read and
  // re-compiled the auto-post page from disk on every login (ejs compile + a synchronous read in the CPU profile).
  // The views ship with the build; editing one now needs a restart, like editing the code.
  app.set('view cache', true);
  app.set('query parser', 'simple');
  // Before any body is read: who may ask (Host, Origin, ADMIN_TOKEN) and in which form (issue 9, access).
  const guard = adminGuard(sb.config.adminToken);
  app.use(securityHeaders());
  app.use(hostGuard(sb.config));
  app.use(crossSiteGuard(sb.config));
  app.use('/api', jsonOnly());
  app.use(requireAdmin(guard));
  // SAML forms carry base64 XML: the limit is MAX_SAML_BYTES of XML, ~4/3 of it in base64, plus RelayState.
  app.use(express.urlencoded({ extended: false, limit: Math.ceil(sb.config.maxSamlBytes * 1.4) + 64 * 1024, parameterLimit: 200 }));
  app.use(express.json({ limit: '1mb' }));

  app.get('/health', (_req, res) => {
    const m = process.memoryUsage();
    const mb = (n: number) => Math.round((n / 2 ** 20) * 10) / 10;
    res.json({
      status: 'ok',
      services: sb.registry.list().length,
      sessions: sb.mpass.sessions.size,
      time: sb.clock.now().toISOString(),
      memoryMb: { rss: mb(m.rss), heapUsed: mb(m.heapUsed), heapTotal: mb(m.heapTotal), external: mb(m.external), arrayBuffers: mb(m.arrayBuffers) },
    });
  });
  app.use(adminRoutes(sb.config, guard));
  app.use(mpassRoutes(sb));
  app.use(logoutRoutes(sb));
  app.use(msignRoutes(sb));
  app.use(registryRoutes(sb));
  app.use(apiRoutes(sb));
  app.use(conformanceRoutes(sb));
  app.use(inspectorRoutes(sb));
  app.use(tryRoutes(sb));
  app.use(pageRoutes(sb));
  // Unknown URLs: JSON for /api, otherwise the error page in the page's language with links home.
  app.use((req, _res, next) => {
    const api = req.path.startsWith('/api/');
    next(new SandboxError(rejection('ERR_NOT_FOUND', req.path, { message: `No route ${req.method} ${req.path}.`, fix: api ? 'See GET /api/openapi.json for every route.' : undefined })));
  });
  app.use(errorHandler(sb.log));
  return app;
}
