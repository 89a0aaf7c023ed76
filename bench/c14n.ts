// Issue 12 §2, the verifier half: would a WebAssembly canonicaliser make *verifying* incoming AuthnRequests
// faster than xml-crypto? Measured, not adopted unless it is ≥ 2× faster AND passes the whole hostile catalogue
// (test/hostile/signatures.test.ts, fuzz.test.ts). `BENCH_ONLY=c14n npm run bench` runs this section alone.
//
// Candidate: libxml2-wasm (libxml2 compiled to WebAssembly, maintained, exposes xmlC14NExecute with exclusive
// c14n). Both sides do the whole enveloped-signature verification of the same official-style request
// (test/official-client.ts, the .NET client's shape) against the registered certificate, keys parsed once:
//   xml-crypto:   parse (@xmldom) → exc-c14n of SignedInfo → exc-c14n of the referenced root minus Signature →
//                 SHA-256 → RSA-SHA256 verify (what src/mpass/verify does through xml-crypto);
//   libxml2-wasm: parse (libxml2, no entity substitution, no DTD loading, no network) → the same two
//                 canonicalisations in WebAssembly → the same digest and RSA verify in node:crypto.
// The libxml2 path is a measurement harness only: it checks one Reference to the root, which is all an
// official request has, and none of the structural checks (XSW, algorithm allow-list) that src/ performs.
import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { SignedXml } from 'xml-crypto';
import { XmlDocument, XmlElement, ParseOption, XmlC14NMode } from 'libxml2-wasm';

const DS = 'http://www.w3.org/2000/09/xmldsig#';

export interface C14nResult {
  rows: Array<[string, string, string?]>;
  json: Record<string, number>;
}

function rate(fn: () => unknown, ms: number): number {
  for (let i = 0; i < 30; i++) fn();
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    fn();
    n++;
  }
  return n / ((performance.now() - t0) / 1000);
}

/** Verifies `xml` (an enveloped signature over its root) with libxml2-wasm's canonicaliser; true when valid. */
export function verifyWithLibxml2(xml: string, key: crypto.KeyObject): boolean {
  // No NOENT (entities are not substituted), no DTDLOAD, NONET: never resolve external entities.
  const doc = XmlDocument.fromString(xml, { option: ParseOption.XML_PARSE_NONET });
  try {
    const ns = { ds: DS };
    const root = doc.root;
    const sig = root.get('ds:Signature', ns);
    const signedInfo = sig?.get('ds:SignedInfo', ns);
    const ref = signedInfo?.get('ds:Reference', ns);
    const digest = ref?.get('ds:DigestValue', ns)?.content.trim();
    const value = sig?.get('ds:SignatureValue', ns)?.content.replace(/\s+/g, '');
    const uri = ref instanceof XmlElement ? ref.attr('URI')?.value : undefined;
    const id = root.attr('ID')?.value;
    if (!sig || !signedInfo || !digest || !value || !uri || uri !== `#${id}`) return false;
    // SignedInfo in exclusive c14n (a subtree: libxml2-wasm asks JavaScript whether each node is visible).
    const si = signedInfo.canonicalizeToString({ mode: XmlC14NMode.XML_C14N_EXCLUSIVE_1_0 });
    // The enveloped-signature transform, then the referenced element (the root, so the whole document: no callback).
    // XMLDSig §4.3.3.2/§6.6: a node-set left after the last Transform is canonicalised with inclusive C14N 1.0;
    // the official .NET client lists only enveloped-signature, so that is the default here.
    const exclusive = ref!.find('ds:Transforms/ds:Transform', ns).some((t) => t instanceof XmlElement && t.attr('Algorithm')?.value === 'http://www.w3.org/2001/10/xml-exc-c14n#');
    sig.remove();
    const referenced = doc.canonicalizeToString({ mode: exclusive ? XmlC14NMode.XML_C14N_EXCLUSIVE_1_0 : XmlC14NMode.XML_C14N_1_0 });
    if (crypto.createHash('sha256').update(referenced).digest('base64') !== digest) return false;
    return crypto.verify('sha256', Buffer.from(si), key, Buffer.from(value, 'base64'));
  } finally {
    doc.dispose();
  }
}

export function c14nSection(request: string, certPem: string, ms = 2000): C14nResult {
  const key = crypto.createPublicKey(certPem);
  const sigXml = /<Signature[\s\S]*<\/Signature>/.exec(request)![0];
  const xmlCrypto = () => {
    const sig = new SignedXml({ publicCert: key, getCertFromKeyInfo: () => null });
    sig.loadSignature(sigXml);
    if (!sig.checkSignature(request)) throw new Error('c14n: xml-crypto does not verify the request');
  };
  const wasm = () => {
    if (!verifyWithLibxml2(request, key)) throw new Error('c14n: libxml2-wasm does not verify the request');
  };
  // Both must also refuse a tampered copy, or the harness measures nothing.
  const tampered = request.replace(/AssertionConsumerServiceURL="([^"]*)"/, 'AssertionConsumerServiceURL="$1x"');
  if (tampered === request || verifyWithLibxml2(tampered, key)) throw new Error('c14n: libxml2-wasm harness accepts a tampered request');
  const xc = rate(xmlCrypto, ms);
  const lx = rate(wasm, ms);
  const rsa = rate(() => crypto.verify('sha256', Buffer.from('x'), key, Buffer.alloc(256)), ms / 2);
  const ratio = lx / xc;
  return {
    rows: [
      [`xml-crypto verify, official-style AuthnRequest (${request.length} B), one core`, `${Math.round(xc)} /s`],
      ['libxml2-wasm 0.7.2 verify (parse + both canonicalisations in WebAssembly), one core', `${Math.round(lx)} /s`],
      ['  RSA-2048 crypto.verify alone, one core', `${Math.round(rsa)} /s`],
      ['libxml2-wasm / xml-crypto (verification)', `${ratio.toFixed(2)} ×`, `adopt only if ≥ 2× and the hostile catalogue passes: ${ratio >= 2 ? '≥ 2× — catalogue still to run before adopting' : 'not met, xml-crypto kept'}`],
    ],
    json: { xmlCryptoVerifyPerSec: xc, libxml2WasmVerifyPerSec: lx, rsaVerifyPerSec: rsa, libxml2OverXmlCrypto: ratio, requestBytes: request.length },
  };
}
