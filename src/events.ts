// The event log: every SAML/SOAP message in and out, decoded, with its verdict. Bounded ring buffer.
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

const MAX_XML = 64 * 1024;

export class EventLog {
  private items: SandboxEvent[] = [];
  private seq = 0;
  constructor(
    private readonly now: () => Date,
    private readonly max = 1000,
  ) {}

  add(e: Omit<SandboxEvent, 'id' | 'at'>): SandboxEvent {
    const ev: SandboxEvent = { id: ++this.seq, at: this.now().toISOString(), ...e };
    if (ev.xml && ev.xml.length > MAX_XML) ev.xml = `${ev.xml.slice(0, MAX_XML)}… (${ev.xml.length} chars, truncated)`;
    this.items.push(ev);
    if (this.items.length > this.max) this.items.splice(0, this.items.length - this.max);
    return ev;
  }

  /** Newest first. */
  list(limit = 100, filter?: (e: SandboxEvent) => boolean): SandboxEvent[] {
    const out: SandboxEvent[] = [];
    for (let i = this.items.length - 1; i >= 0 && out.length < limit; i--) if (!filter || filter(this.items[i]!)) out.push(this.items[i]!);
    return out;
  }

  clear(): void {
    this.items = [];
  }
}
