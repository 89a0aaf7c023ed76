// Issue 12 §3: the replay cache stores a flat copy of its key (src/events.ts `ownedCopy`), because the request ID is
// a V8 slice of the whole decoded AuthnRequest and the cache keeps IDs for the clock window. The copy must be exact
// for every string an issuer or ID can be, or a replay would slip through (the memory effect is in bench/RESULTS.md).
import { describe, expect, it } from 'vitest';
import { ownedCopy } from '../../src/events.js';
import { ReplayCache } from '../../src/mpass/replay.js';

const odd = ['', '_a1b2', 'https://ecoalert.localhost', 'ID-ăîșțâ', 'Ключ-ИД', '😀-id', 'lone \ud800 surrogate', 'x\u0000y', 'ÿ\u0100'];

describe('replay cache keys', () => {
  it('ownedCopy returns the same code units for Latin-1, non-Latin-1, astral and lone-surrogate strings', () => {
    for (const s of odd) expect(ownedCopy(s)).toBe(s);
    const whole = `<samlp:AuthnRequest ID="_${'9'.repeat(40)}" ${'x'.repeat(4000)}/>`;
    expect(ownedCopy(whole.slice(20, 62))).toBe(whole.slice(20, 62));
  });

  it('an ID remembered from a slice of a message is refused again, whatever characters issuer and ID have', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const cache = new ReplayCache(() => now);
    for (const issuer of odd) {
      for (const id of odd.filter(Boolean)) {
        const message = `<AuthnRequest ID="${id}" Issuer="${issuer}">${'.'.repeat(1000)}</AuthnRequest>`;
        const sliced = message.slice(message.indexOf('"') + 1, message.indexOf('"') + 1 + id.length);
        cache.remember('AuthnRequest', issuer, sliced, new Date(now), 600);
        expect(cache.check('AuthnRequest', issuer, `${id}`)()?.code, `${issuer} / ${id}`).toBe('ERR_REPLAYED_ID');
        expect(cache.check('LogoutRequest', issuer, id)()).toBeNull();
      }
    }
  });
});
