// SAML HTTP bindings (MPASS.md §2): decoding what arrives, encoding what leaves.
// POST: plain base64 of the UTF-8 XML, no DEFLATE. Redirect: base64(raw DEFLATE(XML)) + query signature.
import zlib from 'node:zlib';
import { SandboxError } from '../errors.js';
import type { SigningPlan } from './faults.js';
import { signCanonical } from './sign-canonical.js';
import { ALG, signRedirectQuery } from './signature.js';

export type Binding = 'HTTP-POST' | 'HTTP-Redirect';
export const BINDING_URN: Record<Binding, string> = {
  'HTTP-POST': 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
  'HTTP-Redirect': 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
};

export interface IncomingMessage {
  param: 'SAMLRequest' | 'SAMLResponse';
  xml: string;
  relayState?: string;
  binding: Binding;
  /** Raw query string, kept for the Redirect signature (signed over the octets as sent). */
  rawQuery?: string;
  warnings: string[];
}

export interface HttpInput {
  method: string;
  /** Parsed query and form fields: a repeated parameter arrives as an array. */
  query: Record<string, unknown>;
  body: Record<string, unknown> | undefined;
  rawQuery: string;
}

export function decodeIncoming(http: HttpInput, maxBytes: number): IncomingMessage {
  const isPost = http.method === 'POST';
  const fields = isPost ? (http.body ?? {}) : http.query;
  const binding: Binding = isPost ? 'HTTP-POST' : 'HTTP-Redirect';
  const source = isPost ? 'form field' : 'query parameter';
  for (const [k, v] of Object.entries(fields)) {
    if (Array.isArray(v) && ['SAMLRequest', 'SAMLResponse', 'RelayState', 'SigAlg', 'Signature'].includes(k)) {
      throw bad('ERR_BINDING_DUPLICATE', k, `The ${source} ${k} appears ${v.length} times.`, `Send ${k} once.`);
    }
  }
  const req = str(fields.SAMLRequest);
  const res = str(fields.SAMLResponse);
  if (req !== undefined && res !== undefined) throw bad('ERR_BINDING_AMBIGUOUS', 'SAMLRequest/SAMLResponse', 'Both SAMLRequest and SAMLResponse were sent.', 'Send one message at a time.');
  const param = req !== undefined ? 'SAMLRequest' : res !== undefined ? 'SAMLResponse' : undefined;
  if (!param) {
    throw bad('ERR_BINDING_MISSING', 'SAMLRequest', `No SAMLRequest or SAMLResponse ${source} was found.`, isPost ? 'POST an application/x-www-form-urlencoded body with a SAMLRequest field (base64 of the XML).' : 'Use ?SAMLRequest=<base64 of DEFLATE(XML)> for the Redirect binding, or POST the form.');
  }
  const encoded = (req ?? res)!;
  if (encoded.length > maxBytes * 2) throw tooLarge(param, maxBytes);
  const clean = encoded.replace(/\s+/g, '');
  // An empty value would otherwise be reported as a base64/DEFLATE fault, which sends integrators the wrong way.
  if (clean.length === 0) throw bad('ERR_BINDING_EMPTY', param, `${param} is present but empty.`, isPost ? 'Put the base64 of the XML message in the form field.' : 'Put base64(DEFLATE(XML)), URL-encoded, in the query parameter.');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) {
    throw bad('ERR_BINDING_BASE64', param, `${param} is not valid base64.`, isPost ? 'POST-binding messages are plain base64 of the UTF-8 XML (no DEFLATE).' : 'Redirect-binding messages are base64 of the raw-DEFLATE XML, URL-encoded.');
  }
  let bytes = Buffer.from(clean, 'base64');
  const warnings: string[] = [];
  // Some SP libraries (node-saml) DEFLATE POST-binding messages too; accept that, but say it is not standard.
  const deflated = !isPost || !looksLikeXml(bytes);
  if (isPost && deflated) warnings.push(`${param} was DEFLATE-compressed; the HTTP-POST binding sends plain base64 (SAML Bindings §3.5.4), as the official client does.`);
  if (deflated) {
    try {
      bytes = zlib.inflateRawSync(bytes, { maxOutputLength: maxBytes });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || /Cannot create a Buffer larger|maxOutputLength/.test((e as Error).message)) throw tooLarge(param, maxBytes);
      if (isPost) throw bad('ERR_BINDING_BASE64', param, `${param} is not base64 of an XML document.`, 'POST-binding messages are plain base64 of the UTF-8 XML (no DEFLATE).');
      throw bad('ERR_BINDING_DEFLATE', param, `${param} does not inflate (raw DEFLATE expected for the Redirect binding).`, 'Compress with raw DEFLATE (no zlib header), then base64, then URL-encode.');
    }
  }
  if (bytes.length > maxBytes) throw tooLarge(param, maxBytes);
  const xml = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (xml.includes('\uFFFD')) throw bad('ERR_XML_ENCODING', param, `${param} is not valid UTF-8.`, 'Encode the XML as UTF-8 before base64.');
  const relayState = str(fields.RelayState);
  return { param, xml, relayState, binding, rawQuery: isPost ? undefined : http.rawQuery, warnings };
}

