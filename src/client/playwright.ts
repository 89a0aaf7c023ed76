// `mpass-msign-sandbox/playwright`: drive the sandbox's own pages from a Playwright test — the MPass login page
// (loginAs), the MSign signing page (signAs) — and reset the sandbox between tests. Written against the few
// Page methods it uses, so it works with @playwright/test and playwright-core alike without depending on either.
import { createSandboxClient, type SandboxClient, type SandboxClientOptions } from './index.js';

/** The part of Playwright's `Page` the helpers use. */
export interface PageLike {
  getByTestId(testId: string): LocatorLike;
  locator(selector: string): LocatorLike;
}
export interface LocatorLike {
  waitFor(options?: { state?: 'attached' | 'detached' | 'visible' | 'hidden'; timeout?: number }): Promise<void>;
  click(options?: { timeout?: number }): Promise<void>;
  check(options?: { timeout?: number }): Promise<void>;
  fill(value: string, options?: { timeout?: number }): Promise<void>;
  count(): Promise<number>;
  isChecked(options?: { timeout?: number }): Promise<boolean>;
  isDisabled(options?: { timeout?: number }): Promise<boolean>;
  isVisible(): Promise<boolean>;
}

export interface LoginOptions {
  /** Response faults to tick on the login page (ids from GET /api/faults). */
  faults?: string[];
  /** How long to wait for the login page, in ms (Playwright's default otherwise). */
  timeout?: number;
}

/**
 * Complete the sandbox's MPass login page, already open in `page` (your service posted its AuthnRequest): tick the
 * faults, then choose the test identity with that IDNP. An IDNP that is no persona logs in as a custom identity
 * (faults are ticked only for personas: the custom identity's form carries none — script them with
 * `client.script.login` instead). Returns once the choice is posted; your service's page comes next.
 */
export async function loginAs(page: PageLike, idnp: string, options: LoginOptions = {}): Promise<void> {
  if (!/^\d{13}$/.test(idnp) && !/^[\w.-]+$/.test(idnp)) throw new TypeError(`loginAs: "${idnp}" is not an IDNP (13 digits)`);
  const persona = page.getByTestId(`persona-${idnp}`);
  const custom = page.getByTestId('custom-idnp');
  await custom.waitFor({ state: 'attached', timeout: options.timeout });
  const isPersona = (await persona.count()) > 0;
  if (options.faults?.length) {
    if (!isPersona) throw new TypeError(`loginAs: faults need a persona from GET /api/personas; ${idnp} is not one (use client.script.login for a custom identity)`);
    for (const id of options.faults) {
      const box = page.getByTestId(`fault-${id}`);
      if ((await box.count()) === 0) throw new TypeError(`loginAs: no fault "${id}" on the login page (GET /api/faults lists the ids)`);
      // A fault the service registered is already ticked and locked.
      if (!(await box.isDisabled()) && !(await box.isChecked())) {
        // The fault list is folded away in a <details>: open it first.
        if (!(await box.isVisible())) await page.locator(`details:has([data-testid="fault-${id}"]) > summary`).click();
        await box.check();
      }
    }
  }
  if (isPersona) {
    await persona.click();
    return;
  }
  await custom.fill(idnp);
  await page.getByTestId('custom-login').click();
}

export interface SignOptions {
  /** A signing instrument of the page (mobile, moldsign, nationalid, securesign, tax, mobisign); the page's default otherwise. */
  instrument?: string;
  /** The legal person to sign for (`IDNP@IDNO` on the page), when the identity has one. */
  idno?: string;
  timeout?: number;
}

/** Complete the MSign signing page, already open in `page`: choose the signer and press Sign. */
export async function signAs(page: PageLike, idnp: string, options: SignOptions = {}): Promise<void> {
  await page.getByTestId('sign-form').waitFor({ timeout: options.timeout });
  if (options.instrument) await page.getByTestId(`instrument-${options.instrument}`).check();
  const signer = page.getByTestId(`persona-${options.idno ? `${idnp}@${options.idno}` : idnp}`);
  if ((await signer.count()) === 0) throw new TypeError(`signAs: ${idnp}${options.idno ? `@${options.idno}` : ''} may not sign this request (not offered on the page: ExpectedSigner or the service's signer type rules it out)`);
  await signer.check();
  await page.getByTestId('sign').click();
}

/**
 * A Playwright fixture that resets the sandbox before each test and hands the test a client:
 * `const test = base.extend(sandboxFixtures({ baseUrl: 'https://sandbox.test:8080' }))`, then
 * `test('…', async ({ page, sandbox }) => { … })`. `registry: true` also drops registrations made through the API.
 */
export function sandboxFixtures(options: SandboxClientOptions & { registry?: boolean }) {
  return {
    sandbox: async ({}: object, use: (client: SandboxClient) => Promise<void>): Promise<void> => {
      const client = createSandboxClient(options);
      await client.reset({ registry: options.registry });
      await use(client);
    },
  };
}

export { createSandboxClient, SandboxApiError } from './index.js';
export type { SandboxClient, SandboxClientOptions } from './index.js';
