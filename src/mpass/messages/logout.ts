// LogoutRequest and LogoutResponse (MPASS.md §4.3–4.4), read and rendered.
import { c14nAttrs, c14nText as t } from '../../xml/c14n.js';
import { NS, attr, firstChild, hasComment, textOf } from '../../xml/parse.js';
import { SAML_NS, SAMLP_NS, commentInside, issuerOf, renderStatus, statusOf, type Status } from './common.js';

export interface LogoutRequestSpec {
  id: string;
  issueInstant: string;
  destination?: string;
  issuer: string;
  nameId: string;
  sessionIndex?: string;
}

export interface LogoutResponseSpec {
  id: string;
  inResponseTo?: string;
  issueInstant: string;
  destination?: string;
  issuer: string;
  status: Status;
}

// Rendered in exclusive-canonical form, like the Response (see response.ts).
export function renderLogoutRequest(r: LogoutRequestSpec): string {
  return (
    `<samlp:LogoutRequest${SAMLP_NS}${c14nAttrs([['ID', r.id], ['Version', '2.0'], ['IssueInstant', r.issueInstant], ['Destination', r.destination]])}>` +
    `<saml:Issuer${SAML_NS}>${t(r.issuer)}</saml:Issuer><saml:NameID${SAML_NS}>${t(r.nameId)}</saml:NameID>` +
    (r.sessionIndex !== undefined ? `<samlp:SessionIndex>${t(r.sessionIndex)}</samlp:SessionIndex>` : '') +
    `</samlp:LogoutRequest>`
  );
}

export function renderLogoutResponse(r: LogoutResponseSpec): string {
  return (
    `<samlp:LogoutResponse${SAMLP_NS}${c14nAttrs([['ID', r.id], ['InResponseTo', r.inResponseTo], ['Version', '2.0'], ['IssueInstant', r.issueInstant], ['Destination', r.destination]])}>` +
    `<saml:Issuer${SAML_NS}>${t(r.issuer)}</saml:Issuer>${renderStatus(r.status)}</samlp:LogoutResponse>`
  );
}

export interface LogoutRequestIn {
  id?: string;
  version?: string;
  issueInstant?: string;
  destination?: string;
  issuer?: string;
  nameId?: string;
  sessionIndexes: string[];
}

export function readLogoutRequest(root: Element): LogoutRequestIn {
  const nameIdEl = firstChild(root, NS.saml, 'NameID');
  if (nameIdEl && hasComment(nameIdEl)) throw commentInside('LogoutRequest/NameID');
  const sessionIndexes: string[] = [];
  for (let c = root.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 1 && (c as Element).namespaceURI === NS.samlp && (c as Element).localName === 'SessionIndex') {
      if (hasComment(c as Element)) throw commentInside('LogoutRequest/SessionIndex');
      sessionIndexes.push(textOf(c as Element) ?? '');
    }
  }
  return {
    id: attr(root, 'ID'),
    version: attr(root, 'Version'),
    issueInstant: attr(root, 'IssueInstant'),
    destination: attr(root, 'Destination'),
    issuer: issuerOf(root),
    nameId: textOf(nameIdEl),
    sessionIndexes,
  };
}

export interface LogoutResponseIn {
  id?: string;
  inResponseTo?: string;
  version?: string;
  issueInstant?: string;
  destination?: string;
  issuer?: string;
  status?: Status;
}

export function readLogoutResponse(root: Element): LogoutResponseIn {
  return {
    id: attr(root, 'ID'),
    inResponseTo: attr(root, 'InResponseTo'),
    version: attr(root, 'Version'),
    issueInstant: attr(root, 'IssueInstant'),
    destination: attr(root, 'Destination'),
    issuer: issuerOf(root),
    status: statusOf(root),
  };
}