export interface PostForm {
  binding: 'HTTP-POST';
  action: string;
  fields: Record<string, string>;
}
export interface RedirectTarget {
  binding: 'HTTP-Redirect';
  location: string;
}
export type BindingContext = PostForm | RedirectTarget;

/** A message the sandbox rendered (unsigned), ready for the binding encoder. */
export interface OutgoingMessage {
  param: 'SAMLRequest' | 'SAMLResponse';
  root: 'Response' | 'LogoutRequest' | 'LogoutResponse';
  id: string;
  /** The Assertion's ID, when the message has one that the plan may sign. */
  assertionId?: string;
  xml: string;
  relayState?: string;
}

export interface Outgoing {
  context: BindingContext;
  /** The binding really used (a post-only plan turns HTTP-Redirect into HTTP-POST). */
  binding: Binding;
  /** The XML as delivered, for the event log. */
  xml: string;
  /** Why the binding differs from the one asked for. */
  note?: string;
}

/**
 * The single place where outgoing messages are signed and encoded, following the plan:
 * HTTP-POST: the Assertion and message enveloped signatures, then the post-signing changes; base64.
 * HTTP-Redirect (SAML Bindings §3.4.3, §3.4.4.1): no enveloped signature on the message (the query
 * signature replaces it; an Assertion signature stays, it is inside the message); the query is signed
 * per the plan over the message as built, then the post-signing changes replace the message in the
 * query, so a tampered message arrives under a signature made over the original.
 */
export function outgoing(asked: Binding, url: string, message: OutgoingMessage, plan: SigningPlan): Outgoing {
  const binding: Binding = asked === 'HTTP-Redirect' && plan.postOnly ? 'HTTP-POST' : asked;
  const note = binding !== asked ? `delivered over HTTP-POST instead of HTTP-Redirect: ${plan.postOnly}` : undefined;
  const algs = { key: plan.key, signatureAlgorithm: plan.signatureAlgorithm, digestAlgorithm: plan.digestAlgorithm };
  let xml = message.xml;
  if (plan.signAssertion && message.assertionId) xml = signCanonical(xml, message.assertionId, algs);
  const { param, relayState } = message;
  if (binding === 'HTTP-Redirect') {
    const signedOver = deflate64(xml);
    for (const t of plan.tamper) xml = t(xml);
    const delivered = deflate64(xml);
    const sep = url.includes('?') ? '&' : '?';
    let query: string;
    if (plan.signMessage) {
      query = signRedirectQuery(param, signedOver, relayState, plan.key, plan.signatureAlgorithm ?? ALG.rsaSha256);
      // the message after the signature was made (post-signing faults); identical when there are none
      query = `${param}=${encodeURIComponent(delivered)}${query.slice(query.indexOf('&'))}`;
    } else {
      query = `${param}=${encodeURIComponent(delivered)}${relayState !== undefined ? `&RelayState=${encodeURIComponent(relayState)}` : ''}`;
    }
    return { binding, xml, context: { binding, location: `${url}${sep}${query}` } };
  }
  if (plan.signMessage) xml = signCanonical(xml, message.id, algs);
  for (const t of plan.tamper) xml = t(xml);
  const fields: Record<string, string> = {};
  if (relayState !== undefined) fields.RelayState = relayState; // [LIB] order: RelayState, then the message
  fields[param] = Buffer.from(xml, 'utf8').toString('base64');
  return { binding, xml, note, context: { binding, action: url, fields } };
}

const deflate64 = (xml: string) => zlib.deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64');

function looksLikeXml(b: Buffer): boolean {
  let i = 0;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) i = 3; // UTF-8 BOM
  while (i < b.length && (b[i] === 0x20 || b[i] === 0x0a || b[i] === 0x0d || b[i] === 0x09)) i++;
  return b[i] === 0x3c; // '<'
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function bad(code: string, where: string, message: string, fix: string): SandboxError {
  return new SandboxError(400, { code, where, message, fix });
}

function tooLarge(param: string, max: number): SandboxError {
  return new SandboxError(413, { code: 'ERR_MESSAGE_TOO_LARGE', where: param, message: `The decoded message is larger than ${max} bytes.`, fix: 'Send a normal-size SAML message, or raise MAX_SAML_BYTES.' });
}
