// The official test plan as data (MPASS.md §9): the five functional cases, then every case of the fault
// catalogue (src/mpass/faults.ts) — TC_SEC_01–07 and the extras, must-accept ones included; the logout-*
// faults only for a service that registered a LogoutRequest URL. Pure: no I/O.
import { FAULTS, type FaultCase } from '../mpass/faults.js';
import type { Service } from '../registry/service.js';

export type CaseKind = 'funct-01' | 'funct-02' | 'funct-03' | 'funct-04' | 'funct-05' | 'response-fault' | 'logout-fault';

export interface PlannedCase {
  id: string;
  testCase: string | null;
  title: string;
  expected: 'accept' | 'reject';
  kind: CaseKind;
  fault?: FaultCase;
  /** What a failing service should change. */
  fix: string;
}

const FUNCT: PlannedCase[] = [
  { id: 'TC_FUNCT_01', testCase: 'TC_FUNCT_01', kind: 'funct-01', expected: 'accept', title: 'Service-initiated authentication', fix: 'Validate the Response as MPASS.md §7.4 describes and open the local session after a successful one.' },
  { id: 'TC_FUNCT_02', testCase: 'TC_FUNCT_02', kind: 'funct-02', expected: 'accept', title: 'SSO through MPass', fix: 'Do not send ForceAuthn on ordinary logins, and accept a Response whose AuthnInstant is older than the AuthnRequest (SSO, MPASS.md §8.1).' },
  { id: 'TC_FUNCT_03', testCase: 'TC_FUNCT_03', kind: 'funct-03', expected: 'reject', title: 'Aborted authentication', fix: 'On a Response with a non-Success status, open no session and show the user a normal page (no 5xx), MPASS.md §9.1.' },
  { id: 'TC_FUNCT_04', testCase: 'TC_FUNCT_04', kind: 'funct-04', expected: 'accept', title: 'Service-initiated logout', fix: 'On logout, end the local session and send a LogoutRequest signed with the registered key (NameID and SessionIndex of the login) to MPass /logout/saml (MPASS.md §8.2).' },
  { id: 'TC_FUNCT_05', testCase: 'TC_FUNCT_05', kind: 'funct-05', expected: 'accept', title: 'MPass-initiated logout (SLO)', fix: 'At the registered LogoutRequest URL, verify the LogoutRequest, end the matching session and answer with a signed LogoutResponse to MPass /logout/saml (MPASS.md §7.6, §8.3).' },
];

/** What a service that fails a catalogue case should change (MPASS.md §7.4 step numbers, §7.6). */
const FAULT_FIX: Record<string, string> = {
  'response-unsigned': 'Require a valid XML signature on the Response root (§7.4 step 3); refuse unsigned Responses.',
  'compatible-certificate': 'Verify the signature with the MPass certificate you configured, never with the certificate in KeyInfo (§7.4 step 3).',
  'issue-instant-local-time': 'Refuse a Response whose IssueInstant is in the future beyond a small clock skew (§7.4 step 4); compare in UTC.',
  'no-destination': 'Require Response/@Destination and compare it with your ACS URL (§7.4 step 5).',
  'no-in-response-to': 'Require InResponseTo (§7.4 step 6).',
  'in-response-to-other': 'Compare InResponseTo with the ID of the AuthnRequest this browser sent (kept server-side or in protected state), TC_SEC_07.',
  expired: 'Refuse a Response whose IssueInstant is too old and an Assertion past Conditions/@NotOnOrAfter (§7.4 steps 4, 13).',
  'not-yet-valid': 'Refuse an Assertion before Conditions/@NotBefore.',
  'wrong-audience': 'Require your own issuer in Conditions/AudienceRestriction/Audience.',
  'wrong-recipient': 'Require SubjectConfirmationData/@Recipient to be your ACS URL.',
  'wrong-issuer': 'Require the MPass entity ID in Response/Issuer and Assertion/Issuer.',
  'assertion-only-signed': 'Require the signature on the Response root (MPass signs the root; the official client reads only that one).',
  'attribute-tampered': 'Verify the signature over the whole signed element and read attributes only from it.',
  'signature-wrapping': 'Read the data from the element the signature references (by ID), not from the document root (XSW).',
  replay: 'Accept each InResponseTo (or Response ID) once: forget the AuthnRequest ID after its Response is used.',
  'success-without-assertion': 'Open a session only when a Success status comes with a valid Assertion.',
  'responder-status': 'On a non-Success status open no session (and show a normal page, not an error).',
  'sha1-signature': 'Accept RSA-SHA1 signatures from MPass as well as RSA-SHA256 (MPASS.md §6.1).',
  'assertion-also-signed': 'Accept a Response whose Assertion carries its own valid signature besides the Response signature.',
  'logout-unsigned': 'Verify the LogoutRequest signature against the MPass certificate; refuse unsigned requests (§7.6).',
  'logout-compatible-certificate': 'Verify the LogoutRequest signature with the configured MPass certificate, not with the one in KeyInfo (§7.6).',
  'logout-wrong-session-index': 'End only the session whose NameID and SessionIndex match the LogoutRequest (§7.6).',
  'logout-wrong-destination': 'Require LogoutRequest/@Destination to be your LogoutRequest URL (§7.6).',
};

export const FUNCTIONAL_IDS = FUNCT.map((c) => c.id);

/** Every case id the runner knows, for validating `cases`. */
export function allCases(): PlannedCase[] {
  return [...FUNCT, ...FAULTS.map(faultCase)];
}

function faultCase(f: FaultCase): PlannedCase {
  return {
    id: f.id,
    testCase: f.testCase,
    title: f.title,
    expected: f.expected === 'must accept' ? 'accept' : 'reject',
    kind: f.applies === 'response' ? 'response-fault' : 'logout-fault',
    fault: f,
    fix: FAULT_FIX[f.id] ?? f.changes,
  };
}

/** The default plan for a service (issue 10 §1: TC_FUNCT_01–05, the whole catalogue, logout-* only with a LogoutRequest URL). */
export function officialPlan(service: Service): PlannedCase[] {
  const hasSlo = !!service.mpass?.logoutRequestUrl;
  return allCases().filter((c) => c.kind !== 'logout-fault' || hasSlo);
}

export function planFor(service: Service, ids: readonly string[] | undefined): PlannedCase[] {
  if (!ids?.length) return officialPlan(service);
  const all = allCases();
  return ids.map((id) => all.find((c) => c.id === id)!).filter(Boolean);
}
