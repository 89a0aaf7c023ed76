// A case the runner cannot run is `error`, never `pass` (issue 10 §1): no AuthnRequest arrives, the service
// hangs past the per-case time limit (CONFORMANCE_CASE_TIMEOUT_MS). Runs are bounded (CONFORMANCE_MAX_RUNS).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../helpers.js';
import { startListeningSandbox } from '../sp-server.js';

let sb: Sandbox;
let server: http.Server;
let url: string;
let odd: http.Server;
let base: string;
const issuer = 'https://odd.conformance.example.test';

beforeAll(async () => {
  ({ sb, server, url } = await startListeningSandbox({ conformanceCaseTimeoutMs: 1500, conformanceMaxRuns: 2 }));
  // A service that never starts an MPass login (/plain) or never answers (/hang).
  odd = http.createServer((req, res) => {
    if (req.url === '/me') return void res.writeHead(401).end('no');
    if (req.url === '/plain') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<p>Welcome, no login here</p>');
    /* /hang: never answer */
  });
  await new Promise<void>((r) => odd.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(odd.address() as AddressInfo).port}`;
  const cert = sb.pki.issueServiceCertificate('odd.conformance.localhost');
  await sb.registry.create({
    name: { ro: 'Ciudat', ru: 'Странный', en: 'Odd' }, description: 'Never logs in.', contact: { name: 'T', email: 't@example.md' }, certificate: cert.certificatePem,
    mpass: { issuer, assertionConsumerServiceUrl: `${base}/acs`, logoutRequestUrl: `${base}/slo`, logoutResponseUrl: `${base}/logout`, attributes: [] },
  });
});
afterAll(async () => {
  odd?.closeAllConnections();
  await new Promise((r) => odd?.close(r));
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
});

async function run(loginUrl: string, cases: string[]) {
  const res = await fetch(`${url}/api/conformance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ service: issuer, loginUrl, checkUrl: `${base}/me`, cases }) });
  return { res, body: (await res.json()) as { id: string } };
}

describe('cases that cannot run', () => {
  it('no AuthnRequest reaches the sandbox: error, with what the service answered', async () => {
    const { body } = await run(`${base}/plain`, ['TC_FUNCT_01', 'response-unsigned']);
    const done = await sb.conformance.settled(body.id);
    expect(done!.cases.map((c) => c.verdict)).toEqual(['error', 'error']);
    expect(done!.cases[0]!.reason).toMatch(/no AuthnRequest reached the sandbox: loginUrl answered 200/);
    expect(sb.mpass.scripts).toEqual([]); // the unused login script is withdrawn
  });

  it('a service that hangs runs out of the per-case time limit: error', async () => {
    const { body } = await run(`${base}/hang`, ['TC_FUNCT_01']);
    const done = await sb.conformance.settled(body.id);
    expect(done!.cases[0]!.verdict).toBe('error');
    expect(done!.cases[0]!.reason).toMatch(/time limit \(1500 ms, CONFORMANCE_CASE_TIMEOUT_MS\)/);
    expect(done!.cases[0]!.durationMs).toBeLessThan(5000);
  });

  it('the runner\'s browser is fenced like every request the sandbox sends: a cloud-metadata loginUrl is an error, never fetched', async () => {
    const { body } = await run('http://169.254.169.254/latest/meta-data/', ['TC_FUNCT_01']);
    const done = await sb.conformance.settled(body.id);
    expect(done!.cases[0]!.verdict).toBe('error');
    expect(done!.cases[0]!.reason).toMatch(/does not send requests to this destination: 169\.254\.169\.254 is a link-local or cloud-metadata address/);
  });

  it('refuses more running runs than CONFORMANCE_MAX_RUNS with 429', async () => {
    const a = await run(`${base}/hang`, ['TC_FUNCT_01']);
    const b = await run(`${base}/hang`, ['TC_FUNCT_01']);
    const c = await run(`${base}/hang`, ['TC_FUNCT_01']);
    expect([a.res.status, b.res.status, c.res.status]).toEqual([201, 201, 429]);
    expect((c.body as unknown as { error: { code: string } }).error.code).toBe('ERR_TOO_MANY_RUNS');
    await sb.conformance.settled(b.body.id);
  });
});
