// PostSignRequest (MSIGN.md §4.1): validate the SignRequest; the caller stores it.
import type { MSignRegistration } from '../../registry/service.js';
import { invalid } from '../soap/faults.js';
import type { Obj } from '../soap/envelope.js';
import { signatureRanges } from '../signing/pades-verify.js';
import type { ContentType, DelegatorType, ExpectedSigner, SignContent, SignRequest } from '../types.js';
import { requiredSignerKind } from './signer-rules.js';

const W = 'PostSignRequest/request';
const IDNP = /^\d{13}$/;

function maxLen(v: unknown, max: number, where: string): void {
  if (typeof v === 'string' && v.length > max) throw invalid(where, `${where.split('/').pop()} is ${v.length} characters long; at most ${max} are allowed.`, `Shorten it to ${max} characters (MSIGN.md §10).`, { found: String(v.length), expected: `≤ ${max}` });
}

export async function validateSignRequest(params: Obj, registration: MSignRegistration): Promise<SignRequest> {
  const r = params.request as Obj | null | undefined;
  if (!r) throw invalid(W, 'The request parameter is missing or nil.', 'Send <request> with the SignRequest members inside PostSignRequest.');
  const short = r.ShortContentDescription as string | null;
  if (short === null || short.trim() === '') throw invalid(`${W}/ShortContentDescription`, 'ShortContentDescription is empty; it is shown on the signing page and on the phone.', 'Send a short description of what is signed (≤ 90 characters).');
  maxLen(short, 90, `${W}/ShortContentDescription`);
  maxLen(r.ContentDescription, 512, `${W}/ContentDescription`);
  maxLen(r.SignatureReason, 255, `${W}/SignatureReason`);
  const contentType = r.ContentType as ContentType;
  const items = r.Contents as Array<Obj | null> | null;
  if (!items || items.length === 0) throw invalid(`${W}/Contents`, 'Contents holds no SignContent.', 'Send at least one <SignContent> inside <Contents>.');
  const seen = new Set<string>();
  const contents: SignContent[] = [];
  for (let i = 0; i < items.length; i++) {
    const where = `${W}/Contents/SignContent[${i + 1}]`;
    const c = items[i];
    if (!c) throw invalid(where, 'A SignContent is nil.', 'Remove the nil item.');
    const content = c.Content as Buffer | null;
    if (!content || content.length === 0) throw invalid(`${where}/Content`, 'Content is empty.', contentType === 'Hash' ? 'Send the 20-byte SHA-1 hash of the document, base64-encoded.' : 'Send the PDF file, base64-encoded.');
    const cid = (c.CorrelationID as string | null | undefined) ?? null;
    maxLen(cid, 36, `${where}/CorrelationID`);
    if (cid !== null) {
      if (seen.has(cid)) throw invalid(`${where}/CorrelationID`, `CorrelationID "${cid}" is used twice in this request.`, 'Give every SignContent its own CorrelationID (e.g. a GUID without dashes).', { found: cid });
      seen.add(cid);
    }
    maxLen(c.Name, 256, `${where}/Name`);
    const multipleSignatures = (c.MultipleSignatures as boolean | undefined) ?? false;
    if (contentType === 'Hash' && content.length !== 20) {
      throw invalid(`${where}/Content`, `A Hash content must be exactly 20 bytes (a SHA-1 digest); this one is ${content.length} bytes.`, 'Send SHA-1(document), 20 bytes, base64-encoded (28 characters ending in "=").', { found: `${content.length} bytes`, expected: '20 bytes' });
    }
    if (contentType === 'Pdf') {
      if (!content.subarray(0, 1024).toString('latin1').includes('%PDF-')) throw invalid(`${where}/Content`, 'The content is not a PDF file (no %PDF- header).', 'Send the bytes of a PDF file, or use ContentType Hash for other documents.');
      try {
        // pdf-lib is loaded on first use: it is the heaviest module and start-up should not pay for it.
        const { PDFDocument } = await import('pdf-lib');
        await PDFDocument.load(content, { updateMetadata: false });
      } catch (e) {
        throw invalid(`${where}/Content`, `The PDF cannot be read: ${(e as Error).message.slice(0, 120)}`, 'Send a complete, unencrypted PDF file.');
      }
      if (!multipleSignatures && signatureRanges(content).length > 0) {
        throw invalid(`${where}/MultipleSignatures`, 'This PDF is already signed and MultipleSignatures is false, so it cannot receive another signature.', 'Set MultipleSignatures to true to co-sign an already signed PDF.');
      }
    }
    contents.push({ content, correlationId: cid, multipleSignatures, name: (c.Name as string | null | undefined) ?? null });
  }
  let expectedSigner: ExpectedSigner | null = null;
  const es = r.ExpectedSigner as Obj | null | undefined;
  if (es) {
    const where = `${W}/ExpectedSigner`;
    const id = (es.ID as string | null) ?? null;
    if (id === null && contentType === 'Hash') throw invalid(`${where}/ID`, 'ExpectedSigner.ID is nil; it may be left out only for Pdf.', 'Send the IDNP of the person expected to sign.');
    if (id !== null && !IDNP.test(id)) throw invalid(`${where}/ID`, 'ExpectedSigner.ID is not a valid IDNP (13 digits).', 'Send the 13-digit IDNP of the expected signer.', { found: id, expected: '13 digits' });
    const delegatorType = ((es.DelegatorType as DelegatorType | undefined) ?? 'None') as DelegatorType;
    const delegatorId = (es.DelegatorID as string | null | undefined) ?? null;
    if (delegatorType !== 'None') {
      if (!delegatorId) throw invalid(`${where}/DelegatorID`, `DelegatorID is required when DelegatorType is ${delegatorType}.`, `Send the ${delegatorType === 'Organization' ? 'IDNO of the organisation' : 'IDNP of the represented person'}.`);
      if (!/^\d{13}$/.test(delegatorId)) throw invalid(`${where}/DelegatorID`, `DelegatorID must be a 13-digit ${delegatorType === 'Organization' ? 'IDNO' : 'IDNP'}.`, 'Send 13 digits.', { found: delegatorId });
    }
    expectedSigner = { id, delegatorType, delegatorId, delegatedRoleId: (es.DelegatedRoleID as number | undefined) ?? 0 };
  }
  const request: SignRequest = {
    contentDescription: (r.ContentDescription as string | null | undefined) ?? null,
    contentType,
    contents,
    expectedSigner,
    shortContentDescription: short,
    signatureReason: (r.SignatureReason as string | null | undefined) ?? null,
  };
  const needed = requiredSignerKind(request);
  if (needed && registration.signerType !== 'both' && registration.signerType !== needed) {
    throw invalid(
      `${W}/ExpectedSigner/DelegatorType`,
      needed === 'legal'
        ? 'This request asks for a signature on behalf of an organisation (DelegatorType Organization), but the service is registered for natural persons only.'
        : 'This request asks for a natural person signing for themself, but the service is registered for legal persons (signatures on behalf of an organisation) only.',
      needed === 'legal' ? 'Register the service with signer type "legal" or "both", or send no Organization delegation.' : 'Send ExpectedSigner.DelegatorType Organization with the IDNO in DelegatorID, or register the service with signer type "natural" or "both".',
      { found: needed, expected: registration.signerType },
    );
  }
  return request;
}
