// The filled "Formular pentru integrarea serviciilor MPass/MSign" (issue 10 §3), laid out as the EcoAlert
// annex: a title, then numbered sections of label/value rows, then the signature block. A real PDF
// (pdf-lib) with DejaVu Sans embedded (subset), so Romanian diacritics (ă â î ș ț) and Cyrillic print; the
// sandbox's own MSign can sign it (PAdES). Pure apart from reading the bundled font files once.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { Lang } from '../lang.js';
import { describeCertificate } from '../pki/certificates.js';
import type { Service } from '../registry/service.js';
import { formLabels, type FormLabels } from './texts.js';

// views/fonts ships with the image (the Dockerfile copies views/); from dist/src/conformance or src/conformance.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', ...(import.meta.url.includes('/dist/') ? ['..'] : []));
let fonts: { regular: Buffer; bold: Buffer } | undefined;
const fontFiles = () => (fonts ??= { regular: fs.readFileSync(path.join(root, 'views/fonts/DejaVuSans.ttf')), bold: fs.readFileSync(path.join(root, 'views/fonts/DejaVuSans-Bold.ttf')) });

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 50;
const LABEL_W = 170;
const SIZE = 9.5;
const LEADING = 13;

type Row = [label: string, value: string];
interface Section {
  title: string;
  rows: Row[];
}

/** The form's content as data (what the PDF shows, in order). */
export function formSections(service: Service, lang: Lang): { labels: FormLabels; sections: Section[] } {
  const L = formLabels(lang);
  const cert = describeCertificate(service.certificate);
  const contract = (c: { number: string; date: string } | undefined) => (c ? `${c.number}, ${c.date}` : L.contractNone);
  const sections: Section[] = [
    { title: L.s1, rows: [[L.nameRo, service.name.ro], [L.nameRu, service.name.ru], [L.nameEn, service.name.en], [L.description, service.description]] },
    { title: L.s2, rows: [[L.contactName, service.contact.name], [L.email, service.contact.email], [L.phone, service.contact.phone ?? L.none]] },
    {
      title: L.s3,
      rows: [[L.subject, cert.subject], [L.issuer, cert.issuer], [L.serial, cert.serialNumber], [L.fingerprint, cert.fingerprintSha256], [L.validFrom, cert.validFrom.slice(0, 10)], [L.validTo, cert.validTo.slice(0, 10)], [L.file, L.fileValue]],
    },
    {
      title: L.s4,
      rows: service.mpass
        ? [
            [L.contract, contract(service.mpass.contract)],
            [L.entityId, service.mpass.issuer],
            [L.acs, service.mpass.assertionConsumerServiceUrl],
            [L.logoutRequest, service.mpass.logoutRequestUrl],
            [L.logoutResponse, service.mpass.logoutResponseUrl],
            [L.attributes, service.mpass.attributes.join(', ') || L.none],
            [L.customAttributes, service.mpass.customAttributes.map((c) => c.name).join(', ') || L.none],
          ]
        : [[L.s4.replace(/^\d+\.\s*/, ''), L.notRequested]],
    },
    {
      title: L.s5,
      rows: service.msign
        ? [[L.contract, contract(service.msign.contract)], [L.ips, service.msign.ipAddresses.join(', ')], [L.signerType, L[service.msign.signerType]]]
        : [[L.s5.replace(/^\d+\.\s*/, ''), L.notRequested]],
    },
  ];
  return { labels: L, sections };
}

