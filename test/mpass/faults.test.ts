// The fault catalogue (GET /api/faults) proven against a strict service provider: node-saml plus the two
// checks of the official .NET client that node-saml lacks (Response Destination and IssueInstant, MPASS.md §7.4).
import zlib from 'node:zlib';
import { SAML } from '@node-saml/node-saml';
import { DOMParser } from '@xmldom/xmldom';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../helpers.js';
import { ECOALERT, decodeRequest, decodeSaml, nodeSamlSp, scrapeForm, startSandbox, unescapeHtml } from '../helpers.js';
import { signLikeDotnet } from '../official-client.js';
import type { KeyPair } from '../../src/pki/certificates.js';
import { ALG, signEnveloped, verifyRedirectSignature } from '../../src/mpass/signature.js';

let sb: Sandbox;
/** The Redirect SP's local trust key: see strictAcceptRedirect. */
let spTrust: KeyPair;
beforeAll(async () => {
  sb = await startSandbox();
  spTrust = sb.pki.issueServiceCertificate('redirect-sp-trust.example.test');
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
    for (const issuer of xml.matchAll(/<saml:Issuer[^>]*>([^<]*)<\/saml:Issuer>/g)) if (issuer[1] !== sb.config.mpassEntityId) return { ok: false, reason: `Issuer ${issuer[1]} is not the IdP` };
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
      expect((f as Fault & { overRedirect: string }).overRedirect.length).toBeGreaterThan(10);
      expect((f as Fault & { bindings: string[] }).bindings).toEqual(f.id === 'signature-wrapping' ? ['HTTP-POST'] : ['HTTP-POST', 'HTTP-Redirect']);
      expect(f.title.length).toBeGreaterThan(3);
      expect(f.changes.length).toBeGreaterThan(10);
      expect(['must reject', 'must accept']).toContain(f.expected);
    }
  });
});

describe('Response faults over HTTP-POST: details', () => {
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

type Binding = 'HTTP-POST' | 'HTTP-Redirect';
type Delivered = { binding: 'HTTP-POST'; SAMLResponse: string } | { binding: 'HTTP-Redirect'; location: string };
type Verdict = { ok: true; nameID: string } | { ok: false; reason: string };

/** The SP for a binding: over HTTP-Redirect it also trusts its own local key (see strictAcceptRedirect). */
const spFor = (binding: Binding, extra: Parameters<typeof nodeSamlSp>[2] = {}) =>
  nodeSamlSp(sb, ECOALERT, binding === 'HTTP-POST' ? extra : { idpCert: [spTrust.certificatePem, sb.pki.idp.certificatePem], ...extra });

/**
 * A scripted login whose AuthnRequest asks for the Response over `binding` (ProtocolBinding). node-saml
 * always writes ProtocolBinding HTTP-POST, so its request (ID kept in its cache) is re-signed with the
 * attribute changed. Returns every delivery the browser would make (two for the replay fault).
 */
async function scriptedDeliveries(saml: SAML, faults: string[], binding: Binding): Promise<Delivered[]> {
  await request(sb.app).post('/api/script').send({ issuer: ECOALERT.issuer, persona: '2001000000011', faults }).expect(201);
  const form = scrapeForm(await saml.getAuthorizeFormAsync('rs'));
  let fields = form.fields;
  if (binding === 'HTTP-Redirect') {
    const xml = decodeRequest(form.fields.SAMLRequest!).replace(/<(\w+:)?Signature[\s\S]*<\/(\w+:)?Signature>/, '').replace(/ProtocolBinding="[^"]*"/, 'ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"');
    expect(xml).toContain('bindings:HTTP-Redirect');
    fields = { ...form.fields, SAMLRequest: Buffer.from(signLikeDotnet(xml, 'AuthnRequest', ECOALERT.key, ECOALERT.cert)).toString('base64') };
  }
  const res = await request(sb.app).post('/login/saml').type('form').send(fields);
  if (res.status === 302) return [{ binding: 'HTTP-Redirect', location: res.headers.location! }];
  expect(res.status).toBe(200);
  const frame = /<iframe name="replay-first"[^>]* src="([^"]+)"/.exec(res.text);
  if (frame) return [{ binding: 'HTTP-Redirect', location: unescapeHtml(frame[1]!) }, { binding: 'HTTP-Redirect', location: unescapeHtml(frame[1]!) }];
  if (res.text.includes('name="replayform"')) return [scrapeForm(res.text, 'replayform'), scrapeForm(res.text, 'hiddenform')].map((f) => ({ binding: 'HTTP-POST' as const, SAMLResponse: f.fields.SAMLResponse! }));
  return [{ binding: 'HTTP-POST', SAMLResponse: scrapeForm(res.text).fields.SAMLResponse! }];
}

