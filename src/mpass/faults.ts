// The fault catalogue: deliberately broken messages, so integrators can prove their security checks
// (MPASS.md §9.2 "SAML Advanced Options" and extras). Each case changes exactly one thing and says what a
// correct service does with it.
import crypto from 'node:crypto';
import type { KeyPair } from '../pki/certificates.js';
import { newSamlId, STATUS } from './messages/common.js';
import type { LogoutRequestSpec } from './messages/logout.js';
import type { ResponseSpec } from './messages/response.js';

/**
 * How one outgoing message is signed and changed, decided once from its faults and carried with the
 * message into the binding encoder (bindings.ts `outgoing`), which is the only place that signs.
 */
export interface SigningPlan {
  /** Sign the message itself: its enveloped signature over HTTP-POST, the query over HTTP-Redirect. */
  signMessage: boolean;
  /** Also sign the Assertion (enveloped; it stays inside the XML over both bindings). */
  signAssertion: boolean;
  key: KeyPair;
  signatureAlgorithm?: string;
  digestAlgorithm?: string;
  /** Changes made after signing (tampering, wrapping), in order. */
  tamper: Array<(xml: string) => string>;
  /** Why this message can only be delivered over HTTP-POST (a fault that needs an enveloped signature). */
  postOnly?: string;
}

/** The plan for a message: the sandbox default (sign with the IdP key, SHA-256) changed by each fault. */
export function signingPlan(faults: readonly FaultCase[], ctx: FaultContext, base: { key: KeyPair; signAssertion: boolean }): SigningPlan {
  const plan: SigningPlan = { signMessage: true, signAssertion: base.signAssertion, key: base.key, tamper: [] };
  for (const f of faults) f.signing?.(plan, ctx);
  for (const f of faults) if (f.after) plan.tamper.push((xml) => f.after!(xml, ctx));
  for (const f of faults) if (f.postOnly) plan.postOnly = f.postOnly;
  return plan;
}

export interface FaultContext {
  now: Date;
  compatibleKey: KeyPair;
}

export interface FaultCase {
  id: string;
  title: string;
  /** The official test case it serves (MPASS.md §9.2), or null */
  testCase: string | null;
  /** What the sandbox changes */
  changes: string;
  expected: 'must reject' | 'must accept';
  applies: 'response' | 'logout-request';
  /** Change the message data before rendering */
  spec?(r: ResponseSpec, ctx: FaultContext): void;
  logoutSpec?(r: LogoutRequestSpec, ctx: FaultContext): void;
  /** Change how it is signed */
  signing?(p: SigningPlan, ctx: FaultContext): void;
  /** Change the signed XML (tampering, wrapping) */
  after?(xml: string, ctx: FaultContext): string;
  /** What the fault does when the message goes over HTTP-Redirect (SAML Bindings §3.4.4.1). */
  redirect: string;
  /** Set when the fault only exists with an enveloped signature: the message then goes over HTTP-POST. */
  postOnly?: string;
  /** Deliver the same Response twice */
  replay?: boolean;
}

const shift = (iso: string, seconds: number) => new Date(new Date(iso).getTime() + seconds * 1000).toISOString();
const OTHER_URL = 'https://attacker.example.test/acs';

/** Moldova local time (Europe/Chisinau, UTC+2/UTC+3) written with a Z, as TC_SEC_04 describes (MPASS.md §14.12). */
export function moldovaLocalAsUtc(d: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Chisinau', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}.${String(d.getUTCMilliseconds()).padStart(3, '0')}Z`;
}

