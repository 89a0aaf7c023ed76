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
  ) {}

  add(serviceId: string, request: SignRequest): SignRequestRecord {
    this.purge();
    if (this.items.size >= this.max) {
      // Drop the oldest: Map iteration order is insertion order.
      const oldest = this.items.keys().next().value;
      if (oldest !== undefined) this.items.delete(oldest);
    }
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
      this.items.delete(id);
      return undefined;
    }
    return rec;
  }

  finish(rec: SignRequestRecord, status: Exclude<SignStatus, 'Pending'>, data: Partial<SignRequestRecord> = {}): void {
    Object.assign(rec, data, { status, finishedAt: this.now() });
  }

  list(): SignRequestRecord[] {
    return [...this.items.keys()].map((k) => this.get(k)).filter((r): r is SignRequestRecord => !!r);
  }

  purge(): void {
    for (const id of [...this.items.keys()]) this.get(id);
  }

  clear(): void {
    this.items.clear();
  }

  get size(): number {
    return this.items.size;
  }
}
