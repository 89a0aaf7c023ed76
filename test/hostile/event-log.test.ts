// Issue 9: the event log must not pin whole messages, and it is bounded by bytes as well as by entries.
// Heap is measured after a forced GC (V8's --expose-gc, switched on at run time for this file only).
import v8 from 'node:v8';
import vm from 'node:vm';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, rawSoap, startMSign, type MSignFixture } from '../msign/helpers.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const MB = 1024 * 1024;

let f: MSignFixture;
beforeAll(async () => {
  f = await startMSign({ eventLogMaxBytes: 2 * MB });
});
afterAll(async () => {
  await f?.close();
});

// An authenticated PostSignRequest whose description is `n` characters: parsed, refused (ShortContentDescription
// ≤ 90), and logged with its XML — twice (the call in and the fault out).
const big = (n: number, tag: string) =>
  `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><PostSignRequest xmlns="https://msign.gov.md"><request><ContentType>Hash</ContentType><Contents><SignContent><Content>AAAAAAAAAAAAAAAAAAAAAAAAAAA=</Content></SignContent></Contents><ShortContentDescription>${tag}${'d'.repeat(n)}</ShortContentDescription></request></PostSignRequest></s:Body></s:Envelope>`;

describe('event log memory', () => {
  it('ten 5 MB SOAP messages: the log keeps 64 KiB copies, not the messages (heap grows < 8 MB after GC)', async () => {
    await rawSoap(f, big(10, 'warm'), { action: ACTION('PostSignRequest') });
    const before = heap();
    for (let i = 0; i < 10; i++) {
      const r = await rawSoap(f, big(5 * MB, `m${i}-`), { action: ACTION('PostSignRequest') });
      expect(r.status).toBe(500);
    }
    const grown = heap() - before;
    const kept = f.sb.events.list(1000).filter((e) => e.xml?.includes('<ShortContentDescription>m'));
    expect(kept.length).toBeGreaterThan(0);
    for (const e of kept) expect(e.xml!.length).toBeLessThan(70 * 1024);
    expect(kept[0]!.xml).toMatch(/truncated\)$/);
    expect(grown).toBeLessThan(8 * MB);
  }, 60_000);

  it('EVENT_LOG_MAX_BYTES bounds what the log keeps, newest kept; /api/events still answers', async () => {
    for (let i = 0; i < 60; i++) await rawSoap(f, big(100 * 1024, `b${i}-`), { action: ACTION('PostSignRequest') });
    const usage = f.sb.events.usage();
    expect(usage.bytes).toBeLessThanOrEqual(2 * MB);
    expect(usage.entries).toBeLessThan(120);
    const res = await request(f.sb.app).get('/api/events?limit=1000');
    expect(res.status).toBe(200);
    const xmlChars = (res.body as Array<{ xml?: string }>).reduce((n, e) => n + (e.xml?.length ?? 0), 0);
    expect(xmlChars * 2).toBeLessThanOrEqual(2 * MB);
    expect(JSON.stringify(res.body)).toContain('<ShortContentDescription>b59-');
  }, 60_000);
});
