// The fault catalogue (GET /api/faults) proven against a strict service provider: node-saml plus the two
// checks of the official .NET client that node-saml lacks (Response Destination and IssueInstant, MPASS.md §7.4).
import { SAML } from '@node-saml/node-saml';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../helpers.js';
import { ECOALERT, decodeSaml, nodeSamlSp, scrapeForm, startSandbox } from '../helpers.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox();
});

interface Fault { id: string; title: string; testCase: string | null; changes: string; expected: 'must reject' | 'must accept'; appliesTo: string }

/** A strict SP: node-saml (signature, InResponseTo always, Audience, Issuer, conditions) + §7.4 steps 4, 5 and 12. */
async function strictAccept(saml: SAML, samlResponse: string): Promise<{ ok: true; nameID: string } | { ok: false; reason: string }> {
  const xml = decodeSaml(samlResponse);
  try {
    const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: samlResponse });
    if (!profile) return { ok: false, reason: 'no profile (unsuccessful status)' };
    const root = /<samlp:Response [^>]*>/.exec(xml)?.[0] ?? '';
    const destination = /Destination="([^"]*)"/.exec(root)?.[1];
    if (destination?.toLowerCase() !== ECOALERT.acs.toLowerCase()) return { ok: false, reason: `Destination ${destination ?? 'missing'}` };
    const issueInstant = /IssueInstant="([^"]*)"/.exec(root)?.[1];
    if (!issueInstant || Math.abs(Date.now() - Date.parse(issueInstant)) > 10 * 60 * 1000) return { ok: false, reason: `IssueInstant ${issueInstant} outside ±10 min` };
    // node-saml leaves the Issuer unchecked on a Response; other stacks (and MPASS.md §8.1 guidance) check it
    for (const issuer of xml.matchAll(/<saml:Issuer>([^<]*)<\/saml:Issuer>/g)) if (issuer[1] !== sb.config.mpassEntityId) return { ok: false, reason: `Issuer ${issuer[1]} is not the IdP` };
    const recipient = /Recipient="([^"]*)"/.exec(xml)?.[1];
    if (recipient?.toLowerCase() !== ECOALERT.acs.toLowerCase()) return { ok: false, reason: `Recipient ${recipient}` };
    return { ok: true, nameID: profile.nameID };
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
}

async function scriptedLogin(saml: SAML, faults: string[], persona = '2001000000011') {
  const script = await request(sb.app).post('/api/script').send({ issuer: ECOALERT.issuer, persona, faults });
  expect(script.status).toBe(201);
  const form = scrapeForm(await saml.getAuthorizeFormAsync('rs'));
  const res = await request(sb.app).post('/login/saml').type('form').send(form.fields);
  expect(res.status).toBe(200);
  return res.text;
}

// Why a strict SP refuses each case: the fault must fail for its own reason, not a side effect.
const REASON: Record<string, RegExp> = {
  'response-unsigned': /signature/i,
  'compatible-certificate': /signature/i,
  'issue-instant-local-time': /IssueInstant/,
  'no-destination': /Destination missing/,
  'no-in-response-to': /InResponseTo/,
  'in-response-to-other': /InResponseTo/,
  expired: /expired|no valid subject confirmation/i,
  'not-yet-valid': /not yet valid/i,
  'wrong-audience': /audience/i,
  'wrong-recipient': /Recipient/,
  'wrong-issuer': /issuer/i,
  'assertion-only-signed': /signature/i,
  'attribute-tampered': /signature/i,
  'signature-wrapping': /Referenced node does not refer/i, // node-saml sees the signature covers a hidden copy
  'success-without-assertion': /assertion/i,
  'responder-status': /Responder/,
  replay: /InResponseTo/,
};

describe('GET /api/faults', () => {
  it('lists the five published options, the extras and the logout faults, each with its expected behaviour', async () => {
    const faults = (await request(sb.app).get('/api/faults')).body as Fault[];
    const ids = faults.map((f) => f.id);
    for (const id of [...Object.keys(REASON), 'logout-unsigned', 'logout-compatible-certificate', 'logout-wrong-session-index', 'logout-wrong-destination']) expect(ids).toContain(id);
    for (const tc of ['TC_SEC_01', 'TC_SEC_02', 'TC_SEC_04', 'TC_SEC_05', 'TC_SEC_06']) expect(faults.some((f) => f.testCase === tc)).toBe(true);
    for (const f of faults) {
      expect(f.title.length).toBeGreaterThan(3);
      expect(f.changes.length).toBeGreaterThan(10);
      expect(['must reject', 'must accept']).toContain(f.expected);
    }
  });
});

