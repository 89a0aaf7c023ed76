// PAdES-B-T for Pdf contents (MSIGN.md §6): @signpdf with a pdf-lib placeholder (SubFilter
// ETSI.CAdES.detached) and the CAdES signer of cades.ts (signing-certificate-v2, signature time-stamp).
// A PDF that is already signed is co-signed through an incremental update, so earlier signatures'
// byte ranges stay intact; pdf-lib alone would rewrite the file and break them.
import crypto from 'node:crypto';
import { PDFDocument, PDFName, PDFString, PDFArray, PDFDict, PDFRef, type PDFObject } from 'pdf-lib';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { SignPdf } from '@signpdf/signpdf';
import type { KeyPair } from '../../pki/certificates.js';
import { CadesSigner } from './cades.js';
import { signatureRanges, SUBFILTER_ETSI_CADES_DETACHED } from './pades-verify.js';

export interface PadesInput {
  pdf: Buffer;
  signer: KeyPair;
  chain: string[];
  tsa: KeyPair;
  signerName: string;
  reason?: string | null;
  at: Date;
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
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    // Room for the CMS with two certificates plus the time-stamp token with the TSA's (the default 8192
    // hex digits held the adbe.pkcs7.detached signature, not a PAdES-B-T one).
    signatureLength: 16384,
  });
  renameLastField(pdfDoc, fieldName);
  const prepared = alreadySigned ? incrementalUpdate(input.pdf, pdfDoc, before) : Buffer.from(await pdfDoc.save({ useObjectStreams: false }));
  const signer = new CadesSigner({ signer: input.signer, chain: input.chain, tsa: input.tsa, at: input.at });
  return Buffer.from(await new SignPdf().sign(prepared, signer, input.at));
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

