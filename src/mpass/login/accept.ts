// An incoming AuthnRequest at /login/saml (MPASS.md §4.1, §13 "AuthnRequest handling"): binding decode →
// parse → issuer → registered service → the list of checks → replay memory. Returns what was accepted, or
// throws the rejection; never decides, builds or logs.
import type { ProtocolDeps } from '../../deps.js';
import { isSignatureProblem } from '../../catalogue.js';
import { SandboxError } from '../../errors.js';
import type { Service } from '../../registry/service.js';
import { NS, parseXml } from '../../xml/parse.js';
import { decodeIncoming, type Binding, type HttpInput } from '../bindings.js';
import { readAuthnRequest, type AuthnRequest } from '../messages/authn-request.js';
import { parseInstant } from '../messages/common.js';
import type { ReplayCache } from '../replay.js';
import { checkAcsUrl, checkDestination, checkId, checkIssueInstant, checkProtocolBinding, checkSignature, checkVersion, runChecks } from '../verify/checks.js';
import type { MPassService } from './types.js';

export interface AcceptedAuthnRequest {
  service: MPassService;
  request: AuthnRequest;
  binding: Binding;
  /** The request as received, for the event log. */
  xml: string;
  relayState?: string;
  /** What MPass accepts but a service should fix. */
  warnings: string[];
}

/** What was read before a rejection, so the event log can name the service, binding and message. */
export interface Seen {
  service?: Service;
  binding?: Binding;
  xml?: string;
}

export interface AcceptContext extends Pick<ProtocolDeps, 'config' | 'clock' | 'registry'> {
  replays: ReplayCache;
  ssoUrl: string;
  sloUrl: string;
}

/** Decode and check; `seen` is filled in as the request is read. */
export function acceptAuthnRequest(ctx: AcceptContext, http: HttpInput, seen: Seen): AcceptedAuthnRequest {
  const { config, registry, clock } = ctx;
  const incoming = decodeIncoming(http, config.maxSamlBytes);
  seen.xml = incoming.xml;
  seen.binding = incoming.binding;
  if (incoming.param !== 'SAMLRequest') {
    throw new SandboxError(400, { code: 'ERR_WRONG_ENDPOINT', where: 'SAMLResponse', message: '/login/saml takes AuthnRequests (SAMLRequest), not responses.', fix: `Send LogoutResponses to ${ctx.sloUrl}.` });
  }
  const doc = parseXml(incoming.xml, 'SAMLRequest');
  const root = doc.documentElement!;
  if (root.namespaceURI !== NS.samlp || root.localName !== 'AuthnRequest') {
    throw new SandboxError(400, { code: 'ERR_WRONG_MESSAGE', where: 'SAMLRequest', message: `Expected a samlp:AuthnRequest, found ${root.localName} in ${root.namespaceURI ?? 'no namespace'}.`, fix: root.localName === 'LogoutRequest' ? `Send LogoutRequests to ${ctx.sloUrl}.` : 'Send an AuthnRequest in urn:oasis:names:tc:SAML:2.0:protocol.' });
  }
  const request = readAuthnRequest(root);
  if (!request.issuer) {
    throw new SandboxError(400, { code: 'ERR_ISSUER_MISSING', where: 'AuthnRequest/Issuer', message: 'The AuthnRequest has no Issuer.', fix: 'Put the service entity ID (its registered issuer) in saml2:Issuer.' });
  }
  const service = registry.byMPassIssuer(request.issuer);
  seen.service = service;
  if (!service?.mpass) {
    throw new SandboxError(403, { code: 'ERR_UNKNOWN_ISSUER', where: 'AuthnRequest/Issuer', message: 'No registered service has this issuer.', found: request.issuer, expected: 'the issuer of a registered service', fix: `Register the service (${config.publicUrl}/services/new) with this issuer, or fix the issuer the service sends.` });
  }
  const failed = runChecks([
    checkSignature(incoming, root, service, config.allowSha1),
    checkVersion('AuthnRequest', request.version),
    checkId('AuthnRequest', request.id),
    // The window is CLOCK_SKEW_SECONDS around the sandbox's own (possibly moved) time: moving the clock
    // must not widen it, or old (replayed) requests would pass again.
    checkIssueInstant('AuthnRequest', request.issueInstant, clock.now(), config.clockSkewSeconds),
    checkDestination('AuthnRequest', request.destination, ctx.ssoUrl, true),
    checkProtocolBinding(request.protocolBinding),
    checkAcsUrl(request.assertionConsumerServiceUrl),
    ctx.replays.check('AuthnRequest', request.issuer, request.id!),
  ]);
  if (failed) {
    const err = new SandboxError(failed); // status from the catalogue (src/catalogue.ts)
    // A validly signed request from a registered service that fails a content check: MPass's answer is not
    // published, so the sandbox keeps the error page, with a way back to the service (its ACS origin).
    if (!isSignatureProblem(failed.code)) err.returnTo = { url: `${acsOrigin(request.assertionConsumerServiceUrl, service.mpass.assertionConsumerServiceUrl)}/`, service: service.name.en };
    throw err;
  }
  ctx.replays.remember('AuthnRequest', request.issuer, request.id!, parseInstant(request.issueInstant)!, config.clockSkewSeconds);

  const warnings: string[] = [...incoming.warnings];
  if (request.nameIdPolicy?.allowCreate !== 'true') warnings.push('NameIDPolicy AllowCreate="true" is missing: MPass requires it for compatibility (MPASS.md §4.1).');
  // The integration form has no ACS list: the ACS comes from the signed request; say when it is not the registered default.
  if (request.assertionConsumerServiceUrl && request.assertionConsumerServiceUrl !== service.mpass.assertionConsumerServiceUrl) warnings.push(`AssertionConsumerServiceURL ${request.assertionConsumerServiceUrl} differs from the registered default ACS ${service.mpass.assertionConsumerServiceUrl}; the Response goes to the URL in the signed request.`);
  if (incoming.relayState && Buffer.byteLength(incoming.relayState) > 80) warnings.push(`RelayState is ${Buffer.byteLength(incoming.relayState)} bytes (SAML suggests ≤ 80); MPass and the sandbox accept it.`);
  return { service: service as MPassService, request, binding: incoming.binding, xml: incoming.xml, relayState: incoming.relayState, warnings };
}

/** The origin of the ACS the signed request names (if usable), else of the registered default. */
function acsOrigin(requested: string | undefined, registered: string): string {
  for (const u of [requested, registered]) {
    try {
      const url = new URL(u ?? '');
      if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin;
    } catch {
      /* next */
    }
  }
  return registered;
}
