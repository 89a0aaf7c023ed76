// MPass SSO sessions: who is logged in in this browser, and which services received a Response
// (single logout needs each one's NameID and SessionIndex). In memory, expiring, bounded.
import crypto from 'node:crypto';
import type { Persona } from '../personas.js';

export interface Participant {
  serviceId: string;
  issuer: string;
  nameId: string;
  sessionIndex: string;
  /** When the service last received a Response, epoch ms (shown as ISO 8601 by the API). */
  at: number;
}

export interface SsoSession {
  id: string;
  /** MPASS.md §5.3: the MPass session ID, GUID without underscore as in the sample */
  sessionIndex: string;
  persona: Persona;
  nameId: string;
  /**
   * Epoch milliseconds, not `Date` objects: 20 000 sessions are kept, and each `Date` is a heap object of its
   * own (issue 12 §3). Rendered as ISO 8601 only where a message or the API needs the text.
   */
  authnInstant: number;
  notOnOrAfter: number;
  address?: string;
  participants: Participant[];
}

export class Sessions {
  private readonly byId = new Map<string, SsoSession>();
  /**
   * No session expires before this instant (a lower bound: ending or evicting a session may leave it early).
   * `sweep()` walked every session on every login, O(20 000) per request once the store is full; the CPU
   * profile of scripted logins showed it. Now it walks only when some session may actually have expired.
   */
  private earliestExpiry = Infinity;

  constructor(
    private readonly now: () => number,
    private readonly max = 20000,
  ) {}

  create(persona: Persona, nameId: string, lifetimeSeconds: number, address?: string): SsoSession {
    this.sweep();
    const at = this.now();
    const s: SsoSession = {
      id: crypto.randomBytes(18).toString('base64url'),
      sessionIndex: crypto.randomUUID(),
      persona,
      nameId,
      authnInstant: at,
      notOnOrAfter: at + lifetimeSeconds * 1000,
      address,
      participants: [],
    };
    this.byId.set(s.id, s);
    this.earliestExpiry = Math.min(this.earliestExpiry, s.notOnOrAfter);
    while (this.byId.size > this.max) this.byId.delete(this.byId.keys().next().value!);
    return s;
  }

  /**
   * The session a browser has after (re-)authenticating (ForceAuthn, or a login page shown again): one MPass
   * session per browser, so single logout still reaches every service (issue 8). The same person keeps the
   * session and its SessionIndex, with a fresh AuthnInstant; another person gets a new session that carries
   * every participating service over (each keeps the NameID and SessionIndex it received), and the old one ends.
   */
  authenticate(current: SsoSession | undefined, persona: Persona, nameId: string, lifetimeSeconds: number, address?: string): { session: SsoSession; kept: 'same' | 'replaced' | 'new' } {
    if (current && this.byId.get(current.id) === current) {
      if (current.persona.idnp === persona.idnp && current.nameId === nameId) {
        const at = this.now();
        current.authnInstant = at;
        current.notOnOrAfter = at + lifetimeSeconds * 1000;
        if (address) current.address = address;
        return { session: current, kept: 'same' };
      }
      const next = this.create(persona, nameId, lifetimeSeconds, address);
      next.participants = current.participants.map((p) => ({ ...p }));
      this.byId.delete(current.id);
      return { session: next, kept: 'replaced' };
    }
    return { session: this.create(persona, nameId, lifetimeSeconds, address), kept: 'new' };
  }

  get(id: string | undefined): SsoSession | undefined {
    if (!id) return undefined;
    const s = this.byId.get(id);
    if (s && s.notOnOrAfter <= this.now()) {
      this.byId.delete(id);
      return undefined;
    }
    return s;
  }

  /** By SessionIndex, including the ones participants carried over from a replaced session kept. */
  bySessionIndex(sessionIndex: string): SsoSession | undefined {
    for (const s of this.byId.values()) if (s.sessionIndex === sessionIndex) return this.get(s.id);
    for (const s of this.byId.values()) if (s.participants.some((p) => p.sessionIndex === sessionIndex)) return this.get(s.id);
    return undefined;
  }

  addParticipant(s: SsoSession, p: Omit<Participant, 'at'>): void {
    const existing = s.participants.find((x) => x.serviceId === p.serviceId);
    const at = this.now();
    if (existing) Object.assign(existing, p, { at });
    // A new array of the exact length: `push` onto the empty array would reserve room for 17 elements in each
    // of the 20 000 sessions, most of which only ever have one participant.
    else s.participants = [...s.participants, { serviceId: p.serviceId, issuer: p.issuer, nameId: p.nameId, sessionIndex: p.sessionIndex, at }];
  }

  end(id: string): boolean {
    return this.byId.delete(id);
  }

  list(): SsoSession[] {
    this.sweep();
    return [...this.byId.values()];
  }

  clear(): void {
    this.byId.clear();
    this.earliestExpiry = Infinity;
  }

  get size(): number {
    return this.byId.size;
  }

  private sweep(): void {
    const now = this.now();
    if (now < this.earliestExpiry) return;
    let earliest = Infinity;
    for (const [id, s] of this.byId) {
      const t = s.notOnOrAfter;
      if (t <= now) this.byId.delete(id);
      else if (t < earliest) earliest = t;
    }
    this.earliestExpiry = earliest;
  }
}

/** A small expiring map for pending interactions (login pages, logout runs). */
export class Expiring<T> {
  private readonly items = new Map<string, { value: T; expiresAt: number }>();
  constructor(
    private readonly now: () => number,
    private readonly max = 20000,
  ) {}
  set(id: string, value: T, ttlMs: number): void {
    this.items.set(id, { value, expiresAt: this.now() + ttlMs });
    while (this.items.size > this.max) this.items.delete(this.items.keys().next().value!);
  }
  get(id: string | undefined): T | undefined {
    if (!id) return undefined;
    const it = this.items.get(id);
    if (!it) return undefined;
    if (it.expiresAt <= this.now()) {
      this.items.delete(id);
      return undefined;
    }
    return it.value;
  }
  delete(id: string): void {
    this.items.delete(id);
  }
  clear(): void {
    this.items.clear();
  }
  get size(): number {
    return this.items.size;
  }
}
