// A linear pre-scan that bounds how many elements (and how deep) a document holds before any DOM is built.
// xmldom builds every element of 49 MB of `<x/>` (12.8 M nodes: 50 s, then out of memory — issue 9); this
// scan stops at the first element over the bound. It counts start tags only, skipping comments, CDATA
// sections, processing instructions and declarations, and steps over quoted attribute values (which may
// hold `>`). A base64 PDF is one text node: indexOf('<') crosses it natively.
import { SandboxError } from '../errors.js';

export const DEFAULT_MAX_ELEMENTS = 10_000;

export interface XmlBounds {
  maxElements: number;
  maxDepth: number;
}

export const tooManyElements = (where: string, max: number): SandboxError =>
  new SandboxError(400, {
    code: 'ERR_XML_TOO_MANY_ELEMENTS',
    where,
    message: `The XML holds more than ${max} elements; the sandbox stops counting there and builds no document.`,
    expected: `at most ${max} elements`,
    fix: 'Send the message as the protocol defines it (a PDF travels as one base64 text node); the bound is MAX_XML_ELEMENTS.',
  });

/** Throws ERR_XML_TOO_MANY_ELEMENTS / ERR_XML_TOO_DEEP; malformed input is left to the parser to name. */
export function checkXmlBounds(xml: string, where: string, b: XmlBounds): { elements: number; depth: number } {
  let elements = 0;
  let depth = 0;
  let maxDepth = 0;
  let i = xml.indexOf('<');
  const skipTo = (from: number, end: string) => {
    const j = xml.indexOf(end, from);
    return j < 0 ? xml.length : j + end.length;
  };
  while (i >= 0 && i < xml.length) {
    const c = xml.charCodeAt(i + 1);
    if (c === 0x21 /* ! */) {
      if (xml.startsWith('<!--', i)) i = skipTo(i + 4, '-->');
      else if (xml.startsWith('<![CDATA[', i)) i = skipTo(i + 9, ']]>');
      else i = skipTo(i + 2, '>');
    } else if (c === 0x3f /* ? */) {
      i = skipTo(i + 2, '?>');
    } else if (c === 0x2f /* / */) {
      depth--;
      i = skipTo(i + 2, '>');
    } else {
      elements++;
      if (elements > b.maxElements) throw tooManyElements(where, b.maxElements);
      // the end of the start tag, stepping over quoted attribute values
      let j = i + 1;
      let selfClosing = false;
      for (; j < xml.length; j++) {
        const d = xml.charCodeAt(j);
        if (d === 0x22 || d === 0x27) {
          const k = xml.indexOf(d === 0x22 ? '"' : "'", j + 1);
          if (k < 0) return { elements, depth: maxDepth }; // unterminated: malformed, the parser says so
          j = k;
        } else if (d === 0x3e /* > */) {
          selfClosing = xml.charCodeAt(j - 1) === 0x2f;
          break;
        }
      }
      if (!selfClosing) {
        depth++;
        if (depth > maxDepth) {
          maxDepth = depth;
          if (maxDepth > b.maxDepth) {
            throw new SandboxError(400, {
              code: 'ERR_XML_TOO_DEEP',
              where,
              message: `The XML nests elements deeper than ${b.maxDepth} levels.`,
              fix: 'Send the message as the protocol defines it; no SAML or SOAP message nests this deep.',
            });
          }
        }
      }
      i = j + 1;
    }
    i = xml.indexOf('<', i);
  }
  return { elements, depth: maxDepth };
}