/**
 * A strict SP for an HTTP-Redirect Response. node-saml cannot take one (validateRedirectAsync reads any
 * SAMLResponse as a LogoutResponse and lets an unsigned query through; validatePostResponseAsync needs an
 * XML signature), so: (1) the query signature is verified against the IdP certificate only (SAML Bindings
 * §3.4.4.1, the binding's one signature); (2) the message must carry no enveloped signature at its root;
 * (3) having authenticated the message, the SP re-signs it with a key only it trusts and hands it to
 * node-saml + the §7.4 checks for everything else (InResponseTo, conditions, audience, status, and an
 * Assertion signature when one is wanted — checked against the IdP certificate).
 */
async function strictAcceptRedirect(saml: SAML, location: string): Promise<Verdict> {
  const url = new URL(location);
  if (`${url.origin}${url.pathname}` !== ECOALERT.acs) return { ok: false, reason: `sent to ${url.origin}${url.pathname}` };
  const rejection = verifyRedirectSignature(url.search.slice(1), 'SAMLResponse', sb.pki.idp.certificatePem, true);
  if (rejection) return { ok: false, reason: `${rejection.code}: ${rejection.message}` };
  const xml = zlib.inflateRawSync(Buffer.from(url.searchParams.get('SAMLResponse')!, 'base64')).toString('utf8');
  const root = new DOMParser().parseFromString(xml, 'text/xml').documentElement!;
  if (Array.from(root.childNodes).some((n) => (n as Element).localName === 'Signature')) return { ok: false, reason: 'enveloped ds:Signature at the root of a Redirect-binding message' };
  return strictAccept(saml, Buffer.from(signEnveloped(xml, 'Response', root.getAttribute('ID')!, { key: spTrust })).toString('base64'));
}

const strictAcceptAny = (saml: SAML, d: Delivered) => (d.binding === 'HTTP-POST' ? strictAccept(saml, d.SAMLResponse) : strictAcceptRedirect(saml, d.location));

// Over HTTP-Redirect the signature faults fail at the query signature, each for its own reason.
const REDIRECT_REASON: Record<string, RegExp> = {
  'response-unsigned': /^ERR_SIGNATURE_MISSING/,
  'compatible-certificate': /^ERR_SIGNATURE_INVALID/,
  'assertion-only-signed': /^ERR_SIGNATURE_MISSING/,
  'attribute-tampered': /^ERR_SIGNATURE_INVALID/,
};
const MUST_ACCEPT = ['sha1-signature', 'assertion-also-signed'];

describe.each(['HTTP-POST', 'HTTP-Redirect'] as const)('the whole Response fault catalogue over %s, against a strict service provider', (binding) => {
  it('the catalogue test covers every Response fault of GET /api/faults', async () => {
    const faults = ((await request(sb.app).get('/api/faults')).body as Array<{ id: string; appliesTo: string }>).filter((f) => f.appliesTo === 'Response');
    expect(faults.map((f) => f.id).sort()).toEqual([...Object.keys(REASON), ...MUST_ACCEPT].sort());
  });

  it('accepts the clean Response (the control case)', async () => {
    const saml = spFor(binding);
    const [d] = await scriptedDeliveries(saml, [], binding);
    expect(d!.binding).toBe(binding);
    expect(await strictAcceptAny(saml, d!)).toEqual({ ok: true, nameID: '2001000000011' });
  });

  it.each(Object.keys(REASON))('%s is rejected for its own reason', async (id) => {
    const saml = spFor(binding);
    const deliveries = await scriptedDeliveries(saml, [id], binding);
    // signature-wrapping needs an enveloped signature: over Redirect it is delivered over POST, and says so
    const expectedBinding = id === 'signature-wrapping' ? 'HTTP-POST' : binding;
    for (const d of deliveries) expect(d.binding).toBe(expectedBinding);
    const last = (await request(sb.app).get('/api/events?limit=1')).body[0];
    expect(last.summary).toContain(`faults: ${id}`);
    expect(last.binding).toBe(expectedBinding);
    if (expectedBinding !== binding) expect(last.summary).toContain('delivered over HTTP-POST instead of HTTP-Redirect');
    let verdict = await strictAcceptAny(saml, deliveries[0]!);
    if (id === 'replay') {
      expect(deliveries).toHaveLength(2);
      expect(verdict).toMatchObject({ ok: true });
      verdict = await strictAcceptAny(saml, deliveries[1]!);
    }
    expect(verdict.ok).toBe(false);
    const reason = binding === 'HTTP-Redirect' ? (REDIRECT_REASON[id] ?? REASON[id]!) : REASON[id]!;
    expect((verdict as { reason: string }).reason).toMatch(reason);
  });

  it.each(MUST_ACCEPT)('%s is accepted (must accept)', async (id) => {
    const saml = spFor(binding, id === 'assertion-also-signed' ? { wantAssertionsSigned: true } : {});
    const [d] = await scriptedDeliveries(saml, [id], binding);
    expect(d!.binding).toBe(binding);
    if (d!.binding === 'HTTP-Redirect') {
      const xml = zlib.inflateRawSync(Buffer.from(new URL(d!.location).searchParams.get('SAMLResponse')!, 'base64')).toString('utf8');
      if (id === 'sha1-signature') expect(new URL(d!.location).searchParams.get('SigAlg')).toBe(ALG.rsaSha1);
      else expect(xml.match(/<Signature /g)).toHaveLength(1); // the Assertion's; the Response is signed by the query
    }
    expect(await strictAcceptAny(saml, d!)).toMatchObject({ ok: true, nameID: '2001000000011' });
  });
});

