// The signing page in real Chromium: choose an instrument and a signer, sign, land on the e-Service's
// ReturnUrl (a local HTTP server) with RequestID and RelayState; the page fits a 375 px screen.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, rawSoap, sha1, startMSign, type MSignFixture } from './helpers.js';

let f: MSignFixture;
let browser: Browser;
let app: http.Server;
let callback: http.Server;
const received: Array<Record<string, string>> = [];

beforeAll(async () => {
  f = await startMSign();
  app = f.sb.app.listen(0, '127.0.0.1');
  callback = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.method === 'POST') received.push(Object.fromEntries(new URLSearchParams(body))); // not /favicon.ico
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<h1 id="back">Back at the e-Service</h1>');
    });
  });
  await new Promise<void>((r) => callback.listen(0, '127.0.0.1', () => r()));
  await new Promise<void>((r) => (app.listening ? r() : app.once('listening', () => r())));
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
});
afterAll(async () => {
  await browser?.close();
  app?.close();
  callback?.close();
  await f?.close();
});

describe('signing page in Chromium', () => {
  it('instrument + signer + Sign → POST to ReturnUrl with RequestID and RelayState; status Success', async () => {
    const body =
      '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><PostSignRequest xmlns="https://msign.gov.md"><request>' +
      `<ContentType>Hash</ContentType><Contents><SignContent><Content>${sha1('browser doc').toString('base64')}</Content></SignContent></Contents><ShortContentDescription>Petiție</ShortContentDescription></request></PostSignRequest></s:Body></s:Envelope>`;
    const posted = await rawSoap(f, body, { action: ACTION('PostSignRequest') });
    const id = /<PostSignRequestResult>(\w+)</.exec(posted.body)![1]!;
    const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
    const returnUrl = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/msign-return`;

    const page = await browser.newPage({ viewport: { width: 375, height: 740 } });
    await page.goto(`${appUrl}/msign/${id}?returnUrl=${encodeURIComponent(returnUrl)}&relayState=xyz&lang=ro`);
    expect(await page.textContent('h1')).toBe('Semnare cu MSign');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.click('[data-testid="instrument-nationalid"]');
    await page.click('[data-testid="persona-2004000000044"]');
    await Promise.all([page.waitForURL(returnUrl), page.click('[data-testid="sign"]')]);
    expect(await page.textContent('#back')).toBe('Back at the e-Service');
    expect(received).toEqual([{ RequestID: id, RelayState: 'xyz' }]);
    await page.close();

    const get = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><GetSignResponse xmlns="https://msign.gov.md"><requestID>${id}</requestID></GetSignResponse></s:Body></s:Envelope>`;
    expect((await rawSoap(f, get, { action: ACTION('GetSignResponse') })).body).toContain('<Status>Success</Status>');
  });
});
