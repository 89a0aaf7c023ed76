// The sign-request store stays bounded in count and bytes, and follows the lifecycle of MSIGN.md §4.2.
import { describe, expect, it } from 'vitest';
import { SignRequestStore } from '../../src/msign/store.js';
import type { SignRequest } from '../../src/msign/types.js';

const req = (bytes: number): SignRequest => ({
  contentDescription: null,
  contentType: 'Pdf',
  contents: [{ content: Buffer.alloc(bytes), correlationId: null, multipleSignatures: false, name: null }],
  expectedSigner: null,
  shortContentDescription: 'x',
  signatureReason: null,
});

describe('SignRequestStore', () => {
  it('drops the oldest requests past the count and byte limits', () => {
    let now = 0;
    const s = new SignRequestStore(() => new Date(now), 60, 60, 3, 1000);
    const a = s.add('svc', req(10));
    s.add('svc', req(10));
    s.add('svc', req(10));
    s.add('svc', req(10));
    expect(s.size).toBe(3);
    expect(s.get(a.id)).toBeUndefined();
    const big = s.add('svc', req(900));
    const next = s.add('svc', req(200));
    expect(s.get(big.id)).toBeUndefined();
    expect(s.get(next.id)?.status).toBe('Pending');
    now = 61_000;
    expect(s.get(next.id)?.status).toBe('Expired');
    now = 122_000;
    expect(s.get(next.id)).toBeUndefined();
    expect(s.size).toBe(0);
  });
});

describe('SignRequestStore transitions', () => {
  it('settles Pending once; refuses a second outcome and a record evicted meanwhile, whose bytes are not subtracted twice', () => {
    const s = new SignRequestStore(() => new Date(0), 60, 60, 10, 1000);
    const a = s.add('svc', req(600));
    expect(s.settle(a, 'Failure', { failure: { key: 'cancelled' } }).ok).toBe(true);
    expect(s.settle(a, 'Success', { results: [] })).toMatchObject({ ok: false, status: 'Failure' });
    expect(s.get(a.id)?.status).toBe('Failure');

    const b = s.add('svc', req(300));
    // c needs room: a (600 bytes) is evicted while b is "being signed".
    const c = s.add('svc', req(600));
    expect(s.get(a.id)).toBeUndefined();
    expect(s.bytesUsed).toBe(900);
    s.add('svc', req(200)); // evicts b
    expect(s.get(b.id)).toBeUndefined();
    expect(s.settle(b, 'Success', { results: [{ signature: Buffer.alloc(100) }] })).toMatchObject({ ok: false, status: 'Evicted' });
    expect(s.get(b.id)).toBeUndefined();
    expect(s.bytesUsed).toBe(800);
    expect(s.get(c.id)?.status).toBe('Pending');
  });
});
