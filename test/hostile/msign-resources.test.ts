// Issue 9, MSign listener: the caller is authenticated before its body is read, idle and slow connections
// are bounded, and the WSDL announces the configured address whatever Host header arrives. Every attack runs
// with the /health probe beside it (< 200 ms).
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, faultOf, rawSoap, registerConsumer, sha1, startMSign, type MSignFixture, type Tls } from '../msign/helpers.js';
import { HEALTH_MS, probeHealth } from './health-probe.js';

let f: MSignFixture;
beforeAll(async () => {
  // Short timeouts so the test sees them act; the defaults are documented in the README ("Limits").
  f = await startMSign({ tlsHandshakeTimeoutMs: 500, headersTimeoutMs: 500, requestTimeoutMs: 1500, msignMaxConnections: 100 });
});
afterAll(async () => {
  await f?.close();
});

const port = () => Number(new URL(f.url).port);
const VALID = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><PostSignRequest xmlns="https://msign.gov.md"><request><ContentType>Hash</ContentType><Contents><SignContent><Content>${sha1('limits').toString('base64')}</Content><CorrelationID>c1</CorrelationID></SignContent></Contents><ShortContentDescription>Limits</ShortContentDescription></request></PostSignRequest></s:Body></s:Envelope>`;

/**
 * Stream `total` bytes of SOAP-looking body from one reused 1 MiB chunk, honouring back-pressure (so the client
 * itself buffers nothing), until the server answers or closes. Reports how much had been sent when it answered.
 */
function upload(total: number, tlsId: Tls | null): Promise<{ status: number; body: string; sentWhenAnswered: number; sent: number }> {
  const chunk = Buffer.alloc(1024 * 1024, '<x/>');
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered: { status: number; body: string; sentWhenAnswered: number } | undefined;
    const req = https.request({
      host: '127.0.0.1', port: port(), path: '/MSign.svc', method: 'POST', agent: false, ca: f.sb.pki.ca.certificatePem, servername: 'localhost',
      key: tlsId?.key, cert: tlsId?.cert,
      headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: ACTION('PostSignRequest'), 'Content-Length': total },
    }, (res) => {
      const sentWhenAnswered = sent;
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => {
        answered = { status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8'), sentWhenAnswered };
        req.destroy();
        resolve({ ...answered, sent });
      });
    });
    req.on('error', (e) => (answered ? undefined : reject(e)));
    const pump = () => {
      while (sent < total && !answered && !req.destroyed) {
        const n = Math.min(chunk.length, total - sent);
        sent += n;
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
          req.once('drain', pump);
          return;
        }
      }
      if (sent >= total) req.end();
    };
    pump();
  });
}

const MB = 1024 * 1024;

describe('MSign authenticates the TLS client before reading the body (MSIGN.md §2)', () => {
  it('50 MB bodies without a client certificate, with an unknown one and from a wrong IP: AuthenticationFailed before the body is read, no heap growth, /health < 200 ms', async () => {
    const unknown = f.sb.pki.issueServiceCertificate('not-registered.localhost');
    const elsewhere = await registerConsumer(f.sb, 'natural', ['192.0.2.10']);
    const probe = await probeHealth(f.sb);
    const base = process.memoryUsage();
    let peak = 0;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peak = Math.max(peak, m.heapUsed + m.arrayBuffers - base.heapUsed - base.arrayBuffers);
    }, 10);
    const results = await Promise.all([
      upload(50 * MB, null),
      upload(50 * MB, null),
      upload(50 * MB, { key: unknown.privateKeyPem, cert: unknown.certificatePem }),
      upload(50 * MB, elsewhere.tls),
    ]);
    clearInterval(sampler);
    const health = await probe.stop();
    for (const [i, r] of results.entries()) {
      expect(r.status, r.body.slice(0, 200)).toBe(500);
      expect(faultOf(r.body)?.code).toBe('AuthenticationFailed');
      // answered while the upload was still far from done: the server did not wait for (or keep) the body
      expect(r.sentWhenAnswered, `upload ${i}`).toBeLessThan(16 * MB);
    }
    expect(faultOf(results[0]!.body)!.reason).toMatch(/no client certificate/);
    expect(faultOf(results[2]!.body)!.reason).toMatch(/Unknown service consumer/);
    expect(faultOf(results[3]!.body)!.reason).toMatch(/not allowed/);
    expect(peak).toBeLessThan(60 * MB); // 200 MB sent in all
    expect(health.failures).toBe(0);
    expect(health.maxMs).toBeLessThan(HEALTH_MS);
    // the refusals are in the event log, with the fault and without a body
    const ev = f.sb.events.list(20).find((e) => e.verdict === 'rejected' && e.rejection?.code === 'AuthenticationFailed');
    expect(ev?.xml).toBeUndefined();
    // and a registered client is still served
    const ok = await rawSoap(f, VALID, { action: ACTION('PostSignRequest') });
    expect(ok.status).toBe(200);
  }, 60_000);
});

describe('MSign connection limits', () => {
  it('1,000 idle TCP connections: those above MSIGN_MAX_CONNECTIONS are closed at once, the rest after TLS_HANDSHAKE_TIMEOUT_MS; /health < 200 ms, a real client still served', async () => {
    const g = await startMSign({ tlsHandshakeTimeoutMs: 3000, msignMaxConnections: 100 });
    const gPort = Number(new URL(g.url).port);
    const probe = await probeHealth(g.sb);
    const opened: number[] = [];
    const closed: number[] = [];
    const sockets: net.Socket[] = [];
    try {
      await Promise.all(
        Array.from({ length: 1000 }, () => new Promise<void>((resolve) => {
          const s = net.connect(gPort, '127.0.0.1', () => {
            opened.push(performance.now());
            resolve();
          });
          sockets.push(s);
          s.on('error', () => resolve());
          s.on('close', () => closed.push(performance.now()));
        })),
      );
      const firstOpen = Math.min(...opened);
      await new Promise((r) => setTimeout(r, 1500));
      // the cap acts at once: the 900 above the cap of 100 are gone long before the 3 s handshake timeout
      expect(closed.filter((t) => t - firstOpen < 2500).length).toBeGreaterThanOrEqual(900);
      expect(closed.length).toBeLessThan(1000);
      await new Promise((r) => setTimeout(r, 3000));
      expect(closed.length).toBe(1000); // the handshake timeout dropped the idle rest
      const ok = await rawSoap(g, VALID, { action: ACTION('PostSignRequest') });
      expect(ok.status).toBe(200);
      const health = await probe.stop();
      expect(health.failures).toBe(0);
      expect(health.maxMs).toBeLessThan(HEALTH_MS);
    } finally {
      for (const s of sockets) s.destroy();
      await g.close();
    }
  }, 30_000);

  it('a slow body is dropped after REQUEST_TIMEOUT_MS; an idle connection after HEADERS_TIMEOUT_MS', async () => {
    const open = () => new Promise<tls.TLSSocket>((resolve, reject) => {
      const s = tls.connect({ host: '127.0.0.1', port: port(), ca: f.sb.pki.ca.certificatePem, servername: 'localhost', key: f.ecoalert.key, cert: f.ecoalert.cert }, () => resolve(s));
      s.on('error', reject);
    });
    const slow = await open();
    const t0 = performance.now();
    slow.write(`POST /MSign.svc HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml; charset=utf-8\r\nSOAPAction: ${ACTION('PostSignRequest')}\r\nContent-Length: 100000\r\n\r\n<s:Envelope`);
    const drip = setInterval(() => slow.writable && slow.write(' '), 100); // a byte every 100 ms: never idle, never done
    const slowClosed = new Promise<number>((r) => slow.on('close', () => r(performance.now() - t0)));
    const idle = await open();
    const t1 = performance.now();
    const idleClosed = new Promise<number>((r) => idle.on('close', () => r(performance.now() - t1)));
    const [slowMs, idleMs] = await Promise.all([slowClosed, idleClosed]);
    clearInterval(drip);
    expect(slowMs).toBeGreaterThanOrEqual(1400);
    expect(slowMs).toBeLessThan(4000);
    expect(idleMs).toBeLessThan(3000);
  }, 20_000);
});

describe('the WSDL address', () => {
  it('is the configured public address, escaped, whatever Host header the caller sends', async () => {
    const hostile = 'evil.example"/><wsdl:port name="x" binding="y"><soap:address location="https://attacker.example';
    const r = await rawSoap(f, '', { method: 'GET', path: '/MSign.svc?singleWsdl', tls: null, headers: { Host: hostile } });
    expect(r.status).toBe(200);
    const locations = [...r.body.matchAll(/<soap:address location="([^"]*)"/g)].map((m) => m[1]);
    expect(locations).toEqual([f.url]);
    expect(r.body).not.toContain('attacker.example');
  });
});
