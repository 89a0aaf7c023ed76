// MPass single sign-on through the public HTTP surface, against node-saml as the service provider,
// xmlsec1 for the signature, the SAML XSD for the shape, and AuthnRequests built like the official .NET client.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { validate as validateSamlSchema } from '@authenio/samlify-xmllint-wasm';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../helpers.js';
import { ECOALERT, OFFICIAL_SP, decodeRequest, decodeSaml, loginThroughPage, nodeSamlSp, pendingIdOf, scrapeForm, startSandbox, tempDir } from '../helpers.js';
import { dotnetId, dotnetInstant, officialAuthnRequestXml, signedOfficialAuthnRequest } from '../official-client.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox();
});

const post = (fields: Record<string, string>, query = '') => request(sb.app).post(`/login/saml${query}`).type('form').send(fields);
const b64 = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');

describe('SSO with node-saml as the service provider (HTTP-POST)', () => {
  it('completes a login and node-saml validates the signed Response; attributes are exactly the registered ones', async () => {
    const saml = nodeSamlSp(sb, ECOALERT);
    const r = await loginThroughPage(sb, saml, { persona: '2002000000022', relayState: 'state-42' });
    expect(r.status).toBe(200);
    expect(r.form!.action).toBe(ECOALERT.acs);
    expect(r.form!.fields.RelayState).toBe('state-42');
    const { profile, loggedOut } = await saml.validatePostResponseAsync({ SAMLResponse: r.form!.fields.SAMLResponse! });
    expect(loggedOut).toBe(false);
    expect(profile!.nameID).toBe('2002000000022');
    expect(profile!.issuer).toBe(sb.config.mpassEntityId);
    expect(profile!.sessionIndex).toMatch(/^[0-9a-f-]{36}$/);
    const attrs = profile!.attributes as Record<string, unknown>;
    // EcoAlert registers FirstName, LastName, BirthDate, EmailAddress, AdministeredLegalEntity + custom Role
    expect(attrs).toEqual({
      FirstName: 'Maria',
      LastName: 'Rusu',
      BirthDate: '1990-12-31',
      EmailAddress: 'maria.rusu@example.md',
      AdministeredLegalEntity: 'Eco Alert SRL 1010600000011',
      Role: ['citizen', 'inspector'],
    });
  });

  it('produces a Response shaped as MPASS.md §4.2 and valid against the SAML 2.0 schema', async () => {
    const saml = nodeSamlSp(sb, ECOALERT);
    const r = await loginThroughPage(sb, saml, { persona: '2001000000011' });
    const xml = decodeSaml(r.form!.fields.SAMLResponse!);
    await expect(validateSamlSchema(xml)).resolves.toBe(true);
    expect(xml).not.toMatch(/>\s+</); // compact
    expect(xml).toMatch(/^<samlp:Response [^>]*Destination="http:\/\/localhost:3000\/mpass-login"/);
    expect(xml).toMatch(/<\/saml:Issuer><Signature xmlns="http:\/\/www.w3.org\/2000\/09\/xmldsig#">/); // right after Issuer
    expect(xml).toContain('Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"');
    expect(xml).toContain('<CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"></CanonicalizationMethod>'); // written canonical (issue 12 §2)
    expect(xml).toContain('<X509Certificate>');
    expect(xml).toMatch(/SubjectConfirmationData InResponseTo="_[^"]+" NotOnOrAfter="[^"]+" Recipient="http:\/\/localhost:3000\/mpass-login"/);
    expect(xml).toMatch(/<saml:AuthnStatement AuthnInstant="[^"]+" SessionIndex="[0-9a-f-]{36}" SessionNotOnOrAfter="[^"]+"><saml:SubjectLocality Address="[^"]+"><\/saml:SubjectLocality>/);
    expect(xml).toContain('<saml:Audience>https://ecoalert.localhost</saml:Audience>');
    expect(xml).toContain('PasswordProtectedTransport');
    expect(xml).toMatch(/ID="_[0-9a-f-]{36}"/);
    // Ion has no companies: an attribute without values is left out, not sent empty
    expect(xml).not.toContain('Name="AdministeredLegalEntity"');
  });

  it('xmlsec1 verifies the Response signature with the certificate served at /meta/idp.pem', async () => {
    const saml = nodeSamlSp(sb, ECOALERT);
    const r = await loginThroughPage(sb, saml);
    const dir = tempDir('xmlsec');
    const pem = (await request(sb.app).get('/meta/idp.pem')).text;
    fs.writeFileSync(path.join(dir, 'idp.pem'), pem);
    fs.writeFileSync(path.join(dir, 'response.xml'), decodeSaml(r.form!.fields.SAMLResponse!));
    const run = (file: string) =>
      execFileSync('xmlsec1', ['--verify', '--pubkey-cert-pem', path.join(dir, 'idp.pem'), '--id-attr:ID', 'urn:oasis:names:tc:SAML:2.0:protocol:Response', path.join(dir, file)], { encoding: 'utf8', stdio: 'pipe' });
    expect(() => run('response.xml')).not.toThrow();
    // and xmlsec1 notices a changed byte, so the check above is real
    fs.writeFileSync(path.join(dir, 'tampered.xml'), decodeSaml(r.form!.fields.SAMLResponse!).replace('>Ion<', '>Ioan<'));
    expect(() => run('tampered.xml')).toThrow();
  });

  it('logs in over HTTP-Redirect with a query signature', async () => {
    const saml = nodeSamlSp(sb, ECOALERT, { authnRequestBinding: 'HTTP-Redirect' });
    const url = new URL(await saml.getAuthorizeUrlAsync('redir-state', undefined, {}));
    expect(url.searchParams.get('Signature')).toBeTruthy();
    const page = await request(sb.app).get(`${url.pathname}${url.search}`);
    expect(page.status).toBe(200);
    const res = await request(sb.app).post('/login/saml/continue').type('form').send({ pending: pendingIdOf(page.text), persona: '2004000000044' });
    const form = scrapeForm(res.text);
    expect(form.fields.RelayState).toBe('redir-state');
    const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: form.fields.SAMLResponse! });
    expect(profile!.nameID).toBe('2004000000044');
  });

  it('rejects a Redirect request whose query signature does not match', async () => {
    const saml = nodeSamlSp(sb, ECOALERT, { authnRequestBinding: 'HTTP-Redirect' });
    const url = new URL(await saml.getAuthorizeUrlAsync('redir-state', undefined, {}));
    url.searchParams.set('RelayState', 'changed');
    const page = await request(sb.app).get(`${url.pathname}${url.search}`);
    expect(page.status).toBe(403);
    expect(page.text).toContain('ERR_SIGNATURE_INVALID');
  });

  it('answers with the Redirect binding when ProtocolBinding asks for it', async () => {
    const xml = signedOfficialAuthnRequest({ destination: `${sb.config.publicUrl}/login/saml`, acs: ECOALERT.acs, issuer: ECOALERT.issuer }, ECOALERT.key, ECOALERT.cert).replace(
      'AssertionConsumerServiceURL=',
      'ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" AssertionConsumerServiceURL=',
    );
    // the attribute was added after signing, so sign again over the final XML
    const { signLikeDotnet } = await import('../official-client.js');
    const unsigned = xml.replace(/<Signature[\s\S]*<\/Signature>/, '');
    const signed = signLikeDotnet(unsigned, 'AuthnRequest', ECOALERT.key, ECOALERT.cert);
    const page = await post({ SAMLRequest: b64(signed), RelayState: 'rb' });
    expect(page.status).toBe(200);
    const res = await request(sb.app).post('/login/saml/continue').type('form').send({ pending: pendingIdOf(page.text), persona: '2001000000011' });
    expect(res.status).toBe(302);
    const loc = new URL(res.headers.location!);
    expect(`${loc.origin}${loc.pathname}`).toBe(ECOALERT.acs);
    expect(loc.searchParams.get('RelayState')).toBe('rb');
    expect(loc.searchParams.get('SigAlg')).toBe('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
    const responseXml = zlib.inflateRawSync(Buffer.from(loc.searchParams.get('SAMLResponse')!, 'base64')).toString('utf8');
    expect(responseXml).toContain('urn:oasis:names:tc:SAML:2.0:status:Success');
    const crypto = await import('node:crypto');
    const raw = loc.search.slice(1);
    const signedPart = raw.slice(0, raw.indexOf('&Signature='));
    expect(crypto.verify('RSA-SHA256', Buffer.from(signedPart), sb.pki.idp.certificatePem, Buffer.from(loc.searchParams.get('Signature')!, 'base64'))).toBe(true);
  });
});

