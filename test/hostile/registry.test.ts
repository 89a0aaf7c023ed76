// Hostile registrations through POST/PUT /api/services and the /services/new form: every field malformed,
// private keys in every format where the certificate belongs, huge values, duplicates, wrong JSON types,
// oversized bodies. Oracle: 400/413 naming the field, the store unchanged, the process healthy.
import crypto from 'node:crypto';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../helpers.js';
import { ECOALERT, OFFICIAL_SP, startSandbox } from '../helpers.js';
import { expectHealthy } from './support.js';

let sb: Sandbox;
let issued: { certificatePem: string; privateKeyPem: string; cer: string; pfx: string; pfxPassword: string };
let ecoalertId: string;

beforeAll(async () => {
  sb = await startSandbox();
  const r = await request(sb.app).post('/api/certificates').send({ commonName: 'hostile-registry.example.md' });
  expect(r.status).toBe(201);
  issued = r.body;
  ecoalertId = sb.registry.byMPassIssuer(ECOALERT.issuer)!.id;
});

const valid = (): Record<string, any> => ({
  name: { ro: 'Serviciu ostil', ru: 'Враждебный сервис', en: 'Hostile service' },
  description: 'A service registered by the hostile-input catalogue.',
  contact: { name: 'Dev Ops', email: 'dev@example.md', phone: '+373 22 123456' },
  certificate: issued.certificatePem,
  mpass: {
    issuer: `https://hostile-${crypto.randomUUID()}.example.md`,
    assertionConsumerServiceUrl: 'https://localhost:5001/mpass-login',
    logoutRequestUrl: 'https://localhost:5001/mpass-slo',
    logoutResponseUrl: 'https://localhost:5001/mpass-logout',
    attributes: ['FirstName'],
    customAttributes: [],
  },
  msign: { ipAddresses: ['127.0.0.1'], signerType: 'natural' },
});

/** Set a dotted path in a fresh valid body (`mpass.attributes`, `name.ro`); `undefined` deletes. */
function mutate(path: string, value: unknown): Record<string, any> {
  const body = valid();
  const keys = path.split('.');
  let o = body;
  for (const k of keys.slice(0, -1)) o = o[k];
  if (value === undefined) delete o[keys.at(-1)!];
  else o[keys.at(-1)!] = value;
  return body;
}

const snapshot = async () => JSON.stringify((await request(sb.app).get('/api/services')).body);

/** 4xx naming the field (and the code), nothing stored, healthy. */
async function expectRejected(send: () => Promise<request.Response>, where: string | RegExp, opts: { code?: string; status?: number } = {}): Promise<request.Response> {
  const before = await snapshot();
  const res = await send();
  const ctx = `${res.status} ${JSON.stringify(res.body).slice(0, 500)}`;
  expect(res.status, ctx).toBe(opts.status ?? 400);
  const problems: Array<{ code: string; where: string; message: string; fix: string }> = res.body.errors ?? (res.body.error ? [res.body.error] : []);
  expect(problems.length, ctx).toBeGreaterThan(0);
  const hit = problems.find((p) => (typeof where === 'string' ? p.where === where : where.test(p.where)));
  expect(hit, ctx).toBeTruthy();
  if (opts.code) expect(hit!.code, ctx).toBe(opts.code);
  expect(hit!.message.length).toBeGreaterThan(5);
  expect(hit!.fix.length).toBeGreaterThan(5);
  expect(JSON.stringify(problems)).not.toContain('ERR_INTERNAL');
  expect(await snapshot()).toBe(before);
  await expectHealthy(sb);
  return res;
}

