// The small things that make a newcomer give up: metadata that opens in the browser, MSign on the home and
// /meta pages with the real host, the plain start line, Redirect advice for an unsigned Redirect request, a
// signature failure that names the registered certificate, the login page's faults for the custom identity,
// the MSign page (mobile fields, number required, local expiry + countdown), per-service help, contrast.
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import type http from 'node:http';
import request from 'supertest';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLine } from '../../src/http/render.js';
import { launchChromium } from '../browser/chromium.js';
import { ECOALERT, nodeSamlSp, pendingIdOf, scrapeForm, type Sandbox } from '../helpers.js';
import { authnFor, signedRedirectQuery } from '../hostile/support.js';
import { officialAuthnRequestXml } from '../official-client.js';
import { ACTION, rawSoap, startMSign, type MSignFixture } from '../msign/helpers.js';
import { startListeningSandbox } from '../sp-server.js';

let f: MSignFixture;
let sb: Sandbox;
let browser: Browser;
let listening: { sb: Sandbox; server: http.Server; url: string };
beforeAll(async () => {
  f = await startMSign({ publicUrl: 'http://sandbox.example.md:8080', mpassEntityId: 'http://sandbox.example.md:8080' });
  sb = f.sb;
  browser = await launchChromium();
  listening = await startListeningSandbox();
});
afterAll(async () => {
  await browser?.close();
  await f?.close();
  await new Promise((r) => listening?.server.close(r));
});

describe('metadata, home and start line', () => {
  it('opens SAML metadata as XML in the browser and downloads it as mpass-sandbox-metadata.xml', async () => {
    const view = await request(sb.app).get('/meta/saml');
    expect(view.headers['content-type']).toMatch(/^application\/xml/);
    expect(view.headers['content-disposition']).toBeUndefined();
    const file = await request(sb.app).get('/meta/saml?download=1');
    expect(file.headers['content-disposition']).toMatch(/^attachment; filename="?mpass-sandbox-metadata\.xml"?$/);
    expect(file.text).toBe(view.text);
  });

  it('shows the MSign endpoint with the real host on /meta and the home page, and prints one plain start line', async () => {
    for (const path of ['/meta?lang=en', '/?lang=en']) {
      const page = (await request(sb.app).get(path)).text;
      expect(page, path).toContain('https://sandbox.example.md:8443/MSign.svc');
      expect(page, path).not.toContain('&lt;host&gt;');
    }
    expect((await request(sb.app).get('/?lang=en')).text).toContain('data-testid="home-msign"');
    expect(startLine({ publicUrl: 'http://localhost:8080', msignTlsPort: 8443 })).toBe('Open http://localhost:8080 — MSign on https://localhost:8443');
  });
});

describe('signature advice', () => {
  it('tells an unsigned HTTP-Redirect AuthnRequest about SigAlg and Signature, not an enveloped signature', async () => {
    const xml = officialAuthnRequestXml(authnFor(sb));
    const q = `SAMLRequest=${encodeURIComponent(zlib.deflateRawSync(xml).toString('base64'))}`;
    const res = await request(sb.app).get(`/login/saml?${q}&lang=en`);
    expect(res.status).toBe(403);
    expect(res.text).toContain('ERR_SIGNATURE_MISSING');
    expect(res.text).toContain('SigAlg');
    expect(res.text).not.toContain('enveloped ds:Signature');
  });

  it('names the registered certificate (serial, SHA-256) when a signature does not verify, never the SignatureValue', async () => {
    const other = sb.pki.issueServiceCertificate('someone-else.localhost');
    const q = signedRedirectQuery(officialAuthnRequestXml(authnFor(sb)), other.privateKeyPem);
    const res = await request(sb.app).get(`/login/saml?${q}&lang=en`);
    expect(res.status).toBe(403);
    const service = sb.registry.byMPassIssuer(ECOALERT.issuer)!;
    expect(res.text).toContain(service.certificateSerial);
    expect(res.text).toContain(new crypto.X509Certificate(ECOALERT.cert).fingerprint256);
    const signature = decodeURIComponent(/Signature=([^&]+)/.exec(q)![1]!);
    expect(res.text).not.toContain(signature.slice(0, 24));
  });
});

describe('login page', () => {
  it('applies the ticked faults to the custom identity too (one form)', async () => {
    const form = scrapeForm(await nodeSamlSp(sb, ECOALERT).getAuthorizeFormAsync('rs'));
    const page = (await request(sb.app).post('/login/saml').type('form').send(form.fields)).text;
    expect(page.match(/<form /g)!.length).toBe(1);
    const res = await request(sb.app).post('/login/saml/continue').type('form').send(`pending=${pendingIdOf(page)}&faults=response-unsigned&action=login&customIdnp=2009000000011&customFirstName=Ana&customLastName=Test`);
    const xml = Buffer.from(scrapeForm(res.text).fields.SAMLResponse!, 'base64').toString('utf8');
    expect(xml).toContain('2009000000011');
    expect(xml).not.toContain('Signature');
  });
});

