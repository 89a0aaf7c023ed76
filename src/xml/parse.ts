// Safe, strict XML parsing for everything that arrives from outside. @xmldom/xmldom never fetches external
// entities, but we refuse any DOCTYPE outright: SAML and SOAP never need one, and refusing it closes
// XXE, parameter entities and entity-expansion bombs before a parser sees them. xmldom is lenient where
// XML 1.0 is not (forbidden characters and references to them, text after the root, unbound prefixes);
// ./wellformed.ts refuses those, so what passes here is well-formed XML 1.0 with namespaces.
import { DOMParser } from '@xmldom/xmldom';
import { SandboxError } from '../errors.js';
import { forbiddenCharacters, structuralProblem } from './wellformed.js';
import { checkXmlBounds, DEFAULT_MAX_ELEMENTS } from './bounds.js';

export const NS = {
  samlp: 'urn:oasis:names:tc:SAML:2.0:protocol',
  saml: 'urn:oasis:names:tc:SAML:2.0:assertion',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  md: 'urn:oasis:names:tc:SAML:2.0:metadata',
  soap11: 'http://schemas.xmlsoap.org/soap/envelope/',
  soap12: 'http://www.w3.org/2003/05/soap-envelope',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
} as const;

export function parseXml(xml: string, where: string, maxDepth = 64, maxElements = DEFAULT_MAX_ELEMENTS): Document {
  if (/<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml)) {
    throw new SandboxError(400, {
      code: 'ERR_XML_DOCTYPE',
      where,
      message: 'The XML carries a DOCTYPE or entity declaration, which the sandbox never processes.',
      found: '<!DOCTYPE …>',
      expected: 'plain XML without a DOCTYPE',
      fix: 'Remove the DOCTYPE/ENTITY declarations; SAML and SOAP messages never need them.',
    });
  }
  const badChar = forbiddenCharacters(xml);
  if (badChar) {
    throw new SandboxError(400, { code: 'ERR_XML_CHAR', where, message: 'The message holds a character XML 1.0 does not allow (raw or as a character reference), so it is not well-formed XML.', found: badChar.found, expected: 'XML 1.0 characters only (tab, LF, CR and U+0020 upwards, no U+FFFE/U+FFFF, no lone surrogates)', fix: 'Escape or remove control characters before writing the XML; an XML library that writes XML 1.0 does this for you.' });
  }
  // Count before building: a DOM of millions of elements is the attack (issue 9).
  checkXmlBounds(xml, where, { maxElements, maxDepth });
  const errors: string[] = [];
  // Stop at the first error: xmldom otherwise recovers and reports each unclosed element, which costs
  // quadratic time (100 KB of unclosed `<a>` took a minute of CPU, blocking every other request).
  const stop = (m: string): never => {
    errors.push(m);
    throw new Error(m);
  };
  const parser = new DOMParser({
    locator: {},
    // xmldom calls mismatched or unclosed end tags a mere "warning" and repairs them; SAML and SOAP senders
    // never produce that, so any warning makes the message malformed here (what a strict parser would say).
    errorHandler: { warning: stop, error: stop, fatalError: stop },
  });
  let doc: Document | undefined;
  try {
    doc = parser.parseFromString(xml, 'text/xml') as unknown as Document;
  } catch (e) {
    if (!errors.length) errors.push((e as Error).message);
  }
  if (errors.length || !doc || !doc.documentElement) {
    throw new SandboxError(400, {
      code: 'ERR_XML_MALFORMED',
      where,
      message: 'The message is not well-formed XML.',
      found: (errors[0] ?? 'no root element').replace(/\s+/g, ' ').slice(0, 200),
      expected: 'well-formed UTF-8 XML',
      fix: 'Check the encoding (UTF-8), the base64/DEFLATE layer and that the XML is complete.',
    });
  }
  const structure = structuralProblem(doc, xml);
  if (structure) {
    throw new SandboxError(400, { code: structure.code, where, message: `The message is not well-formed XML: ${structure.message}`, found: structure.found, expected: 'one root element, every prefix declared with xmlns:prefix', fix: 'Send the message exactly as your SAML/SOAP library wrote it: nothing after the root element, and declare each namespace prefix you use.' });
  }
  if (depthOf(doc.documentElement) > maxDepth) {
    throw new SandboxError(400, {
      code: 'ERR_XML_TOO_DEEP',
      where,
      message: `The XML nests elements deeper than ${maxDepth} levels.`,
      fix: 'Send the message as the protocol defines it; no SAML or SOAP message nests this deep.',
    });
  }
  return doc;
}

function depthOf(el: Element): number {
  // Iterative, so a hostile document cannot blow the stack.
  let max = 0;
  const stack: Array<[Element, number]> = [[el, 1]];
  while (stack.length) {
    const [node, d] = stack.pop()!;
    if (d > max) max = d;
    for (let c = node.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 1) stack.push([c as Element, d + 1]);
    }
  }
  return max;
}

export function childElements(el: Element, ns?: string, local?: string): Element[] {
  const out: Element[] = [];
  for (let c = el.firstChild; c; c = c.nextSibling) {
    if (c.nodeType !== 1) continue;
    const e = c as Element;
    if ((ns === undefined || e.namespaceURI === ns) && (local === undefined || e.localName === local)) out.push(e);
  }
  return out;
}

export function firstChild(el: Element, ns: string, local: string): Element | undefined {
  return childElements(el, ns, local)[0];
}

/** Text of an element including every text node, so a comment cannot truncate a NameID or Issuer. */
export function textOf(el: Element | undefined): string | undefined {
  if (!el) return undefined;
  let s = '';
  for (let c = el.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 3 || c.nodeType === 4) s += c.nodeValue ?? '';
    else if (c.nodeType === 1) return undefined; // element content where text is expected
  }
  return s.trim();
}

/** True when an element holds a comment (the comment-truncation trick against NameID/Issuer). */
export function hasComment(el: Element): boolean {
  for (let c = el.firstChild; c; c = c.nextSibling) if (c.nodeType === 8) return true;
  return false;
}

export function attr(el: Element, name: string): string | undefined {
  return el.hasAttribute(name) ? el.getAttribute(name)! : undefined;
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}
