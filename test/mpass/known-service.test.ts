// Known service, bad request (issue 8): a validly signed AuthnRequest from a registered service that fails
// a content check keeps the error page, which links back to the service (the origin of its ACS); the login
// page shows where the Response will be posted, and the event log notes an ACS other than the default.
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { ECOALERT, startSandbox, unescapeHtml, type Sandbox } from '../helpers.js';
import { dotnetInstant, officialAuthnRequestXml, signLikeDotnet } from '../official-client.js';
import { b64 } from '../hostile/support.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox();
});

const base = () => officialAuthnRequestXml({ destination: sb.mpass.ssoUrl, acs: ECOALERT.acs, issuer: ECOALERT.issuer });
const sign = (xml: string) => signLikeDotnet(xml, 'AuthnRequest', ECOALERT.key, ECOALERT.cert);
const send = (xml: string) => request(sb.app).post('/login/saml?lang=en').type('form').send({ SAMLRequest: b64(xml) });
const backLink = (html: string) => /data-testid="error-service" href="([^"]*)"/.exec(html)?.[1];

describe('a validly signed request from a known service that fails a content check', () => {
  it.each([
    ['Version 1.1', (x: string) => x.replace('Version="2.0"', 'Version="1.1"'), 'ERR_VERSION'],
    ['a Destination naming another host', (x: string) => x.replace(`Destination="${sb.mpass.ssoUrl}"`, 'Destination="https://mpass.staging.egov.md/login/saml"'), 'ERR_DESTINATION'],
    ['an IssueInstant an hour old', (x: string) => x.replace(/IssueInstant="[^"]+"/, `IssueInstant="${dotnetInstant(new Date(Date.now() - 3600_000))}"`), 'ERR_ISSUE_INSTANT_EXPIRED'],
  ])('%s: the error page stays, and links back to the origin of the ACS', async (_l, change, code) => {
    const res = await send(sign(change(base())));
    expect(res.status).toBe(400);
    expect(res.text).toContain(code);
    expect(backLink(res.text)).toBe('http://localhost:3000/');
    expect(res.text).toMatch(/Back to the service: EcoAlert/);
  });

  it('a request that is not proven (unsigned, or signed by someone else) gets no link: the page never sends the tester where an anonymous request says', async () => {
    const unsigned = await send(officialAuthnRequestXml({ destination: sb.mpass.ssoUrl, acs: 'https://evil.example/acs', issuer: ECOALERT.issuer }).replace('Version="2.0"', 'Version="1.1"'));
    expect(unsigned.status).toBe(403);
    expect(backLink(unsigned.text)).toBeUndefined();
    const unknown = await send(officialAuthnRequestXml({ destination: sb.mpass.ssoUrl, acs: 'https://evil.example/acs', issuer: 'https://nobody.example' }));
    expect(backLink(unknown.text)).toBeUndefined();
  });

  it('the link follows the ACS of the signed request (that is where the service said it lives)', async () => {
    const res = await send(sign(officialAuthnRequestXml({ destination: sb.mpass.ssoUrl, acs: 'https://ecoalert-staging.localhost:8443/acs', issuer: ECOALERT.issuer }).replace('Version="2.0"', 'Version="1.1"')));
    expect(backLink(res.text)).toBe('https://ecoalert-staging.localhost:8443/');
  });
});

describe('the login page says where the Response goes', () => {
  it('the registered default ACS: shown, no note', async () => {
    const res = await send(sign(base()));
    expect(unescapeHtml(/data-testid="login-acs"><code>([^<]*)</.exec(res.text)![1]!)).toBe(ECOALERT.acs);
    expect(res.text).not.toContain('login-acs-differs');
  });

  it('another ACS from the signed request: shown, the page and the event log note the registered default', async () => {
    const other = 'http://localhost:3000/another-acs?tenant=1';
    const res = await send(sign(officialAuthnRequestXml({ destination: sb.mpass.ssoUrl, acs: other, issuer: ECOALERT.issuer })));
    expect(unescapeHtml(/data-testid="login-acs"><code>([^<]*)</.exec(res.text)![1]!)).toBe(other);
    expect(unescapeHtml(/data-testid="login-acs-differs">[^<]*<code>([^<]*)</.exec(res.text)![1]!)).toBe(ECOALERT.acs);
    const ev = (await request(sb.app).get('/api/events?limit=5')).body.find((e: { message: string; verdict: string }) => e.message === 'AuthnRequest' && e.verdict === 'accepted');
    expect(ev.warnings.join(' ')).toContain(`AssertionConsumerServiceURL ${other} differs from the registered default ACS ${ECOALERT.acs}`);
  });
});
