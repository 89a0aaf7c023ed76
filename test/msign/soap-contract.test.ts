// The SOAP contract through raw HTTP: published samples, member order of responses, and every
// documented refusal as its fault — with the process still answering afterwards.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { DOMParser } from '@xmldom/xmldom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers.js';
import { ACTION, faultOf, rawSoap, registerConsumer, sha1, startMSign, type MSignFixture } from './helpers.js';

let f: MSignFixture;
beforeAll(async () => {
  f = await startMSign();
});
afterAll(async () => {
  await f?.close();
});

const SAMPLES = path.join(ROOT, 'test', 'msign', 'samples');
const readSample = (name: string) => fs.readFileSync(path.join(SAMPLES, `msign-${name}.xml`), 'utf8');

/** Child element names of the element at this path of local names, in document order. */
function childNames(xml: string, ...pathNames: string[]): string[] {
  let el = new DOMParser().parseFromString(xml, 'text/xml').documentElement as unknown as Element;
  for (const name of pathNames) {
    const next = Array.from(el.childNodes).find((n) => n.nodeType === 1 && (n as Element).localName === name) as Element | undefined;
    if (!next) throw new Error(`no ${name} in ${xml.slice(0, 300)}`);
    el = next;
  }
  return Array.from(el.childNodes).filter((n) => n.nodeType === 1).map((n) => (n as Element).localName);
}

const post = (hash: Buffer, extra = '') =>
  `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><PostSignRequest xmlns="https://msign.gov.md"><request xmlns:i="http://www.w3.org/2001/XMLSchema-instance">` +
  `<ContentType>Hash</ContentType><Contents><SignContent><Content>${hash.toString('base64')}</Content><Name i:nil="true"/></SignContent></Contents>${extra}<ShortContentDescription>Test</ShortContentDescription></request></PostSignRequest></s:Body></s:Envelope>`;

async function postHash(tlsId = f.ecoalert): Promise<string> {
  const r = await rawSoap(f, post(sha1('x')), { action: ACTION('PostSignRequest'), tls: tlsId });
  expect(r.status).toBe(200);
  return /<PostSignRequestResult>([0-9a-f]{32})</.exec(r.body)![1]!;
}

describe('published sample envelopes', () => {
  it('PostSignRequest sample (with the trace-style Action header) is accepted; response shaped as the sample', async () => {
    const r = await rawSoap(f, readSample('postsignrequest-request'), { action: 'https://msign.gov.md/IMSign/PostSignRequest' });
    expect(r.status).toBe(200);
    expect(r.contentType).toBe('text/xml; charset=utf-8');
    expect(r.body).toMatch(/^<s:Envelope xmlns:s="http:\/\/schemas.xmlsoap.org\/soap\/envelope\/"><s:Body><PostSignRequestResponse xmlns="https:\/\/msign.gov.md"><PostSignRequestResult>[0-9a-f]{32}<\/PostSignRequestResult><\/PostSignRequestResponse><\/s:Body><\/s:Envelope>$/);
  });

  it('GetSignResponse sample: Pending with Results nil, then Success in documented member order', async () => {
    const id = await postHash();
    const body = readSample('getsignresponse-request').replace('eec7709d372b41109e2ea3e200e99727', id);
    const pending = await rawSoap(f, body, { action: ACTION('GetSignResponse') });
    expect(pending.body).toContain('<GetSignResponseResult xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><Message i:nil="true"/><Results i:nil="true"/><Status>Pending</Status></GetSignResponseResult>');
    f.sb.msign.addScript('ecoalert', { outcome: 'success', persona: '2002000000022', times: 1 });
    const id2 = await postHash();
    const done = await rawSoap(f, body.replace(id, id2), { action: ACTION('GetSignResponse') });
    expect(childNames(done.body, 'Body', 'GetSignResponseResponse', 'GetSignResponseResult')).toEqual(['Message', 'Results', 'Status']);
    expect(childNames(done.body, 'Body', 'GetSignResponseResponse', 'GetSignResponseResult', 'Results', 'SignResult')).toEqual(['Certificate', 'Signature']);
    const sampleOrder = childNames(readSample('getsignresponse-response'), 'Body', 'GetSignResponseResponse', 'GetSignResponseResult', 'Results', 'SignResult');
    expect(sampleOrder).toEqual(['Certificate', 'CorrelationID', 'Signature']);
  });

  it('VerifySignatures sample (truncated placeholder signature) is answered, not faulted, in documented order', async () => {
    const r = await rawSoap(f, readSample('verifysignatures-request'), { action: ACTION('VerifySignatures') });
    expect(r.status).toBe(200);
    const order = childNames(r.body, 'Body', 'VerifySignaturesResponse', 'VerifySignaturesResult', 'Results', 'VerificationResult');
    expect(order).toEqual(['CorrelationID', 'Message', 'SignaturesValid']);
    expect(r.body).toContain('<SignaturesValid>false</SignaturesValid>');
    expect(r.body).toContain('<Message>No signature was found</Message>');
  });
});

