// Hostile SOAP bodies against the MSign endpoint: each answered with a SOAP fault (or 413/415) naming the
// problem, the listener still healthy, and a bounded property-based fuzzer over valid envelopes.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, faultOf, rawSoap, sha1, startMSign, type MSignFixture } from '../msign/helpers.js';

let f: MSignFixture;
beforeAll(async () => {
  f = await startMSign({ maxSoapBytes: 4 * 1024 * 1024 });
});
afterAll(async () => {
  await f?.close();
});

const KNOWN = ['AuthenticationFailed', 'AuthorizationFailed', 'InvalidParameter', 'RequestNotFound', 'ActionNotSupported'];
const envelope = (inner: string, ns = 'http://schemas.xmlsoap.org/soap/envelope/') => `<s:Envelope xmlns:s="${ns}"><s:Body>${inner}</s:Body></s:Envelope>`;
const post = (request: string) => envelope(`<PostSignRequest xmlns="https://msign.gov.md"><request xmlns:i="http://www.w3.org/2001/XMLSchema-instance">${request}</request></PostSignRequest>`);
const VALID = post(`<ContentType>Hash</ContentType><Contents><SignContent><Content>${sha1('fuzz').toString('base64')}</Content><CorrelationID>c1</CorrelationID></SignContent></Contents><ShortContentDescription>Fuzz</ShortContentDescription>`);

async function expectFault(body: string, code: string, mention?: RegExp, opts: Parameters<typeof rawSoap>[2] = {}) {
  const r = await rawSoap(f, body, { action: ACTION('PostSignRequest'), ...opts });
  const fault = faultOf(r.body);
  expect(r.status, r.body.slice(0, 300)).toBe(500);
  expect(fault?.code).toBe(code);
  if (mention) expect(fault!.reason).toMatch(mention);
  return fault!;
}

async function stillHealthy() {
  const r = await rawSoap(f, VALID, { action: ACTION('PostSignRequest') });
  expect(r.status).toBe(200);
  expect(r.body).toMatch(/<PostSignRequestResult>[0-9a-f]{32}</);
}

describe('hostile SOAP bodies', () => {
  it.each([
    ['external entity (file)', `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>${post('<ContentType>&x;</ContentType>')}`],
    ['external entity (http)', `<!DOCTYPE r [<!ENTITY x SYSTEM "http://127.0.0.1:1/x">]>${post('<ContentType>&x;</ContentType>')}`],
    ['parameter entities', `<!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:1/p.dtd"> %p;]>${VALID}`],
    ['billion laughs', `<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>${post('<ShortContentDescription>&d;&d;&d;</ShortContentDescription>')}`],
  ])('%s → InvalidParameter, nothing resolved', async (_l, body) => {
    const fault = await expectFault(body, 'InvalidParameter', /DOCTYPE|entit/i);
    expect(fault.reason).not.toContain('root:');
    await stillHealthy();
  });

  it('deeply nested elements → InvalidParameter', async () => {
    await expectFault(post(`${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}`), 'InvalidParameter');
    await stillHealthy();
  });

  it('invalid UTF-8 and non-XML → InvalidParameter', async () => {
    await expectFault(Buffer.from([0x3c, 0x73, 0xff, 0xfe, 0x3e]).toString('latin1'), 'InvalidParameter');
    await expectFault('this is not xml at all', 'InvalidParameter');
    await expectFault('', 'InvalidParameter');
    await stillHealthy();
  });

  it('a SOAP 1.2 envelope sent as text/xml → InvalidParameter naming the envelope', async () => {
    await expectFault(VALID.replace('http://schemas.xmlsoap.org/soap/envelope/', 'http://www.w3.org/2003/05/soap-envelope'), 'InvalidParameter', /Envelope|SOAP 1\.1/i);
  });

  it('nil where it is forbidden (ContentType, Contents) → InvalidParameter naming the member', async () => {
    await expectFault(post(`<ContentType i:nil="true"/><Contents><SignContent><Content>${sha1('x').toString('base64')}</Content></SignContent></Contents><ShortContentDescription>x</ShortContentDescription>`), 'InvalidParameter', /ContentType/);
    await expectFault(post('<ContentType>Hash</ContentType><Contents i:nil="true"/><ShortContentDescription>x</ShortContentDescription>'), 'InvalidParameter', /Contents/);
  });

  it('huge base64 content under the body limit → InvalidParameter (not a PDF), the process unharmed', async () => {
    const big = Buffer.alloc(2.5 * 1024 * 1024, 0x41).toString('base64');
    await expectFault(post(`<ContentType>Pdf</ContentType><Contents><SignContent><Content>${big}</Content><Name>big.pdf</Name></SignContent></Contents><ShortContentDescription>Big</ShortContentDescription>`), 'InvalidParameter', /PDF/i);
    await stillHealthy();
  });

  it('broken base64 in Content → InvalidParameter naming Content', async () => {
    await expectFault(post('<ContentType>Hash</ContentType><Contents><SignContent><Content>@@not base64@@</Content></SignContent></Contents><ShortContentDescription>x</ShortContentDescription>'), 'InvalidParameter', /Content/);
  });

  it('a property-based fuzzer over valid envelopes: always a known fault or a valid answer, never a crash', async () => {
    const ops: Array<(s: string, i: number, c: string) => string> = [
      (s, i) => s.slice(0, i) + s.slice(i + 1), // delete a character
      (s, i, c) => s.slice(0, i) + c + s.slice(i), // insert one
      (s, i, c) => s.slice(0, i) + c + s.slice(i + 1), // replace one
      (s, i) => s.slice(0, i) + s.slice(i, i + 20) + s.slice(i), // duplicate a run
    ];
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: ops.length - 1 }), fc.nat(), fc.constantFrom('<', '>', '/', '"', '&', 'x', ' ', '=', ':', '\u0000', 'é'), async (op, pos, ch) => {
        const body = ops[op]!(VALID, pos % VALID.length, ch);
        const r = await rawSoap(f, body, { action: ACTION('PostSignRequest') });
        if (r.status === 200) {
          expect(r.body).toMatch(/<PostSignRequestResult>[0-9a-f]{32}<\/PostSignRequestResult>/);
          seen.set('accepted', (seen.get('accepted') ?? 0) + 1);
          return;
        }
        expect([413, 415, 500]).toContain(r.status);
        if (r.status === 500) {
          const fault = faultOf(r.body);
          expect(fault, r.body.slice(0, 200)).toBeDefined();
          expect(KNOWN).toContain(fault!.code);
          expect(fault!.reason.length).toBeGreaterThan(10);
          seen.set(fault!.code, (seen.get(fault!.code) ?? 0) + 1);
        }
      }),
      { numRuns: 300, seed: 20261125 },
    );
    expect(seen.get('InvalidParameter')).toBeGreaterThan(50);
    await stillHealthy();
  }, 120_000);
});
