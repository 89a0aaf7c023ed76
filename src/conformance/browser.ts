// A tiny headless "browser" for the conformance runner: one cookie jar, follows redirects and submits the
// auto-post forms SAML hands to the browser (SAML Bindings §3.5.5: the POST binding relies on an
// auto-submitting form). No JavaScript: it submits exactly the forms that carry SAMLRequest/SAMLResponse.
// Every hop is recorded so a case can say what was sent where and what the other side answered.
import { lookup } from 'node:dns/promises';
import { outboundRefusal } from '../mpass/outbound.js';

export interface Hop {
  method: 'GET' | 'POST';
  url: string;
  /** Form fields posted (POST only). */
  fields?: Record<string, string>;
  status: number;
  location?: string;
  contentType?: string;
  body: string;
}

export interface AutoPostForm {
  action: string;
  fields: Record<string, string>;
}

interface Cookie {
  name: string;
  value: string;
  host: string;
  /** true when Domain= was given: the cookie also goes to subdomains */
  domain: boolean;
  path: string;
  expires?: number;
}

const MAX_HOPS = 15;
const MAX_BODY = 256 * 1024;

export class BrowserError extends Error {
  constructor(
    message: string,
    readonly url: string,
  ) {
    super(message);
    this.name = 'BrowserError';
  }
}

export class Browser {
  private cookies: Cookie[] = [];
  readonly hops: Hop[] = [];

  constructor(
    private readonly signal?: AbortSignal,
    /** OUTBOUND_ALLOW: the same fence as every other request the sandbox sends itself (src/mpass/outbound.ts). */
    private readonly outboundAllow?: string[],
  ) {}

  /** Keep only the cookies of one origin (e.g. drop the service's session, keep the MPass one: TC_FUNCT_02). */
  keepOnly(origin: string): void {
    const host = new URL(origin).hostname;
    this.cookies = this.cookies.filter((c) => c.host === host);
  }

  cookie(url: string, name: string): string | undefined {
    const u = new URL(url);
    return this.matching(u).find((c) => c.name === name)?.value;
  }

  /** One request, no redirect following. */
  async request(method: 'GET' | 'POST', url: string, fields?: Record<string, string>): Promise<Hop> {
    const u = new URL(url);
    const headers: Record<string, string> = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8', 'user-agent': 'mpass-sandbox-conformance/1' };
    const jar = this.matching(u).map((c) => `${c.name}=${c.value}`).join('; ');
    if (jar) headers.cookie = jar;
    let body: string | undefined;
    if (method === 'POST') {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(fields ?? {}).toString();
    }
    // The sandbox sends this request itself: link-local and cloud-metadata destinations are refused, on every
    // address the name resolves to, as for the headless logout (issue 9 "Outbound requests").
    const addresses = await lookup(u.hostname.replace(/^\[|\]$/g, ''), { all: true }).then((r) => r.map((a) => a.address), () => [] as string[]);
    const refusal = outboundRefusal(u.hostname, addresses, this.outboundAllow);
    if (refusal) throw new BrowserError(`the sandbox does not send requests to this destination: ${refusal} (OUTBOUND_ALLOW)`, url);
    let res: Response;
    try {
      res = await fetch(u, { method, headers, body, redirect: 'manual', signal: this.signal });
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new BrowserError(this.signal?.aborted ? 'the per-case time limit passed' : `${method} ${url} failed: ${cause?.code ?? cause?.message ?? (e as Error).message}`, url);
    }
    for (const sc of res.headers.getSetCookie()) this.store(u, sc);
    const text = await readLimited(res);
    const hop: Hop = { method, url: u.toString(), fields, status: res.status, location: res.headers.get('location') ?? undefined, contentType: res.headers.get('content-type') ?? undefined, body: text };
    this.hops.push(hop);
    return hop;
  }

