// The integration form as JSON API and web page: validation rules, private-key refusal, persistence.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../helpers.js';
import { ECOALERT, FIXTURES, ROOT, startSandbox, tempDir } from '../helpers.js';

let sb: Sandbox;
let issued: { certificatePem: string; privateKeyPem: string; cer: string; pfx: string; pfxPassword: string; serialNumber: string };

const validBody = (over: Record<string, unknown> = {}) => ({
  name: { ro: 'Serviciul de test', ru: 'Тестовый сервис', en: 'Test service' },
  description: 'A service used by the registry tests.',
  contact: { name: 'Dev Ops', email: 'dev@example.md', phone: '+373 22 123456' },
  certificate: issued.certificatePem,
  mpass: {
    issuer: `https://test-${Math.random().toString(36).slice(2)}.example.md`,
    assertionConsumerServiceUrl: 'https://localhost:5001/mpass-login',
    logoutRequestUrl: 'https://localhost:5001/mpass-slo',
    logoutResponseUrl: 'https://localhost:5001/mpass-logout',
    attributes: ['FirstName', 'LastName'],
    customAttributes: [{ name: 'Role', values: { '2001000000011': ['admin'] } }],
  },
  msign: { ipAddresses: ['127.0.0.1', '::1'], signerType: 'natural' },
  ...over,
});

beforeAll(async () => {
  sb = await startSandbox();
  const r = await request(sb.app).post('/api/certificates').send({ commonName: 'registry-test.example.md' });
  expect(r.status).toBe(201);
  issued = r.body;
});

describe('mock STISC: POST /api/certificates', () => {
  it('issues a certificate chained to the sandbox CA, with its key and a .pfx whose password opens it', async () => {
    const { X509Certificate } = await import('node:crypto');
    const x = new X509Certificate(issued.certificatePem);
    expect(x.verify(new X509Certificate(sb.pki.ca.certificatePem).publicKey)).toBe(true);
    expect(x.checkPrivateKey((await import('node:crypto')).createPrivateKey(issued.privateKeyPem))).toBe(true);
    expect(x.serialNumber).toBe(issued.serialNumber); // as openssl prints it, leading zero octets kept
    const dir = tempDir('pfx');
    fs.writeFileSync(path.join(dir, 'c.pfx'), Buffer.from(issued.pfx, 'base64'));
    const out = await new Promise<string>((resolve) => {
      const p = spawn('openssl', ['pkcs12', '-in', path.join(dir, 'c.pfx'), '-passin', `pass:${issued.pfxPassword}`, '-nokeys'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let s = '';
      p.stdout.on('data', (d) => (s += d));
      p.on('close', () => resolve(s));
    });
    expect(out).toContain('registry-test.example.md');
  });
  it('refuses a missing common name, naming the field', async () => {
    const r = await request(sb.app).post('/api/certificates').send({});
    expect(r.status).toBe(400);
    expect(r.body.errors[0].where).toBe('commonName');
  });
});

describe('POST /api/services', () => {
  it('registers a service: 201, the stored shape and its id, readable, listable, editable, deletable', async () => {
    const body = validBody();
    const r = await request(sb.app).post('/api/services').send(body);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: body.name, description: body.description, contact: body.contact, mpass: { ...body.mpass, signAssertion: false, faults: [] }, msign: body.msign, source: 'api' });
    expect(r.body.certificateSerial).toBe(issued.serialNumber);
    const id = r.body.id as string;
    expect((await request(sb.app).get(`/api/services/${id}`)).body.id).toBe(id);
    expect((await request(sb.app).get('/api/services')).body.map((s: { id: string }) => s.id)).toContain(id);
    const put = await request(sb.app).put(`/api/services/${id}`).send({ ...body, description: 'Changed in one sentence.' });
    expect(put.status).toBe(200);
    expect(put.body.description).toBe('Changed in one sentence.');
    expect((await request(sb.app).delete(`/api/services/${id}`)).status).toBe(204);
    expect((await request(sb.app).get(`/api/services/${id}`)).status).toBe(404);
  });

  it('accepts the certificate as base64 of the DER .cer', async () => {
    const r = await request(sb.app).post('/api/services').send(validBody({ certificate: issued.cer }));
    expect(r.status).toBe(201);
  });

  it('reports every problem at once, each naming the field and the fix', async () => {
    const r = await request(sb.app).post('/api/services').send({
      name: { ro: '', en: 'x'.repeat(10001) },
      description: 'First sentence. Second sentence.',
      contact: { name: 'A', email: 'not-an-email' },
      certificate: 'hello',
      mpass: { issuer: ECOALERT.issuer, assertionConsumerServiceUrl: 'ftp://x', logoutRequestUrl: '/relative', attributes: ['FirstName', 'NameIdentifier', 'Shoe'] },
      msign: { ipAddresses: ['127.0.0.1', '300.1.1.1', 'localhost'], signerType: 'robot' },
      extra: true,
    });
    expect(r.status).toBe(400);
    const where = (r.body.errors as Array<{ where: string; fix: string }>).map((e) => e.where);
    for (const w of ['name.ro', 'name.ru', 'name.en', 'description', 'contact.email', 'certificate', 'mpass.issuer', 'mpass.assertionConsumerServiceUrl', 'mpass.logoutRequestUrl', 'mpass.logoutResponseUrl', 'mpass.attributes[1]', 'mpass.attributes[2]', 'msign.ipAddresses[1]', 'msign.ipAddresses[2]', 'msign.signerType', 'extra']) {
      expect(where).toContain(w);
    }
    for (const e of r.body.errors) expect(e.fix.length).toBeGreaterThan(5);
    expect(r.body.errors.find((e: { where: string }) => e.where === 'mpass.issuer').message).toContain('already uses the issuer');
    expect(r.body.errors.find((e: { where: string }) => e.where === 'mpass.attributes[1]').message).toContain('NameID');
  });

  it('requires at least one of mpass and msign', async () => {
    const r = await request(sb.app).post('/api/services').send({ ...validBody(), mpass: undefined, msign: undefined });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].where).toBe('mpass');
  });

  it.each([
    ['PKCS#8 PEM', () => issued.privateKeyPem],
    ['PKCS#1 PEM', () => issued.privateKeyPem.replace('BEGIN PRIVATE KEY', 'BEGIN RSA PRIVATE KEY').replace('END PRIVATE KEY', 'END RSA PRIVATE KEY')],
    ['PEM with certificate and key', () => issued.certificatePem + issued.privateKeyPem],
    ['.pfx as base64', () => issued.pfx],
    ['DER PKCS#8 key as base64', () => Buffer.from(issued.privateKeyPem.replace(/-----[^-]+-----|\s/g, ''), 'base64').toString('base64')],
  ])('refuses a private key where the certificate belongs (%s)', async (_label, value) => {
    const r = await request(sb.app).post('/api/services').send(validBody({ certificate: value() }));
    expect(r.status).toBe(400);
    const e = r.body.errors.find((x: { where: string }) => x.where === 'certificate');
    expect(e.code).toBe('ERR_PRIVATE_KEY_SENT');
    expect(e.fix).toContain('never send the private key');
  });

  it('answers malformed JSON and unknown services clearly', async () => {
    const bad = await request(sb.app).post('/api/services').set('Content-Type', 'application/json').send('{"name": ');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('ERR_BODY_MALFORMED');
    const missing = await request(sb.app).get('/api/services/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error.fix).toContain('GET /api/services');
  });
});

