// The signing page's token: what a real MSign signing page's session does (MSIGN.md §5.1) — only the browser
// that was shown the page for a RequestID can sign or cancel that request. Knowing a RequestID (it travels
// in URLs and logs) is not enough — and since the page takes cross-site POSTs (e-services open it so), without
// the token any site knowing a RequestID could sign or cancel it, posting the callback to a ReturnUrl of its own. Stateless: a fresh nonce per rendered page, bound to the RequestID by an
// HMAC under a per-process key (a restart invalidates open pages, as it loses their requests anyway).
import crypto from 'node:crypto';

export interface SigningPageTokens {
  /** A new token for one rendering of the page of `requestId`. */
  issue(requestId: string): string;
  /** Whether `token` was issued by this process for `requestId`. */
  verify(requestId: string, token: unknown): boolean;
}

export function signingPageTokens(key: Buffer = crypto.randomBytes(32)): SigningPageTokens {
  const mac = (requestId: string, nonce: string) => crypto.createHmac('sha256', key).update(`msign-page\0${requestId}\0${nonce}`).digest();
  return {
    issue(requestId) {
      const nonce = crypto.randomBytes(16).toString('base64url');
      return `${nonce}.${mac(requestId, nonce).toString('base64url')}`;
    },
    verify(requestId, token) {
      if (typeof token !== 'string' || token.length > 200) return false;
      const [nonce, sig, ...rest] = token.split('.');
      if (!nonce || !sig || rest.length) return false;
      const given = Buffer.from(sig, 'base64url');
      const expected = mac(requestId, nonce);
      return given.length === expected.length && crypto.timingSafeEqual(given, expected);
    },
  };
}
