// Hostile XML in SAMLRequest at /login/saml and /logout/saml, over HTTP-POST and HTTP-Redirect:
// entities, DOCTYPE, XSLT, comment truncation, deep nesting, bad encodings, non-XML, empty messages.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../helpers.js';
import { ALG } from '../../src/mpass/signature.js';
import { ECOALERT } from '../helpers.js';
import { officialAuthnRequestXml } from '../official-client.js';
import { authnFor, b64, bothBindings, deflate64, expectRefused, getSaml, handSign, isLoginPage, liveSession, logoutXml, postSaml, signedAuthn, type Endpoint } from './support.js';
import { signLikeDotnet } from '../official-client.js';

let sb: Sandbox;
let session: { nameId: string; sessionIndex: string };
beforeAll(async () => {
  sb = await startSandboxQuiet();
  session = await liveSession(sb);
});
afterAll(() => undefined);

async function startSandboxQuiet() {
  const { startSandbox } = await import('../helpers.js');
  return startSandbox();
}

const ENDPOINTS: Endpoint[] = ['/login/saml', '/logout/saml'];
const msgFor = (endpoint: Endpoint) => (endpoint === '/login/saml' ? officialAuthnRequestXml(authnFor(sb)) : logoutXml(sb, session));
/** Put a prologue (DOCTYPE…) in front of a real message, and optionally a reference to an entity inside it. */
const withPrologue = (endpoint: Endpoint, prologue: string, ref = '') => prologue + msgFor(endpoint).replace(ECOALERT.issuer, `${ECOALERT.issuer}${ref}`);

const DOCTYPES: Array<[string, string, string]> = [
  ['external entity (file)', '<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', '&xxe;'],
  ['external entity (http)', '<!DOCTYPE r [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/evil">]>', '&xxe;'],
  ['parameter entities', '<!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:9/p.dtd"> %p; <!ENTITY % q "<!ENTITY x \'y\'>"> %q;]>', '&x;'],
  [
    'billion laughs',
    `<!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]>`,
    '&lol9;',
  ],
  ['a plain DOCTYPE', '<!DOCTYPE AuthnRequest>', ''],
  ['a lower-case doctype with an external subset', '<!doctype r SYSTEM "http://127.0.0.1:9/x.dtd">', ''],
  ['an ENTITY without a DOCTYPE', '<!ENTITY x "y">', ''],
];

