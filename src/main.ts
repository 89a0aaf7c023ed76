// `npm start`: read the configuration, build the sandbox, listen.
import { performance } from 'node:perf_hooks';
import { ConfigError, loadConfig } from './config.js';
import { buildApp } from './http/app.js';
import { listenMain } from './http/serve.js';
import { startLine } from './http/render.js';
import { startMSignServer } from './msign/server.js';
import { msignLimits } from './net/limits.js';
import { createSandbox } from './sandbox.js';

const t0 = performance.now();
try {
  const config = loadConfig();
  // One line a person reads first; the JSON log lines that follow are for machines.
  process.stdout.write(`${startLine(config)}\n`);
  const sandbox = await createSandbox(config);
  const main = await listenMain(buildApp(sandbox), config, sandbox.pki.ca, sandbox.log);
  sandbox.log.info('MPass/MSign sandbox listening', {
    url: config.publicUrl,
    port: main.port,
    tls: main.tls,
    ...(main.redirect ? { httpRedirectPort: config.httpRedirectPort } : {}),
    entityId: config.mpassEntityId,
    services: sandbox.registry.list().length,
    startupMs: Math.round(performance.now() - t0),
    access: config.adminToken ? 'ADMIN_TOKEN set: writes and traffic reads need it (API: Authorization: Bearer; pages: /signin)' : 'open (set ADMIN_TOKEN to protect writes and traffic reads)',
    allowedHosts: [new URL(config.publicUrl).host, ...config.allowedHosts, 'loopback on the listening port'],
  });
  const msignServer = await startMSignServer(sandbox.msign, sandbox.pki, { port: config.msignTlsPort, publicHost: new URL(config.publicUrl).hostname, maxSoapBytes: config.maxSoapBytes, limits: msignLimits(config) });
  sandbox.log.info('MSign SOAP endpoint listening (mutual TLS)', { url: msignServer.url, wsdl: `${msignServer.url}?singleWsdl`, signingPages: `${config.publicUrl}/msign/{requestID}` });
  // Last resort: a bug in a callback must not take the sandbox down for every other test suite using it.
  process.on('uncaughtException', (e) => sandbox.log.error('uncaught exception (the sandbox keeps running)', { error: e.stack ?? String(e) }));
  process.on('unhandledRejection', (e) => sandbox.log.error('unhandled rejection (the sandbox keeps running)', { error: (e as Error)?.stack ?? String(e) }));
  const stop = () => {
    void Promise.all([msignServer.close(), main.close()]).then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} catch (e) {
  if (e instanceof ConfigError) {
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  }
  throw e;
}