describe('MSign signing page', () => {
  let requestId: string;
  beforeAll(async () => {
    const hash = crypto.createHash('sha1').update('doc').digest('base64');
    const post = await rawSoap(f, `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><PostSignRequest xmlns="https://msign.gov.md"><request><ContentType>Hash</ContentType><Contents><SignContent><Content>${hash}</Content><CorrelationID>k1</CorrelationID></SignContent></Contents><ShortContentDescription>Contract</ShortContentDescription></request></PostSignRequest></s:Body></s:Envelope>`, { action: ACTION('PostSignRequest') });
    requestId = /<PostSignRequestResult>([0-9a-f]{32})</.exec(post.body)![1]!;
  });

  it('requires the mobile number for a mobile signature', async () => {
    // The page's own token, as a browser that was shown the page sends it (src/msign/page-token.ts).
    const shown = await request(sb.app).get(`/msign/${requestId}?lang=ro&ReturnUrl=${encodeURIComponent('http://localhost:3000/cb')}`);
    const pageToken = /name="pageToken" value="([^"]+)"/.exec(shown.text)![1]!;
    const res = await request(sb.app).post(`/msign/${requestId}`).type('form').send({ ReturnUrl: 'http://localhost:3000/cb', lang: 'ro', instrument: 'mobile', action: 'sign', persona: '2001000000011', pageToken });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Introduceți numărul de mobil');
  });

  it('shows the mobile fields only for a mobile instrument, and the expiry as local time with a countdown', async () => {
    const page = await browser.newPage();
    const html = (await request(sb.app).get(`/msign/${requestId}?lang=ro&ReturnUrl=${encodeURIComponent('http://localhost:3000/cb')}`)).text;
    await page.setContent(html);
    expect(await page.getByTestId('mobile-fields').isVisible()).toBe(false);
    await page.getByTestId('instrument-mobile').check();
    expect(await page.getByTestId('mobile-fields').isVisible()).toBe(true);
    expect(await page.getByTestId('countdown').textContent()).toMatch(/^\d+:\d{2}$/);
    expect(html).toMatch(/<time datetime="[^"]+Z" title="[^"]+ UTC">/);
    await page.close();
  });
});

describe('per-service help and contrast', () => {
  it('gives appsettings.json, node-saml options, SP metadata and MSign client settings with the service\'s own values', async () => {
    const html = (await request(sb.app).get('/services/ecoalert?lang=en')).text.replace(/&#34;/g, '"');
    const s = sb.registry.get('ecoalert')!;
    expect(html).toContain(`"SamlRequestIssuer": "${s.mpass!.issuer}"`);
    expect(html).toContain(`"SamlLoginDestination": "${sb.mpass.ssoUrl}"`);
    expect(html).toContain(`"CallbackPath": "${new URL(s.mpass!.assertionConsumerServiceUrl).pathname}"`);
    expect(html).toContain(`issuer: "${s.mpass!.issuer}"`);
    expect(html).toContain(`entityID="${s.mpass!.issuer}"`);
    expect(html).toContain('"Endpoint": "https://sandbox.example.md:8443/MSign.svc"');
    expect(html).toContain(`"SerialNumber": "${s.certificateSerial}"`);
  });

  it('draws input borders and focus rings at 3:1 or more against white (WCAG 1.4.11)', async () => {
    const page = await browser.newPage();
    await page.goto(`${listening.url}/services/new?lang=ro`);
    const colors = await page.evaluate(() => {
      const input = document.querySelector('#name_ro') as HTMLInputElement;
      const border = getComputedStyle(input).borderTopColor;
      input.focus();
      return { border, focus: getComputedStyle(input).outlineColor };
    });
    const lum = (rgb: string) => {
      const [r, g, b] = rgb.match(/\d+/g)!.slice(0, 3).map((v) => Number(v) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const contrast = (rgb: string) => 1.05 / (lum(rgb) + 0.05);
    expect(contrast(colors.border)).toBeGreaterThanOrEqual(3);
    expect(contrast(colors.focus)).toBeGreaterThanOrEqual(3);
    expect(await page.locator('label[for="name_ro"] .req').count()).toBe(1);
    await page.close();
  });
});

describe('try a login', () => {
  it('plays a built-in test service for a service whose key the sandbox holds: the whole exchange ends on a verdict', { timeout: 60_000 }, async () => {
    const page = await browser.newPage();
    await page.goto(`${listening.url}/services/ecoalert?lang=ro`);
    await page.getByTestId('try-login').click();
    await page.getByTestId('persona-2001000000011').click();
    await page.getByTestId('try-result').waitFor();
    expect(await page.getByTestId('try-verdict').getAttribute('data-verdict')).toBe('accepted');
    expect(await page.getByTestId('try-signature').getAttribute('data-signature')).toBe('valid');
    expect(await page.getByTestId('try-result').textContent()).toContain('2001000000011');
    const request_ = listening.sb.events.list(10, (e) => e.message === 'AuthnRequest')[0]!;
    expect(request_.verdict).toBe('accepted');
    expect(request_.xml).toContain(`AssertionConsumerServiceURL="${listening.url}/try/acs"`);
    // A service registered through the form has no key in the sandbox: no button.
    const s = await listening.sb.registry.create({ name: { ro: 'Fără cheie', ru: 'Без ключа', en: 'No key' }, description: 'No key here.', contact: { name: 'A', email: 'a@example.md' }, certificate: listening.sb.pki.issueServiceCertificate('nokey.example.md').certificatePem, mpass: { issuer: 'https://nokey.example.md', assertionConsumerServiceUrl: 'https://nokey.example.md/acs', logoutRequestUrl: 'https://nokey.example.md/slo', logoutResponseUrl: 'https://nokey.example.md/logout' } });
    expect((await request(listening.sb.app).get(`/services/${s.id}?lang=en`)).text).not.toContain('data-testid="try-login"');
    expect((await request(listening.sb.app).post(`/services/${s.id}/try`)).status).toBe(404);
    await page.close();
  });
});
