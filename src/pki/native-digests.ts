// node-forge hashes in pure JavaScript: signing a 10 MB PDF spent ~260 ms in forge's SHA-256 alone.
// This gives forge's message digests a native node:crypto path for large messages (same results), so
// @signpdf's P12Signer and forge's PKCS#7 code keep working unchanged. Small messages (PKCS#12 key
// derivation hashes a few bytes thousands of times) stay in forge, where a call costs less than a
// native Hash object.
import crypto from 'node:crypto';
import forge from 'node-forge';

type ForgeMd = forge.md.MessageDigest & { start(): ForgeMd };
const NATIVE_FROM_BYTES = 64 * 1024;

function hybrid(name: 'sha1' | 'sha256' | 'sha384' | 'sha512', original: () => ForgeMd) {
  return (): ForgeMd => {
    const js = original();
    let native: crypto.Hash | null = null;
    let pending: string[] = [];
    let pendingBytes = 0;
    const md = Object.create(js) as ForgeMd & { messageLength: number };
    md.start = () => {
      js.start();
      native = null;
      pending = [];
      pendingBytes = 0;
      return md;
    };
    md.update = (msg: string, encoding?: 'raw' | 'utf8') => {
      const bytes = encoding === 'utf8' ? forge.util.encodeUtf8(msg) : msg;
      if (native) native.update(Buffer.from(bytes, 'binary'));
      else {
        pending.push(bytes);
        pendingBytes += bytes.length;
        if (pendingBytes >= NATIVE_FROM_BYTES) {
          native = crypto.createHash(name);
          for (const p of pending) native.update(Buffer.from(p, 'binary'));
          pending = [];
        }
      }
      return md;
    };
    // forge allows digest() mid-stream: hash a copy, keep the running state.
    md.digest = () => {
      if (native) return forge.util.createBuffer(native.copy().digest().toString('binary'));
      js.start();
      for (const p of pending) js.update(p);
      return js.digest();
    };
    return md.start();
  };
}

let installed = false;

export function installNativeDigests(): void {
  if (installed) return;
  installed = true;
  for (const name of ['sha1', 'sha256', 'sha384', 'sha512'] as const) {
    const holder = (forge.md as unknown as Record<string, { create: () => ForgeMd } | undefined>)[name];
    if (holder) holder.create = hybrid(name, holder.create.bind(holder));
  }
}
