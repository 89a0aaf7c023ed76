// The SAML Response MPass sends to a service's ACS (MPASS.md §4.2), as plain data first so the fault
// catalogue can change one field, then rendered as compact XML in schema order.
import { c14nAttrs, c14nText as t } from '../../xml/c14n.js';
import { SAML_NS, SAMLP_NS, renderStatus, type Status } from './common.js';

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

// Rendered directly in exclusive-canonical form (src/xml/c14n.ts): the Response root uses only the samlp
// prefix, so xmlns:saml is declared on each top-level saml: element (Issuer, Assertion), attributes are
// sorted, empty elements have end tags. The bytes of the Response (and of its Assertion, a substring) are
// then exactly what an exc-c14n digest covers.
export function renderAssertion(a: AssertionSpec): string {
  const sc = a.subjectConfirmation;
  const c = a.conditions;
  const attrs = a.attributes.length
    ? `<saml:AttributeStatement>${a.attributes
        .map((x) => `<saml:Attribute${c14nAttrs([['Name', x.name]])}>${x.values.map((v) => `<saml:AttributeValue>${t(v)}</saml:AttributeValue>`).join('')}</saml:Attribute>`)
        .join('')}</saml:AttributeStatement>`
    : '';
  return (
    `<saml:Assertion${SAML_NS}${c14nAttrs([['ID', a.id], ['IssueInstant', a.issueInstant], ['Version', '2.0']])}>` +
    `<saml:Issuer>${t(a.issuer)}</saml:Issuer>` +
    `<saml:Subject><saml:NameID>${t(a.nameId)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData${c14nAttrs([['NotOnOrAfter', sc.notOnOrAfter], ['Recipient', sc.recipient], ['InResponseTo', sc.inResponseTo]])}></saml:SubjectConfirmationData></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions${c14nAttrs([['NotBefore', c.notBefore], ['NotOnOrAfter', c.notOnOrAfter]])}><saml:AudienceRestriction>${c.audiences.map((x) => `<saml:Audience>${t(x)}</saml:Audience>`).join('')}</saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement${c14nAttrs([['AuthnInstant', a.authn.authnInstant], ['SessionIndex', a.authn.sessionIndex], ['SessionNotOnOrAfter', a.authn.sessionNotOnOrAfter]])}>` +
    (a.authn.address ? `<saml:SubjectLocality${c14nAttrs([['Address', a.authn.address]])}></saml:SubjectLocality>` : '') +
    `<saml:AuthnContext><saml:AuthnContextClassRef>${t(a.authn.classRef ?? 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport')}</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    attrs +
    `</saml:Assertion>`
  );
}

export function renderResponse(r: ResponseSpec): string {
  return (
    `<samlp:Response${SAMLP_NS}${c14nAttrs([['ID', r.id], ['InResponseTo', r.inResponseTo], ['Version', '2.0'], ['IssueInstant', r.issueInstant], ['Destination', r.destination], ['Consent', r.consent]])}>` +
    `<saml:Issuer${SAML_NS}>${t(r.issuer)}</saml:Issuer>` +
    renderStatus(r.status) +
    (r.assertion ? renderAssertion(r.assertion) : '') +
    `</samlp:Response>`
  );
}