describe('the strict Redirect SP of the catalogue test is itself strict', () => {
  it('refuses a Redirect Response that keeps an enveloped signature at its root', async () => {
    const saml = spFor('HTTP-Redirect');
    const [d] = await scriptedDeliveries(saml, [], 'HTTP-Redirect');
    const url = new URL((d as { location: string }).location);
    const xml = zlib.inflateRawSync(Buffer.from(url.searchParams.get('SAMLResponse')!, 'base64')).toString('utf8');
    const id = /ID="([^"]+)"/.exec(xml)![1]!;
    const withSig = signEnveloped(xml, 'Response', id, { key: sb.pki.idp });
    const { signRedirectQuery } = await import('../../src/mpass/signature.js');
    const q = signRedirectQuery('SAMLResponse', zlib.deflateRawSync(Buffer.from(withSig)).toString('base64'), url.searchParams.get('RelayState') ?? undefined, sb.pki.idp);
    expect(await strictAcceptRedirect(saml, `${ECOALERT.acs}?${q}`)).toEqual({ ok: false, reason: 'enveloped ds:Signature at the root of a Redirect-binding message' });
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

describe('logout faults through the one binding encoder, over both bindings', () => {
  // The sandbox sends LogoutRequests over HTTP-POST only (frames), so the Redirect path of the encoder is
  // exercised here directly: the same plan must drive the query signature.
  const build = async (faultId: string | undefined, binding: Binding) => {
    const { faultsByIds, signingPlan } = await import('../../src/mpass/faults.js');
    const { outgoing } = await import('../../src/mpass/bindings.js');
    const { renderLogoutRequest } = await import('../../src/mpass/messages/logout.js');
    const { newSamlId } = await import('../../src/mpass/messages/common.js');
    const id = newSamlId();
    const xml = renderLogoutRequest({ id, issueInstant: new Date().toISOString(), destination: `${ECOALERT.acs}/slo`, issuer: sb.config.mpassEntityId, nameId: '2001000000011', sessionIndex: 'idx-1' });
    const plan = signingPlan(faultsByIds(faultId ? [faultId] : [], 'logout-request'), { now: new Date(), compatibleKey: sb.pki.idpCompatible }, { key: sb.pki.idp, signAssertion: false });
    return outgoing(binding, `${ECOALERT.acs}/slo`, { param: 'SAMLRequest', root: 'LogoutRequest', id, xml, relayState: 'rs' }, plan);
  };
  const verdict = async (out: Awaited<ReturnType<typeof build>>): Promise<string> => {
    const saml = nodeSamlSp(sb, ECOALERT);
    if (out.context.binding === 'HTTP-POST') {
      try {
        await saml.validatePostRequestAsync({ SAMLRequest: out.context.fields.SAMLRequest! });
        return 'accepted';
      } catch (e) {
        return (e as Error).message;
      }
    }
    const url = new URL(out.context.location);
    if (/<Signature/.test(out.xml)) return 'enveloped signature in a Redirect message';
    const r = verifyRedirectSignature(url.search.slice(1), 'SAMLRequest', sb.pki.idp.certificatePem, false);
    if (r) return r.code;
    await saml.validateRedirectAsync(Object.fromEntries(url.searchParams), url.search.slice(1)); // node-saml agrees
    return 'accepted';
  };
  it.each([
    ['HTTP-POST', undefined, /^accepted$/],
    ['HTTP-POST', 'logout-unsigned', /signature/i],
    ['HTTP-POST', 'logout-compatible-certificate', /signature/i],
    ['HTTP-Redirect', undefined, /^accepted$/],
    ['HTTP-Redirect', 'logout-unsigned', /^ERR_SIGNATURE_MISSING$/],
    ['HTTP-Redirect', 'logout-compatible-certificate', /^ERR_SIGNATURE_INVALID$/],
  ] as const)('%s %s', async (binding, fault, expected) => {
    const out = await build(fault, binding);
    expect(out.binding).toBe(binding);
    expect(await verdict(out)).toMatch(expected);
  });
});
