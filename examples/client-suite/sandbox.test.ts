// A team's end-to-end suite against the sandbox, using only `mpass-msign-sandbox/client` and
// `mpass-msign-sandbox/playwright` (plus Playwright and node:test). It expects:
//   SANDBOX_URL        the sandbox's PUBLIC_URL
//   SERVICE_LOGIN_URL  a page of your service that starts an MPass login; it shows data-testid="sp-logged-in"
//                      after a login and "sp-rejected" when it refuses the Response
//   SERVICE_ISSUER     your service's MPass issuer
//   SIGN_URL           an MSign signing page your service opened (…/msign/<RequestID>?ReturnUrl=…) for a PDF
//   CHROMIUM_PATH      a Chromium binary (Playwright's own browsers work too: leave it out)
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createSandboxClient, SandboxApiError, type SandboxClient } from 'mpass-msign-sandbox/client';
import { loginAs, sandboxFixtures, signAs } from 'mpass-msign-sandbox/playwright';

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const SANDBOX_URL = env('SANDBOX_URL');
const SERVICE_LOGIN_URL = env('SERVICE_LOGIN_URL');
const SERVICE_ISSUER = env('SERVICE_ISSUER');
const client = createSandboxClient({ baseUrl: SANDBOX_URL });

// With @playwright/test: `const test = base.extend(sandboxFixtures({ baseUrl }))`. node:test has no fixtures,
// so the same fixture is called by hand around each test body.
const { sandbox } = sandboxFixtures({ baseUrl: SANDBOX_URL });
const withSandbox = (body: (sb: SandboxClient, page: Page) => Promise<void>) => async () => {
  const page = await browser.newPage();
  try {
    await sandbox({}, (sb) => body(sb, page));
  } finally {
    await page.close();
  }
};

let browser: Browser;
before(async () => {
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
});
after(async () => {
  await browser?.close();
});

// First, before any reset clears the sign request the service opened.
test('a PDF is signed on the MSign page and its request ends Success', async () => {
  const page = await browser.newPage();
  await page.goto(env('SIGN_URL'));
  await signAs(page, '2001000000011', { instrument: 'moldsign' });
  await page.getByTestId('sp-signed').waitFor();
  const [request] = await client.msign.requests();
  assert.equal(request?.status, 'Success');
  assert.equal(request?.contentType, 'Pdf');
  const events = await client.events.list({ protocol: 'msign' });
  assert.ok(events.some((e) => e.message === 'PostSignRequest'), 'the PostSignRequest is in the event log');
  await page.close();
});

test('a citizen logs in through the login page; the session and the events say so', withSandbox(async (sb, page) => {
  await page.goto(SERVICE_LOGIN_URL);
  await loginAs(page, '2002000000022');
  await page.getByTestId('sp-logged-in').waitFor();
  const [session] = await sb.sessions.list();
  assert.equal(session?.persona.idnp, '2002000000022');
  const events = await sb.events.list({ protocol: 'mpass' });
  assert.ok(events.some((e) => e.message === 'AuthnRequest' && e.verdict === 'accepted' && e.service === SERVICE_ISSUER));
  assert.ok(events.some((e) => e.message === 'Response' && e.verdict === 'sent'));
}));

test('a fault ticked on the login page: the unsigned Response is refused (TC_SEC_01)', withSandbox(async (_sb, page) => {
  await page.goto(SERVICE_LOGIN_URL);
  await loginAs(page, '2001000000011', { faults: ['response-unsigned'] });
  await page.getByTestId('sp-rejected').waitFor();
}));

test('a scripted fault: the next login is answered at once with a foreign InResponseTo (TC_SEC_07)', withSandbox(async (sb, page) => {
  await sb.script.login({ issuer: SERVICE_ISSUER, persona: '2001000000011', faults: ['in-response-to-other'] });
  await page.goto(SERVICE_LOGIN_URL);
  await page.getByTestId('sp-rejected').waitFor();
  const [response] = (await sb.events.list({ protocol: 'mpass' })).filter((e) => e.message === 'Response');
  assert.match(response?.summary ?? '', /in-response-to-other/);
}));

test('the API refuses with a typed error carrying the code and the field', withSandbox(async (sb) => {
  await assert.rejects(sb.script.login({ issuer: 'https://not-registered.example', persona: '2001000000011' }), (e: unknown) => {
    assert.ok(e instanceof SandboxApiError);
    assert.equal(e.code, 'ERR_INVALID_FIELD');
    assert.equal(e.where, 'issuer');
    assert.equal(e.status, 400);
    return true;
  });
  await assert.rejects(sb.sessions.get('no-such-session'), (e: unknown) => e instanceof SandboxApiError && e.code === 'ERR_SESSION_NOT_FOUND');
}));
