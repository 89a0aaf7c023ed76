// What VerifySignatures trusts (issue 8): signatures only from the qualified signing CA with a signing key
// usage, time-stamps only from the sandbox TSA (timeStamping, chained to the TSA root). A service
// certificate — whose private key /api/certificates hands to anyone — makes neither. PDFs are PAdES-B-T,
// and pdfsig/openssl agree with our verification.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCertificate, type KeyPair } from '../../src/pki/certificates.js';
import { signHashXadesT } from '../../src/msign/signing/xades.js';
import { signPdfPades } from '../../src/msign/signing/pades.js';
import { startSandbox, tempDir } from '../helpers.js';
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
const ION = { persona: { idnp: '2001000000011', firstName: 'Ion', lastName: 'Popescu' }, kind: 'natural' as const };

async function verifyHash(items: Array<{ cid: string; hash: Buffer; xml: Buffer }>) {
  const client = await soapClient(f);
  const [ver] = await client.VerifySignaturesAsync({
    request: { Contents: { VerificationContent: items.map((i) => ({ Content: b64(i.hash), CorrelationID: i.cid, Signature: b64(i.xml) })) }, Language: 'en', SignedContentType: 'Hash' },
  });
  return asList(ver.VerifySignaturesResult.Results.VerificationResult) as Array<Record<string, any>>;
}

async function makePdf(text: string): Promise<Buffer> {
  const d = await PDFDocument.create();
  const font = await d.embedFont(StandardFonts.Helvetica);
  d.addPage([400, 200]).drawText(text, { x: 40, y: 100, size: 14, font });
  return Buffer.from(await d.save());
}

/** A service certificate as anyone gets it: POST /api/certificates, private key included. */
async function serviceCertificate(cn: string): Promise<KeyPair> {
  const r = await request(f.sb.app).post('/api/certificates').send({ commonName: cn });
  expect(r.status).toBe(201);
  return { privateKeyPem: r.body.privateKeyPem, certificatePem: r.body.certificatePem };
}

