// Reading and writing MSign SOAP 1.1 envelopes in WSDL member order (MSIGN.md §3.2, §3.5).
// The parser is strict about order and required members (as DataContractSerializer is) and names the
// element at fault; unknown extra elements are skipped, nil and absence of optional members both mean null.
import { NS, childElements, parseXml } from '../../xml/parse.js';
import { SandboxError } from '../../errors.js';
import { ARRAYS, ENUMS, MSIGN_NS, OPERATIONS, TYPES, XSI_NS, isScalar, type Member, type Operation } from './schema.js';
import { fault, invalid } from './faults.js';

export type Value = string | number | boolean | Buffer | Date | null | undefined | Value[] | { [k: string]: Value };
export type Obj = { [k: string]: Value };

export interface ParsedCall {
  operation: Operation;
  params: Obj;
}

const B64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

/** Find the operation from SOAPAction (quotes optional) and the body wrapper; both must agree when both are given. */
export function parseEnvelope(xml: string, soapAction: string | undefined, maxElements?: number): ParsedCall {
  let doc: Document;
  try {
    doc = parseXml(xml, 's:Envelope', 64, maxElements);
  } catch (e) {
    if (e instanceof SandboxError) throw invalid(e.rejection.where, e.rejection.message, e.rejection.fix, { found: e.rejection.found });
    throw e;
  }
  const env = doc.documentElement!;
  if (env.localName !== 'Envelope' || env.namespaceURI !== NS.soap11) {
    throw invalid('s:Envelope', 'The message is not a SOAP 1.1 envelope.', 'Send <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"> (basicHttpBinding is SOAP 1.1).', {
      found: `{${env.namespaceURI ?? ''}}${env.localName}`,
      expected: `{${NS.soap11}}Envelope`,
    });
  }
  const body = childElements(env, NS.soap11, 'Body')[0];
  if (!body) throw invalid('s:Body', 'The envelope has no s:Body.', 'Put the operation wrapper inside s:Body.');
  const wrappers = childElements(body);
  if (wrappers.length !== 1) throw invalid('s:Body', `s:Body must hold exactly one operation element, found ${wrappers.length}.`, 'Send one wrapper such as <PostSignRequest xmlns="https://msign.gov.md">.');
  const wrapper = wrappers[0]!;
  const action = soapAction?.trim().replace(/^"(.*)"$/, '$1');
  const byAction = action ? OPERATIONS.find((o) => o.action === action) : undefined;
  if (action && !byAction) {
    throw fault('ActionNotSupported', 'SOAPAction', `The message with Action '${action}' cannot be processed at the receiver (ContractFilter mismatch).`, `Use one of ${OPERATIONS.map((o) => o.action).join(', ')}.`, { found: action });
  }
  const byWrapper = wrapper.namespaceURI === MSIGN_NS ? OPERATIONS.find((o) => o.name === wrapper.localName) : undefined;
  if (!byWrapper) {
    throw invalid(`s:Body/${wrapper.localName}`, 'The body element is not an MSign operation.', `Send one of ${OPERATIONS.map((o) => o.name).join(', ')} in namespace ${MSIGN_NS}.`, {
      found: `{${wrapper.namespaceURI ?? ''}}${wrapper.localName}`,
    });
  }
  if (byAction && byAction !== byWrapper) {
    throw fault('ActionNotSupported', 'SOAPAction', `SOAPAction '${action}' does not match the body element ${byWrapper.name}.`, `Send SOAPAction "${byWrapper.action}" with this body.`, { found: action, expected: byWrapper.action });
  }
  return { operation: byWrapper, params: readMembers(wrapper, byWrapper.params, byWrapper.name) };
}

function readMembers(el: Element, members: Member[], path: string): Obj {
  const out: Obj = {};
  let next = 0;
  for (const child of childElements(el)) {
    const where = `${path}/${child.localName}`;
    const idx = child.namespaceURI === MSIGN_NS ? members.findIndex((mm) => mm.name === child.localName) : -1;
    if (idx < 0) continue; // unknown extra elements are skipped (§3.5)
    if (idx < next) {
      throw invalid(where, `Element ${child.localName} is out of order or repeated (DataContractSerializer reads members in WSDL order).`, `Write the members of ${path.split('/').pop()} in this order: ${members.map((mm) => mm.name).join(', ')}.`, {
        expected: members.map((mm) => mm.name).join(', '),
      });
    }
    next = idx + 1;
    out[members[idx]!.name] = readValue(child, members[idx]!, where);
  }
  for (const mm of members) {
    if (mm.req && !(mm.name in out)) {
      throw invalid(`${path}/${mm.name}`, `Required element ${mm.name} is missing (or out of order).`, `Send ${mm.name} (in WSDL order: ${members.map((x) => x.name).join(', ')}).`);
    }
  }
  return out;
}

