// Registered signer types, ExpectedSigner and delegation, the signing page's behaviour (TC_FUNCT_01–04),
// lifetimes, and the automation API.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, faultOf, rawSoap, registerConsumer, sha1, signOnPage, startMSign, type MSignFixture, type Tls } from './helpers.js';

let f: MSignFixture;
beforeAll(async () => {
  f = await startMSign();
});
afterAll(async () => {
  await f?.close();
});

const post = (expectedSigner = '', hash = sha1('doc')) =>
  `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><PostSignRequest xmlns="https://msign.gov.md"><request xmlns:i="http://www.w3.org/2001/XMLSchema-instance">` +
  `<ContentType>Hash</ContentType><Contents><SignContent><Content>${hash.toString('base64')}</Content><CorrelationID>k1</CorrelationID></SignContent></Contents>${expectedSigner}<ShortContentDescription>Test</ShortContentDescription></request></PostSignRequest></s:Body></s:Envelope>`;
const es = (id: string, delegator?: string) => `<ExpectedSigner>${delegator ? `<DelegatorID>${delegator}</DelegatorID><DelegatorType>Organization</DelegatorType>` : ''}<ID>${id}</ID></ExpectedSigner>`;
const get = (id: string, lang = 'en') => `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><GetSignResponse xmlns="https://msign.gov.md"><requestID>${id}</requestID><language>${lang}</language></GetSignResponse></s:Body></s:Envelope>`;

async function postOk(body: string, tls?: Tls): Promise<string> {
  const r = await rawSoap(f, body, { action: ACTION('PostSignRequest'), tls });
  expect(r.status, r.body).toBe(200);
  return /<PostSignRequestResult>([0-9a-f]{32})</.exec(r.body)![1]!;
}
async function status(id: string, lang = 'en', tls?: Tls): Promise<{ status: string; message?: string; body: string }> {
  const r = await rawSoap(f, get(id, lang), { action: ACTION('GetSignResponse'), tls });
  return { status: /<Status>(\w+)</.exec(r.body)?.[1] ?? faultOf(r.body)?.code ?? '?', message: /<Message>([^<]*)</.exec(r.body)?.[1], body: r.body };
}

