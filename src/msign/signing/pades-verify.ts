// PAdES verification and the ByteRanges of a PDF's signatures: plain byte work with node:crypto and
// node-forge's ASN.1 reader, no PDF object model — so reading a PDF never loads pdf-lib.
import crypto from 'node:crypto';
import forge from 'node-forge';

const asn1 = forge.asn1;

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
  problem?: string;
}

/** Verify every signature in a PDF: byte-range digest, CMS signature, chain to the sandbox CA. */
export function verifyPdf(pdf: Buffer, ca: crypto.X509Certificate): { signers: PdfSignerVerdict[]; problem?: string } {
  const ranges = signatureRanges(pdf);
  if (!pdf.subarray(0, 1024).toString('latin1').includes('%PDF-')) return { signers: [], problem: 'not a PDF' };
  if (!ranges.length) return { signers: [], problem: 'no signatures' };
  const signers = ranges.map((r, i) => verifyOne(pdf, r, ca, i === ranges.length - 1));
  return { signers };
}

function verifyOne(pdf: Buffer, [a, b, c, d]: [number, number, number, number], ca: crypto.X509Certificate, last: boolean): PdfSignerVerdict {
  let certificate: Buffer | undefined;
  try {
    if (a !== 0 || b <= 0 || c <= b || c + d > pdf.length) return { signatureValid: false, problem: 'invalid ByteRange' };
    const hex = pdf.toString('latin1', b, c).replace(/[<>\s]/g, '');
    const cms = Buffer.from(hex, 'hex');
    const ci = asn1.fromDer(forge.util.createBuffer(cms.toString('binary')), { parseAllBytes: false } as never);
    const sd = (ci.value as forge.asn1.Asn1[])[1]!.value[0] as forge.asn1.Asn1;
    const parts = sd.value as forge.asn1.Asn1[];
    const certsNode = parts.find((p) => p.tagClass === asn1.Class.CONTEXT_SPECIFIC && p.type === 0);
    const certs = ((certsNode?.value ?? []) as forge.asn1.Asn1[]).map((x) => new crypto.X509Certificate(Buffer.from(asn1.toDer(x).getBytes(), 'binary')));
    const si = (parts[parts.length - 1]!.value as forge.asn1.Asn1[])[0]!.value as forge.asn1.Asn1[];
    const sidSerial = forge.util.bytesToHex((si[1]!.value as forge.asn1.Asn1[])[1]!.value as string).replace(/^0+/, '').toUpperCase();
    const cert = certs.find((x) => x.serialNumber.replace(/^0+/, '').toUpperCase() === sidSerial);
    if (!cert) return { signatureValid: false, problem: 'signer certificate missing' };
    certificate = cert.raw;
    const fail = (problem: string): PdfSignerVerdict => ({ certificate, signatureValid: false, problem });
    if (!cert.verify(ca.publicKey)) return fail('certificate not issued by the sandbox CA');
    const attrsNode = si[3]!;
    if (attrsNode.tagClass !== asn1.Class.CONTEXT_SPECIFIC) return fail('no signed attributes');
    const attrs = attrsNode.value as forge.asn1.Asn1[];
    const digestOid = asn1.derToOid((si[2]!.value as forge.asn1.Asn1[])[0]!.value as string);
    const alg = ({ '2.16.840.1.101.3.4.2.1': 'sha256', '2.16.840.1.101.3.4.2.3': 'sha512', '1.3.14.3.2.26': 'sha1' } as Record<string, string>)[digestOid];
    if (!alg) return fail(`unsupported digest ${digestOid}`);
    const md = attrs.find((x) => asn1.derToOid((x.value as forge.asn1.Asn1[])[0]!.value as string) === '1.2.840.113549.1.9.4');
    const mdValue = md ? Buffer.from(((md.value as forge.asn1.Asn1[])[1]!.value as forge.asn1.Asn1[])[0]!.value as string, 'binary') : undefined;
    const digest = crypto.createHash(alg).update(pdf.subarray(a, a + b)).update(pdf.subarray(c, c + d)).digest();
    if (!mdValue || !mdValue.equals(digest)) return fail('the document was modified after signing (digest mismatch)');
    const setDer = Buffer.from(asn1.toDer(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, attrs)).getBytes(), 'binary');
    const sig = Buffer.from(si[5]!.value as string, 'binary');
    if (!crypto.verify(alg, setDer, cert.publicKey, sig)) return fail('signature value invalid');
    if (last && pdf.subarray(c + d).toString('latin1').trim() !== '') return fail('content was appended after the last signature');
    return { certificate, signatureValid: true };
  } catch (e) {
    return { certificate, signatureValid: false, problem: `unreadable signature (${(e as Error).message})` };
  }
}
