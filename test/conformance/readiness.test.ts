// Issue 10 §2: GET /api/services/:id/readiness lists every reason production would refuse; the EcoAlert
// fixture (localhost, self-signed, never graded) is not ready, a registration built to pass is.
import type http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCertificate } from '../../src/pki/certificates.js';
import type { Sandbox } from '../helpers.js';
import { startListeningSandbox } from '../sp-server.js';
import { startConformanceSp, type ConformanceSp } from './services.js';

let sb: Sandbox;
let server: http.Server;
let url: string;
let strict: ConformanceSp;

interface Readiness { ready: boolean; checks: Array<{ id: string; ok: boolean; message: string; fix: string }> }

beforeAll(async () => {
  ({ sb, server, url } = await startListeningSandbox());
  strict = await startConformanceSp(sb, url, 'strict');
});
afterAll(async () => {
  await strict?.close();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
});

const readinessOf = async (id: string) => (await (await fetch(`${url}/api/services/${id}/readiness`)).json()) as Readiness;
const failing = (r: Readiness) => r.checks.filter((c) => !c.ok).map((c) => c.id).sort();

describe('readiness for production', () => {
  it('EcoAlert (localhost, http, self-signed, no conformance run) is not ready, each reason with a fix', async () => {
    const eco = sb.registry.byMPassIssuer('https://ecoalert.localhost')!;
    const r = await readinessOf(eco.id);
    expect(r.ready).toBe(false);
    expect(failing(r)).toEqual(['certificate-not-self-signed', 'conformance-passed', 'requests-sha256', 'urls-https', 'urls-public-host']);
    const host = r.checks.find((c) => c.id === 'urls-public-host')!;
    expect(host.message).toContain('http://localhost:3000/mpass-login');
    expect(host.message).toContain('msign.ipAddresses 127.0.0.1 (a loopback address)');
    for (const c of r.checks) expect(c.fix.length).toBeGreaterThan(20);
    // contracts and logout URLs are filled in the fixture
    expect(r.checks.find((c) => c.id === 'contracts')!.ok).toBe(true);

    const page = await (await fetch(`${url}/services/${eco.id}/readiness`)).text();
    expect(page).toContain('Gata pentru producție?');
    expect(page).toMatch(/data-testid="check-urls-https"><td class="bad">/);
  });

  it('a registration built to pass is ready: graded service, production URLs, STISC-like certificate, SHA-256 requests, contracts', async () => {
    const before = await readinessOf(strict.serviceId);
    expect(before.ready).toBe(false);
    expect(failing(before)).toContain('certificate-not-sandbox'); // the sandbox's mock STISC issued it
    expect(failing(before)).toContain('conformance-passed');

    const started = (await (await fetch(`${url}/api/conformance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ service: strict.issuer, loginUrl: strict.loginUrl, checkUrl: strict.checkUrl, logoutUrl: strict.logoutUrl }) })).json()) as { id: string };
    const run = await sb.conformance.settled(started.id);
    expect(run!.summary.failed + run!.summary.errors).toBe(0);

    // What the integrator submits for production: public https URLs and a CA-issued certificate.
    const ca = createCertificate({ subject: [{ name: 'CN', value: 'Test STISC stand-in CA' }, { name: 'C', value: 'MD' }], isCa: true, validDays: 3650 });
    const leaf = createCertificate({ subject: [{ name: 'CN', value: 'conformance.example.md' }, { name: 'C', value: 'MD' }], issuer: ca, validDays: 365 });
    const current = sb.registry.get(strict.serviceId)!;
    const put = await fetch(`${url}/api/services/${strict.serviceId}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: current.name,
        description: current.description,
        contact: current.contact,
        certificate: leaf.certificatePem,
        mpass: { issuer: strict.issuer, assertionConsumerServiceUrl: 'https://conformance.example.md/acs', logoutRequestUrl: 'https://conformance.example.md/slo', logoutResponseUrl: 'https://conformance.example.md/logout', attributes: ['FirstName', 'LastName'], contract: { number: 'MP-2026-042', date: '2026-03-01' } },
      }),
    });
    expect(put.status).toBe(200);
    const after = await readinessOf(strict.serviceId);
    expect(after.checks.filter((c) => !c.ok)).toEqual([]);
    expect(after.ready).toBe(true);
    expect(after.checks.find((c) => c.id === 'requests-sha256')!.message).toMatch(/SHA-256/);
  }, 120000);
});
