// The SAML Response MPass sends to a service's ACS (MPASS.md §4.2), as plain data first so the fault
// catalogue can change one field, then rendered as compact XML in schema order.
import { escapeXml as esc } from '../../xml/parse.js';
import { renderStatus, type Status } from './common.js';

export interface AssertionSpec {
  id: string;
  issueInstant: string;
  issuer: string;
  nameId: string;
  subjectConfirmation: { notOnOrAfter?: string; recipient?: string; inResponseTo?: string };
  conditions: { notBefore?: string; notOnOrAfter?: string; audiences: string[] };
  authn: { authnInstant: string; sessionIndex: string; sessionNotOnOrAfter?: string; address?: string; classRef?: string };
  attributes: Array<{ name: string; values: string[] }>;
}

export interface ResponseSpec {
  id: string;
  issueInstant: string;
  destination?: string;
  inResponseTo?: string;
  consent?: string;
  issuer: string;
  status: Status;
  assertion?: AssertionSpec;
}

const P = 'xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"';
const at = (name: string, v: string | undefined) => (v === undefined ? '' : ` ${name}="${esc(v)}"`);

export function renderAssertion(a: AssertionSpec, withNs = false): string {
  const sc = a.subjectConfirmation;
  const c = a.conditions;
  const attrs = a.attributes.length
    ? `<saml:AttributeStatement>${a.attributes
        .map((x) => `<saml:Attribute Name="${esc(x.name)}">${x.values.map((v) => `<saml:AttributeValue>${esc(v)}</saml:AttributeValue>`).join('')}</saml:Attribute>`)
        .join('')}</saml:AttributeStatement>`
    : '';
  return (
    `<saml:Assertion${withNs ? ` ${P}` : ''} Version="2.0" ID="${esc(a.id)}" IssueInstant="${esc(a.issueInstant)}">` +
    `<saml:Issuer>${esc(a.issuer)}</saml:Issuer>` +
    `<saml:Subject><saml:NameID>${esc(a.nameId)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData${at('NotOnOrAfter', sc.notOnOrAfter)}${at('Recipient', sc.recipient)}${at('InResponseTo', sc.inResponseTo)}/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions${at('NotBefore', c.notBefore)}${at('NotOnOrAfter', c.notOnOrAfter)}><saml:AudienceRestriction>${c.audiences.map((x) => `<saml:Audience>${esc(x)}</saml:Audience>`).join('')}</saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${esc(a.authn.authnInstant)}" SessionIndex="${esc(a.authn.sessionIndex)}"${at('SessionNotOnOrAfter', a.authn.sessionNotOnOrAfter)}>` +
    (a.authn.address ? `<saml:SubjectLocality Address="${esc(a.authn.address)}"/>` : '') +
    `<saml:AuthnContext><saml:AuthnContextClassRef>${esc(a.authn.classRef ?? 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport')}</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    attrs +
    `</saml:Assertion>`
  );
}

export function renderResponse(r: ResponseSpec): string {
  return (
    `<samlp:Response ${P} ID="${esc(r.id)}"${at('InResponseTo', r.inResponseTo)} Version="2.0" IssueInstant="${esc(r.issueInstant)}"${at('Destination', r.destination)}${at('Consent', r.consent)}>` +
    `<saml:Issuer>${esc(r.issuer)}</saml:Issuer>` +
    renderStatus(r.status, esc) +
    (r.assertion ? renderAssertion(r.assertion) : '') +
    `</samlp:Response>`
  );
}
