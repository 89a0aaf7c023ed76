// IdP metadata (MPASS.md §13): entityID, signing KeyDescriptor, SSO and SLO for POST and Redirect,
// WantAuthnRequestsSigned. Elements in the schema's order (SingleLogoutService before NameIDFormat and SSO).
import { certBase64 } from '../pki/certificates.js';
import { escapeXml as esc } from '../xml/parse.js';
import { BINDING_URN } from './bindings.js';

export function idpMetadata(entityId: string, ssoUrl: string, sloUrl: string, signingCertPem: string): string {
  const svc = (el: string, url: string) =>
    (['HTTP-POST', 'HTTP-Redirect'] as const).map((b) => `<md:${el} Binding="${BINDING_URN[b]}" Location="${esc(url)}"/>`).join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${esc(entityId)}">` +
    `<md:IDPSSODescriptor WantAuthnRequestsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
    `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certBase64(signingCertPem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
    svc('SingleLogoutService', sloUrl) +
    `<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>` +
    svc('SingleSignOnService', ssoUrl) +
    `</md:IDPSSODescriptor></md:EntityDescriptor>`
  );
}
