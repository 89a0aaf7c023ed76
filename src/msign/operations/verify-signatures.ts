// VerifySignatures (MSIGN.md §4.3): real verification of XAdES against the supplied hash, and of every
// signature of a PDF; localized Message; Subject shaped like the sample. What is trusted (the qualified
// signing CA, the sandbox TSA) is decided in signing/trust.ts; the first reason a content is not valid
// becomes its Message, and every reason goes to the event log through `problems`.
import type { Lang } from '../../lang.js';
import { asLang } from '../../lang.js';
import { localize } from '../messages.js';
import { invalid } from '../soap/faults.js';
import type { Obj } from '../soap/envelope.js';
import { verifyPdf } from '../signing/pades-verify.js';
import { verifyXades } from '../signing/xades.js';
import type { TrustAnchors } from '../signing/trust.js';
import type { MessageKey } from '../messages.js';
import { x509Of } from '../../pki/parsed.js';

const W = 'VerifySignatures/request';

const NAMES: Record<string, string> = { serialNumber: 'SERIALNUMBER', ST: 'S', title: 'T', street: 'STREET', postalCode: 'PostalCode', telephoneNumber: 'Phone' };

/** "O=…, C=MD, SERIALNUMBER=…, CN=…" (MSIGN.md §3.3 sample: most general first, CN last). */
export function subjectString(der: Buffer): string {
  try {
    const x = x509Of(der);
    return x.subject
      .split('\n')
      .map((line) => {
        const i = line.indexOf('=');
        const k = line.slice(0, i);
        return `${NAMES[k] ?? k}=${line.slice(i + 1)}`;
      })
      .join(', ')
      .slice(0, 250);
  } catch {
    return '(unreadable certificate)';
  }
}

export interface VerifyOutcome {
  result: Obj;
  /** "CorrelationID: why", for the event log */
  problems: string[];
}

export function verifySignatures(params: Obj, anchors: TrustAnchors, now: Date): VerifyOutcome {
  const problems: string[] = [];
  const r = params.request as Obj | null | undefined;
  if (!r) throw invalid(W, 'The request parameter is missing or nil.', 'Send <request> with the VerificationRequest members.');
  const langRaw = r.Language as string | null | undefined;
  const lang: Lang | undefined = langRaw ? asLang(langRaw) : 'ro';
  if (!lang) throw invalid(`${W}/Language`, `Language "${langRaw}" is not supported.`, 'Send ro, ru or en (or leave it out for ro).', { found: langRaw ?? '' });
  const type = r.SignedContentType as 'Hash' | 'Pdf';
  const items = r.Contents as Array<Obj | null> | null;
  if (!items || items.length === 0) throw invalid(`${W}/Contents`, 'Contents holds no VerificationContent.', 'Send at least one <VerificationContent>.');
  const seen = new Set<string>();
  const results: Obj[] = items.map((c, i) => {
    const where = `${W}/Contents/VerificationContent[${i + 1}]`;
    if (!c) throw invalid(where, 'A VerificationContent is nil.', 'Remove the nil item.');
    const cid = (c.CorrelationID as string | null | undefined) ?? null;
    if (cid !== null) {
      if (cid.length > 36) throw invalid(`${where}/CorrelationID`, 'CorrelationID is longer than 36 characters.', 'Shorten it to 36 characters.');
      if (seen.has(cid)) throw invalid(`${where}/CorrelationID`, `CorrelationID "${cid}" is used twice.`, 'Give every VerificationContent its own CorrelationID.');
      seen.add(cid);
    }
    const signature = c.Signature as Buffer | null;
    if (!signature || signature.length === 0) throw invalid(`${where}/Signature`, 'Signature is empty.', type === 'Hash' ? 'Send the XAdES document returned by GetSignResponse.' : 'Send the signed PDF.');
    if (type === 'Hash') {
      const content = c.Content as Buffer | null | undefined;
      if (!content) throw invalid(`${where}/Content`, 'Content (the original hash) is required to verify a Hash signature.', 'Send the 20-byte SHA-1 hash that was signed.');
      const v = verifyXades(signature, content, anchors, now);
      if (v.problem) problems.push(`${cid ?? i + 1}: ${v.problem}`);
      const key: MessageKey = v.certificate ? (v.signatureValid ? 'valid' : (v.reason ?? 'invalid')) : 'noSignature';
      return {
        Certificates: v.certificate ? [{ Certificate: v.certificate, SignatureValid: v.signatureValid, SignedAt: v.signatureValid ? v.signedAt : undefined, Subject: subjectString(v.certificate) }] : null,
        CorrelationID: cid,
        Message: localize({ key }, lang),
        SignaturesValid: v.signatureValid,
      };
    }
    const v = verifyPdf(signature, anchors, now);
    if (v.problem) problems.push(`${cid ?? i + 1}: ${v.problem}`);
    v.signers.forEach((s, n) => s.problem && problems.push(`${cid ?? i + 1} signature ${n + 1}: ${s.problem}`));
    const certs = v.signers.filter((s) => s.certificate).map((s) => ({ Certificate: s.certificate!, SignatureValid: s.signatureValid, SignedAt: s.signatureValid ? s.signedAt : undefined, Subject: subjectString(s.certificate!) }));
    const valid = v.signers.length > 0 && v.signers.every((s) => s.signatureValid);
    const firstBad = v.signers.find((s) => !s.signatureValid);
    return {
      Certificates: certs.length ? certs : null,
      CorrelationID: cid,
      Message: localize({ key: v.signers.length ? (valid ? 'valid' : (firstBad?.reason ?? 'invalid')) : 'noSignature' }, lang),
      SignaturesValid: valid,
    };
  });
  return { result: { Results: results }, problems };
}