describe('SSO session (TC_FUNCT_02), ForceAuthn, IsPassive, cancel', () => {
  it('answers a second AuthnRequest from another service without the login page, and records both services', async () => {
    const eco = nodeSamlSp(sb, ECOALERT);
    const first = await loginThroughPage(sb, eco, { persona: '2003000000033' });
    expect(first.cookie).toMatch(/mpass_sso=/);
    const official = nodeSamlSp(sb, OFFICIAL_SP);
    const form = scrapeForm(await official.getAuthorizeFormAsync('second'));
    const res = await request(sb.app).post('/login/saml').set('Cookie', first.cookie!).type('form').send(form.fields);
    expect(res.text).not.toContain('name="pending"');
    const answer = scrapeForm(res.text);
    expect(answer.action).toBe(OFFICIAL_SP.acs);
    const { profile } = await official.validatePostResponseAsync({ SAMLResponse: answer.fields.SAMLResponse! });
    expect(profile!.nameID).toBe('2003000000033');
    const firstProfile = (await eco.validatePostResponseAsync({ SAMLResponse: first.form!.fields.SAMLResponse! })).profile!;
    expect(profile!.sessionIndex).toBe(firstProfile.sessionIndex);
    const sessions = (await request(sb.app).get('/api/sessions')).body as Array<{ sessionIndex: string; participants: Array<{ issuer: string }> }>;
    const s = sessions.find((x) => x.sessionIndex === firstProfile.sessionIndex)!;
    expect(s.participants.map((p) => p.issuer).sort()).toEqual([ECOALERT.issuer, OFFICIAL_SP.issuer].sort());
  });

  it('shows the login page again when the service sends ForceAuthn', async () => {
    const eco = nodeSamlSp(sb, ECOALERT);
    const first = await loginThroughPage(sb, eco);
    const forced = nodeSamlSp(sb, ECOALERT, { forceAuthn: true });
    const form = scrapeForm(await forced.getAuthorizeFormAsync(''));
    expect(decodeRequest(form.fields.SAMLRequest!)).toContain('ForceAuthn="true"');
    const res = await request(sb.app).post('/login/saml').set('Cookie', first.cookie!).type('form').send(form.fields);
    expect(res.text).toContain('name="pending"');
  });

  it('answers IsPassive without a session with a signed Responder/NoPassive Response', async () => {
    const passive = nodeSamlSp(sb, ECOALERT, { passive: true });
    const form = scrapeForm(await passive.getAuthorizeFormAsync(''));
    const res = await request(sb.app).post('/login/saml').type('form').send(form.fields);
    const xml = decodeSaml(scrapeForm(res.text).fields.SAMLResponse!);
    expect(xml).toContain('urn:oasis:names:tc:SAML:2.0:status:Responder');
    expect(xml).toContain('urn:oasis:names:tc:SAML:2.0:status:NoPassive');
    expect(xml).not.toContain('<saml:Assertion');
    // node-saml verifies the signature, then reports NoPassive as "no profile" rather than an error
    const { profile } = await passive.validatePostResponseAsync({ SAMLResponse: scrapeForm(res.text).fields.SAMLResponse! });
    expect(profile).toBeNull();
  });

  it('answers Cancel (TC_FUNCT_03) with a signed, fresh, unsuccessful Response carrying InResponseTo and RelayState', async () => {
    const eco = nodeSamlSp(sb, ECOALERT);
    const r = await loginThroughPage(sb, eco, { cancel: true, relayState: 'cancel-state' });
    expect(r.form!.fields.RelayState).toBe('cancel-state');
    const xml = decodeSaml(r.form!.fields.SAMLResponse!);
    expect(xml).toMatch(/InResponseTo="_/);
    expect(xml).toContain('status:Responder');
    expect(xml).toContain('status:AuthnFailed');
    expect(xml).toContain('<Signature');
    await expect(validateSamlSchema(xml)).resolves.toBe(true);
    // node-saml verifies the signature first, then reports the status: the message is "Responder", not a signature error
    await expect(eco.validatePostResponseAsync({ SAMLResponse: r.form!.fields.SAMLResponse! })).rejects.toThrow(/Responder/);
  });
});

describe('AuthnRequest from the official .NET client (MPASS.md §6–7)', () => {
  it('accepts ?lang=ro in Destination and a 600-byte RelayState, and echoes RelayState byte for byte', async () => {
    const destination = `${sb.config.publicUrl}/login/saml?lang=ru`;
    const xml = signedOfficialAuthnRequest({ destination, acs: OFFICIAL_SP.acs, issuer: OFFICIAL_SP.issuer }, OFFICIAL_SP.key, OFFICIAL_SP.cert);
    expect(xml).toMatch(/IssueInstant="[^"]+\.\d{7}Z"/);
    const relayState = `CfDJ8${'A1b2-_+/='.repeat(66)}`.slice(0, 600);
    const page = await post({ RelayState: relayState, SAMLRequest: b64(xml) }, '?lang=ru');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Вход через MPass'); // the page speaks the requested language
    const res = await request(sb.app).post('/login/saml/continue').type('form').send({ pending: pendingIdOf(page.text), persona: '2005000000066' });
    const form = scrapeForm(res.text);
    expect(form.action).toBe(OFFICIAL_SP.acs);
    expect(form.fields.RelayState).toBe(relayState);
    expect(Object.keys(form.fields)).toEqual(['RelayState', 'SAMLResponse']);
    const response = decodeSaml(form.fields.SAMLResponse!);
    expect(response).toContain('<saml:Attribute Name="IDNO"><saml:AttributeValue>1003600000022</saml:AttributeValue>');
    expect(response).toContain('<saml:Attribute Name="CompanyName"><saml:AttributeValue>Agro Nord SA</saml:AttributeValue>');
  });

  it('accepts an RSA-SHA1 request signature (the 2018–2021 official client)', async () => {
    const { SignedXml } = await import('xml-crypto');
    const sig = new SignedXml({ privateKey: OFFICIAL_SP.key, publicCert: OFFICIAL_SP.cert, signatureAlgorithm: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1', canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#' });
    sig.addReference({ xpath: "/*[local-name()='AuthnRequest']", transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'], digestAlgorithm: 'http://www.w3.org/2000/09/xmldsig#sha1' });
    sig.computeSignature(officialAuthnRequestXml({ destination: `${sb.config.publicUrl}/login/saml`, acs: OFFICIAL_SP.acs, issuer: OFFICIAL_SP.issuer }), { location: { reference: "/*/*[local-name()='Issuer']", action: 'after' } });
    const page = await post({ SAMLRequest: b64(sig.getSignedXml()) });
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="pending"');
  });
});

describe('AuthnRequests that must be rejected, each with its reason and never a Success', () => {
  const dest = () => `${sb.config.publicUrl}/login/saml`;
  const good = (over: Partial<Parameters<typeof officialAuthnRequestXml>[0]> = {}) =>
    ({ destination: dest(), acs: OFFICIAL_SP.acs, issuer: OFFICIAL_SP.issuer, ...over });
  const expectRejected = async (fields: Record<string, string>, status: number, code: string) => {
    const res = await post(fields);
    expect(res.status).toBe(status);
    expect(res.text).toContain(code);
    expect(res.text).not.toContain('SAMLResponse');
    const ev = (await request(sb.app).get('/api/events?limit=1')).body[0];
    expect(ev).toMatchObject({ message: 'AuthnRequest', verdict: 'rejected', rejection: { code } });
    expect(ev.rejection.fix.length).toBeGreaterThan(10);
  };

  it('unsigned', () => expectRejected({ SAMLRequest: b64(officialAuthnRequestXml(good())) }, 403, 'ERR_SIGNATURE_MISSING'));
  it('signed with another key than the registered certificate', () => expectRejected({ SAMLRequest: b64(signedOfficialAuthnRequest(good(), ECOALERT.key, ECOALERT.cert)) }, 403, 'ERR_SIGNATURE_INVALID'));
  it('tampered after signing', () =>
    expectRejected({ SAMLRequest: b64(signedOfficialAuthnRequest(good(), OFFICIAL_SP.key, OFFICIAL_SP.cert).replace('https://localhost:5001/mpass-login', 'https://evil.example/mpass-login')) }, 403, 'ERR_SIGNATURE_INVALID'));
  it('unknown issuer', () => expectRejected({ SAMLRequest: b64(signedOfficialAuthnRequest(good({ issuer: 'https://unknown.example' }), OFFICIAL_SP.key, OFFICIAL_SP.cert)) }, 403, 'ERR_UNKNOWN_ISSUER'));
  it('wrong Destination', () => expectRejected({ SAMLRequest: b64(signedOfficialAuthnRequest(good({ destination: 'https://mpass.staging.egov.md/login/saml' }), OFFICIAL_SP.key, OFFICIAL_SP.cert)) }, 400, 'ERR_DESTINATION'));
  it('stale IssueInstant', () => expectRejected({ SAMLRequest: b64(signedOfficialAuthnRequest(good({ issueInstant: dotnetInstant(new Date(Date.now() - 3600_000)) }), OFFICIAL_SP.key, OFFICIAL_SP.cert)) }, 400, 'ERR_ISSUE_INSTANT_EXPIRED'));
  it('IssueInstant in the future', () => expectRejected({ SAMLRequest: b64(signedOfficialAuthnRequest(good({ issueInstant: dotnetInstant(new Date(Date.now() + 3 * 3600_000)) }), OFFICIAL_SP.key, OFFICIAL_SP.cert)) }, 400, 'ERR_ISSUE_INSTANT_FUTURE'));
  it('malformed XML', () => expectRejected({ SAMLRequest: b64('<saml2p:AuthnRequest xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol"><unclosed>') }, 400, 'ERR_XML_MALFORMED'));
  it('a DOCTYPE with an external entity, never resolved', async () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><saml2p:AuthnRequest xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol" ID="${dotnetId()}"><saml2:Issuer xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion">&x;</saml2:Issuer></saml2p:AuthnRequest>`;
    await expectRejected({ SAMLRequest: b64(xxe) }, 400, 'ERR_XML_DOCTYPE');
    const res = await post({ SAMLRequest: b64(xxe) });
    expect(res.text).not.toContain('root:');
  });
  it('mismatched or unclosed end tags (xmldom would repair them silently)', async () => {
    const signed = signedOfficialAuthnRequest(good(), OFFICIAL_SP.key, OFFICIAL_SP.cert);
    await expectRejected({ SAMLRequest: b64(signed.replace('</saml2:Issuer>', '</saml2:Issue>')) }, 400, 'ERR_XML_MALFORMED');
    await expectRejected({ SAMLRequest: b64(signed.replace('</saml2p:AuthnRequest>', '')) }, 400, 'ERR_XML_MALFORMED');
  });
  it('not base64', () => expectRejected({ SAMLRequest: '%%%not base64%%%' }, 400, 'ERR_BINDING_BASE64'));
  it('a signature that covers another element (wrapping)', async () => {
    const signed = signedOfficialAuthnRequest(good(), OFFICIAL_SP.key, OFFICIAL_SP.cert);
    const id = /ID="([^"]+)"/.exec(signed)![1]!;
    // XSW: the signed request hides in an Extensions element of a new, unsigned request with another ACS
    const evil = signed.replace(`ID="${id}"`, `ID="${dotnetId()}"`).replace('https://localhost:5001/mpass-login', 'https://evil.example/acs')
      .replace('<saml2p:NameIDPolicy', `<saml2p:Extensions>${signed.replace(/<Signature[\s\S]*<\/Signature>/, '')}</saml2p:Extensions><saml2p:NameIDPolicy`);
    await expectRejected({ SAMLRequest: b64(evil) }, 403, 'ERR_SIGNATURE_REFERENCE');
  });
  it('a comment inside Issuer (comment truncation)', () =>
    expectRejected({ SAMLRequest: b64(officialAuthnRequestXml(good({ issuer: 'https://mpass.localhost.egov.md<!---->.evil' }))) }, 400, 'ERR_XML_COMMENT'));

  it('a request that fails verification is never answered with a Success even with a session cookie', async () => {
    const eco = nodeSamlSp(sb, ECOALERT);
    const first = await loginThroughPage(sb, eco);
    const res = await request(sb.app).post('/login/saml').set('Cookie', first.cookie!).type('form').send({ SAMLRequest: b64(officialAuthnRequestXml(good())) });
    expect(res.status).toBe(403);
    expect(res.text).not.toContain('SAMLResponse');
  });
});

describe('login page', () => {
  it('offers every persona with a stable data-testid, a custom identity and Cancel', async () => {
    const form = scrapeForm(await nodeSamlSp(sb, ECOALERT).getAuthorizeFormAsync(''));
    const page = await request(sb.app).post('/login/saml?lang=en').type('form').send(form.fields);
    for (const p of sb.personas) expect(page.text).toContain(`data-testid="persona-${p.idnp}"`);
    expect(page.text).toContain('data-testid="cancel"');
    expect(page.text).toContain('data-testid="custom-idnp"');
    expect(page.text).toContain('Log in with MPass');
  });

  it('logs in a custom identity', async () => {
    const saml = nodeSamlSp(sb, ECOALERT);
    const form = scrapeForm(await saml.getAuthorizeFormAsync(''));
    const page = await request(sb.app).post('/login/saml').type('form').send(form.fields);
    const res = await request(sb.app).post('/login/saml/continue').type('form').send({ pending: pendingIdOf(page.text), action: 'login', customIdnp: '2009000000123', customFirstName: 'Dan', customLastName: 'Test' });
    const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: scrapeForm(res.text).fields.SAMLResponse! });
    expect(profile!.nameID).toBe('2009000000123');
    expect((profile!.attributes as Record<string, string>).FirstName).toBe('Dan');
  });

  it('says "start again" for an unknown or expired login, with a 410 and not a 500', async () => {
    const res = await request(sb.app).post('/login/saml/continue?lang=en').type('form').send({ pending: 'gone', persona: '2001000000011' });
    expect(res.status).toBe(410);
    expect(res.text).toContain('start the login again');
    const ro = await request(sb.app).post('/login/saml/continue?lang=ro').type('form').send({ pending: 'gone' });
    expect(ro.text).toContain('porniți din nou autentificarea'); // the page speaks the page language
    expect(ro.text).toContain('ERR_LOGIN_EXPIRED');
  });
});

afterAll(() => undefined);
