// The Playwright container's suite (node:test + playwright-core): single sign-on over HTTP-POST between two https
// sites and the sandbox's single logout reaching the service in its iframe.
// SANDBOX_URL, SERVICE_URL: as compose.yaml sets them. Outside Docker (the project's own test of this topology)
// CHROMIUM_PATH names the browser and HOST_RESOLVER_RULES maps sandbox.test/service.test to 127.0.0.1.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';

const SANDBOX_URL = process.env.SANDBOX_URL;
const SERVICE_URL = process.env.SERVICE_URL;
let browser;
let context;
let page;
/** Every time the browser posted the sandbox's login page (a persona was chosen there). */
const loginPages = [];

before(async () => {
  const args = ['--headless', '--no-sandbox', '--disable-gpu'];
  if (process.env.HOST_RESOLVER_RULES) args.push(`--host-resolver-rules=${process.env.HOST_RESOLVER_RULES}`);
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || undefined, args });
  // Trusting the sandbox CA in Chromium needs an NSS database; a test browser simply ignores certificate errors.
  context = await browser.newContext({ ignoreHTTPSErrors: true });
  page = await context.newPage();
  page.on('request', (r) => {
    if (r.url().startsWith(`${SANDBOX_URL}/login/saml/continue`)) loginPages.push(r.url());
  });
});
after(async () => {
  await browser?.close();
});

/** The service's own answer to "who is logged in", in the browser (its cookie, its TLS). */
const me = async () => (await page.goto(`${SERVICE_URL}/me`)).status();

test('first login goes through the sandbox login page', async () => {
  await page.goto(SERVICE_URL);
  await page.getByTestId('sp-login').click();
  await page.getByTestId('persona-2001000000011').click();
  await page.getByTestId('sp-logged-in').waitFor();
  assert.equal(loginPages.length, 1);
  assert.equal(await me(), 200);
});

test('second login is answered without the login page (SSO cookie over a cross-site POST, TC_FUNCT_02)', async () => {
  await page.goto(`${SERVICE_URL}/login`);
  await page.getByTestId('sp-logged-in').waitFor();
  assert.equal(loginPages.length, 1);
});

test('the sandbox\'s "Log out of every service" reaches the service in its iframe (TC_FUNCT_05)', async () => {
  await page.goto(SANDBOX_URL);
  await page.getByTestId('logout').click();
  await page.getByTestId('logout-done').waitFor({ timeout: 20000 });
  assert.equal(await page.getByTestId('final-state-0').getAttribute('data-state'), 'answered');
  assert.equal(await me(), 401);
});

test('the service\'s own logout: a signed LogoutRequest to the sandbox, its LogoutResponse back (TC_FUNCT_04)', async () => {
  await page.goto(`${SERVICE_URL}/login`);
  await page.getByTestId('persona-2002000000022').click();
  await page.getByTestId('sp-logged-in').waitFor();
  await page.goto(`${SERVICE_URL}/logout`);
  await page.getByTestId('sp-logged-out').waitFor({ timeout: 20000 });
  assert.equal(await me(), 401);
});
