// Issue 13 §3: every method of the typed client calls a route the sandbox's OpenAPI document describes, and the
// client turns the API's refusals into SandboxApiError with the rejection's code, against a real listening sandbox.
import type http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandboxClient, ROUTES, SandboxApiError } from '../../src/client/index.js';
import { startListeningSandbox } from '../sp-server.js';
import type { Sandbox } from '../helpers.js';

let sb: Sandbox;
let server: http.Server;
let url: string;
beforeAll(async () => {
  ({ sb, server, url } = await startListeningSandbox({ adminToken: 'client-test-token' }));
});
afterAll(() => {
  server?.close();
});

describe('the typed client against /api/openapi.json', () => {
  it('every client route (method + path) is in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const missing = Object.entries(ROUTES).filter(([, [method, path]]) => !doc.paths[path]?.[method.toLowerCase()]).map(([name]) => name);
    // POST/GET /api/conformance come with the conformance runner (issue 10, another branch): until it is merged
    // they are the only routes allowed to be missing, and only while the document has no /api/conformance at all.
    const pending = doc.paths['/api/conformance'] ? [] : ['conformance.start', 'conformance.get'];
    expect(missing).toEqual(pending);
    // and the client knows every /api route the document describes (but the document itself and the helpers the
    // client leaves to curl: /api/sp-metadata)
    const known = new Set(Object.values(ROUTES).map(([m, p]) => `${m} ${p}`));
    const undocumentedByClient = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).filter((m) => m !== 'parameters').map((m) => `${m.toUpperCase()} ${p}`)).filter((r) => !known.has(r) && !['GET /api/openapi.json', 'POST /api/sp-metadata'].includes(r) && !r.includes('/api/conformance/{id}/junit'));
    expect(undocumentedByClient).toEqual([]);
  });

  it('calls the API with the admin token and returns typed answers', async () => {
    const client = createSandboxClient({ baseUrl: `${url}/`, adminToken: 'client-test-token' });
    expect((await client.personas.list()).map((p) => p.idnp)).toContain('2001000000011');
    const clock = await client.clock.set({ offsetSeconds: -3600 });
    expect(clock.offsetSeconds).toBe(-3600);
    expect((await client.clock.reset()).offsetSeconds).toBe(0);
    const cert = await client.certificates.issue('client-test.example.md');
    expect(cert.certificatePem).toContain('BEGIN CERTIFICATE');
    const service = await client.services.create({
      name: { ro: 'Client', ru: 'Client', en: 'Client' },
      description: 'Registered by the typed client.',
      contact: { name: 'Test', email: 'test@example.md' },
      certificate: cert.certificatePem,
      mpass: { issuer: 'https://client-test.example.md', assertionConsumerServiceUrl: 'https://client-test.example.md/acs', logoutRequestUrl: 'https://client-test.example.md/slo', logoutResponseUrl: 'https://client-test.example.md/logout' },
    });
    expect((await client.services.get(service.id)).mpass?.issuer).toBe('https://client-test.example.md');
    const script = await client.script.login({ issuer: 'https://client-test.example.md', persona: '2001000000011', faults: ['expired'] });
    expect(script).toMatchObject({ faults: ['expired'] });
    expect((await client.script.list()).logins).toHaveLength(1);
    expect(await client.reset({ registry: true })).toEqual({ reset: true, droppedRegistrations: 1 });
    expect((await client.script.list()).logins).toHaveLength(0);
    expect(await client.events.list({ limit: 5 })).toEqual([]);
    expect(sb.registry.byMPassIssuer('https://client-test.example.md')).toBeUndefined();
  });

  it('refusals are SandboxApiError with the code, the field, the fix and every problem', async () => {
    const open = createSandboxClient({ baseUrl: url });
    const err = await open.reset().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SandboxApiError);
    expect(err).toMatchObject({ status: 401, code: 'ERR_ADMIN_TOKEN', where: 'Authorization', route: 'reset' });
    const client = createSandboxClient({ baseUrl: url, adminToken: 'client-test-token' });
    const many = (await client.script.login({ issuer: 'https://nobody.example', persona: '1', times: 0 }).catch((e: unknown) => e)) as SandboxApiError;
    expect(many.code).toBe('ERR_INVALID_FIELD');
    expect(many.problems.map((p) => p.where)).toEqual(['issuer', 'persona', 'times']);
    expect(many.message).toMatch(/^script\.login: ERR_INVALID_FIELD at issuer: .* Fix: /);
    await expect(client.sessions.get('nope')).rejects.toMatchObject({ code: 'ERR_SESSION_NOT_FOUND', status: 404 });
    // not the sandbox at all: still a typed error, saying what to check
    const wrong = createSandboxClient({ baseUrl: `${url}/health/x` });
    await expect(wrong.personas.list()).rejects.toMatchObject({ code: 'ERR_HTTP_404' });
  });
});
