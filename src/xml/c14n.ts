// Writing XML directly in its exclusive-canonical form (Exclusive XML Canonicalization 1.0, which applies
// the escaping and ordering rules of Canonical XML 1.0 §2.3), so that what the sandbox renders is already
// the octet stream a signature digests: no DOM, no canonicaliser on the signing path (issue 12 §2).
// The renderers using this follow three more rules themselves: empty elements written as start + end tag,
// a namespace declared on the outermost element that uses its prefix (exc-c14n §3: only visibly utilised
// namespaces, and only where the output parent does not already declare them), no whitespace between tags.

/** Text node escaping (Canonical XML §2.3 "Text Nodes"). */
export function c14nText(s: string): string {
  return /[&<>\r]/.test(s) ? s.replace(/[&<>\r]/g, (c) => TEXT[c]!) : s;
}
const TEXT: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#xD;' };

/** Attribute value escaping (Canonical XML §2.3 "Attribute Nodes"): `>` stays, whitespace controls are references. */
export function c14nAttrValue(s: string): string {
  return /[&<"\t\n\r]/.test(s) ? s.replace(/[&<"\t\n\r]/g, (c) => ATTR[c]!) : s;
}
const ATTR: Record<string, string> = { '&': '&amp;', '<': '&lt;', '"': '&quot;', '\t': '&#x9;', '\n': '&#xA;', '\r': '&#xD;' };

/**
 * Unqualified attributes in canonical order (no namespace URI, so sorted by local name in code point
 * order; a namespace declaration, when any, is written by the caller before these). Undefined values are
 * left out.
 */
export function c14nAttrs(attrs: ReadonlyArray<readonly [string, string | undefined]>): string {
  const present = attrs.filter((a): a is readonly [string, string] => a[1] !== undefined);
  present.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let out = '';
  for (const [k, v] of present) out += ` ${k}="${c14nAttrValue(v)}"`;
  return out;
}
