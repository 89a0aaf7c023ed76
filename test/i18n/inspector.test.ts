// The message inspector: a pasted Redirect URL and a pasted POST Response decoded with the sandbox's verdict
// (in Chromium through the page, and as JSON), request↔answer links, rejected entries readable without
// expanding, filters, export of one exchange, and highlighted XML that cannot inject markup.
import type http from 'node:http';
import zlib from 'node:zlib';
import request from 'supertest';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePasted } from '../../src/inspect/decode.js';
import { highlightXml } from '../../src/inspect/pretty.js';
import { launchChromium, screenshot } from '../browser/chromium.js';
import { ECOALERT, loginThroughPage, nodeSamlSp, type Sandbox } from '../helpers.js';
import { startListeningSandbox } from '../sp-server.js';

let sb: Sandbox;
let server: http.Server;
let url: string;
let browser: Browser;
let redirectUrl: string;
let postResponse: string;
beforeAll(async () => {
  ({ sb, server, url } = await startListeningSandbox());
  browser = await launchChromium();
  redirectUrl = await nodeSamlSp(sb, ECOALERT, { authnRequestBinding: 'HTTP-Redirect' }).getAuthorizeUrlAsync('rs-redirect', undefined, {});
  const login = await loginThroughPage(sb, nodeSamlSp(sb, ECOALERT));
  postResponse = login.form!.fields.SAMLResponse!;
});
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
});

describe('paste and decode', () => {
  it('decodes a pasted Redirect URL and a POST Response in the page and shows the verdict', { timeout: 60_000 }, async () => {
    const page = await browser.newPage();
    await page.goto(`${url}/events?lang=en`);
    await page.fill('[data-testid="decode-text"]', redirectUrl);
    await page.getByTestId('decode').click();
    await page.getByTestId('decoded').waitFor();
    expect(await page.getByTestId('decoded-encoding').textContent()).toBe('redirect-url');
    expect(await page.getByTestId('decoded-verdict').getAttribute('data-verdict')).toBe('accepted');
    expect(await page.getByTestId('decoded-signature').getAttribute('data-signature')).toBe('valid');
    expect(await page.getByTestId('decoded').textContent()).toContain(ECOALERT.issuer);
    expect(await page.locator('[data-testid="decoded-xml"] .t').count()).toBeGreaterThan(2);
    await screenshot(page, 'i18n-inspector-redirect');

    await page.fill('[data-testid="decode-text"]', postResponse);
    await page.getByTestId('decode').click();
    await page.getByTestId('decoded').waitFor();
    expect(await page.getByTestId('decoded-encoding').textContent()).toBe('base64');
    expect(await page.getByTestId('decoded-verdict').getAttribute('data-verdict')).toBe('accepted');
    expect(await page.getByTestId('decoded-signature').getAttribute('data-signature')).toBe('valid');
    const text = (await page.getByTestId('decoded').textContent())!;
    expect(text).toContain('2001000000011');
    expect(text).toContain('Success');
    await screenshot(page, 'i18n-inspector-response');
    await page.close();
  });

  it('says why a tampered message is refused, in the request language', async () => {
    const u = new URL(redirectUrl);
    u.searchParams.set('RelayState', 'changed-after-signing');
    const r = await request(sb.app).post('/api/decode').set('Accept-Language', 'ro').send({ text: u.toString() });
    expect(r.status).toBe(200);
    expect(r.body.verdict).toMatchObject({ verdict: 'rejected', signature: 'invalid', rejection: { code: 'ERR_SIGNATURE_INVALID' } });
    const tampered = Buffer.from(Buffer.from(postResponse, 'base64').toString('utf8').replace('2001000000011', '2001000000099')).toString('base64');
    const t = await request(sb.app).post('/api/decode').send({ text: encodeURIComponent(tampered) });
    expect(t.body.decoded.encoding).toBe('base64');
    expect(t.body.verdict).toMatchObject({ verdict: 'rejected', signature: 'invalid' });
    const page = await request(sb.app).post('/events/decode?lang=ro').type('form').send({ text: u.toString() });
    expect(page.text).toContain('ERR_SIGNATURE_INVALID');
    expect(page.text).toContain('Semnătura nu se verifică cu certificatul înregistrat.');
    const junk = await request(sb.app).post('/api/decode').send({ text: 'hello there' });
    expect(junk.status).toBe(400);
    expect(junk.body.errors[0]).toMatchObject({ code: 'ERR_INVALID_FIELD', where: 'text' });
  });

  it('decodes every encoding a person may paste', () => {
    const xml = '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_a"/>';
    const deflated = zlib.deflateRawSync(xml).toString('base64');
    expect(decodePasted(xml)).toMatchObject({ encoding: 'xml', xml });
    expect(decodePasted(Buffer.from(xml).toString('base64'))).toMatchObject({ encoding: 'base64', xml });
    expect(decodePasted(deflated)).toMatchObject({ encoding: 'base64+deflate', xml });
    expect(decodePasted(encodeURIComponent(deflated))).toMatchObject({ encoding: 'base64+deflate', xml });
    expect(decodePasted(`SAMLRequest=${encodeURIComponent(deflated)}&RelayState=x`)).toMatchObject({ encoding: 'redirect-query', xml, relayState: 'x' });
    expect(decodePasted(`https://idp/login/saml?SAMLRequest=${encodeURIComponent(deflated)}`)).toMatchObject({ encoding: 'redirect-url', xml, param: 'SAMLRequest' });
    expect(decodePasted('   ')).toHaveProperty('error');
  });

  it('highlights XML without letting the message become markup', () => {
    const html = highlightXml('<a x="1&quot;&gt;"><b>&lt;script&gt;alert(1)&lt;/script&gt;</b><!-- <img src=x onerror=alert(1)> --></a>');
    expect(html).not.toMatch(/<(script|img|b)\b/);
    expect(html).toContain('<span class="t">&lt;b</span>');
    expect(html.split('\n').length).toBeGreaterThan(2);
  });
});

