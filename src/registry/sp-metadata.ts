// Reading a service provider's SAML metadata to fill the MPass part of the integration form: entity ID,
// ACS, SingleLogoutService and the signing certificate (SAML Metadata §2.4.4, §2.2.3, §2.4.1.1).
// The metadata is bounded in size (MAX_METADATA_BYTES) and element count (MAX_XML_ELEMENTS) before any DOM
// is built, and read from our own safe DOM in one pass: samlify's reader walked it with XPath queries that
// made 900 KB of empty AssertionConsumerService elements a 55 s CPU bomb (issue 9).
import { ValidationError } from '../errors.js';
import { derToPem } from '../pki/certificates.js';
import { DEFAULT_MAX_ELEMENTS } from '../xml/bounds.js';
import { NS, attr, childElements, parseXml, textOf } from '../xml/parse.js';

export interface SpMetadataFields {
  issuer: string;
  assertionConsumerServiceUrl?: string;
  logoutRequestUrl?: string;
  logoutResponseUrl?: string;
  certificate?: string;
}

/**
 * One SP's metadata is tens of elements (a few endpoints and keys, perhaps UIInfo); 2 000 leaves room for the
 * largest and keeps the DOM small (MAX_XML_ELEMENTS applies when it is lower).
 */
export const METADATA_MAX_ELEMENTS = 2000;

export interface MetadataLimits {
  maxBytes: number;
  maxElements: number;
}

const BINDING = {
  post: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
  redirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
};

const problem = (message: string, fix: string, found?: string) => new ValidationError([{ code: 'ERR_METADATA', where: 'metadata', message, fix, ...(found !== undefined ? { found } : {}) }]);

export async function readSpMetadata(xml: string, limits: MetadataLimits = { maxBytes: 256 * 1024, maxElements: DEFAULT_MAX_ELEMENTS }): Promise<SpMetadataFields> {
  const bytes = Buffer.byteLength(xml, 'utf8');
  if (bytes > limits.maxBytes) {
    throw new ValidationError([{ code: 'ERR_METADATA_TOO_LARGE', where: 'metadata', message: `The metadata is ${bytes} bytes; the sandbox reads at most ${limits.maxBytes} (MAX_METADATA_BYTES).`, found: String(bytes), expected: `≤ ${limits.maxBytes} bytes`, fix: 'Paste only your service provider\'s EntityDescriptor (not a federation aggregate), or fill the MPass fields by hand.' }]);
  }
  const root = parseXml(xml, 'metadata', 64, limits.maxElements).documentElement!;
  const sp = root.namespaceURI === NS.md && root.localName === 'EntityDescriptor' ? childElements(root, NS.md, 'SPSSODescriptor')[0] : undefined;
  if (!sp) throw problem('Expected an md:EntityDescriptor with an SPSSODescriptor (service provider metadata).', 'Paste the SAML metadata your service publishes (often at /metadata or /saml/metadata).', root.localName);
  const issuer = attr(root, 'entityID');
  if (!issuer) throw problem('The EntityDescriptor has no entityID.', 'Check that it is complete SAML 2.0 metadata.');

  const endpoints = (local: string, binding: string) => childElements(sp, NS.md, local).filter((e) => attr(e, 'Binding') === binding && attr(e, 'Location'));
  // SAML Metadata §2.2.3: the default endpoint is isDefault="true", else the first without isDefault="false", else the first.
  const acsList = endpoints('AssertionConsumerService', BINDING.post);
  const acs = acsList.find((e) => attr(e, 'isDefault') === 'true') ?? acsList.find((e) => attr(e, 'isDefault') !== 'false') ?? acsList[0];
  const slo = endpoints('SingleLogoutService', BINDING.post)[0] ?? endpoints('SingleLogoutService', BINDING.redirect)[0];
  // §2.4.1.1: a KeyDescriptor without `use` serves signing as well.
  const key = childElements(sp, NS.md, 'KeyDescriptor').find((k) => (attr(k, 'use') ?? 'signing') === 'signing');
  const keyInfo = key && childElements(key, NS.ds, 'KeyInfo')[0];
  const x509Data = keyInfo && childElements(keyInfo, NS.ds, 'X509Data')[0];
  const certText = x509Data && textOf(childElements(x509Data, NS.ds, 'X509Certificate')[0]);
  let certificate: string | undefined;
  if (certText) {
    const der = Buffer.from(certText.replace(/\s+/g, ''), 'base64');
    if (!der.length) throw problem('The signing X509Certificate is not base64.', 'Put the base64 DER of your signing certificate in ds:X509Certificate.');
    certificate = derToPem(der);
  }
  const sloUrl = slo && attr(slo, 'Location');
  return {
    issuer,
    assertionConsumerServiceUrl: acs && attr(acs, 'Location'),
    // One SingleLogoutService takes both LogoutRequests and LogoutResponses; MPass registers two URLs.
    logoutRequestUrl: sloUrl,
    logoutResponseUrl: sloUrl,
    certificate,
  };
}
