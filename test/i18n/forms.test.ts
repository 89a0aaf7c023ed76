// The registration form keeps what the person typed: "Issue a test certificate" and "Read the metadata"
// fill the same form in place (with and without JavaScript), errors name the visible label, mark the field
// and take the focus, and a refused private key is never echoed back.
import type http from 'node:http';
import request from 'supertest';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot } from '../browser/chromium.js';
import { startListeningSandbox } from '../sp-server.js';
import type { Sandbox } from '../helpers.js';

let sb: Sandbox;
let server: http.Server;
let url: string;
let browser: Browser;
let spMetadata: string;
beforeAll(async () => {
  ({ sb, server, url } = await startListeningSandbox());
  browser = await launchChromium();
  const { SAML } = await import('@node-saml/node-saml');
  const issued = sb.pki.issueServiceCertificate('meta-form.example.md');
  const saml = new SAML({ issuer: 'https://meta-form.example.md', callbackUrl: 'https://meta-form.example.md/acs', logoutCallbackUrl: 'https://meta-form.example.md/slo', idpCert: sb.pki.idp.certificatePem, privateKey: issued.privateKeyPem });
  spMetadata = saml.generateServiceProviderMetadata(null, issued.certificatePem);
});
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
});

const TYPED = { name_ro: 'Serviciul Nr. 5 al primăriei', name_ru: 'Услуга №5', name_en: 'Service No. 5', description: 'Serviciul Nr. 5 al primăriei.', contact_name: 'Ana Test', contact_email: 'ana@example.md', contact_phone: '+373 22 123456' };

async function typeEverything(page: Page): Promise<void> {
  for (const [id, v] of Object.entries(TYPED)) await page.fill(`#${id}`, v);
  await page.check('input[name="mpass_attributes"][value="FirstName"]');
  await page.check('[data-testid="msign-enabled"]');
  await page.fill('#msign_ipAddresses', '127.0.0.1');
  await page.selectOption('#msign_signerType', 'legal');
}

async function expectKept(page: Page, ips = '127.0.0.1'): Promise<void> {
  for (const [id, v] of Object.entries(TYPED)) expect(await page.inputValue(`#${id}`), id).toBe(v);
  expect(await page.isChecked('input[name="mpass_attributes"][value="FirstName"]')).toBe(true);
  expect(await page.isChecked('[data-testid="msign-enabled"]')).toBe(true);
  expect(await page.isChecked('[data-testid="mpass-enabled"]')).toBe(true);
  expect(await page.inputValue('#msign_ipAddresses')).toBe(ips);
  expect(await page.inputValue('#msign_signerType')).toBe('legal');
}