describe('WSDL and event log', () => {
  it('?wsdl and ?singleWsdl are served without a client certificate, with the endpoint address', async () => {
    for (const q of ['wsdl', 'singleWsdl', 'WSDL']) {
      const r = await rawSoap(f, '', { method: 'GET', path: `/MSign.svc?${q}`, tls: null });
      expect(r.status).toBe(200);
      expect(r.body).toContain('<wsdl:portType name="IMSign">');
      expect(r.body).toContain('<wsdl:binding name="BasicHttpBinding_IMSign" type="tns:IMSign">');
      expect(r.body).toMatch(/<soap:address location="https:\/\/(localhost|127\.0\.0\.1):\d+\/MSign.svc"\/>/);
      // alphabetical member order, required members without minOccurs, nillable where the contract says so
      expect(r.body).toContain('<xs:complexType name="SignResponse"><xs:sequence><xs:element minOccurs="0" name="Message" nillable="true" type="xs:string"/><xs:element name="Results" nillable="true" type="tns:ArrayOfSignResult"/><xs:element name="Status" type="tns:SignStatus"/></xs:sequence></xs:complexType>');
    }
  });

  it('every SOAP message in and out is in the event log with protocol msign', async () => {
    const before = f.sb.events.list(1000, (e) => e.protocol === 'msign').length;
    await postHash();
    const evs = f.sb.events.list(1000, (e) => e.protocol === 'msign').slice(0, 2);
    expect(f.sb.events.list(1000, (e) => e.protocol === 'msign').length).toBe(before + 2);
    expect(evs.map((e) => [e.direction, e.message, e.verdict, e.service])).toEqual([
      ['out', 'PostSignRequestResponse', 'sent', 'ecoalert'],
      ['in', 'PostSignRequest', 'accepted', 'ecoalert'],
    ]);
    expect(evs[1]!.xml).toContain('<PostSignRequest xmlns="https://msign.gov.md">');
  });
});

