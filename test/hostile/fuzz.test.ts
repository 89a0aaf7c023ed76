// Property-based fuzzing of signed AuthnRequests and LogoutRequests (fast-check, fixed seeds, bounded runs).
//
// The oracle, for every mutated message:
//   1. never a 5xx, and the process answers /health;
//   2. a refusal is a 4xx whose body carries an ERR_… code;
//   3. the sandbox may *accept* (login page, Success answer, logout run) only a mutation that left what the
//      signature protects semantically identical:
//        - enveloped signature (POST, or Redirect without a query signature): the document still parses, has no
//          DOCTYPE, its root without ds:Signature has the same inclusive C14N (what the official client's
//          digest covers: enveloped transform only ⇒ inclusive c14n), SignedInfo has the same exclusive C14N,
//          and SignatureValue decodes to the same bytes. Changes to KeyInfo, comments and whitespace between
//          attributes are therefore allowed to pass — the sandbox ignores KeyInfo by design (only the registered
//          certificate counts) and C14N drops comments.
//        - query signature (Redirect): the raw `SAMLRequest=…`, `RelayState=…` and `SigAlg=…` segments are still in
//          the query verbatim, each parameter decodes to the same value, and Signature decodes to the same bytes
//          (an extra unknown parameter may pass; it is not signed and not used).
import zlib from 'node:zlib';
import { DOMParser } from '@xmldom/xmldom';
import fc from 'fast-check';
import request from 'supertest';
import { C14nCanonicalization, ExclusiveCanonicalization } from 'xml-crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../helpers.js';
import { ECOALERT, startSandbox } from '../helpers.js';
import { officialAuthnRequestXml } from '../official-client.js';
import { accepted, authnFor, b64, deflate64, expectHealthy, getSaml, liveSession, logoutXml, postSaml, signedAuthn, signedLogout, signedRedirectQuery, type Endpoint, type Res } from './support.js';

// Fixed by default (reproducible CI); HOSTILE_FUZZ_SEED / HOSTILE_FUZZ_RUNS explore further by hand.
const RUNS = Number(process.env.HOSTILE_FUZZ_RUNS ?? 300);
const SEED = Number(process.env.HOSTILE_FUZZ_SEED ?? 20261125);
const DS = 'http://www.w3.org/2000/09/xmldsig#';

let sb: Sandbox;
let session: { nameId: string; sessionIndex: string };
const stats = { runs: 0, refused: 0, acceptedIdentical: 0, codes: new Map<string, number>() };

beforeAll(async () => {
  sb = await startSandbox();
  session = await liveSession(sb);
});

// ---------------------------------------------------------------- mutations

const POOL = ['<', '>', '"', "'", '&', '/', '=', ' ', '\n', 'A', 'z', '0', '9', '_', '#', ':', 'é', '\u00a0', '\u2028', '\uFEFF', '<!---->', '<x/>', ' a="1"', '&amp;', '&#x41;', '<![CDATA[x]]>', ' ID="_evil"', '</x>', '<?pi?>', '\t'];

type Mutation =
  | { kind: 'flip'; at: number; with: string }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'attr'; pick: number; op: 'drop' | 'empty' | 'append' | 'duplicate' | 'rename'; text: string };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), with: fc.oneof(fc.constantFrom(...POOL.filter((p) => p.length === 1)), fc.string({ minLength: 1, maxLength: 1 })) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...POOL), fc.string({ minLength: 1, maxLength: 4 })) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('attr' as const), pick: fc.nat(), op: fc.constantFrom('drop' as const, 'empty' as const, 'append' as const, 'duplicate' as const, 'rename' as const), text: fc.constantFrom('x', '0', ' ', '#', '_evil', 'https://attacker.example/acs') }),
);

function apply(s: string, m: Mutation): string {
  if (s.length === 0) return m.kind === 'insert' ? m.text : s;
  const at = m.kind === 'attr' ? 0 : m.at % (s.length + (m.kind === 'insert' ? 1 : 0));
  switch (m.kind) {
    case 'flip':
      return s.slice(0, at) + m.with + s.slice(at + 1);
    case 'insert':
      return s.slice(0, at) + m.text + s.slice(at);
    case 'delete':
      return s.slice(0, at) + s.slice(at + m.length);
    case 'attr': {
      const attrs = [...s.matchAll(/\s([\w:.-]+)="([^"]*)"/g)];
      if (!attrs.length) return s;
      const a = attrs[m.pick % attrs.length]!;
      const [whole, name, value] = a;
      const i = a.index!;
      const replaced =
        m.op === 'drop' ? '' : m.op === 'empty' ? ` ${name}=""` : m.op === 'append' ? ` ${name}="${value}${m.text}"` : m.op === 'duplicate' ? `${whole}${whole}` : ` ${name}X="${value}"`;
      return s.slice(0, i) + replaced + s.slice(i + whole.length);
    }
  }
}
const mutationsArb = fc.array(mutationArb, { minLength: 1, maxLength: 3 });
const mutate = (s: string, ms: Mutation[]) => ms.reduce(apply, s);

