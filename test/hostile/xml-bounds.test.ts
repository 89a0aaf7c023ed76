// Issue 9: one authenticated message must not exhaust memory or freeze the sandbox. Elements are counted by a
// linear scan before any DOM is built (MAX_XML_ELEMENTS); a 50 MB *valid* PDF request still works; SP metadata
// is bounded in size and elements and read in one pass (the 900 KB AssertionConsumerService bomb).
import crypto from 'node:crypto';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, faultOf, rawSoap, startMSign, type MSignFixture } from '../msign/helpers.js';
import { ECOALERT } from '../helpers.js';
import { checkXmlBounds } from '../../src/xml/bounds.js';
import { soapFromChild } from './external-client.js';
import { HEALTH_MS, probeHealth } from './health-probe.js';

let f: MSignFixture;
beforeAll(async () => {
  f = await startMSign(); // MAX_SOAP_BYTES default: 50 MB
});
afterAll(async () => {
  await f?.close();
});

const MB = 1024 * 1024;
const envelope = (request: string) => `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><PostSignRequest xmlns="https://msign.gov.md"><request>${request}</request></PostSignRequest></s:Body></s:Envelope>`;

describe('SOAP element bound (MAX_XML_ELEMENTS)', () => {
  it('49 MB of <x/> (12.8 M elements) from a registered client: InvalidParameter naming the bound, quickly, /health < 200 ms', async () => {
    const [prefix, suffix] = envelope('<ContentType>Hash</ContentType>@').split('@') as [string, string];
    const probe = await probeHealth(f.sb);
    const t0 = performance.now();
    const r = await soapFromChild(f.url, f.sb.pki.ca.certificatePem, f.ecoalert, ACTION('PostSignRequest'), { prefix, repeat: '<x/>', count: Math.floor((49 * MB) / 4), suffix });
    const ms = performance.now() - t0;
    const health = await probe.stop();
    expect(r.status).toBe(500);
    expect(faultOf(r.body)?.code).toBe('InvalidParameter');
    expect(faultOf(r.body)!.reason).toMatch(/more than 10000 elements.*MAX_XML_ELEMENTS/);
    expect(ms).toBeLessThan(30_000); // before: 50 s, then out of memory
    expect(health.failures).toBe(0);
    expect(health.maxMs).toBeLessThan(HEALTH_MS);
  }, 60_000);

  it('a 50 MB request carrying a valid ~37 MB PDF still works (one base64 text node)', async () => {
    const d = await PDFDocument.create();
    const font = await d.embedFont(StandardFonts.Helvetica);
    d.addPage([400, 200]).drawText('Big contract', { x: 40, y: 100, size: 14, font });
    await d.attach(crypto.randomBytes(36 * MB), 'annex.bin', { mimeType: 'application/octet-stream' });
    const pdf = Buffer.from(await d.save({ useObjectStreams: false }));
    const body = envelope(`<ContentType>Pdf</ContentType><Contents><SignContent><Content>${pdf.toString('base64')}</Content><CorrelationID>big</CorrelationID><Name>big.pdf</Name></SignContent></Contents><ShortContentDescription>Big PDF</ShortContentDescription>`);
    expect(body.length).toBeGreaterThan(48 * MB);
    expect(body.length).toBeLessThan(f.sb.config.maxSoapBytes);
    const r = await rawSoap(f, body, { action: ACTION('PostSignRequest') });
    expect(r.status, r.body.slice(0, 300)).toBe(200);
    expect(r.body).toMatch(/<PostSignRequestResult>[0-9a-f]{32}</);
  }, 120_000);

  it('just under the bound (10 000 elements) is parsed as usual: the fault is about the message, not the bound', async () => {
    const r = await rawSoap(f, envelope(`<ContentType>Hash</ContentType>${'<x/>'.repeat(9_900)}`), { action: ACTION('PostSignRequest') });
    expect(faultOf(r.body)?.code).toBe('InvalidParameter');
    expect(faultOf(r.body)!.reason).not.toMatch(/elements/);
    expect(faultOf(r.body)!.reason).toMatch(/Contents/);
  });

  it('the scan skips comments, CDATA, processing instructions and `>` inside attribute values, and counts depth', () => {
    const xml = `<?xml version="1.0"?><!-- <a><b><c> --><r a="x>y" b='<q>'><![CDATA[<z><z><z>]]><e/><e></e><?pi <p> ?></r>`;
    expect(checkXmlBounds(xml, 't', { maxElements: 10, maxDepth: 10 })).toEqual({ elements: 3, depth: 2 });
    expect(() => checkXmlBounds(xml, 't', { maxElements: 2, maxDepth: 10 })).toThrow(/more than 2 elements/);
    expect(() => checkXmlBounds('<a><a><a></a></a></a>', 't', { maxElements: 10, maxDepth: 2 })).toThrow(/deeper than 2/);
  });
});

