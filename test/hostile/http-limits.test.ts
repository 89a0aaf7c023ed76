// Issue 9, the HTTP listener (src/net/limits.ts, built by main.ts): a slow body is dropped after
// REQUEST_TIMEOUT_MS, a connection that never sends its headers after HEADERS_TIMEOUT_MS, and connections above
// MAX_CONNECTIONS are closed at once — while /health keeps answering.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type http from 'node:http';
import { httpLimits, listenHttp, portOf } from '../../src/net/limits.js';
import { startSandbox, type Sandbox } from '../helpers.js';
import { HEALTH_MS, probeHealth } from './health-probe.js';

let sb: Sandbox;
let server: http.Server;
beforeAll(async () => {
  sb = await startSandbox({ headersTimeoutMs: 500, requestTimeoutMs: 1500, maxConnections: 50 });
  server = await listenHttp(sb.app, httpLimits(sb.config), 0, '127.0.0.1');
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

const connect = () =>
  new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect(portOf(server), '127.0.0.1', () => resolve(s));
    s.on('error', reject);
  });

describe('HTTP listener limits', () => {
  it('a slow body (a byte every 100 ms) is answered 408 and dropped after REQUEST_TIMEOUT_MS; a silent connection after HEADERS_TIMEOUT_MS', async () => {
    const probe = await probeHealth(sb);
    const slow = await connect();
    const t0 = performance.now();
    slow.write('POST /api/services HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{');
    const drip = setInterval(() => slow.writable && slow.write(' '), 100);
    let answer = '';
    slow.on('data', (c: Buffer) => (answer += c.toString()));
    const slowClosed = new Promise<number>((r) => slow.on('close', () => r(performance.now() - t0)));
    const silent = await connect();
    const t1 = performance.now();
    const silentClosed = new Promise<number>((r) => silent.on('close', () => r(performance.now() - t1)));
    const [slowMs, silentMs] = await Promise.all([slowClosed, silentClosed]);
    clearInterval(drip);
    const health = await probe.stop();
    expect(slowMs).toBeGreaterThanOrEqual(1400);
    expect(slowMs).toBeLessThan(4000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(silentMs).toBeLessThan(3000);
    expect(health.failures).toBe(0);
    expect(health.maxMs).toBeLessThan(HEALTH_MS);
  }, 20_000);

  it('connections above MAX_CONNECTIONS are closed at once; /health is served again as soon as they go', async () => {
    const sockets: net.Socket[] = [];
    const closed: number[] = [];
    try {
      for (let i = 0; i < 200; i++) {
        const s = await connect().catch(() => undefined);
        if (!s) continue;
        s.on('close', () => closed.push(i));
        sockets.push(s);
      }
      await new Promise((r) => setTimeout(r, 300));
      expect(closed.length).toBeGreaterThanOrEqual(140); // 200 opened, the cap is 50 (the probe may hold one)
    } finally {
      for (const s of sockets) s.destroy();
    }
    await new Promise((r) => setTimeout(r, 100));
    const res = await fetch(`http://127.0.0.1:${portOf(server)}/health`);
    expect(res.status).toBe(200);
  }, 20_000);
});
