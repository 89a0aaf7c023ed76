// Replayed requests (issue 8): the same signed AuthnRequest or LogoutRequest is answered once; the ID is
// remembered per issuer for the accepted clock window, and moving the sandbox clock does not widen it.
import request from 'supertest';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ECOALERT, OFFICIAL_SP, scrapeForm, startSandbox, type Sandbox } from '../helpers.js';
import { b64, liveSession, logoutXml, signedRedirectQuery } from '../hostile/support.js';
import { dotnetId, dotnetInstant, officialAuthnRequestXml, signedOfficialAuthnRequest, signLikeDotnet } from '../official-client.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox();
});
afterEach(() => sb.clock.reset());

const authn = (sp = ECOALERT, id = dotnetId(), issueInstant?: string) => signedOfficialAuthnRequest({ id, issueInstant, destination: sb.mpass.ssoUrl, acs: sp.acs, issuer: sp.issuer }, sp.key, sp.cert);
const post = (xml: string) => request(sb.app).post('/login/saml').type('form').send({ SAMLRequest: b64(xml) });

describe('replayed AuthnRequests', () => {
  it('the same signed AuthnRequest is answered once; the repeat gets ERR_REPLAYED_ID naming when it was first seen', async () => {
    const xml = authn();
    const first = await post(xml);
    expect(first.status).toBe(200);
    expect(first.text).toContain('name="pending"');
    const seenAt = sb.clock.now().getTime();
    const again = await post(xml);
    expect(again.status).toBe(400);
    expect(again.text).toContain('ERR_REPLAYED_ID');
    // Named in the page's language (ro by default), from the catalogue's {at}.
    expect(again.text).toContain('a fost deja acceptată de la acest serviciu la');
    const firstSeen = /acceptată de la acest serviciu la (\S+Z)/.exec(again.text)?.[1];
    expect(Math.abs(Date.parse(firstSeen!) - seenAt)).toBeLessThan(5000);
    const ev = (await request(sb.app).get('/api/events?limit=3')).body.find((e: { message: string; verdict: string }) => e.message === 'AuthnRequest' && e.verdict === 'rejected');
    expect(ev.rejection).toMatchObject({ code: 'ERR_REPLAYED_ID', where: 'AuthnRequest/@ID' });
  });

  it('a scripted Success is not handed out twice for one request, over either binding', async () => {
    const id = dotnetId();
    const xml = officialAuthnRequestXml({ id, destination: sb.mpass.ssoUrl, acs: ECOALERT.acs, issuer: ECOALERT.issuer });
    await request(sb.app).post('/api/script').send({ issuer: ECOALERT.issuer, persona: '2001000000011', times: 2 }).expect(201);
    const first = await request(sb.app).get(`/login/saml?${signedRedirectQuery(xml, ECOALERT.key)}`);
    expect(Buffer.from(scrapeForm(first.text).fields.SAMLResponse!, 'base64').toString('utf8')).toContain('status:Success');
    const again = await post(signLikeDotnet(xml, 'AuthnRequest', ECOALERT.key, ECOALERT.cert));
    expect(again.status).toBe(400);
    expect(again.text).toContain('ERR_REPLAYED_ID');
    expect(again.text).not.toContain('SAMLResponse');
    await request(sb.app).delete('/api/script');
  });

  it('IDs are remembered per issuer: another service may use the same ID', async () => {
    const id = dotnetId();
    expect((await post(authn(ECOALERT, id))).status).toBe(200);
    expect((await post(authn(OFFICIAL_SP, id))).status).toBe(200);
  });

  it('a refused request is not remembered: fixing it and sending the same ID is fine', async () => {
    const id = dotnetId();
    const unsigned = officialAuthnRequestXml({ id, destination: sb.mpass.ssoUrl, acs: ECOALERT.acs, issuer: ECOALERT.issuer });
    expect((await post(unsigned)).status).toBe(403);
    expect((await post(authn(ECOALERT, id))).status).toBe(200);
  });
});

describe('replayed LogoutRequests', () => {
  it('the same signed LogoutRequest is accepted once; the repeat gets ERR_REPLAYED_ID', async () => {
    const session = await liveSession(sb, '2002000000022');
    const xml = signLikeDotnet(logoutXml(sb, session), 'LogoutRequest', ECOALERT.key, ECOALERT.cert);
    const first = await request(sb.app).post('/logout/saml').set('Cookie', session.cookie).type('form').send({ SAMLRequest: b64(xml) });
    expect(first.status).toBe(303);
    const again = await request(sb.app).post('/logout/saml').set('Cookie', session.cookie).type('form').send({ SAMLRequest: b64(xml) });
    expect(again.status).toBe(400);
    expect(again.text).toContain('ERR_REPLAYED_ID');
    expect(again.text).toContain('LogoutRequest/@ID');
  });
});

describe('the accepted window is CLOCK_SKEW_SECONDS around the sandbox clock, however it was moved', () => {
  it('a sandbox clock moved 2 h ahead refuses a request dated 2 h behind it, and accepts one dated on its own time', async () => {
    sb.clock.setOffset(2 * 3600);
    const old = await post(authn(ECOALERT, dotnetId(), dotnetInstant(new Date())));
    expect(old.status).toBe(400);
    expect(old.text).toContain('ERR_ISSUE_INSTANT_EXPIRED');
    const onTime = await post(authn(ECOALERT, dotnetId(), dotnetInstant(sb.clock.now())));
    expect(onTime.status).toBe(200);
  });

  it('remembered IDs expire with the window (memory stays bounded)', async () => {
    const small = await startSandbox({ clockSkewSeconds: 60 });
    const send = (xml: string) => request(small.app).post('/login/saml').type('form').send({ SAMLRequest: b64(xml) });
    const at = (d: Date) => signedOfficialAuthnRequest({ issueInstant: dotnetInstant(d), destination: small.mpass.ssoUrl, acs: ECOALERT.acs, issuer: ECOALERT.issuer }, ECOALERT.key, ECOALERT.cert);
    for (let i = 0; i < 5; i++) expect((await send(at(small.clock.now()))).status).toBe(200);
    expect(small.mpass.replays.size).toBe(5);
    small.clock.setOffset(120); // past IssueInstant + 60 s for all five
    expect((await send(at(small.clock.now()))).status).toBe(200);
    expect(small.mpass.replays.size).toBe(1);
  });
});