describe('registered signer type', () => {
  it('natural: Organization requests refused at PostSignRequest; page offers natural identities only; forced legal signature fails', async () => {
    const c = await registerConsumer(f.sb, 'natural');
    const refused = await rawSoap(f, post(es('2007000000088', '1010600000011')), { action: ACTION('PostSignRequest'), tls: c.tls });
    expect(faultOf(refused.body)?.code).toBe('InvalidParameter');
    expect(faultOf(refused.body)?.reason).toMatch(/registered for natural persons only/);

    const id = await postOk(post(), c.tls);
    const page = await request(f.sb.app).get(`/msign/${id}`).query({ ReturnUrl: 'http://localhost:3000/cb' });
    expect(page.text).toContain('data-testid="persona-2001000000011"');
    expect(page.text).not.toMatch(/data-testid="persona-\d{13}@/);

    const forced = await signOnPage(f.sb, id, { persona: '2007000000088@1010600000011', lang: 'ro' });
    expect(forced.callback).toBeUndefined();
    expect(forced.html).toContain('data-testid="failure-reason">Acest serviciu acceptă doar semnături ale persoanelor fizice.');
    expect(forced.html).toMatch(/<form method="POST" action="http:\/\/localhost:3000\/msign-callback">/);
    const s = await status(id, 'ru', c.tls);
    expect([s.status, s.message]).toEqual(['Failure', 'Эта услуга принимает только подписи физических лиц.']);
    expect(s.body).toContain('<Results><SignResult><CorrelationID>k1</CorrelationID></SignResult></Results>');
  });

  it('legal: a natural-person request is refused; page offers organisation identities only; a person without one fails', async () => {
    const c = await registerConsumer(f.sb, 'legal');
    const refused = await rawSoap(f, post(es('2001000000011')), { action: ACTION('PostSignRequest'), tls: c.tls });
    expect(faultOf(refused.body)?.reason).toMatch(/registered for legal persons/);

    const id = await postOk(post(), c.tls);
    const page = await request(f.sb.app).get(`/msign/${id}`).query({ returnurl: 'http://localhost:3000/cb', LANG: 'en' });
    const offered = [...page.text.matchAll(/data-testid="persona-([^"]+)"/g)].map((m) => m[1]);
    expect(offered).toEqual(['2005000000066@1003600000022', '2007000000088@1010600000011']);
    expect(page.text).toContain('This service accepts only signatures on behalf of an organisation.');

    const forced = await signOnPage(f.sb, id, { persona: '2001000000011' });
    expect(forced.html).toContain('This service accepts only signatures on behalf of an organisation.');
    expect((await status(id, 'en', c.tls)).status).toBe('Failure');

    const id2 = await postOk(post(), c.tls);
    expect((await signOnPage(f.sb, id2, { persona: '2005000000066' })).callback?.fields.RequestID).toBe(id2);
    expect((await status(id2, 'en', c.tls)).status).toBe('Success');
  });
});

describe('ExpectedSigner and delegation', () => {
  it('another person signing → Failure saying who was expected', async () => {
    const id = await postOk(post(es('2001000000011')));
    const page = await signOnPage(f.sb, id, { persona: '2002000000022' });
    expect(page.html).toContain('Signer IDNP 2002000000022 is not the expected signer 2001000000011.');
    const s = await status(id, 'ro');
    expect([s.status, s.message]).toEqual(['Failure', 'Semnatarul cu IDNP 2002000000022 nu este semnatarul așteptat 2001000000011.']);
  });

  it('Organization delegation: the administrator with the organisation instrument signs; another organisation fails', async () => {
    const ok = await postOk(post(es('2007000000088', '1010600000011')));
    expect((await signOnPage(f.sb, ok, { persona: '2007000000088' })).callback).toBeDefined();
    const s = await status(ok);
    expect(s.status).toBe('Success');
    const cert = Buffer.from(/<Certificate>([^<]+)</.exec(s.body)![1]!, 'base64');
    expect(new (await import('node:crypto')).X509Certificate(cert).subject).toContain('O=Eco Alert SRL 1010600000011');

    const forged = await postOk(post());
    expect((await signOnPage(f.sb, forged, { persona: '2005000000066@1010600000011' })).html).toContain('The signer cannot sign on behalf of 1010600000011.');

    const bad = await postOk(post(es('2005000000066', '1010600000011')));
    const page = await signOnPage(f.sb, bad, { persona: '2005000000066' });
    expect(page.html).toContain('The signer cannot sign on behalf of 1010600000011.');
  });
});

describe('signing page', () => {
  it('unknown, finished and expired requests show a clear page without a callback', async () => {
    const unknown = await request(f.sb.app).get(`/msign/${'f'.repeat(32)}`).query({ ReturnUrl: 'http://localhost:3000/cb', lang: 'en' });
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('This signing request does not exist, has finished or has expired.');
    expect(unknown.text).not.toContain('hiddenform');

    const id = await postOk(post());
    await signOnPage(f.sb, id, { persona: '2001000000011' });
    const again = await request(f.sb.app).post(`/msign/${id}`).type('form').send({ ReturnUrl: 'http://localhost:3000/cb', persona: '2001000000011', action: 'sign' });
    expect(again.status).toBe(410);
    expect(again.text).not.toContain('hiddenform');
  });

  it('cancel shows the reason and an OK button posting RequestID and RelayState; GetSignResponse says Failure', async () => {
    const id = await postOk(post());
    const r = await signOnPage(f.sb, id, { action: 'cancel', relayState: 'keep me', lang: 'ru' });
    expect(r.html).toContain('Пользователь отменил подписание.');
    expect(r.html).toContain(`<input type="hidden" name="RequestID" value="${id}">`);
    expect(r.html).toContain('<input type="hidden" name="RelayState" value="keep me">');
    expect(r.html).toContain('data-testid="ok"');
    expect((await status(id, 'en')).message).toBe('The user cancelled the signing.');
  });

  it('reopening a pending request and posting a second request for the same document both work (TC_FUNCT_03)', async () => {
    const id1 = await postOk(post('', sha1('same')));
    const open1 = await request(f.sb.app).post(`/msign/${id1}`).type('form').send({ ReturnUrl: 'http://localhost:3000/cb' });
    const open2 = await request(f.sb.app).get(`/msign/${id1}`).query({ returnUrl: 'http://localhost:3000/cb' });
    expect([open1.status, open2.status]).toEqual([200, 200]);
    expect(open1.text).toContain(`href="/msign/${id1}?ReturnUrl=http%3A%2F%2Flocalhost%3A3000%2Fcb&amp;lang=en" data-testid="lang-en"`);
    const id2 = await postOk(post('', sha1('same')));
    expect(id2).not.toBe(id1);
    expect((await signOnPage(f.sb, id2, { persona: '2004000000044' })).callback?.fields.RequestID).toBe(id2);
    expect((await status(id1)).status).toBe('Pending');
  });

  it('mobile instrument: IDNP + MSISDN; a malformed MSISDN is caught on the page', async () => {
    const id = await postOk(post(es('2001000000011')));
    const bad = await signOnPage(f.sb, id, { instrument: 'mobile', extra: { idnp: '2001000000011', msisdn: '12ab' } });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('The mobile number must be 8 to 15 digits');
    const ok = await signOnPage(f.sb, id, { instrument: 'mobile', extra: { idnp: '2001000000011', msisdn: '37360000000' } });
    expect(ok.callback?.fields.RequestID).toBe(id);
  });

  it('a missing ReturnUrl is explained and nothing is signed', async () => {
    const id = await postOk(post());
    const r = await request(f.sb.app).get(`/msign/${id}`);
    expect(r.status).toBe(400);
    expect(r.text).toContain('ReturnUrl lipsește');
    expect((await status(id)).status).toBe('Pending');
  });
});

describe('lifetimes', () => {
  it('Pending → Expired after SIGN_REQUEST_LIFETIME_SECONDS, then RequestNotFound after the retention', async () => {
    const id = await postOk(post());
    f.sb.clock.setOffset(f.sb.config.signRequestLifetimeSeconds + 1);
    try {
      const s = await status(id, 'en');
      expect([s.status, s.message]).toEqual(['Expired', 'The signing request has expired.']);
      expect((await request(f.sb.app).get(`/msign/${id}`).query({ ReturnUrl: 'http://localhost:3000/cb' })).status).toBe(410);
      f.sb.clock.setOffset(f.sb.config.signRequestLifetimeSeconds + f.sb.config.signRequestRetentionSeconds + 2);
      expect((await status(id)).status).toBe('RequestNotFound');
    } finally {
      f.sb.clock.reset();
    }
  });
});

describe('POST /api/msign/script', () => {
  it('finishes the next requests of a service at once: success, cancel, expire, wrong-signer', async () => {
    const api = (body: object) => request(f.sb.app).post('/api/msign/script').send(body);
    expect((await api({ serviceId: 'ecoalert', outcome: 'success', persona: '2002000000022', times: 2 })).status).toBe(201);
    const a = await postOk(post());
    const b = await postOk(post());
    expect([(await status(a)).status, (await status(b)).status]).toEqual(['Success', 'Success']);
    expect((await status(await postOk(post()))).status).toBe('Pending');

    const serial = (await import('../../src/pki/certificates.js')).canonicalSerial(new (await import('node:crypto')).X509Certificate(f.ecoalert.cert).serialNumber);
    await api({ serial: serial.toLowerCase(), outcome: 'cancel' });
    expect((await status(await postOk(post()))).message).toBe('The user cancelled the signing.');
    await api({ serviceId: 'ecoalert', outcome: 'expire' });
    expect((await status(await postOk(post()))).status).toBe('Expired');
    await api({ serviceId: 'ecoalert', outcome: 'wrong-signer', persona: '2002000000022' });
    const w = await status(await postOk(post(es('2001000000011'))));
    expect([w.status, w.message]).toEqual(['Failure', 'Signer IDNP 2002000000022 is not the expected signer 2001000000011.']);

    const invalid = await api({ serviceId: 'nope', outcome: 'explode', times: 0 });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e: { where: string }) => e.where)).toEqual(['serviceId', 'outcome', 'times']);
  });

  it('honours ADMIN_TOKEN like the other /api writes', async () => {
    const g = await startMSign({ adminToken: 'secret-token-1' });
    try {
      expect((await request(g.sb.app).post('/api/msign/script').send({ serviceId: 'ecoalert' })).status).toBe(401);
      expect((await request(g.sb.app).post('/api/msign/script').set('Authorization', 'Bearer secret-token-1').send({ serviceId: 'ecoalert' })).status).toBe(201);
    } finally {
      await g.close();
    }
  });
});
