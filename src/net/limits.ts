// Connection limits shared by both listeners (the HTTP app and the MSign TLS endpoint). Node's defaults
// suit a trusted network, not a sandbox shared by many teams: a TLS handshake may stall 120 s, a request
// body 300 s, and the number of open connections is unbounded, so one client with idle sockets could hold
// the process for everyone. Each limit is a setting (src/config.ts, README "Running a shared sandbox").
import http from 'node:http';
import type https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config.js';

export interface ConnectionLimits {
  maxConnections: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /** TLS listeners only. */
  tlsHandshakeTimeoutMs: number;
}

export const httpLimits = (c: Config): ConnectionLimits => ({
  maxConnections: c.maxConnections,
  headersTimeoutMs: c.headersTimeoutMs,
  requestTimeoutMs: c.requestTimeoutMs,
  keepAliveTimeoutMs: c.keepAliveTimeoutMs,
  tlsHandshakeTimeoutMs: c.tlsHandshakeTimeoutMs,
});

export const msignLimits = (c: Config): ConnectionLimits => ({ ...httpLimits(c), maxConnections: c.msignMaxConnections });

/**
 * Options for http(s).createServer. Node enforces headersTimeout/requestTimeout only when it sweeps the
 * connection list (connectionsCheckingInterval, 30 s by default), so the sweep runs often enough for the
 * shortest timeout to mean what it says.
 */
export function serverOptions(l: ConnectionLimits): http.ServerOptions {
  return {
    headersTimeout: l.headersTimeoutMs,
    requestTimeout: l.requestTimeoutMs,
    keepAliveTimeout: l.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(l.headersTimeoutMs / 4))),
  };
}

/** What createServer does not take as an option. Above maxConnections node closes new sockets at once. */
export function applyLimits(server: http.Server | https.Server, l: ConnectionLimits): void {
  server.maxConnections = l.maxConnections;
  server.headersTimeout = l.headersTimeoutMs;
  server.requestTimeout = l.requestTimeoutMs;
  server.keepAliveTimeout = l.keepAliveTimeoutMs;
  // Node starts headersTimeout at a request's first byte: a connection that never sends one would stay open
  // until the process ends. It gets the same time to start as a request gets for its headers.
  server.on('connection', (socket: import('node:net').Socket) => {
    const timer = setTimeout(() => {
      if (socket.bytesRead === 0) socket.destroy();
    }, l.headersTimeoutMs);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  });
}

/** The HTTP listener of the app (main.ts), with the limits applied. */
export function listenHttp(handler: http.RequestListener, limits: ConnectionLimits, port: number, host?: string): Promise<http.Server> {
  const server = http.createServer(serverOptions(limits), handler);
  applyLimits(server, limits);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

export const portOf = (server: http.Server): number => (server.address() as AddressInfo).port;
