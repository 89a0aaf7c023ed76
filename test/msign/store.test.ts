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