describe('registration pages', () => {
  it('registers a service from the form with an uploaded .cer file, and shows problems in the form', async () => {
    const der = Buffer.from(issued.cer, 'base64');
    const fields: Record<string, string> = {
      name_ro: 'Formular', name_ru: 'Форма', name_en: 'Form service', description: 'Registered from the web form.',
      contact_name: 'Ana', contact_email: 'ana@example.md', mpass_enabled: 'on', mpass_issuer: 'https://form.example.md',
      mpass_acs: 'https://form.example.md/acs', mpass_logoutRequestUrl: 'https://form.example.md/slo', mpass_logoutResponseUrl: 'https://form.example.md/logout',
    };
    let req = request(sb.app).post('/services/new?lang=en');
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    req = req.field('mpass_attributes', 'FirstName').field('mpass_attributes', 'Gender').attach('certificateFile', der, 'form.cer');
    const r = await req;
    expect(r.status).toBe(303);
    const page = await request(sb.app).get(r.headers.location!);
    expect(page.text).toContain('Form service');
    expect(sb.registry.byMPassIssuer('https://form.example.md')!.mpass!.attributes).toEqual(['FirstName', 'Gender']);

    const keyUpload = await request(sb.app).post('/services/new?lang=en').field('name_en', 'x').attach('certificateFile', Buffer.from(issued.privateKeyPem), 'service.key');
    expect(keyUpload.status).toBe(400);
    expect(keyUpload.text).toContain('never send the private key');
  });

  it('lists services and offers a mock STISC certificate from the registration page', async () => {
    expect((await request(sb.app).get('/services')).text).toContain('data-testid="service-row-ecoalert"');
    const r = await request(sb.app).post('/services/certificate').type('form').send({ commonName: 'page.example.md' });
    expect(r.text).toContain('data-testid="pfx-password"');
    expect(r.text).toContain('-----BEGIN CERTIFICATE-----');
  });
});

