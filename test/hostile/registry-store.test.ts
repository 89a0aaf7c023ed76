// Issue 9, "a 201 is a promise": ids never collide and a create never replaces; a failed write changes nothing
// (507 ERR_STORE_UNWRITABLE naming DATA_DIR) for create and delete alike; an unwritable DATA_DIR stops the start;
// a registry of 10 000 services is listed one page at a time and registering into it does not stall /health.
import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ECOALERT, ROOT, servicesOnDisk, startSandbox, tempDir } from '../helpers.js';
import { HEALTH_MS, probeHealth } from './health-probe.js';

const body = (i: number | string, name = `Store ${i}`) => ({
  name: { ro: name, ru: name, en: name },
  description: 'Store test.',
  contact: { name: 'S', email: 's@example.md' },
  certificate: ECOALERT.cert,
  mpass: { issuer: `https://store-${i}.example.md`, assertionConsumerServiceUrl: `https://store-${i}.example.md/acs`, logoutRequestUrl: `https://store-${i}.example.md/slo`, logoutResponseUrl: `https://store-${i}.example.md/slo` },
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('ids', () => {
  it('two registrations of one name whose random suffix collides: both kept, distinct ids (the second drew again)', async () => {
    const sb = await startSandbox();
    const real = crypto.randomBytes.bind(crypto);
    let calls = 0;
    // the first three draws return the same bytes: the second create meets the first one's id
    vi.spyOn(crypto, 'randomBytes').mockImplementation(((n: number) => (++calls <= 3 ? Buffer.alloc(n, 0xab) : real(n))) as typeof crypto.randomBytes);
    const a = await request(sb.app).post('/api/services').send(body('a', 'Same Name'));
    const b = await request(sb.app).post('/api/services').send(body('b', 'Same Name'));
    vi.restoreAllMocks();
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(a.body.id).toMatch(/^same-name-[0-9a-f]+$/);
    expect(b.body.id).not.toBe(a.body.id);
    const listed = (await request(sb.app).get('/api/services')).body.map((s: { id: string }) => s.id);
    expect(listed).toContain(a.body.id);
    expect(listed).toContain(b.body.id);
    expect((await request(sb.app).get(`/api/services/${a.body.id}`)).body.mpass.issuer).toBe('https://store-a.example.md');
  });

  it('a create with an id already taken is refused (409), never an overwrite', async () => {
    const sb = await startSandbox();
    const before = JSON.stringify(sb.registry.get('ecoalert'));
    await expect(sb.registry.create(body('x'), { id: 'ecoalert' })).rejects.toMatchObject({ status: 409, rejection: { code: 'ERR_SERVICE_ID_TAKEN', where: 'id' } });
    expect(JSON.stringify(sb.registry.get('ecoalert'))).toBe(before);
  });
});

describe('a failed write changes nothing', () => {
  it('DATA_DIR unwritable mid-run: create and delete answer 507 naming DATA_DIR, memory and file unchanged; after recovery both work once', async () => {
    const dataDir = tempDir('store-fail');
    const sb = await startSandbox({}, { dataDir });
    const journal = path.join(dataDir, 'sandbox.json.journal');
    const a = await request(sb.app).post('/api/services').send(body('keep'));
    expect(a.status).toBe(201);
    const listBefore = (await request(sb.app).get('/api/services')).text;
    const diskBefore = JSON.stringify(servicesOnDisk(dataDir));
    // The tests may run as root, where chmod does not stop a write: a directory where the journal must go does.
    fs.renameSync(journal, `${journal}.saved`);
    fs.mkdirSync(path.join(journal, 'blocker'), { recursive: true });

    const failed = await request(sb.app).post('/api/services').send(body('lost'));
    expect(failed.status).toBe(507);
    expect(failed.body.error).toMatchObject({ code: 'ERR_STORE_UNWRITABLE', where: 'DATA_DIR' });
    expect(failed.body.error.message).toContain(path.join(dataDir, 'sandbox.json'));
    const retry = await request(sb.app).post('/api/services').send(body('lost'));
    expect(retry.status).toBe(507); // not "issuer already registered": the failed one left no trace
    const del = await request(sb.app).delete(`/api/services/${a.body.id}`);
    expect(del.status).toBe(507);
    const put = await request(sb.app).put(`/api/services/${a.body.id}`).send(body('keep', 'Renamed'));
    expect(put.status).toBe(507);
    const form = await request(sb.app).post(`/services/${a.body.id}/delete`).type('form').send({});
    expect(form.status).toBe(507);
    expect((await request(sb.app).get('/api/services')).text).toBe(listBefore);
    expect(sb.registry.byMPassIssuer('https://store-lost.example.md')).toBeUndefined();

    fs.rmSync(journal, { recursive: true });
    fs.renameSync(`${journal}.saved`, journal);
    expect(JSON.stringify(servicesOnDisk(dataDir))).toBe(diskBefore);
    const ok = await request(sb.app).post('/api/services').send(body('lost'));
    expect(ok.status).toBe(201);
    expect((await request(sb.app).delete(`/api/services/${a.body.id}`)).status).toBe(204);
    const onDisk = servicesOnDisk(dataDir);
    expect(onDisk.filter((s) => s.mpass?.issuer === 'https://store-lost.example.md')).toHaveLength(1);
    expect(onDisk.some((s) => s.id === a.body.id)).toBe(false);
    const again = await startSandbox({}, { dataDir });
    expect(again.registry.get(a.body.id)).toBeUndefined();
    expect(again.registry.byMPassIssuer('https://store-lost.example.md')?.id).toBe(ok.body.id);
  });
});

describe('an unwritable DATA_DIR stops the start', () => {
  beforeAll(() => {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'inherit' });
  }, 180_000);

  it('npm start with DATA_DIR under a regular file: exit code 2 and a message naming DATA_DIR', async () => {
    const blocker = path.join(tempDir('store-start'), 'a-file');
    fs.writeFileSync(blocker, 'not a directory');
    const child = spawn(process.execPath, [path.join(ROOT, 'dist/src/main.js')], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', MSIGN_TLS_PORT: '0', DATA_DIR: path.join(blocker, 'data'), CERTS_DIR: tempDir('store-start-certs'), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(2);
    expect(stderr).toContain('DATA_DIR');
    expect(stderr).toContain(path.join(blocker, 'data'));
  }, 60_000);
});

describe('a registry of 10 000 services', () => {
  it('GET /api/services answers one page (X-Total-Count, Link), PUT/POST stay quick, /health < 200 ms throughout', async () => {
    const dataDir = tempDir('store-big');
    const at = new Date().toISOString();
    const services = Array.from({ length: 10_000 }, (_v, i) => ({
      id: `big-${i}`, ...body(`big-${i}`), certificateSerial: 'BIG', source: 'api', createdAt: at, updatedAt: at,
      mpass: { ...body(`big-${i}`).mpass, attributes: [], customAttributes: [], signAssertion: false, faults: [] },
    }));
    fs.writeFileSync(path.join(dataDir, 'sandbox.json'), JSON.stringify({ services }));
    const sb = await startSandbox({}, { dataDir });
    expect(sb.registry.list().length).toBeGreaterThanOrEqual(10_000);
    const probe = await probeHealth(sb);
    const t0 = performance.now();
    const first = await request(sb.app).get('/api/services');
    const listMs = performance.now() - t0;
    const next = await request(sb.app).get('/api/services?offset=9950&limit=100');
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      expect((await request(sb.app).post('/api/services').send(body(`new-${i}`))).status).toBe(201);
      times.push(performance.now() - t);
    }
    const health = await probe.stop();
    const total = sb.registry.list().length;
    expect(first.status).toBe(200);
    expect(first.body).toHaveLength(100);
    expect(first.headers['x-total-count']).toBe(String(total - 10));
    expect(first.headers.link).toBe('</api/services?offset=100&limit=100>; rel="next"');
    expect(next.body.length).toBe(total - 10 - 9950);
    expect(listMs).toBeLessThan(1000);
    expect(times.sort((a, b) => a - b)[5]).toBeLessThan(1000);
    expect(health.failures).toBe(0);
    expect(health.maxMs).toBeLessThan(HEALTH_MS);
    // the page is paginated too
    const page = await request(sb.app).get('/services?lang=en&offset=100');
    expect(page.status).toBe(200);
    expect(page.text).toContain(`101–200 / ${total}`);
    expect((page.text.match(/data-testid="service-row-/g) ?? []).length).toBe(100);
  }, 120_000);

  it('limit and offset are checked: limit 1…1000, whole numbers', async () => {
    const sb = await startSandbox();
    for (const q of ['limit=0', 'limit=1001', 'limit=abc', 'offset=-1', 'offset=1.5']) {
      const r = await request(sb.app).get(`/api/services?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error).toMatchObject({ code: 'ERR_INVALID_FIELD', where: q.split('=')[0] });
    }
    const one = await request(sb.app).get('/api/services?limit=1&offset=1');
    expect(one.body).toHaveLength(1);
    expect(one.headers['x-total-count']).toBe('2');
  });
});