describe('the registration form in Chromium', () => {
  for (const javaScriptEnabled of [true, false]) {
    it(`issues a certificate and reads metadata without losing a typed field (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, { timeout: 60_000 }, async () => {
      const context = await browser.newContext({ javaScriptEnabled });
      const page = await context.newPage();
      await page.goto(`${url}/services/new?lang=ro`);
      // The helpers come first in the form, before the fields they fill.
      const helpersY = (await page.getByTestId('helpers').boundingBox())!.y;
      expect(helpersY).toBeLessThan((await page.locator('#name_ro').boundingBox())!.y);
      await typeEverything(page);

      await page.fill('#commonName', 'nr5.example.md');
      await page.getByTestId('issue-certificate').click();
      await page.getByTestId('issued').waitFor();
      expect(await page.getByTestId('filled').textContent()).toContain('certificatul');
      await expectKept(page);
      expect(await page.inputValue('#certificate')).toContain('-----BEGIN CERTIFICATE-----');

      await page.fill('#metadata', spMetadata);
      await page.getByTestId('import-metadata').click();
      await page.getByTestId('filled').waitFor();
      await expectKept(page);
      expect(await page.inputValue('#mpass_issuer')).toBe('https://meta-form.example.md');
      expect(await page.inputValue('#mpass_acs')).toBe('https://meta-form.example.md/acs');
      expect(await page.getByTestId('filled').textContent()).toContain('Issuer');
      await screenshot(page, `i18n-form-filled-js-${javaScriptEnabled ? 'on' : 'off'}`);

      await page.getByTestId('submit').click();
      await page.getByTestId('created').waitFor();
      const s = sb.registry.byMPassIssuer('https://meta-form.example.md')!;
      expect(s).toMatchObject({ name: { ro: TYPED.name_ro }, description: TYPED.description, msign: { signerType: 'legal' } });
      await sb.registry.remove(s.id);
      await context.close();
    });
  }

  it('names the visible label, marks the field, shows the value, moves the focus to a role=alert summary', { timeout: 60_000 }, async () => {
    const page = await browser.newPage();
    await page.goto(`${url}/services/new?lang=en`);
    await typeEverything(page);
    await page.fill('#msign_ipAddresses', '127.0.0.1\n999.1.1.1');
    await page.fill('#mpass_acs', 'not a url');
    await page.getByTestId('submit').click();
    await page.getByTestId('problems').waitFor();
    const summary = page.getByTestId('problems');
    expect(await summary.getAttribute('role')).toBe('alert');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('problems');
    const text = (await summary.textContent())!;
    expect(text).toContain('Allowed IP addresses (one per line), line 2');
    expect(text).toContain('999.1.1.1');
    expect(text).toContain('Default ACS URL');
    expect(text).not.toMatch(/mpass\.assertionConsumerServiceUrl|msign\.ipAddresses\[|`/);
    expect(await page.getAttribute('#mpass_acs', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#mpass_acs', 'aria-describedby')).toBe('mpass_acs-error');
    expect(await page.textContent('#mpass_acs-error')).toContain('not a url');
    expect(await page.getAttribute('#name_en', 'aria-invalid')).toBeNull();
    await expectKept(page, '127.0.0.1\n999.1.1.1');
    await screenshot(page, 'i18n-form-errors');
    await page.close();
  });

  it('clears a refused private key from the text area and never echoes it', async () => {
    const issued = sb.pki.issueServiceCertificate('leak.example.md');
    const r = await request(sb.app).post('/services/new?lang=ro').field('name_en', 'Leak').field('certificate', issued.privateKeyPem);
    expect(r.status).toBe(400);
    expect(r.text).toContain('ERR_PRIVATE_KEY_SENT');
    expect(r.text).toContain('data-testid="key-cleared"');
    expect(r.text).not.toContain('PRIVATE KEY-----');
    expect(r.text).not.toContain(issued.privateKeyPem.split('\n')[1]!);
  });
});

describe('one sentence', () => {
  it('accepts real single sentences with abbreviations and initials, refuses two sentences', async () => {
    const body = (description: string, issuer: string) => ({
      name: { ro: 'Propoziție', ru: 'Предложение', en: 'Sentence' }, description, contact: { name: 'Ana', email: 'ana@example.md' },
      certificate: sb.pki.issueServiceCertificate('sentence.example.md').certificatePem,
      mpass: { issuer, assertionConsumerServiceUrl: 'https://s.example.md/acs', logoutRequestUrl: 'https://s.example.md/slo', logoutResponseUrl: 'https://s.example.md/logout' },
    });
    const ok = ['Permits for shops, e.g. permits.', 'Serviciul Nr. 5 al primăriei.', 'Servicii online pentru companii S.R.L.', 'Semnează A. Popescu pentru companie.'];
    for (const [i, d] of ok.entries()) expect((await request(sb.app).post('/api/services').send(body(d, `https://s${i}.example.md`))).status, d).toBe(201);
    const two = await request(sb.app).post('/api/services').send(body('One service. Another sentence.', 'https://s9.example.md'));
    expect(two.status).toBe(400);
    expect(two.body.errors[0].where).toBe('description');
  });
});