describe('the event list', () => {
  it('links request and answer, shows rejections without expanding, filters, and exports one exchange', async () => {
    await request(sb.app).post('/login/saml').type('form').send({ SAMLRequest: Buffer.from('<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_x" Version="2.0"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">https://nobody.example</saml:Issuer></samlp:AuthnRequest>').toString('base64') });
    const page = (await request(sb.app).get('/events?lang=en')).text;
    const req = sb.events.list(100, (e) => e.message === 'AuthnRequest' && e.verdict === 'accepted')[0]!;
    const res = sb.events.list(100, (e) => e.message === 'Response' && !!e.xml?.includes(`InResponseTo="${/ID="([^"]+)"/.exec(req.xml!)![1]}"`))[0]!;
    expect(res).toBeTruthy();
    const block = (id: number) => page.slice(page.indexOf(`id="event-${id}"`), page.indexOf('</article>', page.indexOf(`id="event-${id}"`)));
    expect(block(req.id)).toContain(`href="#event-${res.id}"`);
    expect(block(res.id)).toContain(`href="#event-${req.id}"`);
    const rejected = sb.events.list(100, (e) => e.verdict === 'rejected')[0]!;
    const rejectedBlock = block(rejected.id);
    expect(rejectedBlock.indexOf('data-testid="event-rejection"')).toBeLessThan(rejectedBlock.indexOf('<details') === -1 ? Infinity : rejectedBlock.indexOf('<details'));
    expect(rejectedBlock).toContain('ERR_UNKNOWN_ISSUER');
    const only = (await request(sb.app).get('/events?lang=en&verdict=rejected')).text;
    expect(only).toContain(`id="event-${rejected.id}"`);
    expect(only).not.toContain(`id="event-${req.id}"`);
    const text = (await request(sb.app).get('/events?lang=en&q=nobody.example&partial=1')).text;
    expect(text).toContain(`id="event-${rejected.id}"`);
    expect(text).not.toContain('<html');
    const exported = await request(sb.app).get(`/events/${req.id}/export`);
    expect(exported.headers['content-disposition']).toContain(`mpass-sandbox-exchange-${req.id}.json`);
    expect(exported.body.exchange.map((e: { id: number }) => e.id)).toEqual([req.id, res.id]);
  });
});
