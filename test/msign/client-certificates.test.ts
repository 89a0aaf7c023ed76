// Client certificates outside their validity period are refused at registration and by MSign over mutual
// TLS (issue 8); serials are printed as openssl prints them (leading zero octets kept) and matched
// canonically.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCertificate, generateRsaKeyPem, type KeyPair } from '../../src/pki/certificates.js';
import { ACTION, faultOf, rawSoap, sha1, startMSign, type MSignFixture } from './helpers.js';

let f: MSignFixture;
beforeAll(async () => {
  f = await startMSign();
});
afterAll(async () => {
  await f?.close();
});
afterEach(() => f.sb.clock.reset());

const DAY = 86_400_000;
const post = (hash = sha1('doc')) =>
  `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><PostSignRequest xmlns="https://msign.gov.md"><request>` +
  `<ContentType>Hash</ContentType><Contents><SignContent><Content>${hash.toString('base64')}</Content></SignContent></Contents><ShortContentDescription>Test</ShortContentDescription></request></PostSignRequest></s:Body></s:Envelope>`;
const serviceBody = (certificate: string) => ({
  name: { ro: 'Certificat', ru: 'Сертификат', en: 'Certificate' },
  description: 'A consumer with a certificate of limited validity.',
  contact: { name: 'Test', email: 'test@example.md' },
  certificate,
  msign: { ipAddresses: ['127.0.0.1', '::1'], signerType: 'both' },
});
const opensslSerial = (pem: string) => execFileSync('openssl', ['x509', '-noout', '-serial'], { input: pem }).toString().trim().replace(/^serial=/, '');
const service = (cn: string, notBefore: Date, validDays: number, privateKeyPem?: string): KeyPair =>
  createCertificate({ subject: [{ name: 'CN', value: cn }], issuer: f.sb.pki.ca, notBefore, validDays, privateKeyPem, keyUsage: { digitalSignature: true, keyEncipherment: true }, extKeyUsage: { clientAuth: true } });

describe('certificate validity', () => {
  it('registration refuses an expired and a not-yet-valid certificate, naming the validity dates', async () => {
    const expired = service('expired.localhost', new Date(Date.now() - 40 * DAY), 30);
    const future = service('future.localhost', new Date(Date.now() + 10 * DAY), 30);
    for (const [pair, words] of [[expired, 'has expired'], [future, 'is not valid yet']] as const) {
      const x = new crypto.X509Certificate(pair.certificatePem);
      const r = await request(f.sb.app).post('/api/services').send(serviceBody(pair.certificatePem));
      expect(r.status).toBe(400);
      const e = (r.body.errors as Array<Record<string, string>>).find((p) => p.where === 'certificate')!;
      expect(e.code).toBe('ERR_CERTIFICATE_VALIDITY');
      expect(e.message).toContain(`The certificate (serial ${opensslSerial(pair.certificatePem)}) ${words}: valid from ${new Date(x.validFrom).toISOString()} to ${new Date(x.validTo).toISOString()}`);
      expect(e.fix).toMatch(/valid now/);
    }
  });

  it('MSign refuses a registered certificate once it has expired, and before it is valid: AuthenticationFailed naming serial and validity', async () => {
    const pair = service('short-lived.localhost', new Date(Date.now() - DAY), 3);
    const reg = await request(f.sb.app).post('/api/services').send(serviceBody(pair.certificatePem));
    expect(reg.status).toBe(201);
    const tls = { key: pair.privateKeyPem, cert: pair.certificatePem };
    const known = await rawSoap(f, post(), { action: ACTION("PostSignRequest"), tls });
    expect(known.status, known.body).toBe(200);
    const x = new crypto.X509Certificate(pair.certificatePem);
    const serial = opensslSerial(pair.certificatePem);
    const validity = `valid from ${new Date(x.validFrom).toISOString()} to ${new Date(x.validTo).toISOString()}`;

    f.sb.clock.setOffset(5 * 24 * 3600);
    const late = await rawSoap(f, post(), { action: ACTION('PostSignRequest'), tls });
    expect(late.status).toBe(500);
    expect(faultOf(late.body)?.code).toBe('AuthenticationFailed');
    expect(faultOf(late.body)?.reason).toContain(`the certificate with serial ${serial} has expired: ${validity}`);

    f.sb.clock.setOffset(-3 * 24 * 3600);
    const early = await rawSoap(f, post(), { action: ACTION('PostSignRequest'), tls });
    expect(faultOf(early.body)?.code).toBe('AuthenticationFailed');
    expect(faultOf(early.body)?.reason).toContain(`the certificate with serial ${serial} is not valid yet: ${validity}`);
  });
});

describe('certificate serials', () => {
  it('are printed as openssl prints them (0A4C…, not A4C…) and matched canonically', async () => {
    // A serial whose first octet is below 0x10: the form that dropped its leading zero. Same key, new serials.
    const key = generateRsaKeyPem();
    let pair: KeyPair;
    do pair = service('zero.localhost', new Date(Date.now() - DAY), 30, key);
    while (!new crypto.X509Certificate(pair.certificatePem).serialNumber.startsWith('0'));
    const serial = opensslSerial(pair.certificatePem);
    expect(serial).toMatch(/^0[0-9A-F]/);
    const tls = { key: pair.privateKeyPem, cert: pair.certificatePem };

    const unknown = await rawSoap(f, post(), { action: ACTION('PostSignRequest'), tls });
    expect(faultOf(unknown.body)?.reason).toContain(`Unknown service consumer: ${serial}.`);

    const reg = await request(f.sb.app).post('/api/services').send(serviceBody(pair.certificatePem));
    expect(reg.status).toBe(201);
    expect(reg.body.certificateSerial).toBe(serial);
    expect((await request(f.sb.app).get(`/api/services/${reg.body.id}`)).body.certificateInfo.serialNumber).toBe(serial);
    // Matching stays canonical: the TLS peer's serial finds the registration, and so does the serial
    // written without its leading zeros, in lower case or with colons.
    const known = await rawSoap(f, post(), { action: ACTION("PostSignRequest"), tls });
    expect(known.status, known.body).toBe(200);
    for (const written of [serial.replace(/^0+/, '').toLowerCase(), serial.match(/../g)!.join(':')]) {
      const s = await request(f.sb.app).post('/api/msign/script').send({ serial: written, outcome: 'cancel' });
      expect(s.status, written).toBe(201);
      expect(s.body.serviceId).toBe(reg.body.id);
    }
    // The mock STISC hands out the serial in the same form.
    const issued = await request(f.sb.app).post('/api/certificates').send({ commonName: 'svc.localhost' });
    expect(issued.body.serialNumber).toBe(opensslSerial(issued.body.certificatePem));
  });
});
