// Single logout in real Chromium: the logout page's hidden iframes (as MPass delivers them, MPASS.md §8.2),
// the timeline, a service that refuses framing timing out with its likely causes, PartialLogout to the
// initiator, and the sandbox's own Logout button.
import type http from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../helpers.js';
import { startListeningSandbox, startTestSp, type TestSp } from '../sp-server.js';
import { fitsWidth, launchChromium, screenshot } from './chromium.js';

let sb: Sandbox;
let server: http.Server;
let url: string;
let browser: Browser;
const sps: TestSp[] = [];

beforeAll(async () => {
  ({ sb, server, url } = await startListeningSandbox({ logoutTimeoutMs: 2500 }));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await Promise.all(sps.map((s) => s.close()));
  server?.close();
});

async function sp(name: string, behaviour: Parameters<typeof startTestSp>[3] = 'ok') {
  const s = await startTestSp(sb, url, name, behaviour, { slowMs: 4000 });
  sps.push(s);
  return s;
}

/** Log in to each service through the browser: the login page the first time, SSO afterwards. */
async function loginAll(page: Page, services: TestSp[], persona: string) {
  for (const [i, s] of services.entries()) {
    await page.goto(`${s.base}/login`);
    if (i === 0) {
      await page.getByTestId(`persona-${persona}`).click();
    }
    await page.getByTestId('sp-logged-in').waitFor();
  }
  const idx = services[0]!.logins.at(-1)!.sessionIndex!;
  for (const s of services) expect(s.logins.at(-1)!.sessionIndex).toBe(idx);
  return idx;
}

describe('single logout in Chromium', () => {
  it('service-initiated: iframes to each service, live timeline, PartialLogout to the initiator', { timeout: 60000 }, async () => {
    const log: string[] = [];
    const a = await sp('b-initiator');
    const b = await sp('b-answers');
    const c = await sp('b-slow', 'slow');
    const d = await sp('b-fails', 'error');
    const e = await sp('b-noframe', 'deny-frame');
    const page = await browser.newPage();
    const sessionIndex = await loginAll(page, [a, b, c, d, e], '2002000000022');
    await screenshot(page, 'slo-1-logged-in');

    const logoutUrl = await a.saml.getLogoutUrlAsync({ issuer: a.issuer, nameID: '2002000000022', sessionIndex, nameIDFormat: undefined as never }, 'back-to-a', {});
    // the run ends on the initiator's LogoutResponse page
    page.on('framenavigated', (f) => log.push(`${Date.now() % 100000} ${f === page.mainFrame() ? 'main' : 'frame'} ${f.url().slice(0, 120)}`));
    try {
      await page.goto(logoutUrl, { waitUntil: 'commit' });
      await page.getByTestId('logout-progress').waitFor();
      await screenshot(page, 'slo-2-timeline');
      await page.getByTestId('sp-logged-out').waitFor({ timeout: 20000 });
    } catch (err) {
      await screenshot(page, 'slo-stuck');
      throw new Error(`${(err as Error).message}\n${log.join('\n')}\n${await page.content()}`);
    }
    await screenshot(page, 'slo-3-back-at-initiator');

    expect(a.logoutResponses.at(-1)!.ok).toBe(true);
    expect(a.logoutResponses.at(-1)!.relayState).toBe('back-to-a');
    expect(a.logoutResponses.at(-1)!.xml).toContain('status:PartialLogout');
    for (const s of [b, c, d, e]) expect(s.logoutRequests.at(-1), s.name).toMatchObject({ ok: true, sessionIndex });
    const events = (await (await fetch(`${url}/api/events?limit=200`)).json()) as Array<{ message: string; summary?: string }>;
    const summary = events.find((ev) => ev.message === 'SingleLogout')!.summary!;
    expect(summary).toContain('PartialLogout');
    expect(summary).toContain(`${b.issuer}=answered`);
    expect(summary).toContain(`${c.issuer}=timeout`);
    expect(summary).toContain(`${d.issuer}=error`);
    // X-Frame-Options: DENY → the iframe never shows its answer → timeout, named in the PartialLogout,
    // with the likely causes in the event log; and no server-side probe: every request a service got
    // at its LogoutRequest URL carried a SAML message.
    expect(summary).toContain(`${e.issuer}=timeout`);
    expect(a.logoutResponses.at(-1)!.xml).toContain(`${e.issuer} (timeout)`);
    const timedOut = events.find((ev) => ev.message === 'LogoutResponse' && (ev as { rejection?: { code: string } }).rejection?.code === 'ERR_LOGOUT_TIMEOUT' && (ev as { service?: string }).service === e.issuer) as { rejection: { fix: string } } | undefined;
    expect(timedOut?.rejection.fix).toMatch(/X-Frame-Options[\s\S]*frame-ancestors[\s\S]*SameSite[\s\S]*error page/);
    for (const s of [b, c, d, e]) expect(s.requests.filter((r) => r.path === '/slo'), s.name).toEqual([{ method: 'POST', path: '/slo', saml: true }]);
    await page.close();
  });

  it('sandbox-initiated (TC_FUNCT_05): the Logout button ends on "no longer authenticated", in every language and at 375 px', async () => {
    const a = await sp('h-a');
    const b = await sp('h-b');
    const c = await sp('h-noframe', 'deny-frame');
    const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
    await loginAll(page, [a, b, c], '2003000000033');
    await page.goto(`${url}/?lang=ru`);
    await page.getByTestId('session-persona').waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'home-ru-375');
    await page.getByTestId('logout').click();
    await page.getByTestId('logout-done').waitFor({ timeout: 15000 });
    expect(await page.getByTestId('logout-done').textContent()).toContain('Вы больше не аутентифицированы');
    expect(await page.getByTestId('final-state-0').getAttribute('data-state')).toBe('answered');
    expect(await page.getByTestId('final-state-1').getAttribute('data-state')).toBe('answered');
    // the service that refuses framing timed out, and the page says what to check
    expect(await page.getByTestId('final-state-2').getAttribute('data-state')).toBe('timeout');
    expect(await page.getByTestId('final-causes-2').textContent()).toMatch(/X-Frame-Options[\s\S]*SameSite/);
    expect(await page.getByTestId('final-causes-2').textContent()).toContain('встраивание запрещено'); // in the page's language
    expect(c.requests.filter((r) => r.path === '/slo')).toEqual([{ method: 'POST', path: '/slo', saml: true }]);
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'logout-done-ru-375');
    for (const s of [a, b]) expect(s.logoutRequests.at(-1)!.ok).toBe(true);
    await page.goto(`${url}/?lang=ro`);
    expect(await page.getByTestId('not-authenticated').textContent()).toContain('Nu sunteți autentificat');
    // a new login at a service now needs the login page again
    await page.goto(`${a.base}/login`);
    await page.getByTestId('persona-2003000000033').waitFor();
    await page.close();
  });
});