describe('refusals', () => {
  const expectFault = (r: { status: number; body: string }, code: string, reason?: RegExp) => {
    expect(r.status).toBe(500);
    const fa = faultOf(r.body);
    expect(fa?.code).toBe(code);
    if (reason) expect(fa?.reason).toMatch(reason);
  };

  it('no client certificate → AuthenticationFailed, no hang', async () => {
    const r = await rawSoap(f, post(sha1('x')), { action: ACTION('PostSignRequest'), tls: null });
    expectFault(r, 'AuthenticationFailed', /no client certificate/);
  });

  it('a certificate that is not registered → AuthenticationFailed naming its serial', async () => {
    const issued = f.sb.pki.issueServiceCertificate('stranger.localhost');
    const r = await rawSoap(f, post(sha1('x')), { action: ACTION('PostSignRequest'), tls: { key: issued.privateKeyPem, cert: issued.certificatePem } });
    expectFault(r, 'AuthenticationFailed', new RegExp(`Unknown service consumer: ${issued.serialNumber}`));
  });

  it('a registered certificate from an address not on the allow-list → AuthenticationFailed naming the address', async () => {
    const r = await rawSoap(f, post(sha1('x')), { action: ACTION('PostSignRequest'), localAddress: '127.0.0.2' });
    expectFault(r, 'AuthenticationFailed', /127\.0\.0\.2 are not allowed[\s\S]*Fix: Add 127\.0\.0\.2/);
  });

  it("GetSignResponse for another service's RequestID → AuthorizationFailed; unknown → RequestNotFound", async () => {
    const other = await registerConsumer(f.sb, 'both');
    const id = await postHash(other.tls);
    const get = (rid: string) => `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><GetSignResponse xmlns="https://msign.gov.md"><requestID>${rid}</requestID><language i:nil="true" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"/></GetSignResponse></s:Body></s:Envelope>`;
    expectFault(await rawSoap(f, get(id), { action: ACTION('GetSignResponse') }), 'AuthorizationFailed', /not initiated by this system/);
    expectFault(await rawSoap(f, get('0'.repeat(32)), { action: ACTION('GetSignResponse') }), 'RequestNotFound', /Cannot find such request/);
    expect((await rawSoap(f, get(id), { action: ACTION('GetSignResponse'), tls: other.tls })).body).toContain('<Status>Pending</Status>');
  });

  it('a 19-byte hash → InvalidParameter naming Content', async () => {
    expectFault(await rawSoap(f, post(Buffer.alloc(19, 1)), { action: ACTION('PostSignRequest') }), 'InvalidParameter', /SignContent\[1\]\/Content: A Hash content must be exactly 20 bytes/);
  });

  it('a non-PDF as Pdf → InvalidParameter', async () => {
    const body = post(sha1('x')).replace('<ContentType>Hash</ContentType>', '<ContentType>Pdf</ContentType>').replace(sha1('x').toString('base64'), Buffer.from('hello, not a pdf').toString('base64'));
    expectFault(await rawSoap(f, body, { action: ACTION('PostSignRequest') }), 'InvalidParameter', /not a PDF/);
  });

  it('wrong element order → InvalidParameter naming the element', async () => {
    const body = post(sha1('x')).replace('<ContentType>Hash</ContentType>', '').replace('<ShortContentDescription>', '<ContentType>Hash</ContentType><ShortContentDescription>');
    expectFault(await rawSoap(f, body, { action: ACTION('PostSignRequest') }), 'InvalidParameter', /ContentType|ShortContentDescription/);
    const swapped = post(sha1('x')).replace('<Content>', '<Name>n</Name><Content>').replace('<Name i:nil="true"/>', '');
    expectFault(await rawSoap(f, swapped, { action: ACTION('PostSignRequest') }), 'InvalidParameter', /SignContent\[1\]\/Content: Element Content is out of order/);
  });

  it('missing required member, malformed XML, DOCTYPE → InvalidParameter', async () => {
    expectFault(await rawSoap(f, post(sha1('x')).replace('<ShortContentDescription>Test</ShortContentDescription>', ''), { action: ACTION('PostSignRequest') }), 'InvalidParameter', /ShortContentDescription is missing/);
    expectFault(await rawSoap(f, '<s:Envelope', { action: ACTION('PostSignRequest') }), 'InvalidParameter', /not well-formed/);
    expectFault(await rawSoap(f, `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${post(sha1('x'))}`, { action: ACTION('PostSignRequest') }), 'InvalidParameter', /DOCTYPE/);
  });

  it('SOAPAction quoted, unquoted or absent all dispatch; one contradicting the body is refused', async () => {
    for (const action of ['"https://msign.gov.md/IMSign/PostSignRequest"', 'https://msign.gov.md/IMSign/PostSignRequest', undefined]) {
      expect((await rawSoap(f, post(sha1('x')), { action })).status).toBe(200);
    }
    expectFault(await rawSoap(f, post(sha1('x')), { action: ACTION('GetSignResponse') }), 'ActionNotSupported', /does not match the body element PostSignRequest/);
  });

  it('SOAP 1.2 content type → 415; unknown SOAPAction → ActionNotSupported', async () => {
    const r = await rawSoap(f, post(sha1('x')), { action: ACTION('PostSignRequest'), contentType: 'application/soap+xml; charset=utf-8' });
    expect(r.status).toBe(415);
    expectFault(await rawSoap(f, post(sha1('x')), { action: '"https://msign.gov.md/IMSign/DeleteEverything"' }), 'ActionNotSupported');
  });

  it('ExpectedSigner.ID that is not an IDNP, and DelegatorType without DelegatorID → InvalidParameter', async () => {
    expectFault(await rawSoap(f, post(sha1('x'), '<ExpectedSigner><ID>123</ID></ExpectedSigner>'), { action: ACTION('PostSignRequest') }), 'InvalidParameter', /not a valid IDNP/);
    expectFault(await rawSoap(f, post(sha1('x'), '<ExpectedSigner><DelegatorType>Organization</DelegatorType><ID>2002000000022</ID></ExpectedSigner>'), { action: ACTION('PostSignRequest') }), 'InvalidParameter', /DelegatorID is required/);
  });

  it('a body over MAX_SOAP_BYTES → 413 with a fault', async () => {
    const small = await startMSign({ maxSoapBytes: 2048 });
    try {
      const r = await rawSoap(small, post(sha1('x')).replace('Test', 'T'.repeat(4000)), { action: ACTION('PostSignRequest') });
      expect(r.status).toBe(413);
      expect(faultOf(r.body)?.reason).toMatch(/larger than the 2048 bytes/);
    } finally {
      await small.close();
    }
  });

  it('the TLS listener survives garbage and half-open connections, and still answers', async () => {
    const port = Number(new URL(f.url).port);
    await new Promise<void>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => s.end(Buffer.from('GET / HTTP/1.1\r\n\r\n\x00\xff garbage')));
      s.on('error', () => resolve());
      s.on('close', () => resolve());
    });
    await new Promise<void>((resolve) => {
      const s = tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false }, () => s.end('NOT HTTP AT ALL\r\n\r\n'));
      s.on('error', () => resolve());
      s.on('close', () => resolve());
      s.resume();
    });
    expect(await postHash()).toMatch(/^[0-9a-f]{32}$/);
    expect(f.sb.events.list(1000, (e) => e.protocol === 'msign').length).toBeGreaterThan(10);
  });
});
