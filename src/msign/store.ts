// Sign requests in memory, bounded, with the lifecycle of MSIGN.md §4.2:
// Pending → Success | Failure | Expired, once; purged (RequestNotFound) after the retention time.
// The store is the only writer of a record's status: `settle` is the one transition and it refuses
// everything but Pending → final on a record that is still stored (a cancelled, expired or evicted
// request never becomes Success because a signing that started earlier finished later).
import crypto from 'node:crypto';
import type { LocalizedMessage } from './messages.js';
import type { SignRequest } from './types.js';

export type SignStatus = 'Pending' | 'Success' | 'Failure' | 'Expired';

export interface SignResultRecord {
  correlationId?: string | null;
  certificate?: Buffer;
  signature?: Buffer;
}

export interface SignRequestRecord {
  readonly id: string;
  readonly serviceId: string;
  readonly request: SignRequest;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly status: SignStatus;
  readonly finishedAt?: Date;
  readonly results?: SignResultRecord[];
  readonly failure?: LocalizedMessage;
  readonly signer?: { idnp: string; kind: 'natural' | 'legal' };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export type FinalStatus = Exclude<SignStatus, 'Pending'>;

/** What a settled request carries besides its status. */
export interface Outcome {
  results?: SignResultRecord[];
  failure?: LocalizedMessage;
  signer?: { idnp: string; kind: 'natural' | 'legal' };
}

export type SettleResult =
  | { ok: true; rec: SignRequestRecord }
  /** `status` is what the request already is; 'Evicted' when it is no longer stored. */
  | { ok: false; status: FinalStatus | 'Evicted'; rec: SignRequestRecord };

export class SignRequestStore {
  private items = new Map<string, SignRequestRecord>();
  constructor(
    private readonly now: () => Date,
    private readonly lifetimeSeconds: number,
    private readonly retentionSeconds: number,
    private readonly max = 5000,
    /** PDFs make records heavy: past this many bytes of contents and signatures the oldest go first. */
    private readonly maxBytes = 512 * 1024 * 1024,
  ) {}

  private bytes = 0;

  private static sizeOf(rec: SignRequestRecord): number {
    let n = 0;
    for (const c of rec.request.contents) n += c.content.length;
    for (const r of rec.results ?? []) n += (r.signature?.length ?? 0) + (r.certificate?.length ?? 0);
    return n;
  }

  private drop(id: string): void {
    const rec = this.items.get(id);
    if (!rec) return;
    this.bytes -= SignRequestStore.sizeOf(rec);
    this.items.delete(id);
  }

  /** Bytes of contents and signatures held by the stored records (the maxBytes budget). */
  get bytesUsed(): number {
    return this.bytes;
  }

  private makeRoom(incoming = 0, slots = 1): void {
    while (this.items.size > 0 && (this.items.size + slots > this.max || this.bytes + incoming > this.maxBytes)) {
      // Map iteration order is insertion order: the first key is the oldest request.
      this.drop(this.items.keys().next().value!);
    }
  }

  add(serviceId: string, request: SignRequest): SignRequestRecord {
    this.purge();
    this.makeRoom(request.contents.reduce((n, c) => n + c.content.length, 0));
    const now = this.now();
    const rec: Mutable<SignRequestRecord> = {
      id: crypto.randomUUID().replace(/-/g, ''), // 32 lowercase hex, like the sample RequestID (§4.1)
      serviceId,
      request,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.lifetimeSeconds * 1000),
      status: 'Pending',
    };
    this.items.set(rec.id, rec);
    this.bytes += SignRequestStore.sizeOf(rec);
    return rec;
  }

  /** The record with its status brought up to date, or undefined when unknown or purged. */
  get(id: string): SignRequestRecord | undefined {
    const rec = this.items.get(id) as Mutable<SignRequestRecord> | undefined;
    if (!rec) return undefined;
    const now = this.now().getTime();
    // Expiry is the lifetime running out, not a decision: it happens on read, once (MSIGN.md §4.2).
    if (rec.status === 'Pending' && now >= rec.expiresAt.getTime()) {
      rec.status = 'Expired';
      rec.finishedAt = rec.expiresAt;
      rec.failure = { key: 'expired' };
    }
    const endedAt = rec.finishedAt ?? rec.expiresAt;
    if (rec.status !== 'Pending' && now >= endedAt.getTime() + this.retentionSeconds * 1000) {
      this.drop(id);
      return undefined;
    }
    return rec;
  }

  /**
   * Pending → Success | Failure | Expired, once. Refused (and nothing changes) when the request already
   * ended — cancelled in another tab, expired meanwhile — or was evicted while it was being signed.
   */
  settle(rec: SignRequestRecord, status: FinalStatus, outcome: Outcome = {}): SettleResult {
    const stored = this.items.get(rec.id) === rec ? this.get(rec.id) : undefined;
    if (!stored) return { ok: false, status: 'Evicted', rec };
    if (stored.status !== 'Pending') return { ok: false, status: stored.status, rec: stored };
    const m = stored as Mutable<SignRequestRecord>;
    this.bytes -= SignRequestStore.sizeOf(m);
    m.results = outcome.results;
    m.failure = outcome.failure;
    m.signer = outcome.signer;
    m.status = status;
    m.finishedAt = this.now();
    this.bytes += SignRequestStore.sizeOf(m);
    if (this.bytes > this.maxBytes) {
      // Keep the record just finished: its e-Service is about to call GetSignResponse.
      const size = SignRequestStore.sizeOf(m);
      this.items.delete(m.id);
      this.bytes -= size;
      this.makeRoom(size, 0);
      this.items.set(m.id, m);
      this.bytes += size;
    }
    return { ok: true, rec: m };
  }

  list(): SignRequestRecord[] {
    return [...this.items.keys()].map((k) => this.get(k)).filter((r): r is SignRequestRecord => !!r);
  }

  purge(): void {
    for (const id of [...this.items.keys()]) this.get(id);
  }

  clear(): void {
    this.items.clear();
    this.bytes = 0;
  }

  get size(): number {
    return this.items.size;
  }
}