// ---------------------------------------------------------------- oracles

/** What an enveloped signature protects, as comparable text; undefined when the document does not parse cleanly. */
function protectedContent(xml: string): string | undefined {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) return undefined;
  let failed = false;
  let doc: Document | undefined;
  try {
    doc = new DOMParser({ errorHandler: { warning: () => undefined, error: () => void (failed = true), fatalError: () => void (failed = true) } }).parseFromString(xml, 'text/xml') as unknown as Document;
  } catch {
    return undefined; // xmldom throws DOMExceptions of its own (e.g. CDATA at document level)
  }
  const root = doc?.documentElement;
  if (failed || !root) return undefined;
  const sigs = Array.from({ length: root.childNodes.length }, (_, i) => root.childNodes[i]!).filter((n) => n.nodeType === 1 && (n as Element).namespaceURI === DS && (n as Element).localName === 'Signature') as Element[];
  if (sigs.length !== 1) return undefined;
  const sig = sigs[0]!;
  const signedInfo = sig.getElementsByTagNameNS(DS, 'SignedInfo')[0];
  const value = sig.getElementsByTagNameNS(DS, 'SignatureValue')[0];
  if (!signedInfo || !value) return undefined;
  try {
    const si = new ExclusiveCanonicalization().process(signedInfo as unknown as Element, {}) as string;
    const sv = Buffer.from((value.textContent ?? '').replace(/\s+/g, ''), 'base64').toString('hex');
    root.removeChild(sig);
    const body = new C14nCanonicalization().process(root as unknown as Node, {}) as string;
    return JSON.stringify([body, si, sv]);
  } catch {
    return undefined; // e.g. a processing instruction inside SignedInfo: xml-crypto cannot canonicalize it
  }
}

function redirectParams(rawQuery: string): { segments: string[]; values: Record<string, string | undefined>; signature?: string } {
  const segments = rawQuery.split('&');
  const p = new URLSearchParams(rawQuery);
  const one = (k: string) => (p.getAll(k).length === 1 ? p.get(k)! : undefined);
  const sig = one('Signature');
  return { segments, values: { SAMLRequest: one('SAMLRequest'), RelayState: one('RelayState'), SigAlg: one('SigAlg') }, signature: sig === undefined ? undefined : Buffer.from(sig, 'base64').toString('hex') };
}

function sameSignedQuery(original: string, mutated: string): boolean {
  const a = redirectParams(original);
  const b = redirectParams(mutated);
  const signedSegments = a.segments.filter((s) => /^(SAMLRequest|RelayState|SigAlg)=/.test(s));
  return signedSegments.every((s) => b.segments.includes(s)) && JSON.stringify(a.values) === JSON.stringify(b.values) && a.signature === b.signature;
}

/** The common verdict: no 5xx; refused ⇒ 4xx with a code; accepted ⇒ the oracle said the mutation is harmless. */
function judge(res: Res, mayAccept: boolean, what: string): void {
  stats.runs++;
  const ctx = `${what}\n→ ${res.status} ${(res.text ?? '').replace(/\s+/g, ' ').slice(0, 300)}`;
  expect(res.status, ctx).toBeLessThan(500);
  if (accepted(res)) {
    expect(mayAccept, `accepted a mutated signed message:\n${ctx}`).toBe(true);
    stats.acceptedIdentical++;
    return;
  }
  if (mayAccept && res.status < 400) {
    stats.acceptedIdentical++; // e.g. a LogoutResponse with a non-Success status to a validly signed LogoutRequest
    return;
  }
  expect(res.status, ctx).toBeGreaterThanOrEqual(400);
  const code = /ERR_[A-Z0-9_]+/.exec(res.text ?? '')?.[0];
  expect(code, ctx).toBeTruthy();
  expect(code).not.toBe('ERR_INTERNAL');
  stats.refused++;
  stats.codes.set(code!, (stats.codes.get(code!) ?? 0) + 1);
}

async function healthEvery(n: number): Promise<void> {
  if (stats.runs % n === 0) await expectHealthy(sb);
}

// ---------------------------------------------------------------- targets

const XML_TARGETS: Array<[string, Endpoint, () => string]> = [
  ['AuthnRequest', '/login/saml', () => signedAuthn(sb)],
  ['LogoutRequest', '/logout/saml', () => signedLogout(sb, session)],
];

