import crypto from 'node:crypto';
import { SandboxError } from '../../errors.js';
import { c14nAttrs, c14nText } from '../../xml/c14n.js';
import { NS, attr, firstChild, hasComment, textOf } from '../../xml/parse.js';

/** The two SAML namespaces as the canonical renderers declare them. */
export const SAMLP_NS = ' xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"';
export const SAML_NS = ' xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"';

export const STATUS = {
  Success: 'urn:oasis:names:tc:SAML:2.0:status:Success',
  Requester: 'urn:oasis:names:tc:SAML:2.0:status:Requester',
  Responder: 'urn:oasis:names:tc:SAML:2.0:status:Responder',
  VersionMismatch: 'urn:oasis:names:tc:SAML:2.0:status:VersionMismatch',
  AuthnFailed: 'urn:oasis:names:tc:SAML:2.0:status:AuthnFailed',
  RequestDenied: 'urn:oasis:names:tc:SAML:2.0:status:RequestDenied',
  NoPassive: 'urn:oasis:names:tc:SAML:2.0:status:NoPassive',
  PartialLogout: 'urn:oasis:names:tc:SAML:2.0:status:PartialLogout',
  UnknownPrincipal: 'urn:oasis:names:tc:SAML:2.0:status:UnknownPrincipal',
} as const;

/** `_` + lowercase GUID, the shape MPass and the official library use (MPASS.md §4). */
export const newSamlId = (): string => `_${crypto.randomUUID()}`;

/** xs:dateTime with 0–7 fractional digits and a zone (MPASS.md §4); undefined when unparsable. */
export function parseInstant(s: string | undefined): Date | undefined {
  if (!s) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d{1,7})?(Z|[+-]\d{2}:\d{2})?$/.exec(s.trim());
  if (!m) return undefined;
  const frac = m[2] ? m[2].slice(0, 4).padEnd(4, '0') : '';
  const d = new Date(`${m[1]}${frac}${m[3] ?? 'Z'}`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export interface Status {
  code: string;
  subCode?: string;
  message?: string;
}

/** Issuer text, refusing comments inside (the comment-truncation attack on Issuer/NameID). */
export function issuerOf(root: Element): string | undefined {
  const el = firstChild(root, NS.saml, 'Issuer');
  if (!el) return undefined;
  if (hasComment(el)) throw commentInside(`${root.localName}/Issuer`);
  return textOf(el);
}

export function commentInside(where: string): SandboxError {
  return new SandboxError(400, { code: 'ERR_XML_COMMENT', where, message: 'An XML comment inside this element could truncate its value for some parsers.', fix: 'Send the value as plain text without comments.' });
}

export function statusOf(root: Element): Status | undefined {
  const st = firstChild(root, NS.samlp, 'Status');
  const code = st && firstChild(st, NS.samlp, 'StatusCode');
  if (!code) return undefined;
  const sub = firstChild(code, NS.samlp, 'StatusCode');
  return { code: attr(code, 'Value') ?? '', subCode: sub ? attr(sub, 'Value') : undefined, message: textOf(firstChild(st!, NS.samlp, 'StatusMessage')) };
}

/** samlp:Status in canonical form (the protocol namespace is declared by the message root). */
export function renderStatus(s: Status): string {
  const sub = s.subCode ? `<samlp:StatusCode${c14nAttrs([['Value', s.subCode]])}></samlp:StatusCode>` : '';
  return `<samlp:Status><samlp:StatusCode${c14nAttrs([['Value', s.code]])}>${sub}</samlp:StatusCode>${s.message ? `<samlp:StatusMessage>${c14nText(s.message)}</samlp:StatusMessage>` : ''}</samlp:Status>`;
}
