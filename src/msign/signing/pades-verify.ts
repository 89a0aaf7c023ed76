// PAdES verification and the ByteRanges of a PDF's signatures: plain byte work with node:crypto and
// node-forge's ASN.1 reader, no PDF object model — so reading a PDF never loads pdf-lib.
import crypto from 'node:crypto';
import forge from 'node-forge';
import type { MessageKey } from '../messages.js';
import { asn1, attributeValues, der, fromDer, OID, oidOf, set, type Asn1 } from './cms.js';
import { verifyTimestampToken } from './tsa.js';
import { distrustSigner, type TrustAnchors } from './trust.js';

/** SubFilter of a PAdES baseline signature; the value of @signpdf/utils' SUBFILTER_ETSI_CADES_DETACHED. */
export const SUBFILTER_ETSI_CADES_DETACHED = 'ETSI.CAdES.detached';

/** ByteRange arrays of the signatures already in a PDF (in file order). */
export function signatureRanges(pdf: Buffer): Array<[number, number, number, number]> {
  const out: Array<[number, number, number, number]> = [];
  const text = pdf.toString('latin1');
  for (const m of text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)) {
    out.push([Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])]);
  }
  return out;
}

export interface PdfSignerVerdict {
  certificate?: Buffer;
  signatureValid: boolean;
  /** genTime of the signature time-stamp (PAdES-B-T) */
  signedAt?: Date;
  /** SubFilter of the signature dictionary */
  subFilter?: string;
  problem?: string;
  reason?: MessageKey;
}

/**
 * Verify every signature in a PDF: byte-range digest, CMS signature, the ESS signing-certificate-v2 when
 * present, the signature time-stamp when present (its genTime is SignedAt), and trust (trust.ts) at that
 * time — or now, for a signature without a time-stamp.
 */
export function verifyPdf(pdf: Buffer, anchors: TrustAnchors, now: Date): { signers: PdfSignerVerdict[]; problem?: string } {
  const ranges = signatureRanges(pdf);
  if (!pdf.subarray(0, 1024).toString('latin1').includes('%PDF-')) return { signers: [], problem: 'not a PDF' };
  if (!ranges.length) return { signers: [], problem: 'no signatures' };
  const signers = ranges.map((r, i) => verifyOne(pdf, r, anchors, now, i === ranges.length - 1));
  return { signers };
}

const DIGESTS: Record<string, string> = { '2.16.840.1.101.3.4.2.1': 'sha256', '2.16.840.1.101.3.4.2.3': 'sha512', '1.3.14.3.2.26': 'sha1' };

