// Reading a service provider's SAML metadata to fill the MPass part of the integration form: entity ID,
// ACS, SingleLogoutService and the signing certificate. samlify parses the EntityDescriptor; our safe
// parser sees the XML first, so a DOCTYPE or an entity never reaches it.
import { ValidationError } from '../errors.js';
import { derToPem } from '../pki/certificates.js';
import { NS, parseXml } from '../xml/parse.js';

export interface SpMetadataFields {
  issuer: string;
  assertionConsumerServiceUrl?: string;
  logoutRequestUrl?: string;
  logoutResponseUrl?: string;
  certificate?: string;
}

export async function readSpMetadata(xml: string): Promise<SpMetadataFields> {
  const root = parseXml(xml, 'metadata').documentElement!;
  if (root.namespaceURI !== NS.md || root.localName !== 'EntityDescriptor' || root.getElementsByTagNameNS(NS.md, 'SPSSODescriptor').length === 0) {
    throw new ValidationError([{ code: 'ERR_METADATA', where: 'metadata', message: 'Expected an md:EntityDescriptor with an SPSSODescriptor (service provider metadata).', found: root.localName, fix: 'Paste the SAML metadata your service publishes (often at /metadata or /saml/metadata).' }]);
  }
  // samlify is loaded on first use, so start-up does not pay for it.
  const samlify = await import('samlify');
  let meta: ReturnType<typeof samlify.ServiceProvider>['entityMeta'];
  try {
    meta = samlify.ServiceProvider({ metadata: xml }).entityMeta;
  } catch (e) {
    throw new ValidationError([{ code: 'ERR_METADATA', where: 'metadata', message: `The metadata could not be read: ${(e as Error).message}`, fix: 'Check that it is complete SAML 2.0 metadata.' }]);
  }
  const pick = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined);
  const slo = pick(meta.getSingleLogoutService('post')) ?? pick(meta.getSingleLogoutService('redirect'));
  const cert = pick(meta.getX509Certificate('signing'));
  return {
    issuer: meta.getEntityID(),
    assertionConsumerServiceUrl: pick(meta.getAssertionConsumerService('post')),
    // One SingleLogoutService takes both LogoutRequests and LogoutResponses; MPass registers two URLs.
    logoutRequestUrl: slo,
    logoutResponseUrl: slo,
    certificate: cert ? derToPem(Buffer.from(cert.replace(/\s+/g, ''), 'base64')) : undefined,
  };
}