export const FAULTS: readonly FaultCase[] = [
  {
    id: 'response-unsigned', title: 'Response not signed', testCase: 'TC_SEC_01', applies: 'response', expected: 'must reject',
    redirect: 'No SigAlg/Signature in the query, no enveloped signature in the XML.',
    changes: 'No XML signature on the Response (nor on the Assertion).',
    signing: (p) => { p.signMessage = false; p.signAssertion = false; },
  },
  {
    id: 'compatible-certificate', title: 'Signed with the "compatible" certificate', testCase: 'TC_SEC_02', applies: 'response', expected: 'must reject',
    redirect: 'The query is signed with the compatible key (SigAlg rsa-sha256).',
    changes: 'Signed with a different key whose certificate has the same subject as the sandbox IdP certificate (KeyInfo carries that certificate).',
    signing: (p, c) => { p.key = c.compatibleKey; },
  },
  {
    id: 'issue-instant-local-time', title: 'IssueInstant in Moldova local time instead of UTC', testCase: 'TC_SEC_04', applies: 'response', expected: 'must reject',
    redirect: 'Same change; the query is signed with the IdP key as usual (the XML carries no enveloped signature).',
    changes: 'Response and Assertion IssueInstant written as Europe/Chisinau local time with a Z suffix (2–3 h in the future).',
    spec: (r, c) => { r.issueInstant = moldovaLocalAsUtc(c.now); if (r.assertion) r.assertion.issueInstant = r.issueInstant; },
  },
  {
    id: 'no-destination', title: 'No Destination', testCase: 'TC_SEC_05', applies: 'response', expected: 'must reject',
    redirect: 'Same change; the query is signed with the IdP key as usual (the XML carries no enveloped signature).',
    changes: 'Response/@Destination left out.',
    spec: (r) => { delete r.destination; },
  },
  {
    id: 'no-in-response-to', title: 'No InResponseTo', testCase: 'TC_SEC_06', applies: 'response', expected: 'must reject',
    redirect: 'Same change; the query is signed with the IdP key as usual (the XML carries no enveloped signature).',
    changes: 'InResponseTo left out of the Response and of SubjectConfirmationData.',
    spec: (r) => { delete r.inResponseTo; if (r.assertion) delete r.assertion.subjectConfirmation.inResponseTo; },
  },
  {
    id: 'in-response-to-other', title: 'InResponseTo of another request', testCase: 'TC_SEC_07', applies: 'response', expected: 'must reject',
    redirect: 'Same change; the query is signed with the IdP key as usual (the XML carries no enveloped signature).',
    changes: 'InResponseTo (Response and SubjectConfirmationData) names an AuthnRequest ID the service never sent.',
    spec: (r) => { const other = newSamlId(); r.inResponseTo = other; if (r.assertion) r.assertion.subjectConfirmation.inResponseTo = other; },
  },
  {
    id: 'expired', title: 'Expired Response', testCase: 'TC_SEC_03', applies: 'response', expected: 'must reject',
    redirect: 'Same change; the query is signed with the IdP key as usual (the XML carries no enveloped signature).',
    changes: 'IssueInstant 1 h in the past; Conditions and SubjectConfirmationData NotOnOrAfter 50 min in the past.',
    spec: (r, c) => {
      const past = shift(c.now.toISOString(), -3600);
      const end = shift(c.now.toISOString(), -3000);
      r.issueInstant = past;
      if (r.assertion) {
        r.assertion.issueInstant = past;
        r.assertion.conditions.notOnOrAfter = end;
        r.assertion.subjectConfirmation.notOnOrAfter = end;
        if (new Date(r.assertion.authn.authnInstant) > new Date(past)) r.assertion.authn.authnInstant = past;
      }
    },
  },
  {
    id: 'not-yet-valid', title: 'Assertion not yet valid', testCase: null, applies: 'response', expected: 'must reject',
    redirect: 'Same change; the query is signed with the IdP key as usual (the XML carries no enveloped signature).',
    changes: 'Conditions/@NotBefore set 1 h in the future.',
    spec: (r, c) => { if (r.assertion) r.assertion.conditions.notBefore = shift(c.now.toISOString(), 3600); },
  },
  {
    id: 'wrong-audience', title: 'Wrong Audience', testCase: null, applies: 'response', expected: 'must reject',
    redirect: 'Same change; the query is signed with the IdP key as usual (the XML carries no enveloped signature).',
    changes: 'Audience names another service (https://other-service.example.test).',
    spec: (r) => { if (r.assertion) r.assertion.conditions.audiences = ['https://other-service.example.test']; },
  },
  {
    id: 'wrong-recipient', title: 'Wrong Recipient', testCase: null, applies: 'response', expected: 'must reject',
    redirect: 'Same change; the query is signed with the IdP key as usual (the XML carries no enveloped signature).',
    changes: `SubjectConfirmationData/@Recipient is ${OTHER_URL} instead of the ACS URL.`,
    spec: (r) => { if (r.assertion) r.assertion.subjectConfirmation.recipient = OTHER_URL; },
  },
  {
    id: 'wrong-issuer', title: 'Wrong Issuer', testCase: null, applies: 'response', expected: 'must reject',
    redirect: 'Same change; the query is signed with the IdP key as usual (the XML carries no enveloped signature).',
    changes: 'Response and Assertion Issuer name another IdP (https://idp.attacker.example.test); still signed with the sandbox key.',
    spec: (r) => { r.issuer = 'https://idp.attacker.example.test'; if (r.assertion) r.assertion.issuer = r.issuer; },
  },
  {
    id: 'assertion-only-signed', title: 'Only the Assertion signed', testCase: null, applies: 'response', expected: 'must reject',
    redirect: 'The Assertion keeps its enveloped signature (it is inside the message); the query is unsigned, so the Response itself is not signed.',
    changes: 'The Assertion is signed, the Response root is not (MPass always signs the Response root; the official client reads only the root signature).',
    signing: (p) => { p.signMessage = false; p.signAssertion = true; },
  },
  {
    id: 'attribute-tampered', title: 'Attribute changed after signing', testCase: null, applies: 'response', expected: 'must reject',
    redirect: 'The query is signed over the original message, then the message in SAMLResponse is replaced by the tampered one: the query signature fails.',
    changes: 'After signing, the first AttributeValue (or, without attributes, the NameID) is changed.',
    after: (xml) => {
      const i = xml.indexOf('<saml:AttributeValue>');
      if (i >= 0) return xml.replace(/<saml:AttributeValue>([^<]*)</, (_m, v: string) => `<saml:AttributeValue>${v}X<`);
      return xml.replace(/<saml:NameID>([^<]*)</, (_m, v: string) => `<saml:NameID>${v}0<`);
    },
  },
  {
    id: 'signature-wrapping', title: 'Signature wrapping (XSW)', testCase: null, applies: 'response', expected: 'must reject',
    redirect: 'Delivered over HTTP-POST instead (auto-post form to the same ACS, noted in the event log): a wrapping attack needs an enveloped signature, and a Redirect message carries none.',
    postOnly: 'signature-wrapping needs an enveloped signature, which the HTTP-Redirect binding does not carry (SAML Bindings §3.4.4.1)',
    changes: 'The signed Response is moved inside its own Signature (ds:Object); the new root is an unsigned Response with another ID whose Assertion carries another NameID. The signature still verifies — over the hidden copy.',
    after: wrapSignature,
  },
  {
    id: 'replay', title: 'The same Response delivered twice', testCase: null, applies: 'response', expected: 'must reject',
    redirect: 'The browser follows the same Redirect URL twice (first in a hidden frame, then top-level).',
    changes: 'The browser posts the identical Response to the ACS twice (first in a hidden frame, then top-level); the second delivery must be refused.',
    replay: true,
  },
  {
    id: 'success-without-assertion', title: 'Success status without an Assertion', testCase: null, applies: 'response', expected: 'must reject',
    redirect: 'Same change; the query is signed with the IdP key as usual (the XML carries no enveloped signature).',
    changes: 'Status Success, but no Assertion.',
    spec: (r) => { delete r.assertion; },
  },
  {
    id: 'responder-status', title: 'Responder status', testCase: null, applies: 'response', expected: 'must reject',
    redirect: 'Same change; the query is signed with the IdP key as usual (the XML carries no enveloped signature).',
    changes: 'Top-level status Responder (second level AuthnFailed), no Assertion: the service must not log the user in and must show no error page.',
    spec: (r) => { r.status = { code: STATUS.Responder, subCode: STATUS.AuthnFailed, message: 'Authentication failed (sandbox fault responder-status)' }; delete r.assertion; },
  },
  {
    id: 'sha1-signature', title: 'RSA-SHA1 signature', testCase: null, applies: 'response', expected: 'must accept',
    redirect: 'The query is signed with SigAlg rsa-sha1 (and an Assertion signature, when one is made, uses RSA-SHA1/SHA-1).',
    changes: 'Signed with RSA-SHA1 and a SHA-1 digest instead of SHA-256 (valid XML-DSig, older algorithm).',
    signing: (p) => { p.signatureAlgorithm = 'http://www.w3.org/2000/09/xmldsig#rsa-sha1'; p.digestAlgorithm = 'http://www.w3.org/2000/09/xmldsig#sha1'; },
  },
  {
    id: 'assertion-also-signed', title: 'Assertion signed as well', testCase: null, applies: 'response', expected: 'must accept',
    redirect: 'The Assertion carries a valid enveloped signature; the query is signed as usual.',
    changes: 'Both the Response and the Assertion carry a valid signature.',
    signing: (p) => { p.signMessage = true; p.signAssertion = true; },
  },
  {
    id: 'logout-unsigned', title: 'LogoutRequest not signed', testCase: null, applies: 'logout-request', expected: 'must reject',
    redirect: "No SigAlg/Signature in the query (the sandbox sends LogoutRequests over HTTP-POST in frames, so this applies only to the encoder's Redirect path).",
    changes: 'The LogoutRequest sent to the service during single logout carries no signature.',
    signing: (p) => { p.signMessage = false; },
  },
  {
    id: 'logout-compatible-certificate', title: 'LogoutRequest signed with the "compatible" certificate', testCase: null, applies: 'logout-request', expected: 'must reject',
    redirect: "The query is signed with the compatible key (the sandbox sends LogoutRequests over HTTP-POST, so this applies only to the encoder's Redirect path).",
    changes: 'The LogoutRequest is signed with the other key that has the same subject.',
    signing: (p, c) => { p.key = c.compatibleKey; },
  },
  {
    id: 'logout-wrong-session-index', title: 'LogoutRequest with a wrong SessionIndex', testCase: null, applies: 'logout-request', expected: 'must reject',
    redirect: 'Same change; the query is signed with the IdP key as usual (the XML carries no enveloped signature).',
    changes: 'SessionIndex is a fresh value the service never received.',
    logoutSpec: (r) => { r.sessionIndex = crypto.randomUUID(); },
  },
  {
    id: 'logout-wrong-destination', title: 'LogoutRequest with a wrong Destination', testCase: null, applies: 'logout-request', expected: 'must reject',
    redirect: 'Same change; the query is signed with the IdP key as usual (the XML carries no enveloped signature).',
    changes: 'Destination names another URL than the service\'s registered LogoutRequest URL.',
    logoutSpec: (r) => { r.destination = 'https://attacker.example.test/slo'; },
  },
];