/** The /SubFilter of the signature dictionary holding this ByteRange (same dictionary, shortly before or after). */
function subFilterNear(pdf: Buffer, byteRangeAt: number): string | undefined {
  const around = pdf.toString('latin1', Math.max(0, byteRangeAt - 600), byteRangeAt + 200);
  return /\/SubFilter\s*\/([A-Za-z0-9.#_-]+)/.exec(around)?.[1];
}

function verifyOne(pdf: Buffer, [a, b, c, d]: [number, number, number, number], anchors: TrustAnchors, now: Date, last: boolean): PdfSignerVerdict {
  let certificate: Buffer | undefined;
  const subFilter = subFilterNear(pdf, b);
  try {
    if (a !== 0 || b <= 0 || c <= b || c + d > pdf.length) return { signatureValid: false, problem: 'invalid ByteRange' };
    const hex = pdf.toString('latin1', b, c).replace(/[<>\s]/g, '');
    const cms = Buffer.from(hex, 'hex');
    const ci = fromDer(cms);
    const sd = (ci.value as Asn1[])[1]!.value[0] as Asn1;
    const parts = sd.value as Asn1[];
    const certsNode = parts.find((p) => p.tagClass === asn1.Class.CONTEXT_SPECIFIC && p.type === 0);
    const certs = ((certsNode?.value ?? []) as Asn1[]).map((x) => new crypto.X509Certificate(der(x)));
    const si = (parts[parts.length - 1]!.value as Asn1[])[0]!.value as Asn1[];
    const sidSerial = forge.util.bytesToHex((si[1]!.value as Asn1[])[1]!.value as string).replace(/^0+/, '').toUpperCase();
    const cert = certs.find((x) => x.serialNumber.replace(/^0+/, '').toUpperCase() === sidSerial);
    if (!cert) return { signatureValid: false, subFilter, problem: 'signer certificate missing' };
    certificate = cert.raw;
    const fail = (problem: string, reason?: MessageKey): PdfSignerVerdict => ({ certificate, signatureValid: false, subFilter, problem, reason });
    const attrsNode = si[3]!;
    if (attrsNode.tagClass !== asn1.Class.CONTEXT_SPECIFIC) return fail('no signed attributes');
    const attrs = attrsNode.value as Asn1[];
    const digestOid = oidOf((si[2]!.value as Asn1[])[0]!);
    const alg = DIGESTS[digestOid];
    if (!alg) return fail(`unsupported digest ${digestOid}`);
    const md = attributeValues(attrs, OID.messageDigest)?.[0];
    const mdValue = md ? Buffer.from(md.value as string, 'binary') : undefined;
    const digest = crypto.createHash(alg).update(pdf.subarray(a, a + b)).update(pdf.subarray(c, c + d)).digest();
    if (!mdValue || !mdValue.equals(digest)) return fail('the document was modified after signing (digest mismatch)');
    const sig = Buffer.from(si[5]!.value as string, 'binary');
    if (!crypto.verify(alg, der(set(attrs)), cert.publicKey, sig)) return fail('signature value invalid');
    // RFC 5035 §5.4: the signing-certificate-v2 binds the signer certificate (by SHA-256, the default).
    const scv2 = attributeValues(attrs, OID.signingCertificateV2)?.[0];
    if (scv2) {
      const first = ((scv2.value as Asn1[])[0]!.value as Asn1[])[0]!.value as Asn1[];
      const hashed = first[0]!.type === asn1.Type.SEQUENCE ? first[1]! : first[0]!;
      const hashAlg = first[0]!.type === asn1.Type.SEQUENCE ? DIGESTS[oidOf((first[0]!.value as Asn1[])[0]!)] : 'sha256';
      if (!hashAlg || !Buffer.from(hashed.value as string, 'binary').equals(crypto.createHash(hashAlg).update(cert.raw).digest())) return fail('signing-certificate-v2 does not match the signer certificate');
    } else if (subFilter === SUBFILTER_ETSI_CADES_DETACHED) {
      // ETSI EN 319 142-1 §5.2.2: a CAdES-based PAdES signature carries the ESS signing certificate.
      return fail('ETSI.CAdES.detached signature without the ESS signing-certificate-v2 attribute');
    }
    const untrusted = distrustSigner(cert, anchors);
    if (untrusted) return fail(untrusted.detail, untrusted.key);
    let signedAt: Date | undefined;
    const unsigned = si[6]?.tagClass === asn1.Class.CONTEXT_SPECIFIC ? (si[6].value as Asn1[]) : [];
    const tst = attributeValues(unsigned, OID.signatureTimeStampToken)?.[0];
    if (tst) {
      const v = verifyTimestampToken(der(tst), sig, anchors);
      if (!v.ok) return fail(`signature time-stamp: ${v.reason}`, v.key ?? 'untrustedTimestamp');
      signedAt = v.genTime;
    }
    const distrust = distrustSigner(cert, anchors, signedAt ?? now);
    if (distrust) return fail(distrust.detail, distrust.key);
    if (last && pdf.subarray(c + d).toString('latin1').trim() !== '') return fail('content was appended after the last signature');
    return { certificate, signatureValid: true, signedAt, subFilter };
  } catch (e) {
    return { certificate, signatureValid: false, subFilter, problem: `unreadable signature (${(e as Error).message})` };
  }
}
