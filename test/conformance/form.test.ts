// Issue 10 §3: the filled integration form is a real PDF (qpdf --check), carries the registration in
// ro/ru/en with diacritics and Cyrillic intact (pdftotext reads them back), comes with the .cer, and the
// sandbox's own MSign signs it as the head of the institution (pdfsig validates the signature).
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalSerial } from '../../src/pki/certificates.js';
import { tempDir } from '../helpers.js';
import { signOnPage, soapClient, startMSign, type MSignFixture } from '../msign/helpers.js';

let f: MSignFixture;
let dir: string;
beforeAll(async () => {
  f = await startMSign();
  dir = tempDir('form-pdf');
});
afterAll(async () => {
  await f?.close();
});

const ecoalertId = () => f.sb.registry.byMPassIssuer('https://ecoalert.localhost')!.id;

async function formPdf(lang?: string): Promise<Buffer> {
  const res = await request(f.sb.app).get(`/services/${ecoalertId()}/form.pdf`).query(lang ? { lang } : {}).buffer(true).parse((r, cb) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => cb(null, Buffer.concat(chunks)));
  });
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('application/pdf');
  return res.body as Buffer;
}

function text(pdf: Buffer, name: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-']).toString('utf8').replace(/\s+/g, ' ');
}

describe('the filled integration form', () => {
  it('is Romanian by default, passes qpdf --check and carries the EcoAlert registration', async () => {
    const pdf = await formPdf();
    const file = path.join(dir, 'ro.pdf');
    fs.writeFileSync(file, pdf);
    const check = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
    expect(check.stdout).toContain('No syntax or stream encoding errors found');

    const t = text(pdf, 'ro.pdf');
    const cert = new crypto.X509Certificate(f.sb.registry.get(ecoalertId())!.certificate);
    for (const s of [
      'Formular pentru integrarea serviciilor MPass/MSign',
      '1. Sistemul informațional', 'Denumirea (română) EcoAlert — alerte de mediu', 'EcoAlert — экологические оповещения', 'EcoAlert — environmental alerts',
      'Ana Munteanu', 'dev@ecoalert.example.md', '+373 22 000 111',
      canonicalSerial(cert.serialNumber), 'Valabil până la 2036-11-22',
      'MP-2026-001, 2026-01-15', 'http://localhost:3000/mpass-slo', 'http://localhost:3000/mpass-logout', 'FirstName, LastName, BirthDate, EmailAddress, AdministeredLegalEntity', 'Role',
      'MS-2026-001, 2026-01-15', '127.0.0.1, ::1, ::ffff:127.0.0.1', 'persoană fizică și juridică',
      'Conducătorul instituției',
    ]) expect(t).toContain(s);
    // the SHA-256 fingerprint is cut across lines: compare without whitespace
    expect(t.replace(/ /g, '')).toContain(cert.fingerprint256);
  });

  it('is available in Russian and English', async () => {
    expect(text(await formPdf('ru'), 'ru.pdf')).toContain('Форма для интеграции сервисов MPass/MSign');
    const en = text(await formPdf('en'), 'en.pdf');
    expect(en).toContain('Integration form for the MPass/MSign services');
    expect(en).toContain('Signer type natural and legal person');
  });

  it('comes with the registered certificate as a DER .cer', async () => {
    const res = await request(f.sb.app).get(`/services/${ecoalertId()}/certificate.cer`).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pkix-cert');
    expect(res.headers['content-disposition']).toContain('.cer');
    expect(new crypto.X509Certificate(res.body as Buffer).fingerprint256).toBe(new crypto.X509Certificate(f.sb.registry.get(ecoalertId())!.certificate).fingerprint256);
  });

  it('is signed by the sandbox MSign as the head of the institution, and pdfsig validates the signature', async () => {
    const pdf = await formPdf();
    const client = await soapClient(f);
    const [posted] = await client.PostSignRequestAsync({
      request: { ContentType: 'Pdf', Contents: { SignContent: [{ Content: pdf.toString('base64'), CorrelationID: 'form', Name: 'formular.pdf' }] }, ShortContentDescription: 'Formular pentru integrarea serviciilor MPass/MSign', SignatureReason: 'Aprobat' },
    });
    const id = posted.PostSignRequestResult as string;
    const page = await signOnPage(f.sb, id, { persona: '2007000000088@1010600000011' });
    expect(page.callback?.fields.RequestID).toBe(id);
    const [done] = await client.GetSignResponseAsync({ requestID: id, language: 'ro' });
    expect(done.GetSignResponseResult.Status).toBe('Success');
    const result = done.GetSignResponseResult.Results.SignResult;
    const signed = Buffer.from((Array.isArray(result) ? result[0] : result).Signature as string, 'base64');
    const file = path.join(dir, 'signed.pdf');
    fs.writeFileSync(file, signed);
    const out = execFileSync('pdfsig', [file]).toString();
    expect(out).toContain('Signature Validation: Signature is Valid.');
    expect(out).toContain('Total document signed');
    expect(spawnSync('qpdf', ['--check', file]).status).toBe(0);
  });
});