  /**
   * Navigate as a browser would: follow 3xx, submit SAML auto-post forms. `stop` may end the walk before a
   * form is submitted (the form is returned, not posted). Returns the last hop and the held form, if any.
   */
  async navigate(method: 'GET' | 'POST', url: string, fields?: Record<string, string>, stop?: (form: AutoPostForm) => boolean): Promise<{ last: Hop; held?: AutoPostForm }> {
    let hop = await this.request(method, url, fields);
    for (let i = 0; i < MAX_HOPS; i++) {
      if (hop.status >= 300 && hop.status < 400 && hop.location) {
        hop = await this.request('GET', new URL(hop.location, hop.url).toString());
        continue;
      }
      const form = hop.status < 300 ? autoPostForm(hop.body, hop.url) : undefined;
      if (!form) return { last: hop };
      if (stop?.(form)) return { last: hop, held: form };
      hop = await this.request('POST', form.action, form.fields);
    }
    throw new BrowserError(`more than ${MAX_HOPS} redirects or auto-post forms in a row`, hop.url);
  }

  private matching(u: URL): Cookie[] {
    const now = Date.now();
    this.cookies = this.cookies.filter((c) => c.expires === undefined || c.expires > now);
    return this.cookies.filter((c) => (c.domain ? u.hostname === c.host || u.hostname.endsWith(`.${c.host}`) : u.hostname === c.host) && (u.pathname === c.path || u.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`)));
  }

  /** RFC 6265 §5.2, the parts services use: Path, Domain, Max-Age, Expires. */
  private store(u: URL, header: string): void {
    const [pair, ...attrs] = header.split(';');
    const eq = pair!.indexOf('=');
    if (eq <= 0) return;
    const c: Cookie = { name: pair!.slice(0, eq).trim(), value: pair!.slice(eq + 1).trim(), host: u.hostname, domain: false, path: defaultPath(u.pathname) };
    for (const a of attrs) {
      const i = a.indexOf('=');
      const k = (i < 0 ? a : a.slice(0, i)).trim().toLowerCase();
      const v = i < 0 ? '' : a.slice(i + 1).trim();
      if (k === 'path' && v.startsWith('/')) c.path = v;
      else if (k === 'domain' && v) {
        const d = v.replace(/^\./, '').toLowerCase();
        if (u.hostname === d || u.hostname.endsWith(`.${d}`)) Object.assign(c, { host: d, domain: true });
      } else if (k === 'max-age' && /^-?\d+$/.test(v)) c.expires = Date.now() + Number(v) * 1000;
      else if (k === 'expires' && c.expires === undefined && !Number.isNaN(Date.parse(v))) c.expires = Date.parse(v);
    }
    this.cookies = this.cookies.filter((x) => !(x.name === c.name && x.host === c.host && x.path === c.path));
    if (c.expires === undefined || c.expires > Date.now()) this.cookies.push(c);
  }
}

function defaultPath(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

async function readLimited(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    if (size >= MAX_BODY) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function unescapeHtml(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_m, e: string) => {
    const l = e.toLowerCase();
    if (l.startsWith('#x')) return String.fromCodePoint(parseInt(l.slice(2), 16));
    if (l.startsWith('#')) return String.fromCodePoint(Number(l.slice(1)));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[l]!;
  });
}

/** The form a SAML auto-post page submits: the one carrying SAMLRequest or SAMLResponse (the last such form: a replay page has two). */
export function autoPostForm(html: string, base: string): AutoPostForm | undefined {
  let found: AutoPostForm | undefined;
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const attrs = attributes(m[1]!);
    if ((attrs.method ?? 'get').toLowerCase() !== 'post') continue;
    const fields: Record<string, string> = {};
    for (const input of m[2]!.matchAll(/<input\b([^>]*)>/gi)) {
      const a = attributes(input[1]!);
      if (a.name && (a.type ?? 'text').toLowerCase() === 'hidden') fields[a.name] = a.value ?? '';
    }
    if (fields.SAMLRequest === undefined && fields.SAMLResponse === undefined) continue;
    found = { action: new URL(attrs.action ?? base, base).toString(), fields };
  }
  return found;
}

function attributes(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of s.matchAll(/([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/g)) out[a[1]!.toLowerCase()] = unescapeHtml(a[2] ?? a[3] ?? a[4] ?? '');
  return out;
}
