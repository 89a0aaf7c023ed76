// Shared test plumbing: a sandbox on temporary directories, form scraping, a node-saml service provider.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { SAML, type SamlConfig } from '@node-saml/node-saml';
import request from 'supertest';
import { loadConfig, type Config } from '../src/config.js';
import type { Logger } from '../src/log.js';
import type express from 'express';
import { buildApp } from '../src/http/app.js';
import { createSandbox, type Sandbox as Core } from '../src/sandbox.js';

/** The sandbox core with its HTTP app, as the tests drive it. */
export type Sandbox = Core & { app: express.Express };

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
export const FIXTURES = path.join(ROOT, 'fixtures');
export const ECOALERT = {
  issuer: 'https://ecoalert.localhost',
  acs: 'http://localhost:3000/mpass-login',
  key: fs.readFileSync(path.join(FIXTURES, 'keys/ecoalert.throwaway-key.pem'), 'utf8'),
  cert: fs.readFileSync(path.join(FIXTURES, 'services/ecoalert.cer.pem'), 'utf8'),
};
export const OFFICIAL_SP = {
  issuer: 'https://mpass.localhost.egov.md',
  acs: 'https://localhost:5001/mpass-login',
  key: fs.readFileSync(path.join(FIXTURES, 'keys/official-sample-sp.throwaway-key.pem'), 'utf8'),
  cert: fs.readFileSync(path.join(FIXTURES, 'services/official-sample-sp.cer.pem'), 'utf8'),
};

export const silentLog: Logger & { lines: string[] } = Object.assign(
  { lines: [] as string[] },
  {
    debug() {},
    info() {},
    warn(m: string, d?: object) { silentLog.lines.push(`${m} ${JSON.stringify(d ?? {})}`); },
    error(m: string, d?: object) { silentLog.lines.push(`ERROR ${m} ${JSON.stringify(d ?? {})}`); },
  },
);

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

export async function startSandbox(overrides: Partial<Config> = {}, dirs?: { dataDir?: string; certsDir?: string }): Promise<Sandbox> {
  const config = loadConfig({}, {
    publicUrl: 'http://localhost:8080',
    mpassEntityId: 'http://localhost:8080',
    dataDir: dirs?.dataDir ?? tempDir('sbx-data'),
    certsDir: dirs?.certsDir ?? tempDir('sbx-certs'),
    fixturesDir: FIXTURES,
    logLevel: 'silent',
    ...overrides,
  });
  const core = await createSandbox(config, { log: silentLog });
  return { ...core, app: buildApp(core) };
}

/** The hidden fields and action of the first form in an auto-post page. */
export function scrapeForm(html: string, name = 'hiddenform'): { action: string; fields: Record<string, string> } {
  const formRe = new RegExp(`<form[^>]*name="${name}"[^>]*action="([^"]*)"[^>]*>([\\s\\S]*?)</form>`);
  const m = formRe.exec(html) ?? /<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
  if (!m) throw new Error(`no form in page:\n${html.slice(0, 500)}`);
  const fields: Record<string, string> = {};
  for (const f of m[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) fields[f[1]!] = unescapeHtml(f[2]!);
  return { action: unescapeHtml(m[1]!), fields };
}

export function unescapeHtml(s: string): string {
  return s.replace(/&#34;/g, '"').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export function pendingIdOf(loginPage: string): string {
  const m = /name="pending" value="([^"]+)"/.exec(loginPage);
  if (!m) throw new Error(`not a login page:\n${loginPage.slice(0, 800)}`);
  return m[1]!;
}

export const decodeSaml = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');
/** node-saml DEFLATEs even its POST-binding requests. */
export const decodeRequest = (b64: string) => {
  const raw = Buffer.from(b64, 'base64');
  return raw.toString('utf8').trimStart().startsWith('<') ? raw.toString('utf8') : zlib.inflateRawSync(raw).toString('utf8');
};

/** A node-saml service provider configured strictly against the sandbox. */
export function nodeSamlSp(sb: Sandbox, sp: { issuer: string; acs: string; key: string; cert?: string }, extra: Partial<SamlConfig> = {}): SAML {
  return new SAML({
    entryPoint: `${sb.config.publicUrl}/login/saml`,
    logoutUrl: `${sb.config.publicUrl}/logout/saml`,
    callbackUrl: sp.acs,
    issuer: sp.issuer,
    audience: sp.issuer,
    idpIssuer: sb.config.mpassEntityId,
    idpCert: sb.pki.idp.certificatePem,
    privateKey: sp.key,
    publicCert: sp.cert,
    signatureAlgorithm: 'sha256',
    digestAlgorithm: 'sha256',
    authnRequestBinding: 'HTTP-POST',
    wantAuthnResponseSigned: true,
    wantAssertionsSigned: false,
    validateInResponseTo: 'always' as SamlConfig['validateInResponseTo'],
    acceptedClockSkewMs: 0,
    identifierFormat: null,
    disableRequestedAuthnContext: true,
    ...extra,
  });
}

/** Run a node-saml SP login through the sandbox's pages: AuthnRequest → login page → persona → Response. */
export async function loginThroughPage(sb: Sandbox, saml: SAML, opts: { persona?: string; relayState?: string; cookie?: string; faults?: string[]; cancel?: boolean } = {}) {
  const form = scrapeForm(await saml.getAuthorizeFormAsync(opts.relayState ?? 'rs-1'));
  const agent = request(sb.app);
  let r = agent.post('/login/saml').type('form').send(form.fields);
  if (opts.cookie) r = r.set('Cookie', opts.cookie);
  const page = await r;
  let html = page.text;
  let res = page;
  if (html.includes('name="pending"')) {
    const body: Record<string, string | string[]> = { pending: pendingIdOf(html) };
    if (opts.cancel) body.action = 'cancel';
    else body.persona = opts.persona ?? '2001000000011';
    if (opts.faults) body.faults = opts.faults;
    res = await agent.post('/login/saml/continue').type('form').send(new URLSearchParams(Object.entries(body).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]))).toString());
    html = res.text;
  }
  const setCookie = res.headers['set-cookie'] as unknown as string[] | undefined;
  const cookie = setCookie?.map((c) => c.split(';')[0]).join('; ') ?? opts.cookie;
  return { status: res.status, html, form: res.status === 200 ? scrapeForm(html) : undefined, cookie, requestForm: form };
}

/**
 * The registrations on disk, read without opening a store (a running sandbox may be appending): the snapshot
 * DATA_DIR/sandbox.json with the journal sandbox.json.journal applied (src/store/index.ts). A torn last line is skipped.
 */
export function servicesOnDisk(dataDir: string): Array<{ id: string; mpass?: { issuer: string } }> {
  const file = path.join(dataDir, 'sandbox.json');
  type S = { id: string; mpass?: { issuer: string } };
  const byId = new Map<string, S>();
  if (fs.existsSync(file)) for (const s of (JSON.parse(fs.readFileSync(file, 'utf8')) as { services: S[] }).services) byId.set(s.id, s);
  const journal = fs.existsSync(`${file}.journal`) ? fs.readFileSync(`${file}.journal`, 'utf8') : '';
  for (const line of journal.split('\n')) {
    let e: { put?: S; del?: string; all?: S[] };
    try {
      e = JSON.parse(line);
    } catch {
      continue;
    }
    if (e.put) byId.set(e.put.id, e.put);
    else if (e.del) byId.delete(e.del);
    else if (e.all) {
      byId.clear();
      for (const s of e.all) byId.set(s.id, s);
    }
  }
  return [...byId.values()];
}
