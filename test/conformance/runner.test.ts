// Issue 10 §1 proof: the runner grades three real services over HTTP — a strict node-saml service passes
// every case, a lax one fails exactly the cases its skipped checks (signature, InResponseTo, Destination)
// stand for, and a service that is down gets `error` everywhere, never `pass`. The JUnit output is read back
// with junit2json, a standard JUnit XML reader.
import type http from 'node:http';
import { parse, type TestSuites } from 'junit2json';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../helpers.js';
import { startListeningSandbox } from '../sp-server.js';
import { registerDownService, startConformanceSp, type ConformanceSp } from './services.js';

let sb: Sandbox;
let server: http.Server;
let url: string;
let strict: ConformanceSp;
let lax: ConformanceSp;
let down: ConformanceSp;

interface RunView {
  id: string;
  status: 'running' | 'done';
  summary: { passed: number; failed: number; errors: number };
  cases: Array<{ id: string; testCase: string | null; expected: string; verdict: string; reason: string; evidence: { sent: { xml: string } | null; serviceAnswer: { status: number } | null; checkStatus: number | null } }>;
}

beforeAll(async () => {
  ({ sb, server, url } = await startListeningSandbox({ conformanceCaseTimeoutMs: 10000 }));
  strict = await startConformanceSp(sb, url, 'strict');
  lax = await startConformanceSp(sb, url, 'lax');
  down = await registerDownService(sb);
});
afterAll(async () => {
  await strict?.close();
  await lax?.close();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
});