export const FAULT_IDS: ReadonlySet<string> = new Set(FAULTS.map((f) => f.id));
export const faultsByIds = (ids: Iterable<string>, applies: FaultCase['applies']): FaultCase[] => {
  const want = new Set(ids);
  return FAULTS.filter((f) => want.has(f.id) && f.applies === applies);
};

/** Public description for GET /api/faults. */
export const describeFaults = () =>
  FAULTS.map(({ id, title, testCase, changes, redirect, postOnly, expected, applies }) => ({ id, title, testCase, changes, overRedirect: redirect, bindings: postOnly ? ['HTTP-POST'] : ['HTTP-POST', 'HTTP-Redirect'], expected, appliesTo: applies === 'response' ? 'Response' : 'LogoutRequest' }));

/** XSW1 (Somorovsky et al. 2012): the signed element moved into ds:Object, an evil twin in its place. */
function wrapSignature(signed: string): string {
  const sigStart = signed.indexOf('<Signature');
  const sigEnd = signed.indexOf('</Signature>') + '</Signature>'.length;
  if (sigStart < 0) return signed;
  const signature = signed.slice(sigStart, sigEnd);
  const original = signed.slice(0, sigStart) + signed.slice(sigEnd); // the Response as it was digested
  const evil = original
    .replace(/ ID="(_[^"]+)"/, () => ` ID="${newSamlId()}"`)
    .replace(/<saml:NameID>[^<]*<\/saml:NameID>/, '<saml:NameID>0000000000000</saml:NameID>')
    .replace(/<saml:Assertion([^>]*) ID="[^"]+"/, (_m, a: string) => `<saml:Assertion${a} ID="${newSamlId()}"`);
  const wrappedSignature = signature.replace('</Signature>', `<Object>${original}</Object></Signature>`);
  const issuerEnd = evil.indexOf('</saml:Issuer>') + '</saml:Issuer>'.length;
  return evil.slice(0, issuerEnd) + wrappedSignature + evil.slice(issuerEnd);
}
