// The automation API's own contract: OpenAPI completeness, ADMIN_TOKEN, clock, reset, health.
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { ROOT, startSandbox } from '../helpers.js';

const routeDefinitions = () => {
  const out: Array<{ method: string; path: string }> = [];
  const walk = (dir: string) => {
    for (const f of fs.readdirSync(dir, { withFileTypes: true })) {
      if (f.isDirectory()) walk(path.join(dir, f.name));
      else if (f.name.endsWith('.ts')) {
        for (const m of fs.readFileSync(path.join(dir, f.name), 'utf8').matchAll(/\br\.(get|post|put|delete)\('(\/api\/[^']*)'/g)) out.push({ method: m[1]!, path: m[2]!.replace(/:(\w+)/g, '{$1}') });
      }
    }
  };
  walk(path.join(ROOT, 'src'));
  return out;
};

describe('/api/openapi.json', () => {
  it('documents every /api route the code defines, with its method', async () => {
    const sb = await startSandbox();
    const doc = (await request(sb.app).get('/api/openapi.json')).body as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    const defined = routeDefinitions();
    expect(defined.length).toBeGreaterThan(10);
    for (const r of defined) expect(doc.paths[r.path]?.[r.method], `${r.method.toUpperCase()} ${r.path} is not in the OpenAPI document`).toBeDefined();
  });
});

describe('ADMIN_TOKEN', () => {
  it('protects every /api write when set, leaves reads open, and explains the refusal', async () => {
    const sb = await startSandbox({ adminToken: 'sandbox-secret-1' });
    const denied = await request(sb.app).post('/api/reset');
    expect(denied.status).toBe(401);
    expect(denied.body.error).toMatchObject({ code: 'ERR_ADMIN_TOKEN', where: 'Authorization' });
    expect((await request(sb.app).post('/api/services').set('Authorization', 'Bearer wrong').send({})).status).toBe(401);
    expect((await request(sb.app).post('/api/sessions/x/logout')).status).toBe(401);
    expect((await request(sb.app).post('/api/reset').set('Authorization', 'Bearer sandbox-secret-1')).status).toBe(200);
    expect((await request(sb.app).get('/api/services')).status).toBe(200);
  });
  it('leaves the API open without it', async () => {
    const sb = await startSandbox();
    expect((await request(sb.app).post('/api/reset')).status).toBe(200);
  });
});

describe('clock, reset, health', () => {
  it('moves, freezes and resets the one clock', async () => {
    const sb = await startSandbox();
    const moved = await request(sb.app).put('/api/clock').send({ offsetSeconds: 3600 });
    expect(Date.parse(moved.body.now) - Date.now()).toBeGreaterThan(3590_000);
    const frozen = await request(sb.app).put('/api/clock').send({ frozenAt: '2030-01-02T03:04:05Z' });
    expect(frozen.body.now).toBe('2030-01-02T03:04:05.000Z');
    expect((await request(sb.app).get('/health')).body.time).toBe('2030-01-02T03:04:05.000Z');
    const bad = await request(sb.app).put('/api/clock').send({ offsetSeconds: 'soon' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].fix).toContain('offsetSeconds');
    await request(sb.app).delete('/api/clock');
    expect(Math.abs(Date.parse((await request(sb.app).get('/api/clock')).body.now) - Date.now())).toBeLessThan(5000);
  });

  it('reset clears sessions, scripts and events; ?registry=true also drops API registrations but keeps fixtures', async () => {
    const sb = await startSandbox();
    const cert = (await request(sb.app).post('/api/certificates').send({ commonName: 'reset.example.md' })).body;
    await request(sb.app).post('/api/services').send({ name: { ro: 'R', ru: 'R', en: 'R' }, description: 'Reset test.', contact: { name: 'R', email: 'r@example.md' }, certificate: cert.certificatePem, msign: { ipAddresses: ['127.0.0.1'], signerType: 'natural' } }).expect(201);
    await request(sb.app).post('/api/script').send({ issuer: 'https://ecoalert.localhost', persona: '2001000000011' }).expect(201);
    expect((await request(sb.app).get('/api/script')).body.logins).toHaveLength(1);
    await request(sb.app).post('/api/reset').expect(200);
    expect((await request(sb.app).get('/api/script')).body.logins).toHaveLength(0);
    expect((await request(sb.app).get('/api/events')).body).toHaveLength(0);
    expect((await request(sb.app).get('/api/services')).body).toHaveLength(3);
    const r = await request(sb.app).post('/api/reset?registry=true');
    expect(r.body.droppedRegistrations).toBe(1);
    expect((await request(sb.app).get('/api/services')).body.map((s: { id: string }) => s.id).sort()).toEqual(['ecoalert', 'official-sample-sp']);
  });

  it('answers unknown /api routes with JSON naming the route', async () => {
    const sb = await startSandbox();
    const r = await request(sb.app).get('/api/nope');
    expect(r.status).toBe(404);
    expect(r.body.error.where).toBe('/api/nope');
  });

  it('serves metadata with the signing certificate, both bindings for SSO and SLO, WantAuthnRequestsSigned', async () => {
    const sb = await startSandbox();
    const xml = (await request(sb.app).get('/meta/saml')).text;
    const b64 = sb.pki.idp.certificatePem.replace(/-----[^-]+-----|\s/g, '');
    expect(xml).toContain(`<ds:X509Certificate>${b64}</ds:X509Certificate>`);
    expect(xml).toContain('WantAuthnRequestsSigned="true"');
    expect(xml.match(/SingleSignOnService/g)).toHaveLength(2);
    expect(xml.match(/SingleLogoutService/g)).toHaveLength(2);
    expect(xml.indexOf('SingleLogoutService')).toBeLessThan(xml.indexOf('SingleSignOnService')); // schema order
    const cer = await request(sb.app).get('/meta/idp.cer').buffer(true).parse((res, cb) => { const c: Buffer[] = []; res.on('data', (d: Buffer) => c.push(d)); res.on('end', () => cb(null, Buffer.concat(c))); });
    expect((cer.body as Buffer).toString('base64')).toBe(b64);
    expect((await request(sb.app).get('/meta')).text).toContain('/meta/idp.cer');
  });
});

describe('README', () => {
  it('names every /api route of the OpenAPI document and every configuration variable', async () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const sb = await startSandbox();
    const doc = (await request(sb.app).get('/api/openapi.json')).body as { paths: Record<string, unknown> };
    for (const p of Object.keys(doc.paths)) expect(readme, p).toContain(p.replace(/\{(\w+)\}/g, ':$1'));
    const config = fs.readFileSync(path.join(ROOT, 'src/config.ts'), 'utf8');
    for (const m of config.matchAll(/(?:int|bool|url)\('([A-Z_0-9]+)'/g)) expect(readme, m[1]).toContain(`\`${m[1]}\``);
    for (const v of ['DATA_DIR', 'CERTS_DIR', 'FIXTURES_DIR', 'ADMIN_TOKEN', 'LOG_LEVEL']) expect(readme).toContain(`\`${v}\``);
    expect(readme).toContain('npm ci && npm test');
    expect(readme).toContain('npm ci && npm start');
  });
});
