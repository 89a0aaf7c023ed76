// The owner of sign-request state (MSIGN.md §4.2): Pending → Success | Failure | Expired, once. Pages,
// scripts and the SOAP operations ask for a transition here; a refused one (the request already ended
// in another tab, expired while it was being signed, or was evicted) changes nothing and is logged, so
// a late finish never overwrites what the e-Service may already have read or been called back with.
import type { EventLog } from '../events.js';
import type { Logger } from '../log.js';
import type { LocalizedMessage } from './messages.js';
import { SignRequestStore, type FinalStatus, type Outcome, type SignRequestRecord, type SignResultRecord } from './store.js';
import type { SignRequest } from './types.js';

export class SignRequests {
  readonly store: SignRequestStore;

  constructor(
    now: () => Date,
    lifetimeSeconds: number,
    retentionSeconds: number,
    private readonly events: EventLog,
    private readonly log: Logger,
  ) {
    this.store = new SignRequestStore(now, lifetimeSeconds, retentionSeconds);
  }

  open(serviceId: string, request: SignRequest): SignRequestRecord {
    return this.store.add(serviceId, request);
  }

  /** The record with its status brought up to date (expiry), or undefined when unknown or purged. */
  get(id: string): SignRequestRecord | undefined {
    return this.store.get(id);
  }

  list(): SignRequestRecord[] {
    return this.store.list();
  }

  clear(): void {
    this.store.clear();
  }

  succeed(rec: SignRequestRecord, results: SignResultRecord[], signer: NonNullable<Outcome['signer']>): boolean {
    return this.settle(rec, 'Success', { results, signer }, `signed by ${signer.idnp} (${signer.kind})`);
  }

  fail(rec: SignRequestRecord, failure: LocalizedMessage): boolean {
    return this.settle(rec, 'Failure', { failure }, `failed: ${failure.key}`);
  }

  expire(rec: SignRequestRecord): boolean {
    return this.settle(rec, 'Expired', { failure: { key: 'expired' } }, 'expired');
  }

  private settle(rec: SignRequestRecord, to: FinalStatus, outcome: Outcome, what: string): boolean {
    const r = this.store.settle(rec, to, outcome);
    if (r.ok) {
      this.events.add({ protocol: 'msign', direction: 'internal', message: 'Sign', verdict: 'info', service: rec.serviceId, summary: `${rec.id} ${what}` });
      return true;
    }
    const message = `${rec.id}: ${r.status === 'Evicted' ? 'the request was evicted from memory' : `the request is already ${r.status}`}, so "${to}" (${what}) is refused; a sign request moves only Pending → Success | Failure | Expired, once (MSIGN.md §4.2).`;
    this.log.warn('msign: refused sign request transition', { requestId: rec.id, status: r.status, refused: to });
    this.events.add({
      protocol: 'msign',
      direction: 'internal',
      message: 'Sign',
      verdict: 'rejected',
      service: rec.serviceId,
      summary: message,
      rejection: { code: 'ERR_SIGN_REQUEST_STATE', where: 'SignRequest/Status', message, found: r.status, expected: 'Pending', fix: 'Nothing to change in the e-Service: the first outcome stands. Post a new SignRequest to sign again.' },
    });
    return false;
  }
}
