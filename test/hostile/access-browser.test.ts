// The access rules of a shared sandbox as a real browser meets them (Chromium): the page sign-in with
// ADMIN_TOKEN, the Delete confirmation running under the Content-Security-Policy, a cross-site page's
// form to /api/reset refused, and a DNS-rebound host name refused.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../helpers.js';
import { startListeningSandbox } from '../sp-server.js';
import { b64, signedAuthn } from './support.js';

const TOKEN = 'browser-admin-token-1';
let sb: Sandbox;
let server: http.Server;
let url: string;
let port: string;
let browser: Browser;
let evil: http.Server;
let evilUrl: string;

beforeAll(async () => {
  ({ sb, server, url } = await startListeningSandbox({ adminToken: TOKEN }));
  port = new URL(url).port;
  // evil.test resolves to the sandbox's own address: what a DNS-rebinding attacker arranges.
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--host-resolver-rules=MAP evil.test 127.0.0.1'],
  });
  // Another site, on another origin: a page that submits a form to the sandbox as soon as it loads — a
  // hostile one (/), and a service's login page (/login) posting a signed AuthnRequest as SAML HTTP-POST does.
  evil = http.createServer((req, res) => {
    res.setHeader('content-type', 'text/html');
    if (req.url === '/login') {
      res.end(`<!doctype html><form method="POST" action="${url}/login/saml"><input type="hidden" name="SAMLRequest" value="${b64(signedAuthn(sb))}"></form><script>document.forms[0].submit()</script>`);
      return;
    }
    res.end(`<!doctype html><form method="POST" enctype="text/plain" action="${url}/api/reset?registry=true"><input name='{"a":"' value='"}'></form><script>document.forms[0].submit()</script>`);
  });
  await new Promise<void>((r) => evil.listen(0, '127.0.0.1', () => r()));
  evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await browser?.close();
  evil?.close();
  server?.close();
});

/** Every CSP violation Chromium reports on the page (it logs each refused script or style). */
function cspViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.push(m.text());
  });
  return seen;
}

async function registerByApi(name: string): Promise<string> {
  const cert = sb.pki.issueServiceCertificate(`${name}.example.md`).certificatePem;
  const s = await sb.registry.create({ name: { ro: name, ru: name, en: name }, description: 'Browser access test.', contact: { name: 'A', email: 'a@example.md' }, certificate: cert, msign: { ipAddresses: ['127.0.0.1'], signerType: 'natural' } });
  return s.id;
}

describe('a shared sandbox in Chromium', () => {
  it('sign in with ADMIN_TOKEN, delete a service through its confirmation (CSP nonce), sign out', { timeout: 60_000 }, async () => {
    const id = await registerByApi('browser-delete');
    const context = await browser.newContext();
    const page = await context.newPage();
    const violations = cspViolations(page);

    await page.goto(`${url}/services/${id}/edit?lang=en`);
    expect(new URL(page.url()).pathname).toBe('/signin');
    await page.fill('[data-testid="token"]', 'not-the-token');
    await page.click('[data-testid="signin"]');
    await expect(page.locator('[data-testid="error-code"]').textContent()).resolves.toBe('ERR_ADMIN_TOKEN');
    await page.fill('[data-testid="token"]', TOKEN);
    await page.click('[data-testid="signin"]');
    expect(new URL(page.url()).pathname).toBe(`/services/${id}/edit`);
    const cookie = (await context.cookies()).find((c) => c.name === 'mpass_admin')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(cookie.value).not.toContain(TOKEN);

    await page.goto(`${url}/services/${id}?lang=en`);
    const dialogs: string[] = [];
    page.once('dialog', (d) => {
      dialogs.push(d.message());
      void d.accept();
    });
    await Promise.all([page.waitForURL(/\/services\?lang=en$/), page.click('[data-testid="delete"]')]);
    expect(dialogs).toEqual(['Delete this service? Its logins and signing requests stop working.']);
    expect(sb.registry.get(id)).toBeUndefined();

    await page.click('[data-testid="signout"]');
    expect((await context.cookies()).find((c) => c.name === 'mpass_admin')).toBeUndefined();
    await page.goto(`${url}/services/new?lang=en`);
    expect(new URL(page.url()).pathname).toBe('/signin');
    expect(violations).toEqual([]);
    await context.close();
  });

  it("another site's auto-submitting text/plain form to /api/reset?registry=true is refused and drops nothing", { timeout: 30_000 }, async () => {
    const id = await registerByApi('browser-keep');
    const page = await browser.newPage();
    const answer = page.waitForResponse((r) => r.url().startsWith(`${url}/api/reset`));
    await page.goto(evilUrl);
    const res = await answer;
    expect(res.status()).toBe(403);
    expect((await res.json()).error.code).toBe('ERR_CROSS_SITE_REQUEST');
    expect(sb.registry.get(id)).toBeTruthy();
    await page.close();
  });

  it("a service's cross-site SAML POST still logs in, and the auto-post page's script runs under the CSP", { timeout: 30_000 }, async () => {
    const page = await browser.newPage();
    const violations = cspViolations(page);
    await page.goto(`${evilUrl}login`);
    await page.waitForSelector('[data-testid="persona-2001000000011"]');
    // The auto-post page submits the Response to the service's ACS (http://localhost:3000/mpass-login): nothing
    // listens there, so the request itself is the proof that the nonce'd script ran.
    const acs = page.waitForRequest((r) => r.url() === 'http://localhost:3000/mpass-login' && r.method() === 'POST');
    await page.click('[data-testid="persona-2001000000011"]');
    const posted = await acs;
    expect(posted.postData()).toContain('SAMLResponse=');
    expect(violations).toEqual([]);
    await page.close();
  });

  it('a page reached through a rebound host name gets 421, not the sandbox', { timeout: 30_000 }, async () => {
    const page = await browser.newPage();
    const res = await page.goto(`http://evil.test:${port}/api/events`);
    expect(res?.status()).toBe(421);
    expect(await page.content()).toContain('ALLOWED_HOSTS');
    const own = await page.goto(`${url}/meta?lang=en`);
    expect(own?.status()).toBe(200);
    await page.close();
  });
});
