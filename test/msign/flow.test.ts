// End to end through the public surface: WSDL → npm `soap` client over mutual TLS → PostSignRequest →
// signing page → GetSignResponse → VerifySignatures; independent checks with xmlsec1 and pdfsig.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';
import { sha1, signOnPage, soapClient, startMSign, type MSignFixture } from './helpers.js';

let f: MSignFixture;
beforeAll(async () => {
  f = await startMSign();
});
afterAll(async () => {
  await f?.close();
});

const b64 = (b: Buffer) => b.toString('base64');
const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

async function makePdf(text: string): Promise<Buffer> {
  const d = await PDFDocument.create();
  const font = await d.embedFont(StandardFonts.Helvetica);
  d.addPage([400, 200]).drawText(text, { x: 40, y: 100, size: 14, font });
  return Buffer.from(await d.save()); // object streams + xref stream, as pdf-lib writes by default
}

describe('MSign over mutual TLS with a WSDL-generated client', () => {
  it('serves one WSDL with the contract names, actions and WCF annotations', async () => {
    const client = await soapClient(f);
    const d = client.describe() as Record<string, Record<string, Record<string, unknown>>>;
    expect(Object.keys(d)).toEqual(['MSign']);
    expect(Object.keys(d.MSign!)).toEqual(['BasicHttpBinding_IMSign']);
    expect(Object.keys(d.MSign!.BasicHttpBinding_IMSign!).sort()).toEqual(['GetSignResponse', 'PostSignRequest', 'VerifySignatures']);
    const wsdl = (client as unknown as { wsdl: { xml: string } }).wsdl.xml;
    expect(wsdl).toContain('soapAction="https://msign.gov.md/IMSign/PostSignRequest"');
    expect(wsdl).toContain('<EnumerationValue xmlns="http://schemas.microsoft.com/2003/10/Serialization/">2</EnumerationValue>');
    expect(wsdl).toMatch(/name="ContentDescription" nillable="true" type="xs:string"><xs:annotation><xs:appinfo><DefaultValue EmitDefaultValue="false"/);
  });

  it('Hash: batch of 3 → page → Success with XAdES-T that xmlsec1 verifies → VerifySignatures valid; tampering detected', async () => {
    const client = await soapClient(f);
    const docs = ['one', 'two', 'three'].map((s) => Buffer.from(`document ${s}`));
    const [requestId] = await client.PostSignRequestAsync({
      request: {
        ContentDescription: 'Three complaints',
        ContentType: 'Hash',
        Contents: { SignContent: docs.map((d, i) => ({ Content: b64(sha1(d)), CorrelationID: `c${i + 1}` })) },
        ExpectedSigner: { ID: '2001000000011' },
        ShortContentDescription: 'Complaints',
      },
    });
    const id = requestId.PostSignRequestResult as string;
    expect(id).toMatch(/^[0-9a-f]{32}$/);

    const [pending] = await client.GetSignResponseAsync({ requestID: id, language: 'en' });
    expect(pending.GetSignResponseResult.Status).toBe('Pending');

    const page = await signOnPage(f.sb, id, { persona: '2001000000011', relayState: 'state-42' });
    expect(page.callback).toEqual({ action: 'http://localhost:3000/msign-callback', fields: { RequestID: id, RelayState: 'state-42' } });

    const [done] = await client.GetSignResponseAsync({ requestID: id, language: 'en' });
    const res = done.GetSignResponseResult;
    expect(res.Status).toBe('Success');
    const results = asList(res.Results.SignResult) as Array<{ Certificate: string; CorrelationID: string; Signature: string }>;
    expect(results.map((r) => r.CorrelationID)).toEqual(['c1', 'c2', 'c3']);

    // Independent check: xmlsec1 verifies each XAdES; the detached reference resolves via --url-map.
    const dir = tempDir('xades');
    fs.writeFileSync(path.join(dir, 'ca.pem'), f.sb.pki.signingCa.certificatePem);
    results.forEach((r, i) => {
      const xml = Buffer.from(r.Signature, 'base64');
      expect(xml.toString('utf8').startsWith('<?xml')).toBe(true);
      fs.writeFileSync(path.join(dir, `sig${i}.xml`), xml);
      fs.writeFileSync(path.join(dir, `doc${i}`), docs[i]!);
      const out = execFileSync('xmlsec1', ['--verify', '--trusted-pem', path.join(dir, 'ca.pem'), '--id-attr:Id', 'http://uri.etsi.org/01903/v1.3.2#:SignedProperties', `--url-map:urn:msign:content:${i + 1}`, path.join(dir, `doc${i}`), path.join(dir, `sig${i}.xml`)], { stdio: 'pipe' }).toString() + '';
      expect(out).toBeDefined();
    });
    // …and refuses it when the document differs from the hash.
    fs.writeFileSync(path.join(dir, 'other'), 'another document');
    expect(() => execFileSync('xmlsec1', ['--verify', '--trusted-pem', path.join(dir, 'ca.pem'), '--id-attr:Id', 'http://uri.etsi.org/01903/v1.3.2#:SignedProperties', '--url-map:urn:msign:content:1', path.join(dir, 'other'), path.join(dir, 'sig0.xml')], { stdio: 'pipe' })).toThrow();

    const [ver] = await client.VerifySignaturesAsync({
      request: {
        Contents: { VerificationContent: results.map((r, i) => ({ Content: b64(sha1(docs[i]!)), CorrelationID: r.CorrelationID, Signature: r.Signature })) },
        Language: 'en',
        SignedContentType: 'Hash',
      },
    });
    const vr = asList(ver.VerifySignaturesResult.Results.VerificationResult) as Array<Record<string, any>>;
    expect(vr.map((v) => [v.CorrelationID, v.SignaturesValid, v.Message])).toEqual([
      ['c1', true, 'The signature is valid'],
      ['c2', true, 'The signature is valid'],
      ['c3', true, 'The signature is valid'],
    ]);
    const cert = asList(vr[0]!.Certificates.VerificationCertificate)[0] as Record<string, any>;
    expect(cert.Subject).toBe('C=MD, SERIALNUMBER=2001000000011, CN=Ion Popescu');
    expect(cert.SignatureValid).toBe(true);
    expect(new Date(cert.SignedAt).getTime()).toBeGreaterThan(0);

    // Tampering: wrong hash, and a changed byte inside the signed properties.
    const sig0 = Buffer.from(results[0]!.Signature, 'base64').toString('utf8');
    const [bad] = await client.VerifySignaturesAsync({
      request: {
        Contents: {
          VerificationContent: [
            { Content: b64(sha1('not the document')), CorrelationID: 'wrong-hash', Signature: results[0]!.Signature },
            { Content: b64(sha1(docs[0]!)), CorrelationID: 'edited', Signature: b64(Buffer.from(sig0.replace('<xades:MimeType>application/octet-stream', '<xades:MimeType>application/pdf'))) },
          ],
        },
        Language: 'ro',
        SignedContentType: 'Hash',
      },
    });
    const br = asList(bad.VerifySignaturesResult.Results.VerificationResult) as Array<Record<string, any>>;
    expect(br.map((v) => [v.CorrelationID, v.SignaturesValid, v.Message])).toEqual([
      ['wrong-hash', false, 'Semnătura nu este validă'],
      ['edited', false, 'Semnătura nu este validă'],
    ]);
  });

  it('Pdf: batch of 3 → signed PDFs pdfsig accepts → co-signing keeps the first signature → tampering detected', async () => {
    const client = await soapClient(f);
    const pdfs = await Promise.all(['A', 'B', 'C'].map((s) => makePdf(`Contract ${s}`)));
    const [posted] = await client.PostSignRequestAsync({
      request: {
        ContentType: 'Pdf',
        Contents: { SignContent: pdfs.map((p, i) => ({ Content: b64(p), CorrelationID: `p${i + 1}`, MultipleSignatures: i === 0, Name: `contract-${i + 1}.pdf` })) },
        ShortContentDescription: 'Contracts',
        SignatureReason: 'Approved',
      },
    });
    const id = posted.PostSignRequestResult as string;
    const page = await signOnPage(f.sb, id, { persona: '2007000000088@1010600000011' });
    expect(page.callback?.fields.RequestID).toBe(id);
    const [done] = await client.GetSignResponseAsync({ requestID: id, language: null });
    expect(done.GetSignResponseResult.Status).toBe('Success');
    const results = asList(done.GetSignResponseResult.Results.SignResult) as Array<Record<string, string>>;
    expect(results.map((r) => r.CorrelationID)).toEqual(['p1', 'p2', 'p3']);

    const dir = tempDir('pades');
    const signed = results.map((r) => Buffer.from(r.Signature!, 'base64'));
    signed.forEach((pdf, i) => {
      fs.writeFileSync(path.join(dir, `s${i}.pdf`), pdf);
      const out = execFileSync('pdfsig', [path.join(dir, `s${i}.pdf`)]).toString();
      // pdfsig exits 0 whatever it finds: read the verdict.
      expect(out).toContain('Signature Validation: Signature is Valid.');
      expect(out).toContain('Total document signed');
      expect(out).toContain('Eco Alert SRL 1010600000011');
    });

    // Co-sign the first PDF (its request allowed MultipleSignatures) as another person.
    const [again] = await client.PostSignRequestAsync({
      request: { ContentType: 'Pdf', Contents: { SignContent: [{ Content: b64(signed[0]!), CorrelationID: 'co', MultipleSignatures: true }] }, ShortContentDescription: 'Co-sign' },
    });
    const id2 = again.PostSignRequestResult as string;
    expect((await signOnPage(f.sb, id2, { persona: '2001000000011' })).callback).toBeDefined();
    const [done2] = await client.GetSignResponseAsync({ requestID: id2, language: 'en' });
    const cosigned = Buffer.from(asList(done2.GetSignResponseResult.Results.SignResult)[0].Signature as string, 'base64');
    fs.writeFileSync(path.join(dir, 'co.pdf'), cosigned);
    const out = execFileSync('pdfsig', [path.join(dir, 'co.pdf')]).toString();
    expect(out.match(/Signature is Valid\./g)?.length).toBe(2);

    // A PDF signed once, posted again with MultipleSignatures=false, is refused.
    await expect(client.PostSignRequestAsync({ request: { ContentType: 'Pdf', Contents: { SignContent: [{ Content: b64(signed[1]!) }] }, ShortContentDescription: 'x' } })).rejects.toThrow(/InvalidParameter[\s\S]*MultipleSignatures/);

    const tampered = Buffer.from(cosigned);
    const at = tampered.indexOf('/Producer');
    tampered[at + 3] = 'X'.charCodeAt(0);
    const [ver] = await client.VerifySignaturesAsync({
      request: {
        Contents: { VerificationContent: [{ CorrelationID: 'ok', Signature: b64(cosigned) }, { CorrelationID: 'bad', Signature: b64(tampered) }] },
        Language: 'en',
        SignedContentType: 'Pdf',
      },
    });
    const vr = asList(ver.VerifySignaturesResult.Results.VerificationResult) as Array<Record<string, any>>;
    expect(vr[0]!.SignaturesValid).toBe(true);
    const certs = asList(vr[0]!.Certificates.VerificationCertificate) as Array<Record<string, any>>;
    expect(certs.map((c) => c.Subject)).toEqual(['O=Eco Alert SRL 1010600000011, C=MD, SERIALNUMBER=2007000000088, CN=Natalia Ceban', 'C=MD, SERIALNUMBER=2001000000011, CN=Ion Popescu']);
    expect(vr[1]!.SignaturesValid).toBe(false);
    expect(vr[1]!.Message).toBe('The signature is not valid');
  });
});
