#!/usr/bin/env node
// `mpass-sandbox conformance …`: start a conformance run on a running sandbox, print one line per case as
// they finish, optionally write the JUnit report, and exit 0 only when every case passed (issue 10 §1
// "From CI"). It only speaks HTTP to the sandbox, so it runs anywhere Node 20 does (CI job, the image).
import fs from 'node:fs';
import { parseArgs } from 'node:util';

const USAGE = `Usage: mpass-sandbox conformance --sandbox URL --service ISSUER_OR_ID --login-url URL --check-url URL
         [--logout-url URL] [--case ID]... [--junit FILE] [--token ADMIN_TOKEN] [--timeout SECONDS]

  --sandbox     base URL of the sandbox (e.g. http://localhost:8080)
  --service     the service's MPass issuer (entity ID) or its sandbox id
  --login-url   URL at the service that starts an MPass login (GET)
  --check-url   URL at the service that answers 2xx only to a logged-in browser
  --logout-url  URL at the service that starts its own logout (GET); needed for TC_FUNCT_04
  --case        run only this case (repeat); default: the official plan
  --junit       write the JUnit XML report to this file
  --token       ADMIN_TOKEN of the sandbox (or set MPASS_SANDBOX_TOKEN)
  --timeout     give up after this many seconds (default 900)

Exit status: 0 every case passed; 1 a case failed or could not run; 2 usage or sandbox error.`;

interface CaseView {
  id: string;
  title: string;
  verdict: 'pass' | 'fail' | 'error';
  reason: string;
  fix?: string;
}
interface RunView {
  id: string;
  status: 'running' | 'done';
  summary: { passed: number; failed: number; errors: number };
  cases: CaseView[];
}

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (command !== 'conformance') throw new UsageError(command ? `Unknown command "${command}".` : 'No command given.');
  const { values } = parseArgs({
    args: rest,
    options: {
      sandbox: { type: 'string' }, service: { type: 'string' }, 'login-url': { type: 'string' }, 'check-url': { type: 'string' }, 'logout-url': { type: 'string' },
      case: { type: 'string', multiple: true }, junit: { type: 'string' }, token: { type: 'string' }, timeout: { type: 'string' }, help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  for (const k of ['sandbox', 'service', 'login-url', 'check-url'] as const) if (!values[k]) throw new UsageError(`--${k} is required.`);
  const sandbox = values.sandbox!.replace(/\/+$/, '');
  const token = values.token ?? process.env.MPASS_SANDBOX_TOKEN;
  const timeoutMs = (values.timeout ? Number(values.timeout) : 900) * 1000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new UsageError('--timeout expects a positive number of seconds.');

  const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const body = { service: values.service, loginUrl: values['login-url'], checkUrl: values['check-url'], ...(values['logout-url'] ? { logoutUrl: values['logout-url'] } : {}), ...(values.case?.length ? { cases: values.case } : {}) };
  const res = await fetch(`${sandbox}/api/conformance`, { method: 'POST', headers, body: JSON.stringify(body) });
  const started = (await res.json().catch(() => ({}))) as { id?: string; report?: string; error?: { where: string; message: string; fix: string }; errors?: Array<{ where: string; message: string; fix: string }> };
  if (res.status !== 201 || !started.id) {
    const problems = started.errors ?? (started.error ? [started.error] : []);
    console.error(`The sandbox refused the run (HTTP ${res.status}):`);
    for (const p of problems) console.error(`  ${p.where}: ${p.message} Fix: ${p.fix}`);
    return 2;
  }
  console.log(`Conformance run ${started.id} for ${values.service}${started.report ? ` — report: ${started.report}` : ''}`);

  const deadline = Date.now() + timeoutMs;
  let printed = 0;
  let run: RunView;
  for (;;) {
    const r = await fetch(`${sandbox}/api/conformance/${started.id}`);
    if (!r.ok) {
      console.error(`The sandbox answered HTTP ${r.status} for the run.`);
      return 2;
    }
    run = (await r.json()) as RunView;
    for (const c of run.cases.slice(printed)) console.log(`${c.verdict.toUpperCase().padEnd(5)} ${c.id.padEnd(30)} ${c.title}${c.verdict === 'pass' ? '' : ` — ${c.reason}`}`);
    printed = run.cases.length;
    if (run.status === 'done') break;
    if (Date.now() > deadline) {
      console.error(`Gave up after ${timeoutMs / 1000} s; the run goes on in the sandbox.`);
      return 2;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  if (values.junit) {
    const x = await fetch(`${sandbox}/api/conformance/${started.id}/junit`);
    fs.writeFileSync(values.junit, await x.text());
    console.log(`JUnit report written to ${values.junit}`);
  }
  const { passed, failed, errors } = run.summary;
  console.log(`${passed} passed, ${failed} failed, ${errors} could not run (of ${run.cases.length}).`);
  return failed === 0 && errors === 0 && run.cases.length > 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${(e as Error).message}\n\n${USAGE}`);
    } else {
      const cause = (e as { cause?: { code?: string } }).cause;
      console.error(`mpass-sandbox: ${(e as Error).message}${cause?.code ? ` (${cause.code})` : ''}`);
    }
    process.exit(2);
  },
);
