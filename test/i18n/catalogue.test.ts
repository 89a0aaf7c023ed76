// The one message catalogue: complete in ro/ru/en, covering every code src/ throws, and used by the HTTP
// layer for status and language (JSON: Accept-Language or ?lang=; pages: ?lang=).
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE, isCode, statusOf } from '../../src/catalogue.js';
import { SandboxError, rejection } from '../../src/errors.js';
import { LANGS } from '../../src/lang.js';
import { ROOT, startSandbox, type Sandbox } from '../helpers.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? sourceFiles(path.join(dir, d.name)) : d.name.endsWith('.ts') ? [path.join(dir, d.name)] : []));
}

describe('the catalogue', () => {
  it('has every code in ro, ru and en, translated, with the same parameters', () => {
    for (const [code, entry] of Object.entries(CATALOGUE)) {
      expect(entry.status, code).toBeGreaterThanOrEqual(400);
      for (const lang of LANGS) {
        for (const part of ['message', 'fix'] as const) {
          expect(entry[lang][part].trim().length, `${code} ${lang} ${part}`).toBeGreaterThan(3);
          expect(placeholders(entry[lang][part]), `${code} ${lang} ${part} parameters`).toEqual(placeholders(entry.en[part]));
        }
      }
      expect(entry.ro.message, `${code}: ro message is the English one`).not.toBe(entry.en.message);
      expect(entry.ru.message, `${code}: ru message is the English one`).not.toBe(entry.en.message);
      expect(entry.ru.message, `${code}: ru message is the Romanian one`).not.toBe(entry.ro.message);
    }
  });

  it('holds every ERR_ code and MSign fault code that src/ throws', () => {
    const missing: string[] = [];
    for (const file of sourceFiles(path.join(ROOT, 'src'))) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(=== |startsWith\()?'(ERR_[A-Z0-9_]+)'/g)) {
        // `e.code === 'ERR_…'` compares a Node.js error code; startsWith('ERR_…') is a prefix, not a code.
        if (m[1]) continue;
        if (!isCode(m[2]!)) missing.push(`${path.relative(ROOT, file)}: ${m[2]}`);
      }
    }
    const faults = /export type FaultCode = ([^;]+);/.exec(fs.readFileSync(path.join(ROOT, 'src/msign/soap/faults.ts'), 'utf8'))![1]!;
    for (const m of faults.matchAll(/'(\w+)'/g)) if (!isCode(m[1]!)) missing.push(`FaultCode ${m[1]}`);
    expect(missing).toEqual([]);
  });

  it('gives the HTTP status, so no caller picks one by prefix', () => {
    expect(statusOf('ERR_SIGNATURE_INVALID')).toBe(403);
    expect(statusOf('ERR_SIGNATURE_SHA1')).toBe(403);
    expect(statusOf('ERR_DESTINATION')).toBe(400);
    expect(statusOf('ERR_LOGIN_EXPIRED')).toBe(410);
    expect(new SandboxError(rejection('ERR_UNKNOWN_ISSUER', 'AuthnRequest/Issuer')).status).toBe(403);
    expect(rejection('ERR_NOT_FOUND', '/x').message).toBe(CATALOGUE.ERR_NOT_FOUND.en.message);
  });
});

describe('the catalogue over HTTP', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox();
  });

  it('answers the JSON API in the request language (Accept-Language, ?lang=), English when none is asked', async () => {
    const en = await request(sb.app).get('/api/services/nope');
    expect(en.status).toBe(404);
    expect(en.body.error).toMatchObject({ code: 'ERR_SERVICE_NOT_FOUND', where: expect.any(String), message: 'No service with id "nope".' });
    const ru = await request(sb.app).get('/api/services/nope').set('Accept-Language', 'ru-RU,ru;q=0.9,en;q=0.8');
    expect(ru.status).toBe(404);
    expect(ru.headers['content-language']).toBe('ru');
    expect(ru.body.error).toMatchObject({ code: 'ERR_SERVICE_NOT_FOUND', message: CATALOGUE.ERR_SERVICE_NOT_FOUND.ru.message, fix: CATALOGUE.ERR_SERVICE_NOT_FOUND.ru.fix });
    const ro = await request(sb.app).get('/api/services/nope?lang=ro').set('Accept-Language', 'ru');
    expect(ro.body.error.message).toBe(CATALOGUE.ERR_SERVICE_NOT_FOUND.ro.message);
    const many = await request(sb.app).post('/api/services').set('Accept-Language', 'de, ro;q=0.5').send({});
    expect(many.status).toBe(400);
    for (const p of many.body.errors) expect(p).toMatchObject({ code: 'ERR_INVALID_FIELD', message: CATALOGUE.ERR_INVALID_FIELD.ro.message, where: expect.any(String) });
  });

  it('renders pages in ?lang=, and a 404 page with links home instead of "Cannot GET"', async () => {
    const ro = await request(sb.app).get('/no/such/page?lang=ro');
    expect(ro.status).toBe(404);
    expect(ro.text).not.toContain('Cannot GET');
    expect(ro.text).toContain(CATALOGUE.ERR_NOT_FOUND.ro.message);
    expect(ro.text).toContain('href="/?lang=ro"');
    expect(ro.text).toContain('data-testid="error-back"');
    const ru = await request(sb.app).get('/services/nope?lang=ru');
    expect(ru.status).toBe(404);
    expect(ru.text).toContain(CATALOGUE.ERR_SERVICE_NOT_FOUND.ru.message);
  });

  it('keeps the error when the language is switched on an error page, and refuses forged error links', async () => {
    const ro = await request(sb.app).post('/login/saml/continue?lang=ro').type('form').send({ pending: 'gone', persona: '2001000000011' });
    expect(ro.status).toBe(410);
    const link = /data-testid="lang-en" href="([^"]+)"|href="([^"]+)" data-testid="lang-en"/.exec(ro.text)!;
    const href = (link[1] ?? link[2])!.replace(/&amp;/g, '&');
    expect(href).toMatch(/^\/error\?lang=en&e=/);
    const en = await request(sb.app).get(href);
    expect(en.status).toBe(410);
    expect(en.text).toContain('ERR_LOGIN_EXPIRED');
    expect(en.text).toContain('This login request has expired');
    const forged = href.replace(/e=([^.]+)\./, (_m, p: string) => `e=${Buffer.from(JSON.stringify({ s: 400, r: [{ code: 'ERR_X', where: 'x', message: 'Call +373 …', fix: 'x' }] })).toString('base64url')}.`);
    const refused = await request(sb.app).get(forged);
    expect(refused.status).toBe(404);
    expect(refused.text).not.toContain('Call +373');
  });
});