describe.each(XML_TARGETS)('fuzzing a signed %s (enveloped signature)', (name, endpoint, build) => {
  it(`${RUNS} mutations of the XML, over HTTP-POST and HTTP-Redirect: no 5xx, never accepted unless semantically identical`, async () => {
    const original = build();
    const expected = protectedContent(original);
    expect(expected).toBeDefined();
    // Control: the unmutated message is accepted on both bindings (a fresh one for the second: an ID is
    // answered once, so from here on even a semantically identical mutation is refused, as ERR_REPLAYED_ID).
    expect(accepted(await postSaml(sb, endpoint, b64(original)))).toBe(true);
    expect(accepted(await getSaml(sb, endpoint, `SAMLRequest=${encodeURIComponent(deflate64(build()))}`))).toBe(true);
    await fc.assert(
      fc.asyncProperty(mutationsArb, fc.boolean(), async (ms, redirect) => {
        const xml = mutate(original, ms);
        if (xml === original) return;
        const mayAccept = protectedContent(xml) === expected;
        const res = redirect ? await getSaml(sb, endpoint, `SAMLRequest=${encodeURIComponent(deflate64(xml))}`) : await postSaml(sb, endpoint, b64(xml));
        judge(res, mayAccept, `${name} ${redirect ? 'Redirect' : 'POST'} ${JSON.stringify(ms)}`);
        await healthEvery(50);
      }),
      { numRuns: RUNS, seed: SEED + (name === 'AuthnRequest' ? 0 : 1), endOnFailure: true },
    );
    await expectHealthy(sb);
  }, 30000 + RUNS * 40);
});

const QUERY_TARGETS: Array<[string, Endpoint, () => string]> = [
  ['AuthnRequest', '/login/saml', () => officialAuthnRequestXml(authnFor(sb))],
  ['LogoutRequest', '/logout/saml', () => logoutXml(sb, session)],
];

type QueryMutation = { where: 'base64' | 'deflate' | 'query'; ms: Mutation[]; byte: number; xor: number };
const queryMutationArb: fc.Arbitrary<QueryMutation> = fc.record({ where: fc.constantFrom('base64' as const, 'deflate' as const, 'query' as const), ms: mutationsArb, byte: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) });

describe.each(QUERY_TARGETS)('fuzzing a query-signed %s (HTTP-Redirect)', (name, endpoint, build) => {
  it(`${RUNS} mutations of the DEFLATE bytes, the base64 and the raw query: no 5xx, never accepted unless the signed octets are unchanged`, async () => {
    const xml = build();
    const query = signedRedirectQuery(xml, ECOALERT.key, { relayState: 'fuzz-rs' });
    expect(accepted(await getSaml(sb, endpoint, query))).toBe(true);
    const samlSegment = /SAMLRequest=([^&]*)/.exec(query)![1]!;
    const encoded = decodeURIComponent(samlSegment);
    await fc.assert(
      fc.asyncProperty(queryMutationArb, async (m) => {
        let mutated: string;
        if (m.where === 'query') mutated = mutate(query, m.ms);
        else {
          let next: string;
          if (m.where === 'base64') next = mutate(encoded, m.ms);
          else {
            const bytes = Buffer.from(zlib.deflateRawSync(Buffer.from(xml)));
            bytes[m.byte % bytes.length]! ^= m.xor;
            next = bytes.toString('base64');
          }
          mutated = query.replace(`SAMLRequest=${samlSegment}`, `SAMLRequest=${encodeURIComponent(next)}`);
        }
        // What goes on the wire: the WHATWG URL parser drops tabs/newlines and percent-encodes spaces, quotes, non-ASCII.
        const wire = new URL(`http://sandbox${endpoint}?${mutated}`).search.slice(1);
        if (wire === query) return;
        const res = await request(sb.app).get(`${endpoint}?${wire}`);
        judge(res as unknown as Res, sameSignedQuery(query, wire), `${name} query ${JSON.stringify(m)}\n${wire.slice(0, 200)}`);
        await healthEvery(50);
      }),
      { numRuns: RUNS, seed: SEED + (name === 'AuthnRequest' ? 2 : 3), endOnFailure: true },
    );
    await expectHealthy(sb);
  }, 30000 + RUNS * 40);
});

describe('fuzzing summary', () => {
  it('ran every case, refused the mutated ones with a code, and the sandbox is still healthy', async () => {
    expect(stats.runs).toBeGreaterThanOrEqual(4 * RUNS * 0.9);
    expect(stats.refused).toBeGreaterThan(stats.runs * 0.5);
    console.info(`fuzz: ${stats.runs} mutated messages, ${stats.refused} refused, ${stats.acceptedIdentical} accepted as semantically identical; codes: ${[...stats.codes].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c}=${n}`).join(', ')}`);
    await expectHealthy(sb);
  });
});
