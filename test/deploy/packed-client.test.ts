// Issue 13 §3: the package as a team installs it. `npm pack` → the tarball unpacked into a fresh project's
// node_modules (next to playwright-core, typescript and @types/node linked from this install, so the test stays
// offline and fast) → examples/client-suite type-checks with `tsc --noEmit` against the published .d.ts and runs
// with node:test: log in through Chromium, a fault ticked and a fault scripted, a PDF signed, the events read.
import { msignLimits } from '../../src/net/limits.js';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMSignServer, type MSignServer } from '../../src/msign/server.js';
import { ROOT, tempDir, type Sandbox } from '../helpers.js';
import { ensureBuilt } from './build.js';
import { ACTION, rawSoap, registerConsumer } from '../msign/helpers.js';
import { startListeningSandbox, startTestSp, type TestSp } from '../sp-server.js';

const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');
let sb: Sandbox;
let server: http.Server;
let url: string;
let msign: MSignServer;
let sp: TestSp;
let project: string;

/** Asynchronously: the sandbox answering the suite runs in this very process, its event loop must stay free. */
function run(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { ...opts, encoding: 'utf8', maxBuffer: 16 * 2 ** 20 }, (err, stdout, stderr) => {
      resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  // What `npm pack` ships is dist/: build it (the lead's `prepare` script does the same on pack/install).
  await ensureBuilt();
  const out = tempDir('packed');
  const packed = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', out], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as Array<{ filename: string; files: Array<{ path: string }> }>;
  const tarball = path.join(out, packed[0]!.filename);
  project = path.join(out, 'project');
  const pkgDir = path.join(project, 'node_modules', 'mpass-msign-sandbox');
  fs.mkdirSync(pkgDir, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', pkgDir, '--strip-components=1']);
  for (const dep of ['playwright-core', 'typescript', '@types/node']) {
    fs.mkdirSync(path.dirname(path.join(project, 'node_modules', dep)), { recursive: true });
    fs.symlinkSync(path.join(ROOT, 'node_modules', dep), path.join(project, 'node_modules', dep), 'dir');
  }
  for (const f of ['sandbox.test.ts', 'tsconfig.json', 'package.json']) fs.copyFileSync(path.join(ROOT, 'examples/client-suite', f), path.join(project, f));

  ({ sb, server, url } = await startListeningSandbox());
  msign = await startMSignServer(sb.msign, sb.pki, { port: 0, maxSoapBytes: sb.config.maxSoapBytes, limits: msignLimits(sb.config) });
  sp = await startTestSp(sb, url, 'packed');
}, 240_000);
afterAll(async () => {
  await sp?.close();
  await msign?.close();
  server?.close();
});

async function openSignRequest(): Promise<string> {
  const d = await PDFDocument.create();
  d.addPage([400, 200]).drawText('Cerere nr. 7', { x: 40, y: 100, size: 14, font: await d.embedFont(StandardFonts.Helvetica) });
  const pdf = Buffer.from(await d.save());
  const consumer = await registerConsumer(sb, 'natural');
  const body =
    '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><PostSignRequest xmlns="https://msign.gov.md"><request>' +
    `<ContentType>Pdf</ContentType><Contents><SignContent><Content>${pdf.toString('base64')}</Content><Name>cerere-7.pdf</Name></SignContent></Contents>` +
    '<ShortContentDescription>Cerere nr. 7</ShortContentDescription></request></PostSignRequest></s:Body></s:Envelope>';
  const posted = await rawSoap({ sb, url: msign.url, ecoalert: consumer.tls } as Parameters<typeof rawSoap>[0], body, { action: ACTION('PostSignRequest') });
  const id = /<PostSignRequestResult>(\w+)</.exec(posted.body)?.[1];
  if (!id) throw new Error(posted.body);
  return `${url}/msign/${id}?ReturnUrl=${encodeURIComponent(`${sp.base}/msign-return`)}&lang=en`;
}

describe('the packed package in a fresh TypeScript project', () => {
  it('ships the client and the Playwright helpers as ESM with .d.ts, and nothing of the tests', () => {
    const pkgDir = path.join(project, 'node_modules', 'mpass-msign-sandbox');
    for (const f of ['dist/src/client/index.js', 'dist/src/client/index.d.ts', 'dist/src/client/playwright.js', 'dist/src/client/playwright.d.ts', 'dist/src/main.js', 'views/login.ejs']) {
      expect(fs.existsSync(path.join(pkgDir, f)), f).toBe(true);
    }
    expect(fs.existsSync(path.join(pkgDir, 'test'))).toBe(false);
    expect(fs.existsSync(path.join(pkgDir, 'src'))).toBe(false);
  });

  it('type-checks with tsc --noEmit using only the package exports', { timeout: 120_000 }, async () => {
    const r = await run([TSC, '--noEmit', '-p', project]);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
    // …and a wrong call does not: the types are real, not `any`.
    fs.writeFileSync(path.join(project, 'wrong.ts'), "import { createSandboxClient } from 'mpass-msign-sandbox/client';\nawait createSandboxClient({ baseUrl: 'x' }).script.login({ persona: '1' });\nexport {};\n");
    const bad = await run([TSC, '--noEmit', '-p', project]);
    fs.rmSync(path.join(project, 'wrong.ts'));
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toMatch(/wrong\.ts.*Property 'issuer' is missing/s);
  });

  it('runs the suite: login through Chromium, a fault ticked and one scripted, a PDF signed, the events read', { timeout: 180_000 }, async () => {
    const signUrl = await openSignRequest();
    expect((await run([TSC, '-p', project])).status).toBe(0);
    const r = await run(['--test', '--test-reporter=spec', path.join(project, 'dist')], {
      cwd: project,
      timeout: 150_000,
      env: { ...process.env, SANDBOX_URL: url, SERVICE_LOGIN_URL: `${sp.base}/login`, SERVICE_ISSUER: sp.issuer, SIGN_URL: signUrl, CHROMIUM_PATH: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
    });
    const report = r.stdout + r.stderr;
    expect(report).toMatch(/[#ℹ] pass 5\n/);
    expect(report).toMatch(/[#ℹ] fail 0\n/);
    expect(r.status, report).toBe(0);
    // the suite really drove the service: one login accepted, two Responses refused, one signature returned
    expect(sp.logins.map((l) => l.nameID)).toEqual(['2002000000022']);
    expect(sp.signCallbacks).toHaveLength(1);
  });
});
