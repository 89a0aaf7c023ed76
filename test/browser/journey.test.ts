// The whole human path once, in real Chromium: register a service in the form with an uploaded .cer,
// log in through the login page to a node-saml service, sign a PDF on the MSign page, log out.
// Every page is then checked in ro, ru and en at a 375 px wide viewport. Screenshots: test-artifacts/.
import { msignLimits } from '../../src/net/limits.js';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMSignServer, type MSignServer } from '../../src/msign/server.js';
import { tempDir, type Sandbox } from '../helpers.js';
import { ACTION, rawSoap } from '../msign/helpers.js';
import { startListeningSandbox, startTestSp, type TestSp } from '../sp-server.js';
import { fitsWidth, launchChromium, screenshot } from './chromium.js';

let sb: Sandbox;
let server: http.Server;
let msign: MSignServer;
let url: string;
let browser: Browser;
let sp: TestSp;

beforeAll(async () => {
  ({ sb, server, url } = await startListeningSandbox());
  msign = await startMSignServer(sb.msign, sb.pki, { port: 0, maxSoapBytes: sb.config.maxSoapBytes, limits: msignLimits(sb.config) });
  browser = await launchChromium();
  sp = await startTestSp(sb, url, 'journey', 'ok', { register: false });
});
afterAll(async () => {
  await browser?.close();
  await sp?.close();
  await msign?.close();
  server?.close();
});

async function samplePdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawText('Cerere / Request no. 42', { x: 50, y: 780, size: 18, font: await doc.embedFont(StandardFonts.Helvetica) });
  return Buffer.from(await doc.save({ useObjectStreams: true }));
}

