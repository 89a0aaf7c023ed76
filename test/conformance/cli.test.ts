// The package's `mpass-sandbox conformance` command, built by tsc and run as CI would run it: one line per
// case, the JUnit file, exit 0 only when every case passed.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { parse, type TestSuites } from 'junit2json';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir, type Sandbox } from '../helpers.js';
import { startListeningSandbox } from '../sp-server.js';
import { startConformanceSp, type ConformanceSp } from './services.js';

let sb: Sandbox;
let server: http.Server;
let url: string;
let strict: ConformanceSp;
let lax: ConformanceSp;
let bin: string;

beforeAll(async () => {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'inherit' });
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  bin = path.join(ROOT, pkg.bin['mpass-sandbox']!);
  ({ sb, server, url } = await startListeningSandbox({ adminToken: 'cli-test-token' }));
  strict = await startConformanceSp(sb, url, 'strict');
  lax = await startConformanceSp(sb, url, 'lax');
}, 180_000);
afterAll(async () => {
  await strict?.close();
  await lax?.close();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
});

/** Spawned, not exec'd synchronously: the sandbox and the services run in this process and must keep answering. */
function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const args = (sp: ConformanceSp, cases: string[]) => ['conformance', '--sandbox', url, '--service', sp.issuer, '--login-url', sp.loginUrl, '--check-url', sp.checkUrl, '--logout-url', sp.logoutUrl, ...cases.flatMap((c) => ['--case', c])];
const CASES = ['TC_FUNCT_01', 'TC_FUNCT_05', 'response-unsigned', 'no-destination'];

describe('mpass-sandbox conformance (CLI)', () => {
  it('exits 0 when every case passed, printing one line per case, and writes a JUnit file', async () => {
    const junit = path.join(tempDir('cli-junit'), 'report.xml');
    const r = await cli([...args(strict, CASES), '--junit', junit], { MPASS_SANDBOX_TOKEN: 'cli-test-token' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => /^(PASS|FAIL|ERROR)/.test(l));
    expect(lines.map((l) => l.split(/\s+/)[1])).toEqual(CASES);
    expect(lines.every((l) => l.startsWith('PASS'))).toBe(true);
    const report = (await parse(fs.readFileSync(junit, 'utf8'))) as TestSuites;
    expect(report.testsuite![0]!.testcase!.length).toBe(CASES.length);
  }, 60_000);

  it('exits 1 when a case fails, with the reason on the line', async () => {
    const r = await cli([...args(lax, CASES), '--token', 'cli-test-token']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL\s+response-unsigned\s+.*opened a session/m);
    expect(r.stdout).toMatch(/^PASS\s+TC_FUNCT_01/m);
    expect(r.stdout).toMatch(/2 passed, 2 failed, 0 could not run/);
  }, 60_000);

  it('exits 2 on a usage error or when the sandbox refuses the run (no token)', async () => {
    const usage = await cli(['conformance', '--sandbox', url]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--service is required/);
    const refused = await cli(args(strict, CASES));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/HTTP 401[\s\S]*Authorization/);
  }, 60_000);
});