const post = (path: string, body: unknown) => fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function runTo(sp: ConformanceSp, extra: Record<string, unknown> = {}): Promise<RunView> {
  const res = await post('/api/conformance', { service: sp.issuer, loginUrl: sp.loginUrl, checkUrl: sp.checkUrl, logoutUrl: sp.logoutUrl, ...extra });
  expect(res.status).toBe(201);
  const started = (await res.json()) as { id: string; status: string };
  expect(started.status).toBe('running');
  for (;;) {
    const run = (await (await fetch(`${url}/api/conformance/${started.id}`)).json()) as RunView;
    if (run.status === 'done') return run;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const OFFICIAL = ['TC_FUNCT_01', 'TC_FUNCT_02', 'TC_FUNCT_03', 'TC_FUNCT_04', 'TC_FUNCT_05'];
// What the lax service skips, and every case that only those checks catch.
const LAX_FAILS = [
  'response-unsigned', // TC_SEC_01
  'compatible-certificate', // TC_SEC_02
  'no-destination', // TC_SEC_05
  'no-in-response-to', // TC_SEC_06
  'in-response-to-other', // TC_SEC_07
  'assertion-only-signed', // signature
  'attribute-tampered', // signature
  'signature-wrapping', // signature
  'replay', // InResponseTo used once
  'logout-unsigned', // signature (LogoutRequest)
  'logout-compatible-certificate', // signature (LogoutRequest)
  'logout-wrong-destination', // Destination (LogoutRequest)
];

describe('conformance runner against real services', () => {
  let strictRun: RunView;

  it('a strict node-saml service passes every case of the official plan', async () => {
    strictRun = await runTo(strict);
    const faults = ((await (await fetch(`${url}/api/faults`)).json()) as Array<{ id: string }>).map((f) => f.id);
    expect(strictRun.cases.map((c) => c.id)).toEqual([...OFFICIAL, ...faults]);
    const notPassed = strictRun.cases.filter((c) => c.verdict !== 'pass').map((c) => `${c.id}: ${c.verdict} ${c.reason}`);
    expect(notPassed).toEqual([]);
    expect(strictRun.summary).toEqual({ passed: strictRun.cases.length, failed: 0, errors: 0 });
    // Evidence: the decoded message that was sent, what the service and checkUrl answered.
    const unsigned = strictRun.cases.find((c) => c.id === 'response-unsigned')!;
    expect(unsigned.testCase).toBe('TC_SEC_01');
    expect(unsigned.evidence.sent!.xml).toContain('<samlp:Response');
    expect(unsigned.evidence.sent!.xml).not.toContain('SignatureValue');
    expect(unsigned.evidence.serviceAnswer!.status).toBe(401);
    expect(unsigned.evidence.checkStatus).toBe(401);
    expect(strictRun.cases.find((c) => c.id === 'TC_FUNCT_01')!.evidence.checkStatus).toBe(200);
    // TC_FUNCT_04's evidence is the LogoutRequest the service sent (Redirect binding, inflated)
    expect(strictRun.cases.find((c) => c.id === 'TC_FUNCT_04')!.evidence.sent!.xml).toMatch(/<samlp:LogoutRequest[\s\S]*SessionIndex/);
  }, 120000);

  it('a lax service (no signature, InResponseTo or Destination checks) fails exactly the cases those checks stand for', async () => {
    const run = await runTo(lax);
    const failed = run.cases.filter((c) => c.verdict === 'fail').map((c) => c.id);
    expect(failed.sort()).toEqual([...LAX_FAILS].sort());
    expect(run.cases.filter((c) => c.verdict === 'error')).toEqual([]);
    expect(run.cases.filter((c) => ['TC_SEC_01', 'TC_SEC_02', 'TC_SEC_05', 'TC_SEC_06', 'TC_SEC_07'].includes(c.testCase ?? '')).every((c) => c.verdict === 'fail')).toBe(true);
    // a must-reject case fails because a session opened
    const unsigned = run.cases.find((c) => c.id === 'response-unsigned')!;
    expect(unsigned.evidence.checkStatus).toBe(200);
    expect(unsigned.reason).toMatch(/opened a session/);
  }, 120000);

  it('a service that is down gets error on every case, never pass', async () => {
    const run = await runTo(down);
    expect(run.cases.length).toBeGreaterThan(20);
    expect(run.cases.filter((c) => c.verdict !== 'error').map((c) => c.id)).toEqual([]);
    expect(run.cases[0]!.reason).toMatch(/could not be run|ECONNREFUSED/);
  }, 120000);

  it('a checkUrl that answers 2xx without a login makes every case an error, not a pass', async () => {
    const run = await runTo(strict, { checkUrl: `${url}/health`, cases: ['TC_FUNCT_01', 'response-unsigned'] });
    expect(run.cases.map((c) => c.verdict)).toEqual(['error', 'error']);
    expect(run.cases[0]!.reason).toMatch(/checkUrl answers 200 to a browser that never logged in/);
  });

  it('without logoutUrl TC_FUNCT_04 cannot run (error)', async () => {
    const run = await runTo(strict, { logoutUrl: undefined, cases: ['TC_FUNCT_04'] });
    expect(run.cases[0]!.verdict).toBe('error');
    expect(run.cases[0]!.reason).toMatch(/logoutUrl/);
  });

  it('the JUnit report parses with a standard JUnit reader: one testcase per case, failures and errors with the reason', async () => {
    const laxRun = (await (await fetch(`${url}/api/services/${lax.serviceId}/conformance`)).json()) as Array<{ id: string }>;
    const res = await fetch(`${url}/api/conformance/${laxRun[0]!.id}/junit`);
    expect(res.headers.get('content-type')).toMatch(/application\/xml/);
    const report = (await parse(await res.text())) as TestSuites;
    const suite = report.testsuite![0]!;
    expect(suite.tests).toBe(suite.testcase!.length);
    expect(suite.failures).toBe(LAX_FAILS.length);
    expect(suite.errors).toBe(0);
    const failing = suite.testcase!.filter((c) => c.failure?.length).map((c) => c.name!.split(':')[0]);
    expect(failing.sort()).toEqual([...LAX_FAILS].sort());
    const unsigned = suite.testcase!.find((c) => c.name!.startsWith('response-unsigned:'))!;
    expect(unsigned.classname).toBe('mpass.TC_SEC_01');
    expect(unsigned.failure![0]!.message).toMatch(/opened a session/);

    const downRuns = (await (await fetch(`${url}/api/services/${down.serviceId}/conformance`)).json()) as Array<{ id: string }>;
    const downReport = (await parse(await (await fetch(`${url}/api/conformance/${downRuns[0]!.id}/junit`)).text())) as TestSuites;
    expect(downReport.testsuite![0]!.testcase!.every((c) => c.error?.length === 1 && !c.failure)).toBe(true);
  });

  it('the report page shows the summary and each case with its verdict, in ro/ru/en; the service page lists the run', async () => {
    const ro = await (await fetch(`${url}/conformance/${strictRun.id}`)).text();
    expect(ro).toContain('Verificare de conformitate');
    expect(ro).toMatch(/data-testid="verdict-response-unsigned">reușit/);
    expect(ro).toContain('&lt;samlp:Response');
    const ru = await (await fetch(`${url}/conformance/${strictRun.id}?lang=ru`)).text();
    expect(ru).toContain('Проверка соответствия');
    const en = await (await fetch(`${url}/conformance/${strictRun.id}?lang=en`)).text();
    expect(en).toMatch(/data-testid="verdict-TC_FUNCT_01">pass/);
    // a failed case shows why and what to fix
    const laxRuns = (await (await fetch(`${url}/api/services/${lax.serviceId}/conformance`)).json()) as Array<{ id: string }>;
    const laxPage = await (await fetch(`${url}/conformance/${laxRuns[0]!.id}?lang=en`)).text();
    expect(laxPage).toMatch(/data-testid="verdict-response-unsigned">fail/);
    expect(laxPage).toContain('What to fix');
    expect(laxPage).toContain('Require a valid XML signature on the Response root');
    const servicePage = await (await fetch(`${url}/services/${strict.serviceId}?lang=en`)).text();
    expect(servicePage).toContain(`/conformance/${strictRun.id}`);
    expect(servicePage).toContain('action="/services/' + strict.serviceId + '/conformance');
  });

  it('the form on the service page starts a run and leads to its report', async () => {
    const res = await fetch(`${url}/services/${strict.serviceId}/conformance?lang=en`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ loginUrl: strict.loginUrl, checkUrl: strict.checkUrl }).toString(), redirect: 'manual' });
    expect(res.status).toBe(303);
    const id = /\/conformance\/([^?]+)/.exec(res.headers.get('location')!)![1]!;
    await sb.conformance.settled(id);
    const run = (await (await fetch(`${url}/api/conformance/${id}`)).json()) as RunView;
    expect(run.cases.find((c) => c.id === 'TC_FUNCT_04')!.verdict).toBe('error');
  }, 120000);

  it('refuses a run it cannot start, naming the field and the fix', async () => {
    const res = await post('/api/conformance', { service: 'nope', loginUrl: 'ftp://x', cases: ['TC_FUNCT_09'] });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: Array<{ where: string; fix: string }> };
    expect(body.errors.map((e) => e.where).sort()).toEqual(['cases', 'checkUrl', 'loginUrl', 'service']);
    expect(body.errors.every((e) => e.fix.length > 10)).toBe(true);
  });
});