describe('every Response fault, against a strict service provider', () => {
  it('accepts the clean Response (the control case)', async () => {
    const saml = nodeSamlSp(sb, ECOALERT);
    const page = await scriptedLogin(saml, []);
    const r = await strictAccept(saml, scrapeForm(page).fields.SAMLResponse!);
    expect(r).toEqual({ ok: true, nameID: '2001000000011' });
  });

  it.each(Object.keys(REASON).filter((id) => id !== 'replay'))('%s is rejected for its own reason', async (id) => {
    const saml = nodeSamlSp(sb, ECOALERT);
    const page = await scriptedLogin(saml, [id]);
    const r = await strictAccept(saml, scrapeForm(page).fields.SAMLResponse!);
    expect(r.ok).toBe(false);
    expect((r as { reason: string }).reason).toMatch(REASON[id]!);
    const last = (await request(sb.app).get('/api/events?limit=1')).body[0];
    expect(last.summary).toContain(`faults: ${id}`);
  });

  it.each(['sha1-signature', 'assertion-also-signed'])('%s is accepted (must accept)', async (id) => {
    const saml = nodeSamlSp(sb, ECOALERT, id === 'assertion-also-signed' ? { wantAssertionsSigned: true } : {});
    const page = await scriptedLogin(saml, [id]);
    const xml = decodeSaml(scrapeForm(page).fields.SAMLResponse!);
    if (id === 'sha1-signature') expect(xml).toContain('xmldsig#rsa-sha1');
    else expect(xml.match(/<Signature /g)).toHaveLength(2);
    expect(await strictAccept(saml, scrapeForm(page).fields.SAMLResponse!)).toMatchObject({ ok: true });
  });

  it('replay: the page delivers the identical Response twice; the first is accepted, the second refused', async () => {
    const saml = nodeSamlSp(sb, ECOALERT);
    const page = await scriptedLogin(saml, ['replay']);
    const first = scrapeForm(page, 'replayform');
    const second = scrapeForm(page, 'hiddenform');
    expect(first.fields.SAMLResponse).toBe(second.fields.SAMLResponse);
    expect(await strictAccept(saml, first.fields.SAMLResponse!)).toMatchObject({ ok: true });
    const again = await strictAccept(saml, second.fields.SAMLResponse!);
    expect(again.ok).toBe(false);
    expect((again as { reason: string }).reason).toMatch(REASON.replay!);
  });

  it('changes only what the fault says: no-destination differs from the clean Response only by Destination', async () => {
    const saml = nodeSamlSp(sb, ECOALERT);
    sb.clock.freeze(new Date());
    try {
      const norm = (x: string) => x.replace(/<Signature[\s\S]*?<\/Signature>/g, '').replace(/"_[0-9a-f-]{36}"/g, '"_ID"').replace(/InResponseTo="[^"]+"/g, 'InResponseTo="X"').replace(/SessionIndex="[^"]+"/, '').replace(/AuthnInstant="[^"]+"/, '').replace(/SessionNotOnOrAfter="[^"]+"/, '');
      const clean = norm(decodeSaml(scrapeForm(await scriptedLogin(saml, [])).fields.SAMLResponse!));
      const broken = norm(decodeSaml(scrapeForm(await scriptedLogin(saml, ['no-destination'])).fields.SAMLResponse!));
      expect(broken).toBe(clean.replace(` Destination="${ECOALERT.acs}"`, ''));
    } finally {
      sb.clock.reset();
    }
  });
});