describe('SP metadata import bounds (API and form)', () => {
  const md = (inner: string) => `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://bomb.example.md"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${inner}<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://bomb.example.md/acs" index="0"/></md:SPSSODescriptor></md:EntityDescriptor>`;

  beforeAll(async () => {
    // warm-up: the first error page compiles its template and loads the catalogue; that is start-up, not the attack
    await request(f.sb.app).post('/api/sp-metadata').send({ metadata: '<x/>' });
    await request(f.sb.app).post('/services/metadata?lang=en').type('form').send({ metadata: '<x/>' });
    await request(f.sb.app).post('/services/metadata?lang=en').type('form').send({ metadata: 'x'.repeat(600 * 1024) });
  });

  it('900 KB of empty AssertionConsumerService elements: refused at once on the API and the form, /health < 200 ms', async () => {
    const bomb = md('<md:AssertionConsumerService/>'.repeat(Math.floor((900 * 1024) / 30)));
    // encoded before the probe starts: building 2.5 MB of form encoding is the test's work, not the sandbox's
    const jsonBody = JSON.stringify({ metadata: bomb });
    const formBody = new URLSearchParams({ metadata: bomb }).toString();
    const probe = await probeHealth(f.sb);
    const api = await request(f.sb.app).post('/api/sp-metadata').set('Content-Type', 'application/json').send(jsonBody);
    const form = await request(f.sb.app).post('/services/metadata?lang=en').set('Content-Type', 'application/x-www-form-urlencoded').send(formBody);
    const health = await probe.stop();
    expect(api.status).toBe(400);
    expect(api.text).toContain('ERR_METADATA_TOO_LARGE');
    expect(api.text).toContain('MAX_METADATA_BYTES');
    expect([400, 413]).toContain(form.status);
    expect(health.failures).toBe(0);
    expect(health.maxMs).toBeLessThan(HEALTH_MS);
  }, 60_000);

  it('under the size limit, 3 000 empty elements: ERR_XML_TOO_MANY_ELEMENTS (2 000 for metadata); 1 900: read in one pass, /health < 200 ms', async () => {
    const probe = await probeHealth(f.sb);
    const many = await request(f.sb.app).post('/api/sp-metadata').send({ metadata: md('<x/>'.repeat(3_000)) });
    const within = await request(f.sb.app).post('/api/sp-metadata').send({ metadata: md('<md:AssertionConsumerService/>'.repeat(1_900)) });
    const health = await probe.stop();
    expect(many.status).toBe(400);
    expect(many.text).toContain('ERR_XML_TOO_MANY_ELEMENTS');
    expect(within.status, within.text.slice(0, 300)).toBe(200);
    expect(within.body).toMatchObject({ issuer: 'https://bomb.example.md', assertionConsumerServiceUrl: 'https://bomb.example.md/acs' });
    expect(health.failures).toBe(0);
    expect(health.maxMs).toBeLessThan(HEALTH_MS);
  }, 60_000);

  it('control: ordinary SP metadata is read into the MPass fields (entity ID, default ACS, SLO, signing certificate)', async () => {
    const cert = ECOALERT.cert.replace(/-----[^-]+-----|\s/g, '');
    const xml = `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://sp.example.md"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="encryption"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>AAAA</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:KeyDescriptor><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://sp.example.md/slo-r"/><md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp.example.md/slo"/><md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact" Location="https://sp.example.md/art" index="0"/><md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp.example.md/acs1" index="1" isDefault="false"/><md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp.example.md/acs2" index="2"/></md:SPSSODescriptor></md:EntityDescriptor>`;
    const r = await request(f.sb.app).post('/api/sp-metadata').send({ metadata: xml });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toEqual({ issuer: 'https://sp.example.md', assertionConsumerServiceUrl: 'https://sp.example.md/acs2', logoutRequestUrl: 'https://sp.example.md/slo', logoutResponseUrl: 'https://sp.example.md/slo', certificate: expect.stringContaining('BEGIN CERTIFICATE') });
    expect(r.body.certificate.replace(/-----[^-]+-----|\s/g, '')).toBe(cert);
  });
});
