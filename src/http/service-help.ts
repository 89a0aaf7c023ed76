// Ready-made client configuration for one registered service (shown on its page): the official ASP.NET
// library's appsettings.json (MPASS.md §7.1), node-saml options, the service's own SP metadata, and the
// MSign client settings (MSIGN.md §3.1). Pure: every value comes from the registration and the config.
import type { Service } from '../registry/service.js';
import { escapeXml } from '../xml/parse.js';

export interface HelpContext {
  publicUrl: string;
  ssoUrl: string;
  sloUrl: string;
  msignUrl: string;
}

const pemBody = (pem: string) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');

/** appsettings.json for the official library: section MPassSaml, URLs split into root + paths (§7.1). */
export function aspNetSettings(s: Service, c: HelpContext): string | undefined {
  if (!s.mpass) return undefined;
  const acs = new URL(s.mpass.assertionConsumerServiceUrl);
  const path = (u: string | undefined, fallback: string) => {
    if (!u) return fallback;
    const p = new URL(u);
    return p.origin === acs.origin ? p.pathname : fallback;
  };
  return JSON.stringify(
    {
      MPassSaml: {
        SamlRequestIssuer: s.mpass.issuer,
        IdentityProviderCertificatePath: 'mpass-sandbox-idp.cer',
        SamlMessageTimeout: '00:10:00',
        SamlLoginDestination: c.ssoUrl,
        SamlLogoutDestination: c.sloUrl,
        ServiceRootUrl: acs.origin,
        CallbackPath: acs.pathname,
        LogoutRequestPath: path(s.mpass.logoutRequestUrl, '/mpass-slo'),
        LogoutResponsePath: path(s.mpass.logoutResponseUrl, '/mpass-logout'),
      },
      Certificate: { Path: 'your-service.pfx', Password: '<the .pfx password>' },
    },
    null,
    2,
  );
}

/** Options for @node-saml/node-saml (and passport-saml, which takes the same ones). */
export function nodeSamlConfig(s: Service, c: HelpContext): string | undefined {
  if (!s.mpass) return undefined;
  return [
    "import fs from 'node:fs';",
    "import { SAML } from '@node-saml/node-saml';",
    '',
    'const saml = new SAML({',
    `  issuer: ${JSON.stringify(s.mpass.issuer)},`,
    `  callbackUrl: ${JSON.stringify(s.mpass.assertionConsumerServiceUrl)},`,
    `  entryPoint: ${JSON.stringify(c.ssoUrl)},`,
    `  logoutUrl: ${JSON.stringify(c.sloUrl)},`,
    `  logoutCallbackUrl: ${JSON.stringify(s.mpass.logoutResponseUrl ?? s.mpass.assertionConsumerServiceUrl)},`,
    "  idpCert: fs.readFileSync('mpass-sandbox-idp.pem', 'utf8'), // " + `${c.publicUrl}/meta/idp.pem`,
    "  privateKey: fs.readFileSync('your-service.key.pem', 'utf8'),",
    `  audience: ${JSON.stringify(s.mpass.issuer)},`,
    "  signatureAlgorithm: 'sha256',",
    "  identifierFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',",
    '  wantAssertionsSigned: false, // MPass signs the Response root',
    '  acceptedClockSkewMs: 60_000,',
    '});',
  ].join('\n');
}

/** The service's SP metadata as the sandbox knows it (SAML Metadata §2.4.4). */
export function spMetadata(s: Service): string | undefined {
  if (!s.mpass) return undefined;
  const cert = pemBody(s.certificate);
  const slo = [
    s.mpass.logoutRequestUrl ? `    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${escapeXml(s.mpass.logoutRequestUrl)}"${s.mpass.logoutResponseUrl ? ` ResponseLocation="${escapeXml(s.mpass.logoutResponseUrl)}"` : ''}/>` : undefined,
  ].filter(Boolean);
  return [
    `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${escapeXml(s.mpass.issuer)}">`,
    '  <md:SPSSODescriptor AuthnRequestsSigned="true" WantAssertionsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">',
    '    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>' + cert + '</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>',
    ...slo,
    `    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${escapeXml(s.mpass.assertionConsumerServiceUrl)}" index="0" isDefault="true"/>`,
    '  </md:SPSSODescriptor>',
    '</md:EntityDescriptor>',
  ].join('\n');
}

/** What an MSign client needs: endpoint, WSDL, the CA to trust, the client certificate it must present. */
export function msignSettings(s: Service, c: HelpContext, certSerial: string): string | undefined {
  if (!s.msign) return undefined;
  return JSON.stringify(
    {
      MSign: {
        Endpoint: `${c.msignUrl}/MSign.svc`,
        Wsdl: `${c.msignUrl}/MSign.svc?singleWsdl`,
        Binding: 'basicHttpBinding, Transport security, client credential: Certificate',
        TrustedServerCa: `${c.publicUrl}/meta/ca.pem`,
        ClientCertificate: { Path: 'your-service.pfx', Password: '<the .pfx password>', SerialNumber: certSerial },
        SigningPage: `${c.publicUrl}/msign/{requestID}?ReturnUrl=…`,
        AllowedCallerAddresses: s.msign.ipAddresses,
      },
    },
    null,
    2,
  );
}
