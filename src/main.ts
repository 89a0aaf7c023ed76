// `npm start`: read the configuration, build the sandbox, listen.
import { performance } from 'node:perf_hooks';
import { ConfigError, loadConfig } from './config.js';
import { buildApp } from './http/app.js';
import { startLine } from './http/render.js';
import { startMSignServer } from './msign/server.js';
import { createSandbox } from './sandbox.js';

const t0 = performance.now();
try {
  const config = loadConfig();
  // One line a person reads first; the JSON log lines that follow are for machines.
  process.stdout.write(`${startLine(config)}\n`);
  const sandbox = await createSandbox(config);
  const server = buildApp(sandbox).listen(config.port, () => {
    sandbox.log.info('MPass/MSign sandbox listening', {
      url: config.publicUrl,
      port: config.port,
      entityId: config.mpassEntityId,
      services: sandbox.registry.list().length,
      startupMs: Math.round(performance.now() - t0),
      api: config.adminToken ? 'writes need Authorization: Bearer $ADMIN_TOKEN' : 'open (set ADMIN_TOKEN to protect /api writes)',
    });
  });
  const msignServer = await startMSignServer(sandbox.msign, sandbox.pki, { port: config.msignTlsPort, publicHost: new URL(config.publicUrl).hostname, maxSoapBytes: config.maxSoapBytes });
  sandbox.log.info('MSign SOAP endpoint listening (mutual TLS)', { url: msignServer.url, wsdl: `${msignServer.url}?singleWsdl`, signingPages: `${config.publicUrl}/msign/{requestID}` });
  // Last resort: a bug in a callback must not take the sandbox down for every other test suite using it.
  process.on('uncaughtException', (e) => sandbox.log.error('uncaught exception (the sandbox keeps running)', { error: e.stack ?? String(e) }));
  process.on('unhandledRejection', (e) => sandbox.log.error('unhandled rejection (the sandbox keeps running)', { error: (e as Error)?.stack ?? String(e) }));
  const stop = () => {
    void msignServer.close();
    server.close(() => process.exit(0));
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
