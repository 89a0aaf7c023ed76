// Sign requests in memory, bounded, with the lifecycle of MSIGN.md §4.2:
// Pending → Success | Failure | Expired; purged (RequestNotFound) after the retention time.
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
  id: string;
  serviceId: string;
  request: SignRequest;
  createdAt: Date;
  expiresAt: Date;
  status: SignStatus;
  finishedAt?: Date;
  results?: SignResultRecord[];
  failure?: LocalizedMessage;
  signer?: { idnp: string; kind: 'natural' | 'legal' };
}

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
    const rec: SignRequestRecord = {
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
    const rec = this.items.get(id);
    if (!rec) return undefined;
    const now = this.now().getTime();
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

  finish(rec: SignRequestRecord, status: Exclude<SignStatus, 'Pending'>, data: Partial<SignRequestRecord> = {}): void {
    this.bytes -= SignRequestStore.sizeOf(rec);
    Object.assign(rec, data, { status, finishedAt: this.now() });
    this.bytes += SignRequestStore.sizeOf(rec);
    if (this.bytes > this.maxBytes) {
      // Keep the record just finished: its e-Service is about to call GetSignResponse.
      const keep = this.items.get(rec.id);
      this.items.delete(rec.id);
      this.makeRoom(0, 0);
      if (keep) this.items.set(rec.id, keep);
    }
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
