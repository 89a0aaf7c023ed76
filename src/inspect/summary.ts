// The parsed summary the inspector shows above a message (what SAML-tracer's reader would look for first):
// Response — status, NameID, attributes, validity window, signatures; AuthnRequest — issuer, ACS, binding,
// signature algorithm; logout messages — NameID, SessionIndex, status; SOAP — operation and outcome.
// Pure and defensive: a message that does not parse gets a summary that says so.
import { SandboxError, type Rejection } from '../errors.js';
import { NS, attr, childElements, firstChild, parseXml, textOf } from '../xml/parse.js';
import type { TextKey } from '../http/i18n.js';

export interface Summary {
  kind: string;
  rows: Array<[TextKey, string]>;
  /** The XML did not parse: why. */
  malformed?: Rejection;
}

const descendants = (el: Element, ns: string, local: string): Element[] => Array.from(el.getElementsByTagNameNS(ns, local) as unknown as Element[]);
const first = (el: Element, ns: string, local: string) => descendants(el, ns, local)[0];
const short = (s: string | undefined) => (s ?? '').replace(/^urn:oasis:names:tc:SAML:2\.0:(status|bindings):/, '');

function signatureAlgorithm(el: Element): string | undefined {
  const sig = childElements(el, NS.ds, 'Signature')[0];
  const method = sig && first(sig, NS.ds, 'SignatureMethod');
  return method ? attr(method, 'Algorithm') : undefined;
}

export function summarize(xml: string, extra: { sigAlg?: string; redirectSigned?: boolean } = {}): Summary {
  let doc: Document;
  try {
    doc = parseXml(xml, '(message)');
  } catch (e) {
    if (e instanceof SandboxError) return { kind: '?', rows: [], malformed: e.rejection };
    throw e;
  }
  const root = doc.documentElement!;
  const rows: Array<[TextKey, string]> = [];
  const add = (k: TextKey, v: string | undefined) => {
    if (v !== undefined && v !== '') rows.push([k, v]);
  };
  const issuer = () => textOf(firstChild(root, NS.saml, 'Issuer'));
  const sigOf = (el: Element) => (extra.redirectSigned ? `HTTP-Redirect: ${extra.sigAlg ?? '?'}` : signatureAlgorithm(el) ?? '');

  if (root.namespaceURI === NS.soap11 || root.namespaceURI === NS.soap12) {
    const body = firstChild(root, root.namespaceURI, 'Body');
    const op = body ? childElements(body)[0] : undefined;
    add('sum.operation', op?.localName);
    if (op?.localName === 'Fault') add('sum.outcome', `${textOf(childElements(op).find((c) => c.localName === 'faultcode')) ?? ''} ${textOf(childElements(op).find((c) => c.localName === 'faultstring')) ?? ''}`.trim());
    else if (op) {
      const status = descendants(op, op.namespaceURI ?? '', 'Status')[0];
      add('sum.outcome', status ? textOf(status) : op.localName.endsWith('Response') ? 'OK' : undefined);
    }
    return { kind: `SOAP ${op?.localName ?? ''}`.trim(), rows };
  }

  const kind = root.localName;
  add('sum.id', attr(root, 'ID'));
  add('sum.issuer', issuer());
  add('sum.issueInstant', attr(root, 'IssueInstant'));
  add('sum.destination', attr(root, 'Destination'));
  add('sum.inResponseTo', attr(root, 'InResponseTo'));
  if (kind === 'AuthnRequest') {
    add('sum.acs', attr(root, 'AssertionConsumerServiceURL'));
    add('sum.binding', short(attr(root, 'ProtocolBinding')) || 'HTTP-POST');
    add('sum.sigAlg', sigOf(root) || '—');
  } else if (kind === 'Response' || kind === 'LogoutResponse') {
    const st = firstChild(root, NS.samlp, 'Status');
    const code = st && firstChild(st, NS.samlp, 'StatusCode');
    const sub = code && firstChild(code, NS.samlp, 'StatusCode');
    add('sum.status', [short(code && attr(code, 'Value')), short(sub && attr(sub, 'Value')), textOf(st && firstChild(st, NS.samlp, 'StatusMessage'))].filter(Boolean).join(' / '));
  }
  if (kind === 'Response') {
    const assertion = firstChild(root, NS.saml, 'Assertion');
    add('sum.nameId', textOf(assertion && first(assertion, NS.saml, 'NameID')));
    const attrs = assertion ? descendants(assertion, NS.saml, 'Attribute') : [];
    add('sum.attributes', attrs.map((a) => `${attr(a, 'Name')}=${childElements(a, NS.saml, 'AttributeValue').map((v) => textOf(v) ?? '').join('|')}`).join('; '));
    const cond = assertion && firstChild(assertion, NS.saml, 'Conditions');
    const audience = cond && first(cond, NS.saml, 'Audience');
    add('sum.conditions', cond ? `${attr(cond, 'NotBefore') ?? '…'} → ${attr(cond, 'NotOnOrAfter') ?? '…'}${audience ? ` · Audience ${textOf(audience)}` : ''}` : undefined);
    const signed = [signatureAlgorithm(root) ? 'Response' : '', assertion && signatureAlgorithm(assertion) ? 'Assertion' : ''].filter(Boolean).join(' + ');
    add('sum.sigAlg', signed ? `${signed}: ${signatureAlgorithm(root) ?? (assertion && signatureAlgorithm(assertion))}` : '—');
  }
  if (kind === 'LogoutRequest') {
    add('sum.nameId', textOf(firstChild(root, NS.saml, 'NameID')));
    add('sum.status', childElements(root, NS.samlp, 'SessionIndex').map((s) => `SessionIndex ${textOf(s)}`).join(', '));
    add('sum.sigAlg', sigOf(root) || '—');
  }
  if (kind === 'LogoutResponse') add('sum.sigAlg', sigOf(root) || '—');
  return { kind, rows };
}
