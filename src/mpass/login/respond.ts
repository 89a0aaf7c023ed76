// The Response to a login (MPASS.md §4.2): its spec (attributes from the persona and the service's
// registration, conditions, AuthnStatement), then faults → render → signing plan → the binding encoder,
// which signs, tampers and encodes (`outgoing`, the one place signing is decided).
import type { ProtocolDeps } from '../../deps.js';
import { standardAttributeValues } from '../../personas.js';
import { outgoing, type Outgoing } from '../bindings.js';
import { faultsByIds, signingPlan, type FaultCase, type FaultContext } from '../faults.js';
import { newSamlId, STATUS, type Status } from '../messages/common.js';
import { renderResponse, type ResponseSpec } from '../messages/response.js';
import type { SsoSession } from '../sessions.js';
import type { MPassService, PendingLogin } from './types.js';

type Deps = Pick<ProtocolDeps, 'config' | 'clock' | 'pki'>;

/** Success: an Assertion for the session's person, with the attributes the service registered. */
export function successSpec(d: Deps, entityId: string, p: PendingLogin, service: MPassService, session: SsoSession): ResponseSpec {
  const m = service.mpass;
  const now = d.clock.now();
  const iso = now.toISOString();
  const persona = session.persona;
  const nameId = session.nameId;
  const notOnOrAfter = new Date(now.getTime() + d.config.assertionLifetimeSeconds * 1000).toISOString();
  const attributes: Array<{ name: string; values: string[] }> = [];
  for (const a of m.attributes) {
    const values = standardAttributeValues(persona, a);
    if (values.length) attributes.push({ name: a, values });
  }
  for (const c of m.customAttributes) {
    const values = c.values[persona.idnp] ?? (persona.nameId ? c.values[persona.nameId] : undefined) ?? [];
    if (values.length) attributes.push({ name: c.name, values });
  }
  return {
    id: newSamlId(),
    issueInstant: iso,
    destination: p.acs,
    inResponseTo: p.request.id,
    consent: 'urn:oasis:names:tc:SAML:2.0:consent:prior',
    issuer: entityId,
    status: { code: STATUS.Success },
    assertion: {
      id: newSamlId(),
      issueInstant: iso,
      issuer: entityId,
      nameId,
      subjectConfirmation: { notOnOrAfter, recipient: p.acs, inResponseTo: p.request.id },
      conditions: { notOnOrAfter, audiences: [m.issuer] },
      authn: {
        authnInstant: new Date(session.authnInstant).toISOString(),
        sessionIndex: session.sessionIndex,
        sessionNotOnOrAfter: new Date(session.notOnOrAfter).toISOString(),
        address: session.address,
        classRef: 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
      },
      attributes,
    },
  };
}

/** Any other status: no Assertion. */
export function failureSpec(d: Deps, entityId: string, p: PendingLogin, status: Status): ResponseSpec {
  return {
    id: newSamlId(),
    issueInstant: d.clock.now().toISOString(),
    destination: p.acs,
    inResponseTo: p.request.id,
    issuer: entityId,
    status,
  };
}

export interface SignedResponse {
  out: Outgoing;
  /** The fault cases applied, for the event log. */
  faults: FaultCase[];
  /** Post the same Response twice (fault `replay`). */
  replay: boolean;
}

/** Faults → render → (plan) → the binding encoder signs, tampers and encodes. */
export function signResponse(d: Deps, p: PendingLogin, service: MPassService, spec: ResponseSpec, faultIds: string[]): SignedResponse {
  const { pki } = d;
  const faults = faultsByIds(faultIds, 'response');
  const ctx: FaultContext = { now: d.clock.now(), compatibleKey: pki.idpCompatible };
  for (const f of faults) f.spec?.(spec, ctx);
  const plan = signingPlan(faults, ctx, { key: pki.idp, signAssertion: service.mpass.signAssertion });
  const out = outgoing(p.responseBinding, p.acs, { param: 'SAMLResponse', root: 'Response', id: spec.id, assertionId: spec.assertion?.id, xml: renderResponse(spec), relayState: p.relayState }, plan);
  return { out, faults, replay: faults.some((f) => f.replay) };
}