function readValue(el: Element, mm: Member, where: string): Value {
  const nil = el.getAttributeNS(XSI_NS, 'nil');
  if (nil === 'true' || nil === '1') {
    if (!mm.nil) throw invalid(where, `${mm.name} cannot be nil.`, `Send a value for ${mm.name}.`);
    return null;
  }
  if (ARRAYS[mm.type]) {
    const item = ARRAYS[mm.type]!;
    const items: Value[] = [];
    for (const c of childElements(el)) {
      if (c.namespaceURI !== MSIGN_NS || c.localName !== item) continue;
      items.push(c.getAttributeNS(XSI_NS, 'nil') === 'true' ? null : readMembers(c, TYPES[item]!, `${where}/${item}[${items.length + 1}]`));
    }
    return items;
  }
  if (TYPES[mm.type]) return readMembers(el, TYPES[mm.type]!, where);
  if (childElements(el).length) throw invalid(where, `${mm.name} must hold text, not elements.`, `Send ${mm.name} as ${mm.type}.`);
  const text = el.textContent ?? '';
  if (ENUMS[mm.type]) {
    const names = ENUMS[mm.type]!.map(([n]) => n);
    const v = text.trim();
    if (!names.includes(v)) throw invalid(where, `${v || '(empty)'} is not a ${mm.type} value.`, `Send exactly one of ${names.join(', ')} (case-sensitive).`, { found: v, expected: names.join(' | ') });
    return v;
  }
  if (!isScalar(mm.type)) return text;
  switch (mm.type) {
    case 'string':
      return text;
    case 'int': {
      const v = text.trim();
      if (!/^[+-]?\d{1,10}$/.test(v) || Math.abs(Number(v)) > 2147483647) throw invalid(where, `${mm.name} must be a 32-bit integer.`, 'Send a whole number.', { found: v });
      return Number(v);
    }
    case 'boolean': {
      const v = text.trim();
      if (!['true', 'false', '1', '0'].includes(v)) throw invalid(where, `${mm.name} must be true or false.`, 'Send true or false.', { found: v });
      return v === 'true' || v === '1';
    }
    case 'base64Binary': {
      if (!B64.test(text) && mm.lenient) return Buffer.from(text.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
      if (!B64.test(text)) throw invalid(where, `${mm.name} is not valid base64.`, `Send ${mm.name} base64-encoded (no line breaks is safest).`, { found: text.slice(0, 40) });
      return Buffer.from(text.replace(/\s+/g, ''), 'base64');
    }
    case 'dateTime': {
      const d = new Date(text.trim());
      if (Number.isNaN(d.getTime())) throw invalid(where, `${mm.name} is not an xs:dateTime.`, 'Send e.g. 2026-01-01T10:00:00Z.');
      return d;
    }
  }
}

// ---- writing ----

const esc = (s: string) => s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);

function isDefault(v: Value, type: string): boolean {
  if (v === null || v === undefined) return true;
  if (type === 'boolean') return v === false;
  if (type === 'int') return v === 0;
  if (ENUMS[type]) return v === ENUMS[type]![0]![0] && ENUMS[type]![0]![1] === 0;
  return false;
}

function writeMembers(obj: Obj, members: Member[]): string {
  let s = '';
  for (const mm of members) s += writeMember(obj[mm.name], mm);
  return s;
}

function writeMember(v: Value, mm: Member, attrs = ''): string {
  if (mm.edvFalse && isDefault(v, mm.type)) return '';
  if (v === null || v === undefined) return mm.nil ? `<${mm.name}${attrs} i:nil="true"/>` : '';
  return `<${mm.name}${attrs}>${writeValue(v, mm.type)}</${mm.name}>`;
}

function writeValue(v: Value, type: string): string {
  if (ARRAYS[type]) {
    const item = ARRAYS[type]!;
    return (v as Value[]).map((x) => (x === null ? `<${item} i:nil="true"/>` : `<${item}>${writeMembers(x as Obj, TYPES[item]!)}</${item}>`)).join('');
  }
  if (TYPES[type]) return writeMembers(v as Obj, TYPES[type]!);
  if (type === 'base64Binary') return (v as Buffer).toString('base64');
  if (type === 'dateTime') return (v as Date).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return esc(String(v));
}

/** The response envelope: default namespace, `xmlns:i` on a complex result element, no s:Header (§3.5). */
export function responseEnvelope(operation: Operation, result: Value): string {
  const complex = !!TYPES[operation.result.type];
  const resultXml = writeMember(result, operation.result, complex ? ` xmlns:i="${XSI_NS}"` : '');
  return (
    `<s:Envelope xmlns:s="${NS.soap11}"><s:Body>` +
    `<${operation.name}Response xmlns="${MSIGN_NS}">${resultXml}</${operation.name}Response>` +
    '</s:Body></s:Envelope>'
  );
}
