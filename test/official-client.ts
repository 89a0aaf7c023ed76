// Messages built and signed exactly as the official .NET library builds them (MPASS.md §4.1, §6.1):
// compact XML, saml2p/saml2 prefixes, attribute order, RSA-SHA256, exclusive-c14n SignedInfo, a Reference
// with only the enveloped transform (so the digest is over inclusive c14n), KeyInfo with the leaf certificate.
import crypto from 'node:crypto';
import { SignedXml } from 'xml-crypto';

/** .NET writes 7 fractional digits: 2014-10-20T08:26:26.9933782Z */
export function dotnetInstant(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, (_m, ms: string) => `.${ms}${String(crypto.randomInt(0, 10000)).padStart(4, '0')}Z`);
}

export const dotnetId = () => `_${crypto.randomUUID()}`;

export function signLikeDotnet(xml: string, rootLocalName: string, key: string, cert: string): string {
  const sig = new SignedXml({
    privateKey: key,
    publicCert: cert,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  sig.addReference({
    xpath: `/*[local-name()='${rootLocalName}']`,
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature'],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  sig.computeSignature(xml, { location: { reference: `/*/*[local-name()='Issuer']`, action: 'after' } });
  return sig.getSignedXml();
}

export interface OfficialAuthnRequest {
  id?: string;
  issueInstant?: string;
  destination: string;
  acs: string;
  issuer: string;
  forceAuthn?: boolean;
  isPassive?: boolean;
}

export function officialAuthnRequestXml(r: OfficialAuthnRequest): string {
  return (
    `<saml2p:AuthnRequest ID="${r.id ?? dotnetId()}" Version="2.0" IssueInstant="${r.issueInstant ?? dotnetInstant(new Date())}" Destination="${r.destination}" AssertionConsumerServiceURL="${r.acs}"` +
    `${r.forceAuthn ? ' ForceAuthn="true"' : ''}${r.isPassive ? ' IsPassive="true"' : ''} xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion">` +
    `<saml2:Issuer>${r.issuer}</saml2:Issuer><saml2p:NameIDPolicy AllowCreate="true" /></saml2p:AuthnRequest>`
  );
}

export function signedOfficialAuthnRequest(r: OfficialAuthnRequest, key: string, cert: string): string {
  return signLikeDotnet(officialAuthnRequestXml(r), 'AuthnRequest', key, cert);
}

export function officialLogoutRequestXml(r: { id?: string; issueInstant?: string; destination: string; issuer: string; nameId: string; sessionIndex: string }): string {
  return (
    `<saml2p:LogoutRequest ID="${r.id ?? dotnetId()}" Version="2.0" IssueInstant="${r.issueInstant ?? dotnetInstant(new Date())}" Destination="${r.destination}" xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion">` +
    `<saml2:Issuer>${r.issuer}</saml2:Issuer><saml2:NameID>${r.nameId}</saml2:NameID><saml2p:SessionIndex>${r.sessionIndex}</saml2p:SessionIndex></saml2p:LogoutRequest>`
  );
}

export function officialLogoutResponseXml(r: { id?: string; issueInstant?: string; destination: string; issuer: string; inResponseTo: string; status?: string }): string {
  return (
    `<saml2p:LogoutResponse ID="${r.id ?? dotnetId()}" Version="2.0" IssueInstant="${r.issueInstant ?? dotnetInstant(new Date())}" Destination="${r.destination}" InResponseTo="${r.inResponseTo}" xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion">` +
    `<saml2:Issuer>${r.issuer}</saml2:Issuer><saml2p:Status><saml2p:StatusCode Value="${r.status ?? 'urn:oasis:names:tc:SAML:2.0:status:Success'}" /></saml2p:Status></saml2p:LogoutResponse>`
  );
}
