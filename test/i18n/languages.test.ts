// Every page in ro, ru and en: rendered by the sandbox, read by Chromium as a person sees it. A visible
// string of a ro/ru page that equals the English page's string is an untranslated leftover — unless it is
// a code, a URL, an identifier or a proper name (allow-list below) or data marked translate="no".
// The same run saves screenshots of every page in ro at 375 px and 1280 px (test-artifacts/i18n-*.png)
// and checks that nothing needs sideways scrolling at 375 px.
import crypto from 'node:crypto';
import request from 'supertest';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lang } from '../../src/lang.js';
import { launchChromium, screenshot, fitsWidth } from '../browser/chromium.js';
import { ECOALERT, loginThroughPage, nodeSamlSp, pendingIdOf, scrapeForm } from '../helpers.js';
import { liveSession } from '../hostile/support.js';
import { ACTION, rawSoap, startMSign, type MSignFixture } from '../msign/helpers.js';

// Terms that are the same in every language: protocol names, SAML element names, products, file names.
const ALLOWED = new Set([
  'MPass', 'MSign', 'WSDL', 'Entity ID', 'SessionIndex', 'Issuer', 'NameID', 'ACS', 'ID', 'API', 'IDNP', 'OK', 'SHA-256', 'UTC', 'id',
  'LogoutRequest URL', 'LogoutResponse URL', 'MPass (SAML 2.0 IdP)', 'MSign (SOAP)', 'HTTP-POST, HTTP-Redirect', 'idp.cer (DER)', 'idp.pem (PEM)', 'ca.cer (DER)', 'ca.pem (PEM)',
  'node-saml / passport-saml', 'MobiSign', 'Contract' /* the Romanian word too */, 'MoldSign', 'SecureSign', 'E-mail', 'Protocol', 'Text', 'Verdict',
]);

/** Strings made only of identifiers (codes, camelCase, dotted names, numbers) are not text to translate. */
function isIdentifierLike(s: string): boolean {
  if (!/\p{L}{3,}/u.test(s)) return true;
  if (/https?:\/\/|@|^\/\S*$/.test(s)) return true;
  const tokens = s.split(/[\s,;:()·—–/|=+*#]+/).filter(Boolean);
  return tokens.every((w) => /^([\p{Lu}\d_.-]+|\p{Ll}+\p{Lu}\w*|\p{Lu}\p{Ll}+\p{Lu}\w*|\S*[_\d@]\S*|\S+\.\S+|\.\w+|…)$/u.test(w) || ALLOWED.has(w));
}

async function visibleStrings(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [document.title];
    const skip = 'code,pre,textarea,script,style,[translate="no"],datalist';
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = (n.textContent ?? '').replace(/\s+/g, ' ').trim();
      if (text && !n.parentElement?.closest(skip)) out.push(text);
    }
    for (const el of Array.from(document.querySelectorAll('[data-confirm],[placeholder],[aria-label]'))) {
      for (const a of ['data-confirm', 'aria-label']) if (el.getAttribute(a)) out.push(el.getAttribute(a)!);
    }
    return out;
  });
}

let f: MSignFixture;
let browser: Browser;
let pendingId: string;
let requestId: string;
let cookie: string;
let samlResponse: string;
beforeAll(async () => {
  f = await startMSign();
  browser = await launchChromium();
  const saml = nodeSamlSp(f.sb, ECOALERT);
  const form = scrapeForm(await saml.getAuthorizeFormAsync('rs'));
  pendingId = pendingIdOf((await request(f.sb.app).post('/login/saml').type('form').send(form.fields)).text);
  cookie = (await liveSession(f.sb)).cookie;
  samlResponse = (await loginThroughPage(f.sb, nodeSamlSp(f.sb, ECOALERT))).form!.fields.SAMLResponse!;
  const hash = crypto.createHash('sha1').update('doc').digest('base64');
  const post = await rawSoap(f, `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><PostSignRequest xmlns="https://msign.gov.md"><request><ContentType>Hash</ContentType><Contents><SignContent><Content>${hash}</Content><CorrelationID>k1</CorrelationID></SignContent></Contents><ShortContentDescription>Contract</ShortContentDescription></request></PostSignRequest></s:Body></s:Envelope>`, { action: ACTION('PostSignRequest') });
  requestId = /<PostSignRequestResult>([0-9a-f]{32})</.exec(post.body)![1]!;
});
afterAll(async () => {
  await browser?.close();
  await f?.close();
});

