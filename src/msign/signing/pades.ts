// PAdES for Pdf contents (MSIGN.md §6): @signpdf with a pdf-lib placeholder and a per-signature P12.
// A PDF that is already signed is co-signed through an incremental update, so earlier signatures'
// byte ranges stay intact; pdf-lib alone would rewrite the file and break them.
import crypto from 'node:crypto';
import { PDFDocument, PDFName, PDFString, PDFArray, PDFDict, PDFRef, type PDFObject } from 'pdf-lib';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { SignPdf } from '@signpdf/signpdf';
import { P12Signer } from '@signpdf/signer-p12';
import forge from 'node-forge';
import { toPfx, type KeyPair } from '../../pki/certificates.js';

export interface PadesInput {
  pdf: Buffer;
  signer: KeyPair;
  chain: string[];
  signerName: string;
  reason?: string | null;
  at: Date;
}

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

function serialize(obj: PDFObject): Buffer {
  const b = new Uint8Array(obj.sizeInBytes());
  obj.copyBytesInto(b, 0);
  return Buffer.from(b);
}

export async function signPdfPades(input: PadesInput): Promise<Buffer> {
  const alreadySigned = signatureRanges(input.pdf).length > 0;
  const pdfDoc = await PDFDocument.load(input.pdf, { updateMetadata: false });
  const before = new Map<string, string>();
  if (alreadySigned) for (const [ref, obj] of pdfDoc.context.enumerateIndirectObjects()) before.set(ref.toString(), hashOf(obj));
  const fieldName = `MSignSignature${signatureRanges(input.pdf).length + 1}`;
  pdflibAddPlaceholder({
    pdfDoc,
    reason: input.reason ?? '',
    contactInfo: '',
    name: input.signerName,
    location: 'Republica Moldova',
    signingTime: input.at,
    appName: 'MSign Sandbox',
  });
  renameLastField(pdfDoc, fieldName);
  const prepared = alreadySigned ? incrementalUpdate(input.pdf, pdfDoc, before) : Buffer.from(await pdfDoc.save({ useObjectStreams: false }));
  const password = crypto.randomBytes(9).toString('base64url');
  const p12 = toPfx(input.signer, input.chain, password, input.signerName, { ephemeral: true });
  return Buffer.from(await new SignPdf().sign(prepared, new P12Signer(p12, { passphrase: password }), input.at));
}

function hashOf(obj: PDFObject): string {
  return crypto.createHash('sha1').update(serialize(obj)).digest('hex');
}

function renameLastField(pdfDoc: PDFDocument, name: string): void {
  const page = pdfDoc.getPages()[0]!;
  const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
  const last = annots?.get(annots.size() - 1);
  const widget = last instanceof PDFRef ? pdfDoc.context.lookupMaybe(last, PDFDict) : undefined;
  widget?.set(PDFName.of('T'), PDFString.of(name));
}

/** Append the new and changed objects with an xref section whose /Prev is the original one. */
function incrementalUpdate(original: Buffer, pdfDoc: PDFDocument, before: Map<string, string>): Buffer {
  const tail = original.toString('latin1', Math.max(0, original.length - 1024));
  const sx = [...tail.matchAll(/startxref\s+(\d+)/g)].pop();
  if (!sx) throw new Error('the PDF has no startxref');
  const parts: Buffer[] = [original];
  let offset = original.length;
  if (original[original.length - 1] !== 0x0a) {
    parts.push(Buffer.from('\n'));
    offset += 1;
  }
  const entries: Array<{ num: number; gen: number; offset: number }> = [];
  for (const [ref, obj] of pdfDoc.context.enumerateIndirectObjects()) {
    if (before.get(ref.toString()) === hashOf(obj)) continue;
    const chunk = Buffer.concat([Buffer.from(`${ref.objectNumber} ${ref.generationNumber} obj\n`), serialize(obj), Buffer.from('\nendobj\n')]);
    entries.push({ num: ref.objectNumber, gen: ref.generationNumber, offset });
    parts.push(chunk);
    offset += chunk.length;
  }
  entries.sort((a, b) => a.num - b.num);
  let xref = 'xref\n';
  for (let i = 0; i < entries.length; ) {
    let j = i;
    while (j + 1 < entries.length && entries[j + 1]!.num === entries[j]!.num + 1) j++;
    xref += `${entries[i]!.num} ${j - i + 1}\n`;
    for (let k = i; k <= j; k++) xref += `${String(entries[k]!.offset).padStart(10, '0')} ${String(entries[k]!.gen).padStart(5, '0')} n\r\n`;
    i = j + 1;
  }
  const info = pdfDoc.context.trailerInfo;
  const trailer = [`/Size ${pdfDoc.context.largestObjectNumber + 1}`, `/Root ${info.Root!.toString()}`, `/Prev ${sx[1]}`];
  if (info.Info) trailer.push(`/Info ${info.Info.toString()}`);
  if (info.ID) trailer.push(`/ID ${info.ID.toString()}`);
  parts.push(Buffer.from(`${xref}trailer\n<< ${trailer.join(' ')} >>\nstartxref\n${offset}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(parts);
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
