// The event log: every SAML/SOAP message in and out, decoded, with its verdict. A ring buffer bounded by
// entries (EVENT_LOG_MAX_ENTRIES) and by the size of the text it keeps (EVENT_LOG_MAX_BYTES), so 1000 events
// of 50 MB messages cannot hold gigabytes.
import type { Rejection } from './errors.js';

export interface SandboxEvent {
  id: number;
  at: string;
  protocol: 'mpass' | 'msign' | 'registry';
  direction: 'in' | 'out' | 'internal';
  /** AuthnRequest, Response, LogoutRequest, LogoutResponse, PostSignRequest, … */
  message: string;
  verdict: 'accepted' | 'rejected' | 'sent' | 'info';
  service?: string;
  binding?: string;
  summary?: string;
  rejection?: Rejection;
  warnings?: string[];
  xml?: string;
}

/** Longest message text kept per event (characters). */
export const MAX_EVENT_XML = 64 * 1024;
const MAX_TEXT = 4 * 1024;

/**
 * A copy that owns its characters. V8 represents `s.slice(0, n)` of a long string as a view into it, so keeping
 * the slice keeps the whole 50 MB message alive (issue 9); a UTF-8 round trip allocates a fresh flat string.
 */
export function ownedPrefix(s: string, max: number, suffix: (length: number) => string = (n) => `… (${n} chars, truncated)`): string {
  if (s.length <= max) return s;
  return Buffer.from(`${s.slice(0, max)}${suffix(s.length)}`, 'utf8').toString('utf8');
}

/**
 * A flat copy of a short string that shares no characters with the text it was cut from. An ID or issuer read
 * from a parsed message is a V8 slice of the whole decoded message; keeping it in a long-lived map (the replay
 * cache, 600 s of IDs) kept every AuthnRequest's full XML alive, ~2.7 KB a login (issue 12 §3, heap snapshot).
 * Both round trips are lossless (UTF-16 keeps lone surrogates too).
 */
export function ownedCopy(s: string): string {
  // Latin-1 when every character fits (IDs and issuers almost always): V8 then keeps one byte a character.
  return /^[\u0000-\u00ff]*$/.test(s) ? Buffer.from(s, 'latin1').toString('latin1') : Buffer.from(s, 'utf16le').toString('utf16le');
}

/** Approximate bytes an event keeps: its texts (UTF-16, 2 bytes a character) plus a fixed overhead. */
function sizeOf(e: SandboxEvent): number {
  let chars = (e.xml?.length ?? 0) + (e.summary?.length ?? 0) + e.message.length + (e.service?.length ?? 0);
  if (e.rejection) chars += e.rejection.message.length + e.rejection.fix.length + e.rejection.where.length + (e.rejection.found?.length ?? 0) + (e.rejection.expected?.length ?? 0);
  for (const w of e.warnings ?? []) chars += w.length;
  return 256 + 2 * chars;
}

export class EventLog {
  private items: SandboxEvent[] = [];
  private sizes: number[] = [];
  private bytes = 0;
  private seq = 0;
  constructor(
    private readonly now: () => Date,
    private readonly maxEntries = 1000,
    private readonly maxBytes = 16 * 1024 * 1024,
  ) {}

  add(e: Omit<SandboxEvent, 'id' | 'at'>): SandboxEvent {
    const ev: SandboxEvent = { id: ++this.seq, at: this.now().toISOString(), ...e };
    if (ev.xml !== undefined) ev.xml = ownedPrefix(ev.xml, MAX_EVENT_XML);
    if (ev.summary !== undefined) ev.summary = ownedPrefix(ev.summary, MAX_TEXT, () => '…');
    if (ev.rejection?.found !== undefined && ev.rejection.found.length > MAX_TEXT) ev.rejection = { ...ev.rejection, found: ownedPrefix(ev.rejection.found, MAX_TEXT, () => '…') };
    const size = sizeOf(ev);
    this.items.push(ev);
    this.sizes.push(size);
    this.bytes += size;
    let drop = 0;
    let freed = 0;
    while (drop < this.items.length - 1 && (this.items.length - drop > this.maxEntries || this.bytes - freed > this.maxBytes)) freed += this.sizes[drop++]!;
    if (drop) {
      this.items.splice(0, drop);
      this.sizes.splice(0, drop);
      this.bytes -= freed;
    }
    return ev;
  }

  /** Newest first. */
  list(limit = 100, filter?: (e: SandboxEvent) => boolean): SandboxEvent[] {
    const out: SandboxEvent[] = [];
    for (let i = this.items.length - 1; i >= 0 && out.length < limit; i--) if (!filter || filter(this.items[i]!)) out.push(this.items[i]!);
    return out;
  }

  /** What the log holds now (for /health and the limits test). */
  usage(): { entries: number; bytes: number } {
    return { entries: this.items.length, bytes: this.bytes };
  }

  clear(): void {
    this.items = [];
    this.sizes = [];
    this.bytes = 0;
  }
}
