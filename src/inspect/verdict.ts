// The sandbox's verdict on a pasted message, without running a service and without side effects (no
// pending login, no session, no event): the same checks the endpoints run (login/accept.ts, logout.ts
// receive; MPASS.md §4.1, §6) for what a service sends, and the IdP signature for what the sandbox sent.
import { SandboxError, type Rejection } from '../errors.js';
import { decodeIncoming, type IncomingMessage } from '../mpass/bindings.js';
import { readAuthnRequest } from '../mpass/messages/authn-request.js';
import { issuerOf } from '../mpass/messages/common.js';
import { verifyEnveloped } from '../mpass/signature.js';
import { checkAcsUrl, checkDestination, checkId, checkIssueInstant, checkProtocolBinding, checkSignature, checkVersion, runChecks } from '../mpass/verify/checks.js';
import type { Sandbox } from '../sandbox.js';
import { NS, parseXml } from '../xml/parse.js';
import type { Decoded } from './decode.js';

export type SignatureVerdict = 'valid' | 'invalid' | 'none' | 'unknownIssuer';

export interface Verdict {
  verdict: 'accepted' | 'rejected';
  rejection?: Rejection;
  signature: SignatureVerdict;
  /** Which party's certificate the signature was checked with. */
  checkedWith?: string;
}

type Deps = Pick<Sandbox, 'config' | 'clock' | 'registry' | 'mpass' | 'pki'>;

const fail = (r: Rejection, signature: SignatureVerdict = 'none', checkedWith?: string): Verdict => ({ verdict: 'rejected', rejection: r, signature, checkedWith });

export function verdictOn(d: Decoded, sb: Deps): Verdict {
  try {
    return judge(d, sb);
  } catch (e) {
    if (e instanceof SandboxError) return fail(e.rejection);
    throw e;
  }
}

function judge(d: Decoded, sb: Deps): Verdict {
  const { config, clock, registry, mpass, pki } = sb;
  const root = parseXml(d.xml, d.param ?? '(message)').documentElement!;
  if (root.namespaceURI !== NS.samlp) return fail({ code: 'ERR_WRONG_MESSAGE', where: root.localName, message: `Not a SAML protocol message: ${root.localName}.`, fix: 'Paste a SAMLRequest or SAMLResponse.' });
  const isRequest = root.localName === 'AuthnRequest' || root.localName === 'LogoutRequest';
  const incoming: IncomingMessage = d.http ? decodeIncoming(d.http, config.maxSamlBytes) : { param: isRequest ? 'SAMLRequest' : 'SAMLResponse', xml: d.xml, binding: 'HTTP-POST', warnings: [] };
  const skew = config.clockSkewSeconds;
  const hasEnveloped = root.getElementsByTagNameNS(NS.ds, 'Signature').length > 0;
  const signedAtAll = hasEnveloped || !!d.signed;

  // What the sandbox itself sent: the IdP certificate signs it.
  const issuer = issuerOf(root);
  if (root.localName === 'Response' || (!isRequest && issuer === mpass.entityId)) {
    if (!hasEnveloped) return fail({ code: 'ERR_SIGNATURE_MISSING', where: `${root.localName}/Signature`, message: `The ${root.localName} is not signed.`, fix: 'Sandbox answers are signed unless a fault asked otherwise: see the fault list.' });
    const r = verifyEnveloped(d.xml, root, pki.idp.certificatePem, true);
    return r ? fail(r, 'invalid', 'MPass sandbox IdP') : { verdict: 'accepted', signature: 'valid', checkedWith: 'MPass sandbox IdP' };
  }

  // What a service sends: the endpoint's own checks, with the service's registered certificate.
  if (!issuer) return fail({ code: 'ERR_ISSUER_MISSING', where: `${root.localName}/Issuer`, message: `The ${root.localName} has no Issuer.`, fix: 'Put the service entity ID in saml:Issuer.' });
  const service = registry.byMPassIssuer(issuer);
  if (!service?.mpass) return fail({ code: 'ERR_UNKNOWN_ISSUER', where: `${root.localName}/Issuer`, message: 'No registered service has this issuer.', found: issuer, fix: 'Register the service with this issuer, or correct the issuer the service sends.' }, 'unknownIssuer');
  const checkedWith = `${service.name.en} (${service.certificateSerial ?? service.id})`;
  const sig = checkSignature(incoming, root, service, config.allowSha1)();
  if (sig) return fail(sig, signedAtAll ? 'invalid' : 'none', checkedWith);
  const version = root.getAttribute('Version') ?? undefined;
  const id = root.getAttribute('ID') ?? undefined;
  const instant = root.getAttribute('IssueInstant') ?? undefined;
  const destination = root.getAttribute('Destination') ?? undefined;
  let failed: Rejection | null;
  if (root.localName === 'AuthnRequest') {
    const req = readAuthnRequest(root);
    failed = runChecks([checkVersion('AuthnRequest', version), checkId('AuthnRequest', id), checkIssueInstant('AuthnRequest', instant, clock.now(), skew), checkDestination('AuthnRequest', destination, mpass.ssoUrl, true), checkProtocolBinding(req.protocolBinding), checkAcsUrl(req.assertionConsumerServiceUrl)]);
  } else {
    failed = runChecks([checkVersion(root.localName, version), checkIssueInstant(root.localName, instant, clock.now(), skew), checkDestination(root.localName, destination, mpass.sloUrl, true)]);
  }
  return failed ? fail(failed, 'valid', checkedWith) : { verdict: 'accepted', signature: 'valid', checkedWith };
}
