// Load and crash-safety (issue: a sandbox CI jobs start hundreds of times a day must never lose a
// registration): the built server as a child process, 50 concurrent clients, kill -9, restarts.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ECOALERT, ROOT, scrapeForm, servicesOnDisk, tempDir } from '../helpers.js';
import { signedOfficialAuthnRequest } from '../official-client.js';
import { freePort } from '../sp-server.js';

const LOAD_SECONDS = Number(process.env.LOAD_SECONDS ?? 30);
const children: ChildProcess[] = [];

beforeAll(() => {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'inherit' });
}, 120_000);
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

async function start(dirs: { dataDir: string; certsDir: string }, port: number): Promise<{ url: string; child: ChildProcess }> {
  const url = `http://localhost:${port}`;
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/src/main.js')], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), PUBLIC_URL: url, DATA_DIR: dirs.dataDir, CERTS_DIR: dirs.certsDir, MSIGN_TLS_PORT: '0', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${url}/health`)).ok) return { url, child };
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('server did not start');
}

const json = (url: string, method: string, body?: unknown) => fetch(url, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

function serviceBody(i: number | string, certificatePem: string) {
  return {
    name: { ro: `Load ${i}`, ru: `Load ${i}`, en: `Load ${i}` }, description: 'Created under load.', contact: { name: 'L', email: 'l@example.md' }, certificate: certificatePem,
    mpass: { issuer: `https://load-${i}.example.md`, assertionConsumerServiceUrl: `https://load-${i}.example.md/acs`, logoutRequestUrl: `https://load-${i}.example.md/slo`, logoutResponseUrl: `https://load-${i}.example.md/lo` },
  };
}

describe('under load', () => {
  it(`50 concurrent clients registering and logging in for ${LOAD_SECONDS} s: no error, every acknowledged registration kept, the store always valid JSON`, async () => {
    const dirs = { dataDir: tempDir('load-data'), certsDir: tempDir('load-certs') };
    const { url } = await start(dirs, await freePort());
    const cert = fs.readFileSync(path.join(ROOT, 'fixtures/services/ecoalert.cer.pem'), 'utf8');
    const store = path.join(dirs.dataDir, 'sandbox.json');
    const acknowledged: string[] = [];
    const errors: string[] = [];
    let logins = 0;
    let storeReads = 0;
    const until = Date.now() + LOAD_SECONDS * 1000;
    await json(`${url}/api/script`, 'POST', { issuer: ECOALERT.issuer, persona: '2001000000011', times: 10000 });
    const client = async (n: number) => {
      for (let k = 0; Date.now() < until; k++) {
        try {
          if (k % 2 === 0) {
            const r = await json(`${url}/api/services`, 'POST', serviceBody(`${n}-${k}`, cert));
            if (r.status !== 201) errors.push(`register ${r.status} ${await r.text()}`);
            else acknowledged.push(((await r.json()) as { id: string }).id);
          } else {
            const xml = signedOfficialAuthnRequest({ destination: `${url}/login/saml`, acs: ECOALERT.acs, issuer: ECOALERT.issuer }, ECOALERT.key, ECOALERT.cert);
            const r = await fetch(`${url}/login/saml`, { method: 'POST', body: new URLSearchParams({ SAMLRequest: Buffer.from(xml).toString('base64') }) });
            const page = await r.text();
            if (r.status !== 200 || !scrapeForm(page).fields.SAMLResponse) errors.push(`login ${r.status}`);
            else logins++;
          }
        } catch (e) {
          errors.push(String(e));
        }
      }
    };
    const watcher = (async () => {
      while (Date.now() < until) {
        JSON.parse(fs.readFileSync(store, 'utf8')); // throws if ever half-written
        storeReads++;
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    await Promise.all([...Array.from({ length: 50 }, (_v, n) => client(n)), watcher]);
    expect(errors.slice(0, 5)).toEqual([]);
    expect(acknowledged.length).toBeGreaterThan(50);
    expect(logins).toBeGreaterThan(50);
    expect(storeReads).toBeGreaterThan(10);
    const listed = await listedIds(url);
    for (const id of acknowledged) expect(listed.has(id)).toBe(true);
    const onDisk = new Set(servicesOnDisk(dirs.dataDir).map((s) => s.id));
    for (const id of acknowledged) expect(onDisk.has(id)).toBe(true);
    expect((await fetch(`${url}/health`)).status).toBe(200);
  }, (LOAD_SECONDS + 60) * 1000);
});

describe('crash safety', () => {
  it('kill -9 while registrations are being written: every 201 survives the restart, the store loads, keys unchanged', async () => {
    const dirs = { dataDir: tempDir('kill-data'), certsDir: tempDir('kill-certs') };
    const port = await freePort();
    const first = await start(dirs, port);
    const idpBefore = fs.readFileSync(path.join(dirs.certsDir, 'idp.key.pem'), 'utf8');
    const cert = fs.readFileSync(path.join(ROOT, 'fixtures/services/ecoalert.cer.pem'), 'utf8');
    const acknowledged: string[] = [];
    let stop = false;
    const writers = Array.from({ length: 20 }, async (_v, n) => {
      for (let k = 0; !stop; k++) {
        try {
          const r = await json(`${first.url}/api/services`, 'POST', serviceBody(`k${n}-${k}`, cert));
          if (r.status === 201) acknowledged.push(((await r.json()) as { id: string }).id);
        } catch {
          return; // the server died mid-request: that registration was never acknowledged
        }
      }
    });
    await new Promise((r) => setTimeout(r, 1500));
    first.child.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    expect(acknowledged.length).toBeGreaterThan(10);
    const second = await start(dirs, port);
    const listed = await listedIds(second.url);
    for (const id of acknowledged) expect(listed.has(id), id).toBe(true);
    expect(fs.readFileSync(path.join(dirs.certsDir, 'idp.key.pem'), 'utf8')).toBe(idpBefore);
  }, 60_000);

  it('restart while a login is pending: a clear "start again" page (410), not a 500', async () => {
    const dirs = { dataDir: tempDir('pending-data'), certsDir: tempDir('pending-certs') };
    const port = await freePort();
    const first = await start(dirs, port);
    const xml = signedOfficialAuthnRequest({ destination: `${first.url}/login/saml`, acs: ECOALERT.acs, issuer: ECOALERT.issuer }, ECOALERT.key, ECOALERT.cert);
    const page = await (await fetch(`${first.url}/login/saml?lang=en`, { method: 'POST', body: new URLSearchParams({ SAMLRequest: Buffer.from(xml).toString('base64') }) })).text();
    const pending = /name="pending" value="([^"]+)"/.exec(page)![1]!;
    first.child.kill('SIGKILL');
    const second = await start(dirs, port);
    const res = await fetch(`${second.url}/login/saml/continue?lang=en`, { method: 'POST', body: new URLSearchParams({ pending, persona: '2001000000011' }) });
    expect(res.status).toBe(410);
    const text = await res.text();
    expect(text).toContain('ERR_LOGIN_EXPIRED');
    expect(text).toContain('start the login again');
  }, 60_000);
});

/** Every registration the API lists: the list is paged (100 by default), so walk every page. */
async function listedIds(url: string): Promise<Set<string>> {
  const listed = new Set<string>();
  for (let offset = 0; ; offset += 1000) {
    const page = (await (await fetch(`${url}/api/services?limit=1000&offset=${offset}`)).json()) as Array<{ id: string }>;
    for (const s of page) listed.add(s.id);
    if (page.length < 1000) return listed;
  }
}
