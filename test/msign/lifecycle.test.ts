// Sign-request states never go backwards (MSIGN.md §4.2, issue 8): Pending → Success | Failure | Expired,
// once. The signing page is an interaction the MSign core returns; here two tabs act on one request
// through it, in an order the test controls: a tab's signing runs until its first await, the other tab
// acts meanwhile.
import { PDFDocument } from 'pdf-lib';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PageInput } from '../../src/msign/interaction.js';
import { ACTION, rawSoap, sha1, startMSign, type MSignFixture } from './helpers.js';

let f: MSignFixture;
beforeAll(async () => {
  f = await startMSign();
});
afterAll(async () => {
  await f?.close();
});
afterEach(() => f.sb.clock.reset());

const RETURN = 'http://localhost:3000/msign-callback';

async function postPdf(): Promise<string> {
  const d = await PDFDocument.create();
  d.addPage([300, 200]);
  const pdf = Buffer.from(await d.save());
  const body =
    `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><PostSignRequest xmlns="https://msign.gov.md"><request>` +
    `<ContentType>Pdf</ContentType><Contents><SignContent><Content>${pdf.toString('base64')}</Content><CorrelationID>d1</CorrelationID></SignContent></Contents><ShortContentDescription>Contract</ShortContentDescription></request></PostSignRequest></s:Body></s:Envelope>`;
  const r = await rawSoap(f, body, { action: ACTION('PostSignRequest') });
  expect(r.status, r.body).toBe(200);
  return /<PostSignRequestResult>([0-9a-f]{32})</.exec(r.body)![1]!;
}

async function postHash(): Promise<string> {
  const body =
    `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><PostSignRequest xmlns="https://msign.gov.md"><request>` +
    `<ContentType>Hash</ContentType><Contents><SignContent><Content>${sha1('x').toString('base64')}</Content></SignContent></Contents><ShortContentDescription>Doc</ShortContentDescription></request></PostSignRequest></s:Body></s:Envelope>`;
  const r = await rawSoap(f, body, { action: ACTION('PostSignRequest') });
  return /<PostSignRequestResult>([0-9a-f]{32})</.exec(r.body)![1]!;
}

async function status(id: string): Promise<{ status?: string; message?: string }> {
  const r = await rawSoap(f, `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><GetSignResponse xmlns="https://msign.gov.md"><requestID>${id}</requestID><language>en</language></GetSignResponse></s:Body></s:Envelope>`, { action: ACTION('GetSignResponse') });
  return { status: /<Status>(\w+)</.exec(r.body)?.[1], message: /<Message>([^<]*)</.exec(r.body)?.[1] };
}

const tab = (requestId: string, action: string, extra: Record<string, string> = {}): PageInput => ({
  requestId,
  posted: true,
  params: { returnurl: RETURN, relaystate: `tab-${action}`, lang: 'en', instrument: 'moldsign', action, persona: '2001000000011', ...extra },
  pageTokenValid: true,
});

describe('sign request states never go backwards', () => {
  it('cancelled in one tab while another tab signs: stays Failure, both tabs get the cancellation, the refusal is logged', async () => {
    const id = await postPdf();
    const signing = f.sb.msign.interaction(tab(id, 'sign'));
    const cancelling = f.sb.msign.interaction(tab(id, 'cancel'));
    const [signed, cancelled] = await Promise.all([signing, cancelling]);
    expect(cancelled).toEqual({ kind: 'failed', reason: { key: 'cancelled' }, post: { action: RETURN, fields: { RequestID: id, RelayState: 'tab-cancel' } } });
    // The signing tab does not post the success callback for a request its e-Service was told is cancelled.
    expect(signed).toEqual({ kind: 'failed', reason: { key: 'cancelled' }, post: { action: RETURN, fields: { RequestID: id, RelayState: 'tab-sign' } } });
    expect(await status(id)).toEqual({ status: 'Failure', message: 'The user cancelled the signing.' });
    const refused = f.sb.events.list(50).find((e) => e.rejection?.code === 'ERR_SIGN_REQUEST_STATE' && e.summary?.startsWith(id));
    expect(refused?.summary).toContain('the request is already Failure, so "Success" (signed by 2001000000011 (natural)) is refused');
    expect((await request(f.sb.app).get(`/msign/${id}`).query({ ReturnUrl: RETURN })).status).toBe(410);
  });

  it('a request that expires while it is being signed ends Expired, not Success', async () => {
    const id = await postPdf();
    const signing = f.sb.msign.interaction(tab(id, 'sign'));
    f.sb.clock.setOffset(f.sb.config.signRequestLifetimeSeconds + 5);
    expect(await signing).toMatchObject({ kind: 'failed', reason: { key: 'expired' } });
    expect(await status(id)).toEqual({ status: 'Expired', message: 'The signing request has expired.' });
  });

  it('a finished request refuses every later transition: cancel after Success keeps Success', async () => {
    const id = await postHash();
    expect(await f.sb.msign.interaction(tab(id, 'sign'))).toMatchObject({ kind: 'return' });
    const rec = f.sb.msign.requests.get(id)!;
    expect(f.sb.msign.requests.fail(rec, { key: 'cancelled' })).toBe(false);
    expect(f.sb.msign.requests.expire(rec)).toBe(false);
    expect((await status(id)).status).toBe('Success');
  });
});

describe('the signing page is an interaction the core returns', () => {
  it('shows the form, reports a problem without signing, and posts the outcome to ReturnUrl', async () => {
    const id = await postHash();
    const shown = await f.sb.msign.interaction({ requestId: id, posted: false, params: { returnurl: RETURN, relaystate: 'r', msisdn: '37360000000' }, pageTokenValid: false });
    expect(shown.kind).toBe('form');
    if (shown.kind !== 'form') return;
    expect(shown.problem).toBeUndefined();
    expect(shown.form.keep).toEqual({ ReturnUrl: RETURN, RelayState: 'r', MSISDN: '37360000000' });
    expect(shown.form.identities.length).toBeGreaterThan(0);

    expect(await f.sb.msign.interaction({ ...tab(id, 'sign'), params: { action: 'sign', persona: '2001000000011' } })).toMatchObject({ kind: 'form', problem: 'returnUrlMissing' });
    expect(await f.sb.msign.interaction(tab(id, 'sign', { persona: '9999999999999' }))).toMatchObject({ kind: 'form', problem: 'badIdnp' });
    expect(await f.sb.msign.interaction(tab(id, 'sign', { instrument: 'mobile', idnp: '2001000000011', msisdn: '12' }))).toMatchObject({ kind: 'form', problem: 'badMsisdn' });
    expect(await f.sb.msign.interaction({ ...tab(id, 'sign'), pageTokenValid: false })).toEqual({ kind: 'refused', requestId: id });
    expect((await status(id)).status).toBe('Pending');

    expect(await f.sb.msign.interaction(tab(id, 'sign'))).toEqual({ kind: 'return', post: { action: RETURN, fields: { RequestID: id, RelayState: 'tab-sign' } } });
    expect(await f.sb.msign.interaction(tab(id, 'sign'))).toEqual({ kind: 'unavailable', requestId: id, status: 'Success' });
  });
});