export async function integrationFormPdf(service: Service, lang: Lang, now: Date): Promise<Uint8Array> {
  const { labels: L, sections } = formSections(service, lang);
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const { regular: regularBytes, bold: boldBytes } = fontFiles();
  const regular = await doc.embedFont(regularBytes, { subset: true });
  const bold = await doc.embedFont(boldBytes, { subset: true });
  doc.setTitle(`${L.title} — ${service.name[lang]}`);
  doc.setSubject(L.title);
  doc.setAuthor(service.contact.name);
  doc.setLanguage(lang === 'ro' ? 'ro-MD' : lang === 'ru' ? 'ru-MD' : 'en');
  doc.setCreator('MPass/MSign sandbox');
  doc.setCreationDate(now);
  doc.setModificationDate(now);

  let page = doc.addPage(A4);
  let y = A4[1] - MARGIN;
  const width = A4[0] - 2 * MARGIN;
  const ensure = (h: number) => {
    if (y - h < MARGIN) {
      page = doc.addPage(A4);
      y = A4[1] - MARGIN;
    }
  };

  for (const line of wrap(L.title, bold, 15, width)) {
    page.drawText(line, { x: MARGIN, y: y - 15, size: 15, font: bold });
    y -= 20;
  }
  const sub = `${L.filled} ${service.id}${L.on ? ` ${L.on}` : ''} ${now.toISOString().slice(0, 10)}. ${L.env}.`;
  for (const line of wrap(sub, regular, 8.5, width)) {
    page.drawText(line, { x: MARGIN, y: y - 9, size: 8.5, font: regular, color: rgb(0.35, 0.35, 0.35) });
    y -= 12;
  }
  y -= 8;

  for (const s of sections) {
    ensure(22 + LEADING * 2);
    page.drawRectangle({ x: MARGIN, y: y - 18, width, height: 18, color: rgb(0.9, 0.93, 0.97) });
    page.drawText(s.title, { x: MARGIN + 6, y: y - 13, size: 11, font: bold, color: rgb(0.04, 0.31, 0.54) });
    y -= 18;
    for (const [label, value] of s.rows) {
      const labelLines = wrap(label, bold, SIZE, LABEL_W - 12);
      const valueLines = wrap(value, regular, SIZE, width - LABEL_W - 12);
      const h = Math.max(labelLines.length, valueLines.length) * LEADING + 8;
      ensure(h);
      drawRow(page, y, h, width);
      labelLines.forEach((l, i) => page.drawText(l, { x: MARGIN + 6, y: y - 13 - i * LEADING, size: SIZE, font: bold }));
      valueLines.forEach((l, i) => page.drawText(l, { x: MARGIN + LABEL_W + 6, y: y - 13 - i * LEADING, size: SIZE, font: regular }));
      y -= h;
    }
    y -= 10;
  }

  ensure(110);
  page.drawText(L.s6, { x: MARGIN, y: y - 13, size: 11, font: bold, color: rgb(0.04, 0.31, 0.54) });
  y -= 24;
  for (const line of wrap(L.signNote, regular, SIZE, width)) {
    page.drawText(line, { x: MARGIN, y: y - 10, size: SIZE, font: regular });
    y -= LEADING;
  }
  y -= 26;
  page.drawLine({ start: { x: MARGIN, y }, end: { x: MARGIN + 230, y }, thickness: 0.6, color: rgb(0.4, 0.4, 0.4) });
  page.drawText(L.head, { x: MARGIN, y: y - 12, size: 8.5, font: regular, color: rgb(0.35, 0.35, 0.35) });

  return doc.save();
}

function drawRow(page: PDFPage, y: number, h: number, width: number): void {
  const border = rgb(0.8, 0.84, 0.89);
  page.drawRectangle({ x: MARGIN, y: y - h, width, height: h, borderColor: border, borderWidth: 0.5 });
  page.drawLine({ start: { x: MARGIN + LABEL_W, y }, end: { x: MARGIN + LABEL_W, y: y - h }, thickness: 0.5, color: border });
}

/** Greedy word wrap; a word longer than the line (URLs, fingerprints) is cut by characters. */
export function wrap(text: string, font: PDFFont, size: number, max: number): string[] {
  const w = (s: string) => font.widthOfTextAtSize(s, size);
  const lines: string[] = [];
  let line = '';
  for (const word of text.replace(/\s+/g, ' ').trim().split(' ')) {
    const candidate = line ? `${line} ${word}` : word;
    if (w(candidate) <= max) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = '';
    let rest = word;
    while (w(rest) > max) {
      let n = rest.length;
      while (n > 1 && w(rest.slice(0, n)) > max) n--;
      lines.push(rest.slice(0, n));
      rest = rest.slice(n);
    }
    line = rest;
  }
  if (line || !lines.length) lines.push(line);
  return lines;
}