describe('VerifySignatures trusts only the qualified signing CA and the sandbox TSA', () => {
  it('a XAdES made with a service certificate and time-stamped by it for 2001 is not valid; a genuine one is', async () => {
    const minted = await serviceCertificate('Ion Popescu');
    const hash = sha1('the contract');
    const at2001 = new Date('2001-05-05T10:00:00Z');
    const forged = signHashXadesT({ hash, index: 1, signer: minted, tsa: minted, at: at2001 });
    const persona = f.sb.msign.persona('2001000000011')!;
    const genuineKey = f.sb.msign.keys.certificateFor({ ...ION, persona });
    // A genuine signer, but the time-stamp made with a service key to backdate it.
    const restamped = signHashXadesT({ hash, index: 1, signer: genuineKey, tsa: minted, at: at2001 });
    // Issued by the signing CA but without nonRepudiation (an authentication-only certificate).
    const noNr = createCertificate({ subject: [{ name: 'CN', value: 'Ion Popescu' }], issuer: f.sb.pki.signingCa, keyUsage: { digitalSignature: true } });
    const authOnly = signHashXadesT({ hash, index: 1, signer: noNr, tsa: f.sb.pki.tsa, at: new Date() });
    // A TSA certificate chained to the TSA root but not for time-stamping only.
    const wideTsa = createCertificate({ subject: [{ name: 'CN', value: 'Wide TSA' }], issuer: f.sb.pki.tsaCa, extKeyUsage: { serverAuth: true, timeStamping: true } });
    const wide = signHashXadesT({ hash, index: 1, signer: genuineKey, tsa: wideTsa, at: new Date() });
    const now = new Date();
    const genuine = signHashXadesT({ hash, index: 1, signer: genuineKey, tsa: f.sb.pki.tsa, at: now });

    const vr = await verifyHash([
      { cid: 'forged', hash, xml: forged },
      { cid: 'restamped', hash, xml: restamped },
      { cid: 'auth-only', hash, xml: authOnly },
      { cid: 'wide-tsa', hash, xml: wide },
      { cid: 'genuine', hash, xml: genuine },
    ]);
    expect(vr.map((v) => [v.CorrelationID, v.SignaturesValid, v.Message])).toEqual([
      ['forged', false, 'Not valid: the signer certificate is not a qualified signing certificate.'],
      ['restamped', false, 'Not valid: the signature time-stamp is not from a trusted time-stamping authority.'],
      ['auth-only', false, 'Not valid: the signer certificate is not a qualified signing certificate.'],
      ['wide-tsa', false, 'Not valid: the signature time-stamp is not from a trusted time-stamping authority.'],
      ['genuine', true, 'The signature is valid'],
    ]);
    // No SignedAt is reported for a signature that is not valid; the genuine one is dated by the TSA.
    expect(asList(vr[0]!.Certificates.VerificationCertificate)[0]).not.toHaveProperty('SignedAt');
    const g = asList(vr[4]!.Certificates.VerificationCertificate)[0] as Record<string, any>;
    expect(Math.abs(new Date(g.SignedAt).getTime() - now.getTime())).toBeLessThan(1000);
    // The event log says why, per content.
    const out = f.sb.events.list(20).find((e) => e.message === 'VerifySignaturesResponse')!;
    expect(out.summary).toContain('forged: signer certificate (issuer "CN=MPass-MSign Sandbox Root CA (STISC stand-in), O=MPass-MSign Sandbox, C=MD") was not issued by the sandbox qualified signing CA');
    expect(out.summary).toContain('restamped: signature time-stamp: time-stamp certificate was not issued by the sandbox TSA root');
    expect(out.summary).toContain('auth-only: signer certificate lacks keyUsage nonRepudiation');
    expect(out.summary).toContain('wide-tsa: signature time-stamp: time-stamp certificate is not for time-stamping only');

    // xmlsec1 agrees on the chains: the forged signature does not verify against the signing CA.
    const dir = tempDir('trust');
    fs.writeFileSync(path.join(dir, 'signing-ca.pem'), f.sb.pki.signingCa.certificatePem);
    fs.writeFileSync(path.join(dir, 'doc'), 'the contract');
    const xmlsec = (xml: Buffer) => {
      fs.writeFileSync(path.join(dir, 'sig.xml'), xml);
      return () => execFileSync('xmlsec1', ['--verify', '--trusted-pem', path.join(dir, 'signing-ca.pem'), '--id-attr:Id', 'http://uri.etsi.org/01903/v1.3.2#:SignedProperties', '--url-map:urn:msign:content:1', path.join(dir, 'doc'), path.join(dir, 'sig.xml')], { stdio: 'pipe' });
    };
    expect(xmlsec(forged)).toThrow();
    expect(xmlsec(genuine)).not.toThrow();
  });

  it('the three roots are separate: service certificates come from the STISC CA, signers from the signing CA, the TSA from its root', async () => {
    const pki = f.sb.pki;
    const x = (p: string) => new crypto.X509Certificate(p);
    const issued = x((await serviceCertificate('svc.localhost')).certificatePem);
    expect(issued.checkIssued(x(pki.ca.certificatePem))).toBe(true);
    expect(issued.checkIssued(x(pki.signingCa.certificatePem))).toBe(false);
    const signer = x(f.sb.msign.keys.certificateFor({ ...ION, persona: f.sb.msign.persona('2001000000011')! }).certificatePem);
    expect(signer.checkIssued(x(pki.signingCa.certificatePem))).toBe(true);
    expect(signer.checkIssued(x(pki.ca.certificatePem))).toBe(false);
    // openssl prints the extensions the verifier relies on.
    const text = (pem: string) => execFileSync('openssl', ['x509', '-noout', '-text'], { input: pem }).toString();
    expect(text(f.sb.msign.keys.certificateFor({ ...ION, persona: f.sb.msign.persona('2001000000011')! }).certificatePem)).toMatch(/Key Usage: critical\s+Digital Signature, Non Repudiation\s/);
    expect(text(pki.tsa.certificatePem)).toMatch(/Extended Key Usage: critical\s+Time Stamping\s/);
    expect(x(pki.tsa.certificatePem).checkIssued(x(pki.tsaCa.certificatePem))).toBe(true);
    // Published for other verifiers.
    expect((await request(f.sb.app).get('/meta/msign-signing-ca.pem')).text).toBe(pki.signingCa.certificatePem);
    expect((await request(f.sb.app).get('/meta/msign-tsa-ca.pem')).text).toBe(pki.tsaCa.certificatePem);
  });

  it("the sandbox TSA's tokens verify with openssl ts (RFC 3161); a token made with a service certificate does not", async () => {
    const { createTimestampToken } = await import('../../src/msign/signing/tsa.js');
    const dir = tempDir('tsa');
    fs.writeFileSync(path.join(dir, 'tsa-ca.pem'), f.sb.pki.tsaCa.certificatePem);
    fs.writeFileSync(path.join(dir, 'data'), 'signature value bytes');
    const opensslVerify = (token: Buffer) => {
      fs.writeFileSync(path.join(dir, 'token.der'), token);
      return () => execFileSync('openssl', ['ts', '-verify', '-token_in', '-in', path.join(dir, 'token.der'), '-data', path.join(dir, 'data'), '-CAfile', path.join(dir, 'tsa-ca.pem')], { stdio: 'pipe' });
    };
    const genuine = createTimestampToken(Buffer.from('signature value bytes'), f.sb.pki.tsa, new Date());
    expect(opensslVerify(genuine)().toString()).toContain('Verification: OK');
    const minted = await serviceCertificate('tsa.localhost');
    expect(opensslVerify(createTimestampToken(Buffer.from('signature value bytes'), minted, new Date()))).toThrow();
  });

  it('an existing CERTS_DIR of the old layout keeps its keys; the new roots are generated beside it and signing verifies', async () => {
    const certsDir = tempDir('old-certs');
    const write = (name: string, pair: KeyPair) => {
      fs.writeFileSync(path.join(certsDir, `${name}.key.pem`), pair.privateKeyPem);
      fs.writeFileSync(path.join(certsDir, `${name}.cer.pem`), pair.certificatePem);
    };
    // The layout before the split: one CA that also issued the TSA and the persona signing certificates.
    const ca = createCertificate({ subject: [{ name: 'CN', value: 'MPass-MSign Sandbox Root CA (STISC stand-in)' }], isCa: true });
    const idp = createCertificate({ subject: [{ name: 'CN', value: 'localhost' }], keyUsage: { digitalSignature: true } });
    write('ca', ca);
    write('idp', idp);
    write('idp-compatible', createCertificate({ subject: [{ name: 'CN', value: 'localhost' }], keyUsage: { digitalSignature: true } }));
    write('msign-tsa', createCertificate({ subject: [{ name: 'CN', value: 'MSign Sandbox TSA' }], issuer: ca, extKeyUsage: { timeStamping: true } }));
    write('msign-signer-2001000000011', createCertificate({ subject: [{ name: 'CN', value: 'Ion Popescu' }], issuer: ca, keyUsage: { digitalSignature: true, nonRepudiation: true } }));
    const sb = await startSandbox({}, { certsDir });
    expect(sb.pki.ca.certificatePem).toBe(ca.certificatePem);
    expect(sb.pki.idp.certificatePem).toBe(idp.certificatePem);
    expect([...sb.pki.generated].sort()).toEqual(['signing-ca', 'tsa', 'tsa-ca']);
    const persona = sb.msign.persona('2001000000011')!;
    const signer = sb.msign.keys.certificateFor({ ...ION, persona });
    expect(new crypto.X509Certificate(signer.certificatePem).checkIssued(new crypto.X509Certificate(sb.pki.signingCa.certificatePem))).toBe(true);
    const hash = sha1('old layout');
    const xml = signHashXadesT({ hash, index: 1, signer, tsa: sb.msign.keys.tsa(), at: new Date() });
    const { verifyXades } = await import('../../src/msign/signing/xades.js');
    expect(verifyXades(xml, hash, sb.msign.anchors, new Date())).toMatchObject({ signatureValid: true });
    // …and a second start reuses everything.
    const again = await startSandbox({}, { certsDir });
    expect(again.pki.generated).toEqual([]);
    expect(again.pki.signingCa.certificatePem).toBe(sb.pki.signingCa.certificatePem);
  });
});

