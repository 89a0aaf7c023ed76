// The paste-and-decode box of the inspector: whatever a person copied from a browser's network tab or a
// log — a Redirect URL, a form body, a SAMLRequest/SAMLResponse value (URL-encoded or not, base64 of the
// XML as in HTTP-POST, base64 of raw DEFLATE as in HTTP-Redirect) or the XML itself — back to the XML and
// to the HTTP input the sandbox's own endpoints would have received (SAML Bindings §3.4.4, §3.5.4).
import zlib from 'node:zlib';
import type { HttpInput } from '../mpass/bindings.js';

export type Encoding = 'xml' | 'base64' | 'base64+deflate' | 'redirect-url' | 'redirect-query' | 'post-form';

export interface Decoded {
  xml: string;
  encoding: Encoding;
  param?: 'SAMLRequest' | 'SAMLResponse';
  relayState?: string;
  sigAlg?: string;
  /** Present when the query carried a Redirect signature. */
  signed?: boolean;
  /** What the sandbox endpoint would have received, for the verdict (Redirect signatures need the raw query). */
  http?: HttpInput;
}

export type DecodeFailure = { error: string };

const MAX_INPUT = 512 * 1024;

function fromBase64(value: string, maxBytes: number): { xml: string; deflated: boolean } | undefined {
  const clean = value.replace(/\s+/g, '');
  if (!clean || !/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) return undefined;
  const bytes = Buffer.from(clean, 'base64');
  const plain = bytes.toString('utf8');
  if (/^\s*(<\?xml|<)/.test(plain.replace(/^\uFEFF/, ''))) return { xml: plain.replace(/^\uFEFF/, ''), deflated: false };
  try {
    const xml = zlib.inflateRawSync(bytes, { maxOutputLength: maxBytes }).toString('utf8');
    return /^\s*</.test(xml) ? { xml, deflated: true } : undefined;
  } catch {
    return undefined;
  }
}

const percentDecode = (s: string) => {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
};

/** Decode pasted text; never throws: a failure says what the text looked like. */
export function decodePasted(input: string, maxBytes = 256 * 1024): Decoded | DecodeFailure {
  const text = input.trim();
  if (!text) return { error: 'Nothing was pasted.' };
  if (text.length > MAX_INPUT) return { error: `The pasted text is longer than ${MAX_INPUT} characters.` };
  if (text.startsWith('<')) return { xml: text, encoding: 'xml' };

  // A URL or a query/form string carrying SAMLRequest/SAMLResponse.
  const query = /^https?:\/\//i.test(text) ? (text.includes('?') ? text.slice(text.indexOf('?') + 1).split('#')[0]! : '') : /(^|[?&])SAML(Request|Response)=/.test(text) ? text.replace(/^\?/, '') : undefined;
  if (query !== undefined) {
    const fields = new URLSearchParams(query);
    const param = fields.has('SAMLRequest') ? 'SAMLRequest' : fields.has('SAMLResponse') ? 'SAMLResponse' : undefined;
    if (!param) return { error: 'The URL carries no SAMLRequest or SAMLResponse parameter.' };
    const decoded = fromBase64(fields.get(param)!, maxBytes);
    if (!decoded) return { error: `${param} is neither base64 of XML nor base64 of raw-DEFLATE XML.` };
    const isUrl = /^https?:\/\//i.test(text);
    const redirect = decoded.deflated;
    const fieldsObj: Record<string, string> = Object.fromEntries(fields.entries());
    return {
      xml: decoded.xml,
      encoding: redirect ? (isUrl ? 'redirect-url' : 'redirect-query') : 'post-form',
      param,
      relayState: fields.get('RelayState') ?? undefined,
      sigAlg: fields.get('SigAlg') ?? undefined,
      signed: fields.has('Signature'),
      http: redirect ? { method: 'GET', query: fieldsObj, body: undefined, rawQuery: query } : { method: 'POST', query: {}, body: fieldsObj, rawQuery: '' },
    };
  }

  // A bare parameter value, perhaps still URL-encoded.
  const value = /%[0-9A-Fa-f]{2}/.test(text) ? percentDecode(text) : text;
  const decoded = fromBase64(value, maxBytes);
  if (!decoded) return { error: 'The text is not XML, not a URL with SAMLRequest/SAMLResponse, and not base64 of XML (plain or raw DEFLATE).' };
  return { xml: decoded.xml, encoding: decoded.deflated ? 'base64+deflate' : 'base64' };
}