const LONG = 'x'.repeat(10000);
const MALFORMED: Array<[string, unknown, string?]> = [
  ['name', 'Hostile service'],
  ['name', ['ro', 'ru', 'en']],
  ['name', null],
  ['name.ro', ['a', 'b']],
  ['name.ru', 42],
  ['name.en', null],
  ['name.en', ''],
  ['name.en', '   '],
  ['name.en', LONG],
  ['name.ro', { text: 'x' }],
  ['description', LONG],
  ['description', 'Two sentences. Like this one.'],
  ['description', 'one line\nand another'],
  ['description', ['a sentence']],
  ['description', 3.14],
  ['contact', 'dev@example.md'],
  ['contact', []],
  ['contact.name', LONG],
  ['contact.email', 'not-an-email'],
  ['contact.email', `${LONG}@example.md`],
  ['contact.email', ['dev@example.md']],
  ['contact.phone', 'call me maybe'],
  ['contact.phone', 37322123456],
  ['certificate', 12345],
  ['certificate', [issued_placeholder()]],
  ['certificate', null],
  ['certificate', 'not a certificate at all'],
  ['certificate', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----'],
  ['certificate', Buffer.from('hello world').toString('base64')],
  ['certificate', LONG],
  ['mpass', 'yes please'],
  ['mpass', ['issuer']],
  ['mpass.issuer', ['https://a.example']],
  ['mpass.issuer', 42],
  ['mpass.issuer', LONG],
  ['mpass.issuer', ECOALERT.issuer],
  ['mpass.issuer', 'https://x.example/</script><script>alert(1)</script>'],
  ['mpass.issuer', 'https://x.example/a b'],
  ['mpass.issuer', 'https://x.example/"quoted"'],
  ['mpass.issuer', 'https://x.example/\u0000nul'],
  ['mpass.assertionConsumerServiceUrl', 'javascript:alert(1)'],
  ['mpass.assertionConsumerServiceUrl', '/relative/acs'],
  ['mpass.assertionConsumerServiceUrl', 'ftp://example.md/acs'],
  ['mpass.assertionConsumerServiceUrl', `https://example.md/${LONG}`],
  ['mpass.logoutRequestUrl', ['https://a.example']],
  ['mpass.logoutResponseUrl', 12],
  ['mpass.logoutResponseUrl', 'data:text/html,<script>alert(1)</script>'],
  ['mpass.attributes', 'FirstName'],
  ['mpass.attributes', [1]],
  ['mpass.attributes', [null]],
  ['mpass.attributes', ['NameIdentifier']],
  ['mpass.attributes', ['FirstName', 'FirstName']],
  ['mpass.attributes', ['__proto__']],
  ['mpass.customAttributes', { name: 'Role' }],
  ['mpass.customAttributes', [{ name: 'FirstName', values: {} }]],
  ['mpass.customAttributes', [{ name: 'has space', values: {} }]],
  ['mpass.customAttributes', [{ name: 'Role', values: ['admin'] }]],
  ['mpass.customAttributes', [{ name: 'Role', values: { '2001000000011': 'admin' } }]],
  ['mpass.customAttributes', [{ name: 'Role', values: { '2001000000011': [LONG] } }]],
  ['mpass.customAttributes', [null]],
  ['mpass.signAssertion', 'true'],
  ['mpass.faults', ['no-such-fault']],
  ['mpass.faults', 'no-signature'],
  ['mpass.contract', 'MP-1'],
  ['mpass.contract', { number: 'MP-1', date: '2026-02-30' }],
  ['mpass.contract', { number: ['MP-1'], date: '2026-01-01' }],
  ['mpass.unknownField', 'x'],
  ['msign', true],
  ['msign.ipAddresses', []],
  ['msign.ipAddresses', '127.0.0.1'],
  ['msign.ipAddresses', ['localhost']],
  ['msign.ipAddresses', ['127.0.0.1:8080']],
  ['msign.ipAddresses', [2130706433]],
  ['msign.signerType', 'everyone'],
  ['msign.signerType', ['natural']],
  ['extra', { nested: true }],
];
function issued_placeholder() {
  return 'PEM';
}
const whereOf = (path: string, value: unknown) =>
  path === 'extra' ? 'extra' : path.endsWith('unknownField') ? 'mpass.unknownField' : new RegExp(`^${path.replace(/\./g, '\\.')}(\\b|\\[|\\.|$)`);

describe('POST /api/services with one malformed field', () => {
  it.each(MALFORMED.map(([p, v]) => [p, JSON.stringify(v)?.slice(0, 50) ?? String(v), v] as const))('%s = %s → 400 naming the field, nothing stored', async (path, _shown, value) => {
    await expectRejected(() => request(sb.app).post('/api/services').send(mutate(path, value)), whereOf(path, value));
  });

  it('control: the valid body is accepted (201), so each refusal above is due to its one field', async () => {
    const r = await request(sb.app).post('/api/services').send(valid());
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    await request(sb.app).delete(`/api/services/${r.body.id}`);
  });
});

describe('wrong JSON shapes and sizes', () => {
  it.each([
    ['an array', '[1,2,3]', '(body)'],
    ['an empty object', '{}', /name|certificate|mpass/],
    ['a string', '"service"', '(body)'],
    ['null', 'null', '(body)'],
    ['malformed JSON', '{"name": ', '(body)'],
    ['JSON with a BOM and trailing garbage', '\ufeff{} garbage', '(body)'],
  ])('%s → 400', async (_n, raw, where) => {
    await expectRejected(() => request(sb.app).post('/api/services').set('Content-Type', 'application/json').send(raw), where);
  });

  it('a 2 MB JSON body → 413 (ERR_BODY_TOO_LARGE)', async () => {
    const body = mutate('description', 'x'.repeat(2 * 1024 * 1024));
    await expectRejected(() => request(sb.app).post('/api/services').send(body), '(body)', { code: 'ERR_BODY_TOO_LARGE', status: 413 });
  });

  it('a deeply nested JSON body does not crash the parser', async () => {
    const raw = `{"name":${'['.repeat(50000)}${']'.repeat(50000)}}`;
    await expectRejected(() => request(sb.app).post('/api/services').set('Content-Type', 'application/json').send(raw), /name|\(body\)/);
  });

  it('__proto__ keys do not pollute anything and are not a crash', async () => {
    const body = valid();
    body.mpass.customAttributes = [{ name: 'Role', values: JSON.parse('{"__proto__": ["admin"], "2001000000011": ["user"]}') }];
    const raw = JSON.stringify(body).replace('"name":{', '"__proto__":{"polluted":"yes"},"name":{');
    const r = await request(sb.app).post('/api/services').set('Content-Type', 'application/json').send(raw);
    expect(r.status).toBeLessThan(500);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Array.isArray(Object.getPrototypeOf({}))).toBe(false);
    if (r.status === 201) await request(sb.app).delete(`/api/services/${r.body.id}`);
    await expectHealthy(sb);
  });

  // Catastrophic backtracking: each of these held the event loop for tens of seconds to an hour before the fix.
  it('an e-mail of a megabyte of dots is refused at once (the address regex is quadratic on it)', async () => {
    const t0 = Date.now();
    await expectRejected(() => request(sb.app).post('/api/services').send(mutate('contact.email', `a@${'.'.repeat(900000)}@`)), 'contact.email');
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('a certificate of a megabyte of BEGIN CERTIFICATE lines is refused at once', async () => {
    const t0 = Date.now();
    await expectRejected(() => request(sb.app).post('/api/services').send(mutate('certificate', '-----BEGIN CERTIFICATE-----'.repeat(36000))), 'certificate');
    await expectRejected(() => request(sb.app).post('/api/services').send(mutate('certificate', `${'-----BEGIN CERTIFICATE-----\n'.repeat(30000)}-----END CERTIFICATE-----`)), 'certificate');
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('a duplicate issuer is refused, also with surrounding spaces', async () => {
    await expectRejected(() => request(sb.app).post('/api/services').send(mutate('mpass.issuer', OFFICIAL_SP.issuer)), 'mpass.issuer');
    await expectRejected(() => request(sb.app).post('/api/services').send(mutate('mpass.issuer', `  ${ECOALERT.issuer}  `)), 'mpass.issuer');
  });

  it('two concurrent registrations of the same new issuer: exactly one is stored', async () => {
    const body = valid();
    const [a, b] = await Promise.all([request(sb.app).post('/api/services').send(body), request(sb.app).post('/api/services').send(body)]);
    expect([a.status, b.status].sort()).toEqual([201, 400]);
    const stored = (await request(sb.app).get('/api/services')).body.filter((s: { mpass?: { issuer: string } }) => s.mpass?.issuer === body.mpass.issuer);
    expect(stored).toHaveLength(1);
    await request(sb.app).delete(`/api/services/${stored[0].id}`);
  });
});

describe('a private key where the certificate belongs', () => {
  const keys = () => {
    const rsa = crypto.createPrivateKey(issued.privateKeyPem);
    const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const enc = { cipher: 'aes-256-cbc', passphrase: 'secret' } as const;
    return {
      'PKCS#8 PEM': rsa.export({ type: 'pkcs8', format: 'pem' }) as string,
      'PKCS#1 PEM': rsa.export({ type: 'pkcs1', format: 'pem' }) as string,
      'encrypted PKCS#8 PEM': rsa.export({ type: 'pkcs8', format: 'pem', ...enc }) as string,
      'encrypted PKCS#1 PEM (Proc-Type)': rsa.export({ type: 'pkcs1', format: 'pem', ...enc }) as string,
      'EC (SEC1) PEM': ec.export({ type: 'sec1', format: 'pem' }) as string,
      'PKCS#8 DER, base64': (rsa.export({ type: 'pkcs8', format: 'der' }) as Buffer).toString('base64'),
      'PKCS#1 DER, base64': (rsa.export({ type: 'pkcs1', format: 'der' }) as Buffer).toString('base64'),
      'encrypted PKCS#8 DER, base64': (rsa.export({ type: 'pkcs8', format: 'der', ...enc }) as Buffer).toString('base64'),
      'EC (SEC1) DER, base64': (ec.export({ type: 'sec1', format: 'der' }) as Buffer).toString('base64'),
      'PFX, base64': issued.pfx,
      'PFX, base64 with line breaks': issued.pfx.replace(/(.{64})/g, '$1\n'),
      'certificate and key in one PEM': `${issued.certificatePem}\n${issued.privateKeyPem}`,
      'key then certificate in one PEM': `${issued.privateKeyPem}\n${issued.certificatePem}`,
    };
  };

  it.each(Object.keys({ 'PKCS#8 PEM': 0, 'PKCS#1 PEM': 0, 'encrypted PKCS#8 PEM': 0, 'encrypted PKCS#1 PEM (Proc-Type)': 0, 'EC (SEC1) PEM': 0, 'PKCS#8 DER, base64': 0, 'PKCS#1 DER, base64': 0, 'encrypted PKCS#8 DER, base64': 0, 'EC (SEC1) DER, base64': 0, 'PFX, base64': 0, 'PFX, base64 with line breaks': 0, 'certificate and key in one PEM': 0, 'key then certificate in one PEM': 0 }))(
    'POST and PUT refuse %s with ERR_PRIVATE_KEY_SENT',
    async (kind) => {
      const value = (keys() as Record<string, string>)[kind]!;
      const res = await expectRejected(() => request(sb.app).post('/api/services').send(mutate('certificate', value)), 'certificate', { code: 'ERR_PRIVATE_KEY_SENT' });
      expect(JSON.stringify(res.body)).not.toContain(value.slice(40, 100));
      const before = JSON.stringify((await request(sb.app).get(`/api/services/${ecoalertId}`)).body);
      const put = { ...mutate('certificate', value), mpass: { ...valid().mpass, issuer: ECOALERT.issuer } };
      await expectRejected(() => request(sb.app).put(`/api/services/${ecoalertId}`).send(put), 'certificate', { code: 'ERR_PRIVATE_KEY_SENT' });
      expect(JSON.stringify((await request(sb.app).get(`/api/services/${ecoalertId}`)).body)).toBe(before);
    },
  );

  const formFields = (over: Record<string, string> = {}) => ({
    name_ro: 'Serviciu', name_ru: 'Сервис', name_en: 'Form service', description: 'A form registration.',
    contact_name: 'Dev', contact_email: 'dev@example.md', mpass_enabled: 'on', mpass_issuer: `https://form-${crypto.randomUUID()}.example.md`,
    mpass_acs: 'https://localhost:5001/mpass-login', mpass_logoutRequestUrl: 'https://localhost:5001/slo', mpass_logoutResponseUrl: 'https://localhost:5001/logout',
    ...over,
  });
  const postForm = (fields: Record<string, string>, file?: { buf: Buffer; name: string }) => {
    let r = request(sb.app).post('/services/new');
    for (const [k, v] of Object.entries(fields)) r = r.field(k, v);
    if (file) r = r.attach('certificateFile', file.buf, file.name);
    return r;
  };
  async function expectFormRejected(send: () => Promise<request.Response>, where: string, text: RegExp) {
    const before = await snapshot();
    const res = await send();
    expect(res.status, res.text.slice(0, 300)).toBe(400);
    expect(res.text).toContain('data-testid="problems"');
    expect(res.text).toContain(`data-where="${where}"`);
    expect(res.text).toMatch(text);
    expect(await snapshot()).toBe(before);
    await expectHealthy(sb);
  }

  it('the form refuses a PFX uploaded as a file, a key file, DER keys and a key pasted as text', async () => {
    const rsa = crypto.createPrivateKey(issued.privateKeyPem);
    const files: Array<[Buffer, string]> = [
      [Buffer.from(issued.pfx, 'base64'), 'service.pfx'],
      [Buffer.from(issued.privateKeyPem), 'service.key'],
      [rsa.export({ type: 'pkcs8', format: 'der' }) as Buffer, 'service.der'],
      [rsa.export({ type: 'pkcs1', format: 'der' }) as Buffer, 'service.cer'],
      [rsa.export({ type: 'pkcs8', format: 'der', cipher: 'aes-256-cbc', passphrase: 'x' }) as Buffer, 'service.p8'],
    ];
    for (const [buf, name] of files) await expectFormRejected(() => postForm(formFields(), { buf, name }), 'certificate', /private key|cheie privată/i); // the form answers in ro by default
    await expectFormRejected(() => postForm(formFields({ certificate: issued.privateKeyPem })), 'certificate', /private key|cheie privată/i); // the form answers in ro by default
    await expectFormRejected(() => postForm(formFields({ certificate: issued.pfx })), 'certificate', /private key|cheie privată/i); // the form answers in ro by default
  });

  it('the form refuses every field malformed at once, listing each', async () => {
    const before = await snapshot();
    const res = await postForm({ name_ro: LONG, name_en: '', description: 'A. B.', contact_email: 'x', contact_phone: 'abc', mpass_enabled: 'on', mpass_issuer: ECOALERT.issuer, mpass_acs: 'javascript:x', mpass_customAttributes: '{not json', msign_enabled: 'on', msign_ipAddresses: 'localhost', msign_signerType: 'x', certificate: 'junk' });
    expect(res.status).toBe(400);
    for (const w of ['name.ro', 'name.en', 'name.ru', 'description', 'contact.email', 'contact.phone', 'contact.name', 'mpass.issuer', 'mpass.assertionConsumerServiceUrl', 'mpass.customAttributes', 'msign.ipAddresses[0]', 'msign.signerType', 'certificate']) expect(res.text).toContain(`data-where="${w}"`);
    expect(await snapshot()).toBe(before);
    await expectHealthy(sb);
  });

  async function expectUploadRefused(send: () => Promise<request.Response>, status: number, code: string, where: string) {
    const before = await snapshot();
    const res = await send();
    expect(res.status, res.text.slice(0, 300)).toBe(status);
    expect(res.text).toContain(code);
    expect(res.text).toContain(`<code>${where}</code>`);
    expect(await snapshot()).toBe(before);
    await expectHealthy(sb);
  }

  it('the form refuses an oversized upload with 413 naming the file field (it was a 500)', async () => {
    await expectUploadRefused(() => postForm(formFields(), { buf: Buffer.alloc(200 * 1024, 0x41), name: 'big.cer' }), 413, 'ERR_UPLOAD_TOO_LARGE', 'certificateFile');
    await expectUploadRefused(() => {
      let r = request(sb.app).post(`/services/${ecoalertId}/edit`);
      for (const [k, v] of Object.entries(formFields())) r = r.field(k, v);
      return r.attach('certificateFile', Buffer.alloc(100 * 1024, 0x30), 'big.pfx');
    }, 413, 'ERR_UPLOAD_TOO_LARGE', 'certificateFile');
  });

  it('the form refuses a malformed multipart body, two files and an unexpected file field with 400 (they were 500s)', async () => {
    const boundary = '----hostile';
    await expectUploadRefused(
      () => request(sb.app).post('/services/new').set('Content-Type', `multipart/form-data; boundary=${boundary}`).send(`--${boundary}\r\nContent-Disposition: form-data; name="name_en"\r\n\r\nunterminated`),
      400, 'ERR_UPLOAD_MALFORMED', 'certificateFile',
    );
    await expectUploadRefused(() => postForm(formFields()).attach('certificateFile', Buffer.from('a'), 'a.cer').attach('certificateFile', Buffer.from('b'), 'b.cer'), 400, 'ERR_UPLOAD_MALFORMED', 'certificateFile');
    await expectUploadRefused(() => postForm(formFields()).attach('otherFile', Buffer.from('a'), 'a.cer'), 400, 'ERR_UPLOAD_MALFORMED', 'otherFile');
    let many = request(sb.app).post('/services/new');
    for (let i = 0; i < 100; i++) many = many.field(`f${i}`, 'x');
    await expectUploadRefused(() => many, 400, 'ERR_UPLOAD_MALFORMED', 'certificateFile');
  });
});

describe('PUT /api/services/:id', () => {
  it('refuses malformed fields and leaves the stored service exactly as it was', async () => {
    const before = JSON.stringify((await request(sb.app).get(`/api/services/${ecoalertId}`)).body);
    for (const [path, value] of MALFORMED.filter(([p]) => p !== 'mpass.issuer')) {
      const body = mutate(path, value);
      if (body.mpass && typeof body.mpass === 'object' && !Array.isArray(body.mpass) && path !== 'mpass.issuer') body.mpass.issuer = ECOALERT.issuer;
      await expectRejected(() => request(sb.app).put(`/api/services/${ecoalertId}`).send(body), whereOf(path, value));
    }
    expect(JSON.stringify((await request(sb.app).get(`/api/services/${ecoalertId}`)).body)).toBe(before);
  });

  it('refuses taking another service issuer, and answers 404 for an unknown id', async () => {
    await expectRejected(() => request(sb.app).put(`/api/services/${ecoalertId}`).send(mutate('mpass.issuer', OFFICIAL_SP.issuer)), 'mpass.issuer');
    await expectRejected(() => request(sb.app).put('/api/services/no-such-service').send(valid()), 'id', { status: 404, code: 'ERR_SERVICE_NOT_FOUND' });
    await expectRejected(() => request(sb.app).put(`/api/services/${encodeURIComponent('../../etc/passwd')}`).send(valid()), 'id', { status: 404 });
  });
});
