// What XML 1.0 refuses and @xmldom/xmldom lets through (issue 8 "Signed messages that are not well-formed
// XML"): characters outside the Char production, character references to them, content outside the root
// element and prefixes bound to no namespace. Used on what arrives (src/xml/parse.ts) and on what users type
// that the sandbox later writes into signed XML (custom identities, custom attribute values, URLs).
import type { Rejection } from '../errors.js';

/** XML 1.0 §2.2 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]. */
export function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

// A lone surrogate is not a character at all: a high one not followed by a low one, or a low one alone.
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const codePointName = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

/** The first character XML 1.0 forbids in `s`, with its position, or undefined. */
export function forbiddenXmlChar(s: string): { index: number; name: string } | undefined {
  const m = FORBIDDEN.exec(s);
  return m ? { index: m.index, name: codePointName(m[0].charCodeAt(0)) } : undefined;
}

/** The input-side rejection for a text field that would be written into signed XML. */
export function xmlCharProblem(where: string, value: string): Rejection | undefined {
  const bad = forbiddenXmlChar(value);
  if (!bad) return undefined;
  return {
    code: 'ERR_XML_CHAR',
    where,
    message: `Contains ${bad.name} at position ${bad.index + 1}, a character XML 1.0 does not allow; a message carrying it would not be well-formed XML, so no service could read it.`,
    found: bad.name,
    expected: 'printable text (tab, line feed and carriage return are allowed)',
    fix: 'Remove the control character (often pasted in from another program) and send the text again.',
  };
}

/** Before parsing: raw characters and character references XML 1.0 refuses. Both scans are linear. */
export function forbiddenCharacters(xml: string): { found: string } | undefined {
  const raw = forbiddenXmlChar(xml);
  if (raw) return { found: `${raw.name} at offset ${raw.index}` };
  const refs = /&#(?:x([0-9a-fA-F]{1,8})|([0-9]{1,10}));/g;
  for (let m = refs.exec(xml); m; m = refs.exec(xml)) {
    const cp = m[1] !== undefined ? parseInt(m[1], 16) : parseInt(m[2]!, 10);
    if (!isXmlChar(cp)) return { found: `${m[0]} (${cp <= 0x10ffff ? codePointName(cp) : 'beyond U+10FFFF'}) at offset ${m.index}` };
  }
  return undefined;
}

const XMLNS = 'http://www.w3.org/2000/xmlns/';

/** After parsing: one root element and nothing but comments, PIs and whitespace around it; every prefix bound. */
export function structuralProblem(doc: Document, xml: string): { code: string; message: string; found: string } | undefined {
  // xmldom drops text before the root without a word; XML 1.0 allows only a BOM, whitespace and markup there.
  const lead = /^\uFEFF?\s*([^<\s])/.exec(xml);
  if (lead) return { code: 'ERR_XML_MALFORMED', message: 'Text before the root element.', found: JSON.stringify(xml.trimStart().slice(0, 40)) };
  let elements = 0;
  for (let c = doc.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 1) elements++;
    else if ((c.nodeType === 3 || c.nodeType === 4) && /\S/.test(c.nodeValue ?? '')) {
      return { code: 'ERR_XML_MALFORMED', message: 'Text outside the root element.', found: JSON.stringify((c.nodeValue ?? '').trim().slice(0, 40)) };
    }
  }
  if (elements !== 1) return { code: 'ERR_XML_MALFORMED', message: 'A document has exactly one root element.', found: `${elements} top-level elements` };
  // Iterative, so a deep document cannot blow the stack.
  const stack: Element[] = [doc.documentElement!];
  while (stack.length) {
    const el = stack.pop()!;
    if (el.prefix && !el.namespaceURI) return { code: 'ERR_XML_NAMESPACE', message: `The prefix "${el.prefix}" is not bound to a namespace.`, found: `<${el.nodeName}>` };
    for (let i = 0; i < el.attributes.length; i++) {
      const a = el.attributes[i]!;
      if (a.prefix && a.prefix !== 'xmlns' && a.namespaceURI !== XMLNS && !a.namespaceURI) return { code: 'ERR_XML_NAMESPACE', message: `The prefix "${a.prefix}" is not bound to a namespace.`, found: `${a.nodeName} on <${el.nodeName}>` };
    }
    for (let c = el.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) stack.push(c as Element);
  }
  return undefined;
}
