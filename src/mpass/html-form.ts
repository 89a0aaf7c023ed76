// Reading a service's auto-post page (the HTTP-POST binding, SAML Bindings §3.5.4) in one linear pass.
// A service's answer is untrusted input of up to 1 MB: a backtracking regular expression over it froze the
// sandbox for 36 s (issue 9), so this scanner visits each character a bounded number of times and keeps
// at most a few forms and fields.

export interface HtmlForm {
  action?: string;
  method?: string;
  fields: Record<string, string>;
}

const MAX_FORMS = 8;
const MAX_FIELDS = 32;

/** The forms of an HTML page with their hidden/named inputs (the last value of a repeated name wins). */
export function readForms(html: string): HtmlForm[] {
  const forms: HtmlForm[] = [];
  let current: HtmlForm | undefined;
  let pos = 0;
  const n = html.length;
  while (pos < n && forms.length <= MAX_FORMS) {
    const lt = html.indexOf('<', pos);
    if (lt < 0) break;
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      pos = end < 0 ? n : end + 3;
      continue;
    }
    let i = lt + 1;
    const closing = html[i] === '/';
    if (closing) i++;
    const nameStart = i;
    while (i < n && isNameChar(html.charCodeAt(i))) i++;
    const tag = html.slice(nameStart, i).toLowerCase();
    if (!tag) {
      pos = lt + 1;
      continue;
    }
    const { attrs, end } = readAttributes(html, i);
    pos = end;
    if (closing) {
      if (tag === 'form') current = undefined;
      continue;
    }
    if (tag === 'script' || tag === 'style' || tag === 'textarea') {
      // Raw text: nothing inside is markup.
      const re = new RegExp(`</${tag}`, 'gi');
      re.lastIndex = pos;
      const close = re.exec(html);
      pos = close ? close.index : n;
      continue;
    }
    if (tag === 'form') {
      current = { action: attrs.get('action'), method: attrs.get('method'), fields: {} };
      forms.push(current);
    } else if (tag === 'input' && current) {
      const name = attrs.get('name');
      if (name !== undefined && (name in current.fields || Object.keys(current.fields).length < MAX_FIELDS)) current.fields[name] = attrs.get('value') ?? '';
    }
  }
  return forms.slice(0, MAX_FORMS);
}

function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 58;
}

const isSpace = (ch: string | undefined) => ch === ' ' || ch === '\n' || ch === '\t' || ch === '\r' || ch === '\f';

/** Attributes from `i` to the closing `>`; returns the position after it. Every step advances `i`. */
function readAttributes(html: string, start: number): { attrs: Map<string, string>; end: number } {
  const attrs = new Map<string, string>();
  const n = html.length;
  let i = start;
  while (i < n) {
    const ch = html[i];
    if (ch === '>') return { attrs, end: i + 1 };
    if (isSpace(ch) || ch === '/') {
      i++;
      continue;
    }
    const nameStart = i;
    while (i < n && !isSpace(html[i]) && html[i] !== '=' && html[i] !== '>' && html[i] !== '/') i++;
    const name = html.slice(nameStart, i).toLowerCase();
    while (i < n && isSpace(html[i])) i++;
    if (html[i] !== '=') {
      if (!attrs.has(name)) attrs.set(name, '');
      continue;
    }
    i++;
    while (i < n && isSpace(html[i])) i++;
    let value: string;
    const q = html[i];
    if (q === '"' || q === "'") {
      const close = html.indexOf(q, i + 1);
      const stop = close < 0 ? n : close;
      value = html.slice(i + 1, stop);
      i = stop + 1;
    } else {
      const vStart = i;
      while (i < n && !isSpace(html[i]) && html[i] !== '>') i++;
      value = html.slice(vStart, i);
    }
    if (!attrs.has(name)) attrs.set(name, decodeEntities(value));
  }
  return { attrs, end: n };
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Character references in an attribute value (bounded quantifiers: linear). */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,4});/g, (m, ref: string) => {
    if (ref[0] === '#') {
      const cp = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    return NAMED[ref.toLowerCase()] ?? m;
  });
}