describe('the human path in Chromium', () => {
  it('register → log in → sign a PDF → log out', { timeout: 90_000 }, async () => {
    const page = await browser.newPage();
    // 1. Register in the form, uploading the .cer (DER) file
    const dir = tempDir('journey');
    const cerFile = path.join(dir, 'journey.cer');
    fs.writeFileSync(cerFile, new crypto.X509Certificate(sp.cert).raw);
    await page.goto(`${url}/services/new?lang=en`);
    await page.fill('#name_ro', 'Călătorie');
    await page.fill('#name_ru', 'Путешествие');
    await page.fill('#name_en', 'Journey');
    await page.fill('#description', 'The end-to-end test service.');
    await page.fill('#contact_name', 'Ana Test');
    await page.fill('#contact_email', 'ana@example.md');
    await page.setInputFiles('#certificateFile', cerFile);
    await page.fill('#mpass_issuer', sp.issuer);
    await page.fill('#mpass_acs', `${sp.base}/acs`);
    await page.fill('#mpass_logoutRequestUrl', `${sp.base}/slo`);
    await page.fill('#mpass_logoutResponseUrl', `${sp.base}/logout`);
    await page.check('input[name="mpass_attributes"][value="FirstName"]');
    await page.check('input[name="mpass_attributes"][value="LastName"]');
    await page.check('[data-testid="msign-enabled"]');
    await page.fill('#msign_ipAddresses', '127.0.0.1\n::1');
    await page.selectOption('#msign_signerType', 'natural');
    await screenshot(page, 'journey-1-register');
    await page.getByTestId('submit').click();
    await page.getByTestId('created').waitFor();
    await screenshot(page, 'journey-2-registered');
    const service = sb.registry.byMPassIssuer(sp.issuer)!;
    expect(service.msign).toEqual({ ipAddresses: ['127.0.0.1', '::1'], signerType: 'natural' });

    // 2. Log in at the service through the MPass login page
    await page.goto(`${sp.base}/login`);
    await page.getByTestId('persona-2004000000044').waitFor();
    await screenshot(page, 'journey-3-login-page');
    await page.getByTestId('persona-2004000000044').click();
    await page.getByTestId('sp-logged-in').waitFor();
    expect(sp.logins.at(-1)!.nameID).toBe('2004000000044');

    // 3. The service posts a PDF to sign (SOAP over mutual TLS with its own certificate), the user signs on the page
    const pdf = await samplePdf();
    const body =
      '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><PostSignRequest xmlns="https://msign.gov.md"><request>' +
      `<ContentType>Pdf</ContentType><Contents><SignContent><Content>${pdf.toString('base64')}</Content><CorrelationID>req-42</CorrelationID><Name>cerere-42.pdf</Name></SignContent></Contents>` +
      '<ExpectedSigner><ID>2004000000044</ID></ExpectedSigner><ShortContentDescription>Cerere nr. 42</ShortContentDescription><SignatureReason>Approved</SignatureReason></request></PostSignRequest></s:Body></s:Envelope>';
    const fixture = { sb, url: msign.url, ecoalert: { key: sp.key, cert: sp.cert } } as Parameters<typeof rawSoap>[0];
    const posted = await rawSoap(fixture, body, { action: ACTION('PostSignRequest') });
    const requestId = /<PostSignRequestResult>(\w+)</.exec(posted.body)?.[1];
    expect(requestId, posted.body).toMatch(/^[0-9a-f]{32}$/);
    await page.goto(`${url}/msign/${requestId}?ReturnUrl=${encodeURIComponent(`${sp.base}/msign-return`)}&RelayState=r42&lang=ro`);
    await page.getByTestId('instrument-moldsign').click();
    await page.getByTestId('persona-2004000000044').click();
    await screenshot(page, 'journey-4-sign-page');
    await page.getByTestId('sign').click();
    await page.getByTestId('sp-signed').waitFor();
    expect(sp.signCallbacks.at(-1)).toEqual({ RequestID: requestId, RelayState: 'r42' });
    const got = await rawSoap(fixture, `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><GetSignResponse xmlns="https://msign.gov.md"><requestID>${requestId}</requestID><language>en</language></GetSignResponse></s:Body></s:Envelope>`, { action: ACTION('GetSignResponse') });
    expect(got.body).toContain('<Status>Success</Status>');
    const signed = Buffer.from(/<Signature>([^<]+)<\/Signature>/.exec(got.body)![1]!, 'base64');
    fs.writeFileSync(path.join(dir, 'signed.pdf'), signed);
    const report = execFileSync('pdfsig', [path.join(dir, 'signed.pdf')], { encoding: 'utf8' });
    expect(report).toContain('Signature is Valid');
    expect(report).toContain('Țurcanu-Moraru');

    // 4. Log out from the sandbox's page: every service of the session is told
    await page.goto(`${url}/?lang=en`);
    await page.getByTestId('logout').click();
    await page.getByTestId('logout-done').waitFor();
    await screenshot(page, 'journey-5-logged-out');
    expect(sp.logoutRequests.at(-1)).toMatchObject({ ok: true, nameID: '2004000000044' });
    await page.close();
  });

  it('every page is usable in ro, ru and en at 375 px', { timeout: 90_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 740 } });
    const soapBody = '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><PostSignRequest xmlns="https://msign.gov.md"><request>' +
      `<ContentType>Hash</ContentType><Contents><SignContent><Content>${crypto.createHash('sha1').update('x').digest('base64')}</Content></SignContent></Contents><ShortContentDescription>Petiție</ShortContentDescription></request></PostSignRequest></s:Body></s:Envelope>`;
    const eco = { sb, url: msign.url, ecoalert: { key: fs.readFileSync(path.join(process.cwd(), 'fixtures/keys/ecoalert.throwaway-key.pem'), 'utf8'), cert: fs.readFileSync(path.join(process.cwd(), 'fixtures/services/ecoalert.cer.pem'), 'utf8') } } as Parameters<typeof rawSoap>[0];
    const requestId = /<PostSignRequestResult>(\w+)</.exec((await rawSoap(eco, soapBody, { action: ACTION('PostSignRequest') })).body)![1]!;
    const pages: Array<[string, string, string]> = [
      ['home', '/', 'session'],
      ['services', '/services', 'service-row-ecoalert'],
      ['register', '/services/new', 'submit'],
      ['service', '/services/ecoalert', 'service-title'],
      ['events', '/events', ''],
      ['meta', '/meta', 'entity-id'],
      ['error', '/login/saml/pending/unknown', 'error'],
      ['sign', `/msign/${requestId}?ReturnUrl=${encodeURIComponent('http://127.0.0.1:9/back')}`, 'sign-form'],
    ];
    const titles = new Map<string, Set<string>>();
    for (const lang of ['ro', 'ru', 'en']) {
      for (const [name, p, testId] of pages) {
        await page.goto(`${url}${p}${p.includes('?') ? '&' : '?'}lang=${lang}`);
        if (testId) await page.getByTestId(testId).first().waitFor();
        expect(await fitsWidth(page), `${name} in ${lang} overflows 375 px`).toBe(true);
        expect(await page.getAttribute('html', 'lang')).toBe(lang);
        if (!titles.has(name)) titles.set(name, new Set());
        titles.get(name)!.add((await page.textContent('h1'))!.trim());
        await screenshot(page, `page-${name}-${lang}-375`);
      }
      // the login page, reached as a service does (POST), keeps its pending login across the language links
      await page.goto(`${sp.base}/login`);
      await page.getByTestId(`lang-${lang}`).click();
      await page.getByTestId('cancel').waitFor();
      expect(await fitsWidth(page)).toBe(true);
      if (!titles.has('login')) titles.set('login', new Set());
      titles.get('login')!.add((await page.textContent('h1'))!.trim());
      await screenshot(page, `page-login-${lang}-375`);
    }
    // the user-facing pages really change language
    for (const name of ['home', 'error', 'sign', 'login']) expect(titles.get(name)!.size, name).toBe(3);
    await page.close();
  });
});
