// Replayed requests (issue 8): MPass answers a signed request once. The IDs of accepted AuthnRequests and
// LogoutRequests are remembered per issuer for as long as their IssueInstant stays inside the accepted
// window (CLOCK_SKEW_SECONDS around the sandbox's own time, src/clock.ts); after that the IssueInstant check
// refuses the message anyway, so the entry can go. Memory is bounded by the window and by a hard cap.
import type { Rejection } from '../errors.js';
import { truncate } from '../errors.js';
import { ownedCopy } from '../events.js';
import type { Check } from './verify/checks.js';

export type ReplayedKind = 'AuthnRequest' | 'LogoutRequest';

export class ReplayCache {
  private readonly seen = new Map<string, { firstSeen: number; expiresAt: number }>();
  private nextSweep = 0;

  constructor(
    private readonly now: () => number,
    private readonly max = 200_000,
  ) {}

  private key(kind: ReplayedKind, issuer: string, id: string): string {
    return `${kind}\u0000${issuer}\u0000${id}`;
  }

  /** Refuses an ID this issuer already had accepted while it is still inside the window. */
  check(kind: ReplayedKind, issuer: string, id: string): Check {
    return (): Rejection | null => {
      const hit = this.seen.get(this.key(kind, issuer, id));
      if (!hit || hit.expiresAt <= this.now()) return null;
      return {
        code: 'ERR_REPLAYED_ID',
        where: `${kind}/@ID`,
        message: `This ${kind} ID was already accepted from this issuer at ${new Date(hit.firstSeen).toISOString()} (sandbox time); MPass answers each request once.`,
        found: truncate(id),
        expected: 'a fresh ID',
        at: new Date(hit.firstSeen).toISOString(),
        fix: `Build a new ${kind} with a new ID for every attempt; never resend or replay a signed request (a browser back button or a retry loop can do this).`,
      };
    };
  }

  /** Remember an accepted request until its IssueInstant leaves the window (issueInstant + skew). */
  remember(kind: ReplayedKind, issuer: string, id: string, issueInstant: Date, skewSeconds: number): void {
    const now = this.now();
    this.sweep(now);
    const expiresAt = Math.max(now, issueInstant.getTime()) + skewSeconds * 1000;
    // The key outlives the request: copy it, or its ID (a slice of the decoded message) keeps the whole XML.
    const key = ownedCopy(this.key(kind, issuer, id));
    this.seen.delete(key);
    this.seen.set(key, { firstSeen: now, expiresAt });
    while (this.seen.size > this.max) this.seen.delete(this.seen.keys().next().value!);
  }

  clear(): void {
    this.seen.clear();
  }

  get size(): number {
    return this.seen.size;
  }

  private sweep(now: number): void {
    if (now < this.nextSweep) return;
    this.nextSweep = now + 30_000;
    for (const [k, v] of this.seen) if (v.expiresAt <= now) this.seen.delete(k);
  }
}
