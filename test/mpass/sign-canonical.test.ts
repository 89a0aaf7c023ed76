// The DOM-free signer (src/mpass/sign-canonical.ts) against xml-crypto as the oracle (issue 12 §2): for
// generated Responses and logout messages — every persona, attribute sets, custom attributes, the faults
// that change data or signing, and the odd characters input validation lets through — the fast path's
// DigestValue, SignedInfo and SignatureValue equal xml-crypto's for the same document, and the document
// the fast path writes is its own exclusive canonical form. A sample is checked by xmlsec1 and node-saml.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import fc from 'fast-check';
import { ExclusiveCanonicalization } from 'xml-crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../helpers.js';
import { ECOALERT, nodeSamlSp, startSandbox, tempDir } from '../helpers.js';
import { faultsByIds, signingPlan, FAULTS } from '../../src/mpass/faults.js';
import { newSamlId, STATUS } from '../../src/mpass/messages/common.js';
import { renderLogoutRequest, renderLogoutResponse } from '../../src/mpass/messages/logout.js';
import { renderResponse, type ResponseSpec } from '../../src/mpass/messages/response.js';
import { signCanonical } from '../../src/mpass/sign-canonical.js';
import { signEnveloped, type SignOptions } from '../../src/mpass/signature.js';
import { nameIdOf, standardAttributeValues, type Persona } from '../../src/personas.js';
import { STANDARD_ATTRIBUTES } from '../../src/registry/service.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox();
});

// Characters a custom identity or a custom attribute may carry (XML 1.0 characters only).
const oddChar = fc.constantFrom('a', 'Z', '0', ' ', 'ă', 'ș', 'ț', 'Î', 'Ж', 'щ', '&', '<', '>', '"', "'", '\r', '\t', '\n', '\r\n', ']]>', '€', '😀', '=');
const odd = (min = 0) => fc.array(oddChar, { minLength: min, maxLength: 12 }).map((a) => a.join(''));
const dataFaults = FAULTS.filter((f) => f.applies === 'response' && !f.after && !f.replay).map((f) => f.id);

interface Generated { spec: ResponseSpec; faults: string[] }
const responses = (personas: Persona[]) =>
  fc
    .record({
      persona: fc.constantFrom(...personas),
      custom: fc.option(fc.record({ firstName: odd(1), lastName: odd(1) }), { nil: undefined }),
      attributes: fc.subarray([...STANDARD_ATTRIBUTES]),
      customAttributes: fc.array(fc.record({ name: odd(1), values: fc.array(odd(), { minLength: 1, maxLength: 3 }) }), { maxLength: 3 }),
      faults: fc.subarray(dataFaults, { maxLength: 3 }),
      status: fc.constantFrom('success', 'cancel'),
      acs: fc.constantFrom('https://sp.example.md/acs?x=1&y="2"', 'http://localhost:3000/mpass-login', 'https://ș.example.md/a<b>'),
      address: fc.option(fc.constantFrom('127.0.0.1', '::1'), { nil: undefined }),
    })
    .map(({ persona, custom, attributes, customAttributes, faults, status, acs, address }): Generated => {
      const p: Persona = custom ? { ...persona, ...custom } : persona;
      const now = new Date();
      const iso = now.toISOString();
      const later = new Date(now.getTime() + 600_000).toISOString();
      const attrs = [...attributes.map((a) => ({ name: a as string, values: standardAttributeValues(p, a) })).filter((a) => a.values.length), ...customAttributes];
      const spec: ResponseSpec = {
        id: newSamlId(), issueInstant: iso, destination: acs, inResponseTo: newSamlId(), consent: 'urn:oasis:names:tc:SAML:2.0:consent:prior', issuer: 'http://localhost:8080',
        status: status === 'success' ? { code: STATUS.Success } : { code: STATUS.Responder, subCode: STATUS.AuthnFailed, message: `Anulat: ${p.firstName} & <${p.lastName}>` },
        assertion: status === 'success' ? {
          id: newSamlId(), issueInstant: iso, issuer: 'http://localhost:8080', nameId: nameIdOf(p),
          subjectConfirmation: { notOnOrAfter: later, recipient: acs, inResponseTo: newSamlId() },
          conditions: { notOnOrAfter: later, audiences: [ECOALERT.issuer] },
          authn: { authnInstant: iso, sessionIndex: crypto.randomUUID(), sessionNotOnOrAfter: later, address },
          attributes: attrs,
        } : undefined,
      };
      return { spec, faults };
    });

const signingFaults = ['compatible-certificate', 'sha1-signature', 'assertion-also-signed', 'assertion-only-signed', 'response-unsigned'];

/** Sign like the encoder does (assertion first, then the root), with either signer. */
function signBoth(xml: string, ids: { root: string; rootName: string; assertion?: string }, plan: { signMessage: boolean; signAssertion: boolean } & SignOptions) {
  const out: Record<'fast' | 'oracle', string> = { fast: xml, oracle: xml };
  if (plan.signAssertion && ids.assertion) {
    out.fast = signCanonical(out.fast, ids.assertion, plan);
    out.oracle = signEnveloped(out.oracle, 'Assertion', ids.assertion, plan);
  }
  if (plan.signMessage) {
    out.fast = signCanonical(out.fast, ids.root, plan);
    out.oracle = signEnveloped(out.oracle, ids.rootName, ids.root, plan);
  }
  return out;
}