describe('official security test cases (MPASS.md §9.2)', () => {
  it('TC_SEC_03: with the sandbox clock hours behind the service, the Response is expired for the service', async () => {
    await request(sb.app).put('/api/clock').send({ offsetSeconds: -4 * 3600 }).expect(200);
    // The moved clock does not widen the accepted window, so the unmoved service's AuthnRequest needs
    // CLOCK_SKEW_SECONDS beyond the offset (README, TC_SEC_03), as an operator would set it.
    const skew = sb.config.clockSkewSeconds;
    sb.config.clockSkewSeconds = 5 * 3600;
    try {
      const saml = nodeSamlSp(sb, ECOALERT);
      const page = await scriptedLogin(saml, []);
      const xml = decodeSaml(scrapeForm(page).fields.SAMLResponse!);
      const issued = Date.parse(/IssueInstant="([^"]+)"/.exec(xml)![1]!);
      expect(Date.now() - issued).toBeGreaterThan(3.9 * 3600 * 1000);
      const r = await strictAccept(saml, scrapeForm(page).fields.SAMLResponse!);
      expect(r.ok).toBe(false);
      expect((r as { reason: string }).reason).toMatch(REASON.expired!);
    } finally {
      sb.config.clockSkewSeconds = skew;
      await request(sb.app).delete('/api/clock').expect(200);
    }
  });

  it('TC_SEC_04: the local-time IssueInstant lies 2–3 hours in the future', async () => {
    const saml = nodeSamlSp(sb, ECOALERT);
    const xml = decodeSaml(scrapeForm(await scriptedLogin(saml, ['issue-instant-local-time'])).fields.SAMLResponse!);
    const ahead = Date.parse(/<samlp:Response [^>]*IssueInstant="([^"]+)"/.exec(xml)![1]!) - Date.now();
    expect(ahead).toBeGreaterThan(1.9 * 3600 * 1000);
    expect(ahead).toBeLessThan(3.1 * 3600 * 1000);
  });

  it('TC_SEC_07: a service that lost its AuthnRequest (restart) refuses the Response', async () => {
    const before = nodeSamlSp(sb, ECOALERT);
    const page = await scriptedLogin(before, []);
    const restarted = nodeSamlSp(sb, ECOALERT); // a new instance: its request-ID cache is empty
    const r = await strictAccept(restarted, scrapeForm(page).fields.SAMLResponse!);
    expect(r.ok).toBe(false);
    expect((r as { reason: string }).reason).toMatch(/InResponseTo/);
  });

  it('faults stored with the registration apply to every login of that service', async () => {
    const svc = (await request(sb.app).get('/api/services/ecoalert')).body;
    const { id: _i, source: _s, createdAt: _c, updatedAt: _u, certificateInfo: _ci, certificateSerial: _cs, ...body } = svc;
    await request(sb.app).put('/api/services/ecoalert').send({ ...body, mpass: { ...body.mpass, faults: ['response-unsigned'] } }).expect(200);
    try {
      const saml = nodeSamlSp(sb, ECOALERT);
      const xml = decodeSaml(scrapeForm(await scriptedLogin(saml, [])).fields.SAMLResponse!);
      expect(xml).not.toContain('<Signature');
    } finally {
      await request(sb.app).put('/api/services/ecoalert').send(body).expect(200);
    }
  });

  it('per-login faults from the login page checkboxes', async () => {
    const saml = nodeSamlSp(sb, ECOALERT);
    const form = scrapeForm(await saml.getAuthorizeFormAsync('rs'));
    const page = await request(sb.app).post('/login/saml').type('form').send(form.fields);
    const pending = /name="pending" value="([^"]+)"/.exec(page.text)![1]!;
    const res = await request(sb.app).post('/login/saml/continue').type('form').send(`pending=${pending}&persona=2001000000011&faults=no-in-response-to`);
    const xml = decodeSaml(scrapeForm(res.text).fields.SAMLResponse!);
    expect(xml).not.toContain('InResponseTo');
  });
});

describe('scripted logins for headless suites', () => {
  it('20 parallel scripted logins for different services each get their own persona and faults', async () => {
    const personas = sb.personas.map((p) => p.idnp);
    const services = await Promise.all(
      Array.from({ length: 20 }, async (_v, i) => {
        const cert = sb.pki.issueServiceCertificate(`par-${i}.example.md`);
        const issuer = `https://par-${i}.example.md`;
        const acs = `https://par-${i}.example.md/acs`;
        await request(sb.app).post('/api/services').send({
          name: { ro: `P${i}`, ru: `P${i}`, en: `P${i}` }, description: 'Parallel test service.', contact: { name: 'T', email: 't@example.md' }, certificate: cert.certificatePem,
          mpass: { issuer, assertionConsumerServiceUrl: acs, logoutRequestUrl: `${acs}/slo`, logoutResponseUrl: `${acs}/lo`, attributes: ['FirstName'] },
        }).expect(201);
        return { issuer, acs, key: cert.privateKeyPem, persona: personas[i % personas.length]!, faults: i % 3 === 0 ? ['no-destination'] : [] };
      }),
    );
    await Promise.all(services.map((s) => request(sb.app).post('/api/script').send({ issuer: s.issuer, persona: s.persona, faults: s.faults }).expect(201)));
    const results = await Promise.all(
      services.map(async (s) => {
        const saml = nodeSamlSp(sb, s);
        const res = await request(sb.app).post('/login/saml').type('form').send(scrapeForm(await saml.getAuthorizeFormAsync('')).fields);
        const xml = decodeSaml(scrapeForm(res.text).fields.SAMLResponse!);
        const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: scrapeForm(res.text).fields.SAMLResponse! });
        return { s, nameID: profile!.nameID, hasDestination: xml.includes(`Destination="${s.acs}"`) };
      }),
    );
    for (const r of results) {
      expect(r.nameID).toBe(sb.personas.find((p) => p.idnp === r.s.persona)!.nameId ?? r.s.persona);
      expect(r.hasDestination).toBe(r.s.faults.length === 0);
    }
  });

  it('validates script requests, naming each field', async () => {
    const r = await request(sb.app).post('/api/script').send({ issuer: 'nope', persona: '1', faults: ['bogus'], times: 0 });
    expect(r.status).toBe(400);
    expect(r.body.errors.map((e: { where: string }) => e.where).sort()).toEqual(['faults', 'issuer', 'persona', 'times']);
  });
});