type Fetch = (lang: Lang) => Promise<request.Response>;
const app = () => request(f.sb.app);
const PAGES: Record<string, Fetch> = {
  home: (l) => app().get(`/?lang=${l}`).set('Cookie', cookie),
  services: (l) => app().get(`/services?lang=${l}`),
  'register-form': (l) => app().get(`/services/new?lang=${l}`),
  'register-errors': (l) => app().post(`/services/new?lang=${l}`).field('name_en', 'x').field('mpass_enabled', 'on').field('mpass_acs', 'not a url').field('msign_enabled', 'on').field('msign_ipAddresses', '127.0.0.1\n999.1.1.1'),
  'register-certificate': (l) => app().post(`/services/certificate?lang=${l}`).field('commonName', 'page.example.md').field('name_en', 'Typed'),
  service: (l) => app().get(`/services/ecoalert?lang=${l}`),
  edit: (l) => app().get(`/services/ecoalert/edit?lang=${l}`),
  meta: (l) => app().get(`/meta?lang=${l}`),
  events: (l) => app().get(`/events?lang=${l}`),
  'events-decode': (l) => app().post(`/events/decode?lang=${l}`).type('form').send({ text: '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_1" Version="2.0"/>' }),
  login: (l) => app().get(`/login/saml/pending/${pendingId}?lang=${l}`),
  'logout-done': (l) => app().post(`/logout?lang=${l}`),
  sign: (l) => app().get(`/msign/${requestId}?lang=${l}&ReturnUrl=${encodeURIComponent('http://localhost:3000/cb')}`),
  'try-result': (l) => app().post(`/try/acs?lang=${l}`).type('form').send({ SAMLResponse: samlResponse, RelayState: 'ecoalert' }),
  'error-404': (l) => app().get(`/no/such/page?lang=${l}`),
  'error-rejected': (l) => app().post(`/login/saml?lang=${l}`).type('form').send({ SAMLRequest: Buffer.from('<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_1" Version="2.0" IssueInstant="2020-01-01T00:00:00Z"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">https://nobody.example</saml:Issuer></samlp:AuthnRequest>').toString('base64') }),
};

async function load(page: Page, html: string): Promise<void> {
  // Same origin as the sandbox would be, without network: relative links and inline CSS are all a page needs.
  await page.setContent(html, { waitUntil: 'domcontentloaded' });
}

describe('every page in ro, ru and en', () => {
  it('has no English leftovers on the ro and ru pages', { timeout: 120_000 }, async () => {
    const page = await browser.newPage();
    const leftovers: string[] = [];
    for (const [name, fetch] of Object.entries(PAGES)) {
      const texts: Partial<Record<Lang, string[]>> = {};
      for (const lang of ['en', 'ro', 'ru'] as const) {
        const res = await fetch(lang);
        expect(res.status, `${name} ${lang}`).toBeLessThan(500);
        expect(res.text, `${name} ${lang}`).toContain(`<html lang="${lang}">`);
        await load(page, res.text);
        texts[lang] = await visibleStrings(page);
      }
      const english = new Set(texts.en);
      for (const lang of ['ro', 'ru'] as const) {
        for (const s of new Set(texts[lang])) if (english.has(s) && !ALLOWED.has(s) && !isIdentifierLike(s)) leftovers.push(`${name} [${lang}]: ${s}`);
      }
    }
    await page.close();
    expect(leftovers).toEqual([]);
  });

  it('shows times in the page language and the Europe/Chisinau zone, UTC in the tooltip', async () => {
    const ro = (await PAGES.home!('ro')).text;
    const m = /<time datetime="([^"]+)" title="([^"]+)">([^<]+)<\/time>/.exec(ro)!;
    expect(m).toBeTruthy();
    expect(m[2]).toMatch(/ UTC$/);
    const chisinau = new Intl.DateTimeFormat('ro-MD', { timeZone: 'Europe/Chisinau', dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(m[1]!));
    expect(m[3]).toBe(chisinau);
    expect((await PAGES.home!('ru')).text).toMatch(/<time [^>]*>[^<]*(янв|февр|мар|апр|ма[яй]|июн|июл|авг|сент|окт|нояб|дек)/);
  });

  it('fits 375 px without sideways scrolling and is saved as screenshots at 375 and 1280 px (ro)', { timeout: 120_000 }, async () => {
    const page = await browser.newPage();
    const tooWide: string[] = [];
    for (const [name, fetch] of Object.entries(PAGES)) {
      const html = (await fetch('ro')).text;
      for (const width of [375, 1280]) {
        await page.setViewportSize({ width, height: 800 });
        await load(page, html);
        await screenshot(page, `i18n-ro-${name}-${width}`);
        if (width === 375 && !(await fitsWidth(page))) tooWide.push(name);
      }
    }
    await page.close();
    expect(tooWide).toEqual([]);
  });
});