const parse = (xml: string) => new DOMParser().parseFromString(xml, 'text/xml') as unknown as Document;
const c14n = (el: Element) => new ExclusiveCanonicalization().process(el as never, {}) as unknown as string;
const DS = 'http://www.w3.org/2000/09/xmldsig#';
function signatureParts(xml: string) {
  const doc = parse(xml);
  return Array.from(doc.getElementsByTagNameNS(DS, 'Signature')).map((s) => ({
    digest: s.getElementsByTagNameNS(DS, 'DigestValue')[0]!.textContent,
    signedInfo: c14n(s.getElementsByTagNameNS(DS, 'SignedInfo')[0]!),
    value: s.getElementsByTagNameNS(DS, 'SignatureValue')[0]!.textContent,
  }));
}

function expectSame(out: { fast: string; oracle: string }) {
  const fast = signatureParts(out.fast);
  expect(fast).toEqual(signatureParts(out.oracle));
  // what the fast path writes is already canonical: parsing and canonicalising changes nothing
  expect(c14n(parse(out.fast).documentElement!)).toBe(out.fast);
  expect(c14n(parse(out.oracle).documentElement!)).toBe(out.fast);
}

describe('fast signer = xml-crypto (property)', () => {
  it('Responses over every persona, attribute set, custom attribute, fault and odd character', () => {
    fc.assert(
      fc.property(responses(sb.personas), fc.subarray(signingFaults, { maxLength: 2 }), ({ spec, faults }, signing) => {
        const ctx = { now: new Date(), compatibleKey: sb.pki.idpCompatible };
        const all = faultsByIds([...faults, ...signing], 'response');
        for (const f of all) f.spec?.(spec, ctx);
        const plan = signingPlan(all, ctx, { key: sb.pki.idp, signAssertion: false });
        const xml = renderResponse(spec);
        expectSame(signBoth(xml, { root: spec.id, rootName: 'Response', assertion: spec.assertion?.id }, plan));
      }),
      { numRuns: 150 },
    );
  });

  it('LogoutRequests and LogoutResponses with odd characters, both logout signing faults', () => {
    fc.assert(
      fc.property(odd(1), odd(), odd(), odd(), fc.constantFrom<string[]>([], ['logout-compatible-certificate']), fc.boolean(), (nameId, sessionIndex, message, query, faults, partial) => {
        const ctx = { now: new Date(), compatibleKey: sb.pki.idpCompatible };
        const plan = signingPlan(faultsByIds(faults, 'logout-request'), ctx, { key: sb.pki.idp, signAssertion: false });
        const req = { id: newSamlId(), issueInstant: new Date().toISOString(), destination: `https://sp.example.md/slo?q=${query}`, issuer: 'http://localhost:8080', nameId, sessionIndex };
        expectSame(signBoth(renderLogoutRequest(req), { root: req.id, rootName: 'LogoutRequest' }, plan));
        const res = { id: newSamlId(), inResponseTo: newSamlId(), issueInstant: new Date().toISOString(), destination: 'https://sp.example.md/lo', issuer: 'http://localhost:8080', status: partial ? { code: STATUS.Success, subCode: STATUS.PartialLogout, message } : { code: STATUS.Success } };
        expectSame(signBoth(renderLogoutResponse(res), { root: res.id, rootName: 'LogoutResponse' }, plan));
      }),
      { numRuns: 100 },
    );
  });
});

describe('a sample of fast-path outputs, checked by real verifiers', () => {
  it('xmlsec1 and node-saml accept signed Responses (Response and Assertion signatures)', async () => {
    const dir = tempDir('fastsig');
    const cert = path.join(dir, 'idp.pem');
    fs.writeFileSync(cert, sb.pki.idp.certificatePem);
    const samples = fc.sample(responses(sb.personas).filter((g) => g.faults.length === 0 && !!g.spec.assertion), { numRuns: 8, seed: 42 });
    const written: string[] = [];
    for (const [i, { spec }] of samples.entries()) {
      if (!spec.assertion) continue;
      spec.destination = ECOALERT.acs;
      spec.assertion.subjectConfirmation.recipient = ECOALERT.acs;
      const saml = nodeSamlSp(sb, ECOALERT, { validateInResponseTo: 'never' as never, wantAssertionsSigned: true });
      let xml = signCanonical(renderResponse(spec), spec.assertion.id, { key: sb.pki.idp });
      xml = signCanonical(xml, spec.id, { key: sb.pki.idp });
      const file = path.join(dir, `r${i}.xml`);
      fs.writeFileSync(file, xml);
      written.push(file);
      // xmlsec1 verifies the first signature it finds: the Response's (right after its Issuer)
      execFileSync('xmlsec1', ['--verify', '--pubkey-cert-pem', cert, '--id-attr:ID', 'urn:oasis:names:tc:SAML:2.0:protocol:Response', file], { stdio: 'pipe' });
      const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: Buffer.from(xml).toString('base64') });
      expect(profile!.nameID).toBe(spec.assertion.nameId);
    }
    expect(written).toHaveLength(8);
    // and xmlsec1 is a real check: one changed byte fails
    fs.writeFileSync(path.join(dir, 'bad.xml'), fs.readFileSync(written[0]!, 'utf8').replace('Version="2.0"', 'Version="2.1"'));
    expect(() => execFileSync('xmlsec1', ['--verify', '--pubkey-cert-pem', cert, '--id-attr:ID', 'urn:oasis:names:tc:SAML:2.0:protocol:Response', path.join(dir, 'bad.xml')], { stdio: 'pipe' })).toThrow();
  });
});