describe.each(ENDPOINTS)('hostile XML at %s', (endpoint) => {
  it.each(DOCTYPES)('refuses %s on both bindings (ERR_XML_DOCTYPE), before any entity is expanded', async (_name, prologue, ref) => {
    const xml = withPrologue(endpoint, prologue, ref);
    for (const [binding, res] of await bothBindings(sb, endpoint, xml)) {
      expect(binding).toBeTruthy();
      await expectRefused(sb, res, 'ERR_XML_DOCTYPE', { where: 'SAMLRequest' });
      expect(res.text).not.toContain('root:x:0:0');
    }
  });

  it('refuses a signed message carrying a DOCTYPE (the signature does not make it acceptable)', async () => {
    const signed = endpoint === '/login/saml' ? signedAuthn(sb) : signLikeDotnet(logoutXml(sb, session), 'LogoutRequest', ECOALERT.key, ECOALERT.cert);
    for (const [, res] of await bothBindings(sb, endpoint, `<!DOCTYPE x>${signed}`)) await expectRefused(sb, res, 'ERR_XML_DOCTYPE');
  });

  it('refuses 10 000 nested elements without blowing the stack, closed or not, and quickly', async () => {
    const deep = (close: boolean) => msgFor(endpoint).replace(/(<\/(?:\w+:)?Issuer>)/, `$1${'<x>'.repeat(10000)}${close ? '</x>'.repeat(10000) : ''}`);
    const t0 = Date.now();
    for (const [, res] of await bothBindings(sb, endpoint, deep(true))) await expectRefused(sb, res, 'ERR_XML_TOO_DEEP', { where: 'SAMLRequest' });
    // xmldom self-closes an element whose end tag never comes, so unclosed nesting is flat: refused all the same (unsigned).
    for (const [, res] of await bothBindings(sb, endpoint, deep(false))) await expectRefused(sb, res, /ERR_XML_MALFORMED|ERR_SIGNATURE_MISSING|ERR_XML_TOO_DEEP/);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('answers a maximal body of unclosed elements in well under a second (no quadratic error recovery)', async () => {
    const t0 = Date.now();
    const res = await postSaml(sb, endpoint, b64('<a>'.repeat(60000)));
    // the element/depth pre-scan (src/xml/bounds.ts) now refuses it before the parser sees it
    await expectRefused(sb, res, /ERR_XML_MALFORMED|ERR_XML_TOO_DEEP|ERR_XML_TOO_MANY_ELEMENTS/);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('refuses invalid UTF-8 (ERR_XML_ENCODING) on both bindings', async () => {
    const bytes = Buffer.concat([Buffer.from(msgFor(endpoint).slice(0, 60)), Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]), Buffer.from(msgFor(endpoint).slice(60))]);
    await expectRefused(sb, await postSaml(sb, endpoint, bytes.toString('base64')), /ERR_XML_ENCODING|ERR_BINDING_BASE64/);
    await expectRefused(sb, await getSaml(sb, endpoint, `SAMLRequest=${encodeURIComponent(deflate64(bytes))}`), 'ERR_XML_ENCODING', { where: 'SAMLRequest' });
  });

  it.each([
    ['plain text', 'hello, this is not XML'],
    ['JSON', '{"SAMLRequest": "<AuthnRequest/>"}'],
    ['truncated XML', '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_1"'],
    ['two roots', '<a/><b/>'],
    ['HTML', '<html><body><script>alert(1)</script></body></html>'],
    ['a processing instruction only', '<?xml version="1.0"?>'],
    ['binary junk', '\u0000\u0001\u0002<\u0003'],
  ])('refuses non-XML: %s', async (_n, body) => {
    for (const [, res] of await bothBindings(sb, endpoint, body)) {
      await expectRefused(sb, res, /ERR_XML_MALFORMED|ERR_XML_CHAR|ERR_WRONG_MESSAGE|ERR_BINDING_BASE64|ERR_XML_ENCODING/, { where: 'SAMLRequest' });
      expect(res.text).not.toContain('<script>alert(1)</script>');
    }
  });

  it('refuses an empty message, and whitespace only, on both bindings', async () => {
    await expectRefused(sb, await postSaml(sb, endpoint, ''), 'ERR_BINDING_EMPTY', { where: 'SAMLRequest', status: 400 });
    await expectRefused(sb, await getSaml(sb, endpoint, 'SAMLRequest='), 'ERR_BINDING_EMPTY', { where: 'SAMLRequest', status: 400 });
    await expectRefused(sb, await getSaml(sb, endpoint, 'SAMLRequest=%20%20'), 'ERR_BINDING_EMPTY', { where: 'SAMLRequest', status: 400 });
    for (const [, res] of await bothBindings(sb, endpoint, '   \n ')) await expectRefused(sb, res, /ERR_XML_MALFORMED|ERR_BINDING_BASE64/, { where: 'SAMLRequest' });
  });
});

describe('comment truncation (NameID/Issuer carrying an XML comment)', () => {
  // Signed *with* the comment: a parser that reads only the first text node would see another identity.
  it('refuses a signed AuthnRequest whose Issuer holds a comment (ERR_XML_COMMENT), on both bindings', async () => {
    const xml = officialAuthnRequestXml({ ...authnFor(sb), issuer: 'https://ecoalert.localhost<!---->.evil.example' });
    const signed = signLikeDotnet(xml, 'AuthnRequest', ECOALERT.key, ECOALERT.cert);
    for (const [, res] of await bothBindings(sb, '/login/saml', signed)) await expectRefused(sb, res, 'ERR_XML_COMMENT', { where: 'AuthnRequest/Issuer' });
    const plain = officialAuthnRequestXml({ ...authnFor(sb), issuer: 'https://ecoalert.local<!-- x -->host' });
    for (const [, res] of await bothBindings(sb, '/login/saml', signLikeDotnet(plain, 'AuthnRequest', ECOALERT.key, ECOALERT.cert))) await expectRefused(sb, res, 'ERR_XML_COMMENT');
  });

  it('refuses a signed LogoutRequest whose NameID or Issuer holds a comment', async () => {
    const nameId = logoutXml(sb, { nameId: `${session.nameId.slice(0, 4)}<!---->${session.nameId.slice(4)}`, sessionIndex: session.sessionIndex });
    for (const [, res] of await bothBindings(sb, '/logout/saml', signLikeDotnet(nameId, 'LogoutRequest', ECOALERT.key, ECOALERT.cert))) await expectRefused(sb, res, 'ERR_XML_COMMENT', { where: 'LogoutRequest/NameID' });
    const issuer = logoutXml(sb, session).replace(ECOALERT.issuer, 'https://ecoalert<!---->.localhost');
    for (const [, res] of await bothBindings(sb, '/logout/saml', signLikeDotnet(issuer, 'LogoutRequest', ECOALERT.key, ECOALERT.cert))) await expectRefused(sb, res, 'ERR_XML_COMMENT', { where: 'LogoutRequest/Issuer' });
    const si = logoutXml(sb, { nameId: session.nameId, sessionIndex: `${session.sessionIndex}<!---->` });
    for (const [, res] of await bothBindings(sb, '/logout/saml', signLikeDotnet(si, 'LogoutRequest', ECOALERT.key, ECOALERT.cert))) await expectRefused(sb, res, 'ERR_XML_COMMENT', { where: 'LogoutRequest/SessionIndex' });
  });
});

describe('XSLT transform in a signature', () => {
  const identityXslt =
    '<xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform" version="1.0"><xsl:template match="@*|node()"><xsl:copy><xsl:apply-templates select="@*|node()"/></xsl:copy></xsl:template></xsl:stylesheet>';

  it('control: the hand-built signature is accepted when its transforms are the standard ones', async () => {
    const res = await postSaml(sb, '/login/saml', b64(handSign(officialAuthnRequestXml(authnFor(sb)))));
    expect(isLoginPage(res), res.text.slice(0, 400)).toBe(true);
  });

  it('refuses the same, correctly signed AuthnRequest when the Reference carries an (identity) XSLT transform', async () => {
    const xml = handSign(officialAuthnRequestXml(authnFor(sb)), { transforms: [ALG.enveloped, 'http://www.w3.org/TR/1999/REC-xslt-19991116', ALG.excC14n], transformBody: { 1: identityXslt } });
    for (const [, res] of await bothBindings(sb, '/login/saml', xml)) await expectRefused(sb, res, 'ERR_SIGNATURE_TRANSFORM', { where: 'Signature/SignedInfo/Reference/Transforms', status: 403 });
  });

  it('refuses XSLT and XPath transforms on a LogoutRequest too', async () => {
    for (const [t, body] of [
      ['http://www.w3.org/TR/1999/REC-xslt-19991116', identityXslt],
      ['http://www.w3.org/TR/1999/REC-xpath-19991116', '<XPath>not(ancestor-or-self::*)</XPath>'],
      ['http://www.w3.org/2002/06/xmldsig-filter2', '<XPath xmlns="http://www.w3.org/2002/06/xmldsig-filter2" Filter="union">/</XPath>'],
    ] as const) {
      const xml = handSign(logoutXml(sb, session), { transforms: [ALG.enveloped, t, ALG.excC14n], transformBody: { 1: body } });
      await expectRefused(sb, await postSaml(sb, '/logout/saml', b64(xml)), 'ERR_SIGNATURE_TRANSFORM', { where: 'LogoutRequest/Signature' });
    }
  });
});

describe('the POST body of the hostile cases did not leak anywhere', () => {
  it('the event log never echoes a resolved external entity', async () => {
    const ev = await request(sb.app).get('/api/events');
    expect(JSON.stringify(ev.body)).not.toContain('root:x:0:0');
  });
});