describe('fixtures and persistence', () => {
  it('loads EcoAlert and the official sample SP from fixtures', () => {
    expect(sb.registry.byMPassIssuer('https://mpass.localhost.egov.md')!.certificateSerial).toBe('1C1A0D18AA2816D83D67A55BFCA59EBF77C08FA3');
    expect(sb.registry.byMPassIssuer(ECOALERT.issuer)!.msign!.signerType).toBe('both');
    expect(fs.existsSync(path.join(FIXTURES, 'services/official-sample-sp.cer.pem'))).toBe(true);
  });

  it('keeps registrations and keys across a restart; the store stays valid JSON', async () => {
    const dataDir = tempDir('persist-data');
    const certsDir = tempDir('persist-certs');
    const a = await startSandbox({}, { dataDir, certsDir });
    const created = await request(a.app).post('/api/services').send(validBody());
    expect(created.status).toBe(201);
    const idpBefore = a.pki.idp.certificatePem;
    JSON.parse(fs.readFileSync(path.join(dataDir, 'sandbox.json'), 'utf8'));
    const b = await startSandbox({}, { dataDir, certsDir });
    expect(b.registry.get(created.body.id)).toBeTruthy();
    expect(b.pki.idp.certificatePem).toBe(idpBefore);
    expect(b.pki.generated).toEqual([]);
  });

  it('personas: at least 8, 13-digit IDNPs, covering the documented variety', async () => {
    const ps = (await request(sb.app).get('/api/personas')).body as Array<Record<string, unknown>>;
    expect(ps.length).toBeGreaterThanOrEqual(8);
    for (const p of ps) expect(p.idnp).toMatch(/^\d{13}$/);
    expect(new Set(ps.map((p) => p.gender))).toEqual(new Set([0, 1, 2]));
    expect(new Set(ps.map((p) => p.language))).toEqual(new Set(['ro', 'ru', 'en']));
    expect(ps.some((p) => p.isResident === false)).toBe(true);
    expect(ps.some((p) => p.nameId)).toBe(true);
    expect(ps.some((p) => p.idno && p.companyName)).toBe(true);
    expect(ps.some((p) => (p.administeredLegalEntities as string[]).length > 1)).toBe(true);
    expect(ps.some((p) => !p.emailAddress)).toBe(true);
  });
});

describe('configuration', () => {
  it('stops on a bad value, naming the variable and the accepted form', async () => {
    const { loadConfig } = await import('../../src/config.js');
    expect(() => loadConfig({ PORT: 'eighty', PUBLIC_URL: 'localhost:8080', ALLOW_SHA1: 'maybe' })).toThrow(/PORT="eighty": expected a whole number[\s\S]*PUBLIC_URL="localhost:8080": expected an absolute http\(s\) URL[\s\S]*ALLOW_SHA1/);
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 8080, publicUrl: 'http://localhost:8080', mpassEntityId: 'http://localhost:8080', msignTlsPort: 8443 });
    expect(c.dataDir).toBe(path.join(ROOT === process.cwd() ? ROOT : process.cwd(), 'data'));
  });
});

describe('SP metadata import', () => {
  it('reads node-saml SP metadata into the MPass fields, and refuses IdP metadata or a DOCTYPE', async () => {
    const { SAML } = await import('@node-saml/node-saml');
    const saml = new SAML({ issuer: 'https://meta.example.md', callbackUrl: 'https://meta.example.md/acs', logoutCallbackUrl: 'https://meta.example.md/slo', idpCert: sb.pki.idp.certificatePem, privateKey: issued.privateKeyPem });
    const metadata = saml.generateServiceProviderMetadata(null, issued.certificatePem);
    const r = await request(sb.app).post('/api/sp-metadata').send({ metadata });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ issuer: 'https://meta.example.md', assertionConsumerServiceUrl: 'https://meta.example.md/acs', logoutRequestUrl: 'https://meta.example.md/slo', logoutResponseUrl: 'https://meta.example.md/slo' });
    expect(r.body.certificate.replace(/\s/g, '')).toBe(issued.certificatePem.replace(/\s/g, ''));
    const page = await request(sb.app).post('/services/metadata?lang=en').type('form').send({ metadata });
    expect(page.text).toContain('value="https://meta.example.md"');
    const idp = await request(sb.app).post('/api/sp-metadata').send({ metadata: (await request(sb.app).get('/meta/saml')).text });
    expect(idp.status).toBe(400);
    expect(idp.body.errors[0].code).toBe('ERR_METADATA');
    const xxe = await request(sb.app).post('/api/sp-metadata').send({ metadata: `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${metadata}` });
    expect(xxe.status).toBe(400);
    expect(xxe.body.error.code).toBe('ERR_XML_DOCTYPE');
  });
});