describe('PDF signatures are PAdES-B-T', () => {
  it('ETSI.CAdES.detached with signing-certificate-v2 and a signature time-stamp; pdfsig, openssl and VerifySignatures agree', async () => {
    const client = await soapClient(f);
    const [posted] = await client.PostSignRequestAsync({
      request: { ContentType: 'Pdf', Contents: { SignContent: [{ Content: b64(await makePdf('PAdES')), CorrelationID: 'p1' }] }, ShortContentDescription: 'Contract' },
    });
    const id = posted.PostSignRequestResult as string;
    const before = Date.now();
    expect((await signOnPage(f.sb, id, { persona: '2001000000011' })).callback).toBeDefined();
    const [done] = await client.GetSignResponseAsync({ requestID: id, language: 'en' });
    const pdf = Buffer.from(asList(done.GetSignResponseResult.Results.SignResult)[0].Signature as string, 'base64');

    const dir = tempDir('pades-bt');
    const file = path.join(dir, 'signed.pdf');
    fs.writeFileSync(file, pdf);
    const out = execFileSync('pdfsig', ['-nocert', file]).toString();
    expect(out).toContain('Signature Type: ETSI.CAdES.detached');
    expect(out).toContain('Signature Validation: Signature is Valid.');

    // The CMS itself, read by openssl: the ESS signing-certificate-v2 signed attribute and the RFC 3161
    // signature time-stamp as an unsigned attribute.
    const contents = /\/Contents\s*<([0-9a-fA-F]+)>/.exec(pdf.toString('latin1'))![1]!;
    fs.writeFileSync(path.join(dir, 'sig.der'), Buffer.from(contents.replace(/(00)+$/, ''), 'hex'));
    const cms = execFileSync('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', path.join(dir, 'sig.der')]).toString();
    expect(cms).toMatch(/signedAttrs:[\s\S]*id-smime-aa-signingCertificateV2[\s\S]*unsignedAttrs:[\s\S]*id-smime-aa-timeStampToken/);
    expect(cms).not.toContain('signingTime');

    const verify = async (signature: Buffer) => {
      const [ver] = await client.VerifySignaturesAsync({ request: { Contents: { VerificationContent: [{ CorrelationID: 'v', Signature: b64(signature) }] }, Language: 'en', SignedContentType: 'Pdf' } });
      return asList(ver.VerifySignaturesResult.Results.VerificationResult)[0] as Record<string, any>;
    };
    const v = await verify(pdf);
    expect(v.SignaturesValid).toBe(true);
    const cert = asList(v.Certificates.VerificationCertificate)[0] as Record<string, any>;
    expect(new Date(cert.SignedAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(new Date(cert.SignedAt).getTime()).toBeLessThanOrEqual(Date.now() + 1000);

    // A byte changed in the signed range: pdfsig and VerifySignatures both say not valid.
    const tampered = Buffer.from(pdf);
    tampered[tampered.indexOf('PAdES') + 1] ^= 1;
    fs.writeFileSync(path.join(dir, 'tampered.pdf'), tampered);
    expect(execFileSync('pdfsig', ['-nocert', path.join(dir, 'tampered.pdf')]).toString()).not.toContain('Signature is Valid.');
    expect((await verify(tampered)).SignaturesValid).toBe(false);

    // A well-formed PAdES-B-T made with a service certificate: pdfsig finds the maths valid, but the signer is
    // not trusted — VerifySignatures refuses it for that reason.
    const minted = await serviceCertificate('Ion Popescu');
    const forged = await signPdfPades({ pdf: await makePdf('forged'), signer: minted, chain: [f.sb.pki.ca.certificatePem], tsa: minted, signerName: 'Ion Popescu', at: new Date('2001-01-01T00:00:00Z') });
    fs.writeFileSync(path.join(dir, 'forged.pdf'), forged);
    expect(execFileSync('pdfsig', ['-nocert', path.join(dir, 'forged.pdf')]).toString()).toContain('Signature is Valid.');
    const fv = await verify(forged);
    expect([fv.SignaturesValid, fv.Message]).toEqual([false, 'Not valid: the signer certificate is not a qualified signing certificate.']);
  });
});
