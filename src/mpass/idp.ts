// MPass single sign-on: AuthnRequest in → checks → decide (session, script, page) → Response out.
// Pure protocol logic over the registry and session stores; HTTP routes only render what this returns.
import crypto from 'node:crypto';
import type { ProtocolDeps } from '../deps.js';
import { asLang, type Lang } from '../lang.js';
import { SandboxError, type Rejection } from '../errors.js';
import { nameIdOf, standardAttributeValues, type Persona } from '../personas.js';
import type { Service } from '../registry/service.js';
import { NS, parseXml } from '../xml/parse.js';
import { xmlCharProblem } from '../xml/wellformed.js';
import { BINDING_URN, decodeIncoming, outgoing, type Binding, type BindingContext, type HttpInput } from './bindings.js';
import { faultsByIds, signingPlan, type FaultContext } from './faults.js';
import { readAuthnRequest, type AuthnRequest } from './messages/authn-request.js';
import { newSamlId, parseInstant, STATUS, type Status } from './messages/common.js';
import { renderResponse, type ResponseSpec } from './messages/response.js';
import { ReplayCache } from './replay.js';
import { Expiring, Sessions, type SsoSession } from './sessions.js';
import { checkAcsUrl, checkDestination, checkId, checkIssueInstant, checkProtocolBinding, checkSignature, checkVersion, runChecks } from './verify/checks.js';


export interface PendingLogin {
  id: string;
  serviceId: string;
  request: AuthnRequest;
  acs: string;
  responseBinding: Binding;
  relayState?: string;
  lang: Lang;
  address?: string;
}

export interface Delivery {
  kind: 'deliver';
  message: 'Response' | 'LogoutRequest' | 'LogoutResponse';
  context: BindingContext;
  /** Post the same message twice (fault `replay`). */
  replay?: boolean;
  /** The SSO session this answer belongs to (for the cookie). */
  session?: SsoSession;
}

export interface LoginPage {
  kind: 'login';
  pending: PendingLogin;
  service: Service;
}

export interface LoginScript {
  id: string;
  issuer: string;
  persona: string;
  outcome: 'success' | 'cancel';
  faults: string[];
  remaining: number;
}

export type MPassDeps = ProtocolDeps;

export interface LoginForm {
  pendingId?: string;
  action?: string;
  persona?: string;
  custom?: Partial<Pick<Persona, 'idnp' | 'firstName' | 'lastName' | 'birthDate'>>;
  faults?: string[];
}

export class MPassIdp {
  readonly sessions: Sessions;
  readonly pending: Expiring<PendingLogin>;
  /** IDs of accepted AuthnRequests and LogoutRequests, per issuer, for the clock window. */
  readonly replays: ReplayCache;
  scripts: LoginScript[] = [];
  logoutScripts: Array<{ issuer: string; faults: string[]; remaining: number }> = [];
  readonly ssoUrl: string;
  readonly sloUrl: string;
  readonly entityId: string;

  constructor(readonly deps: MPassDeps) {
    const now = () => deps.clock.nowMs();
    this.sessions = new Sessions(now);
    this.pending = new Expiring<PendingLogin>(now);
    this.replays = new ReplayCache(now);
    this.ssoUrl = `${deps.config.publicUrl}/login/saml`;
    this.sloUrl = `${deps.config.publicUrl}/logout/saml`;
    this.entityId = deps.config.mpassEntityId;
  }

  persona(idnp: string | undefined): Persona | undefined {
    return idnp ? this.deps.personas.find((p) => p.idnp === idnp || p.nameId === idnp) : undefined;
  }

  /** HTTP-POST or HTTP-Redirect AuthnRequest at /login/saml (MPASS.md §4.1, §13 "AuthnRequest handling"). */
  startLogin(http: HttpInput, opts: { sessionId?: string; address?: string; lang?: Lang }): Delivery | LoginPage {
    const { config, registry, events, clock } = this.deps;
    let service: Service | undefined;
    let xml: string | undefined;
    let binding: Binding | undefined;
    try {
      const incoming = decodeIncoming(http, config.maxSamlBytes);
      xml = incoming.xml;
      binding = incoming.binding;
      if (incoming.param !== 'SAMLRequest') {
        throw new SandboxError(400, { code: 'ERR_WRONG_ENDPOINT', where: 'SAMLResponse', message: '/login/saml takes AuthnRequests (SAMLRequest), not responses.', fix: `Send LogoutResponses to ${this.sloUrl}.` });
      }
      const doc = parseXml(incoming.xml, 'SAMLRequest');
      const root = doc.documentElement!;
      if (root.namespaceURI !== NS.samlp || root.localName !== 'AuthnRequest') {
        throw new SandboxError(400, { code: 'ERR_WRONG_MESSAGE', where: 'SAMLRequest', message: `Expected a samlp:AuthnRequest, found ${root.localName} in ${root.namespaceURI ?? 'no namespace'}.`, fix: root.localName === 'LogoutRequest' ? `Send LogoutRequests to ${this.sloUrl}.` : 'Send an AuthnRequest in urn:oasis:names:tc:SAML:2.0:protocol.' });
      }
      const request = readAuthnRequest(root);
      if (!request.issuer) {
        throw new SandboxError(400, { code: 'ERR_ISSUER_MISSING', where: 'AuthnRequest/Issuer', message: 'The AuthnRequest has no Issuer.', fix: 'Put the service entity ID (its registered issuer) in saml2:Issuer.' });
      }
      service = registry.byMPassIssuer(request.issuer);
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
        checkDestination('AuthnRequest', request.destination, this.ssoUrl, true),
        checkProtocolBinding(request.protocolBinding),
        checkAcsUrl(request.assertionConsumerServiceUrl),
        this.replays.check('AuthnRequest', request.issuer, request.id!),
      ]);
      if (failed) {
        const err = new SandboxError(failed.code.startsWith('ERR_SIGNATURE') ? 403 : 400, failed);
        // A validly signed request from a registered service that fails a content check: MPass's answer is not
        // published, so the sandbox keeps the error page, with a way back to the service (its ACS origin).
        if (!failed.code.startsWith('ERR_SIGNATURE')) err.returnTo = { url: `${acsOrigin(request.assertionConsumerServiceUrl, service.mpass.assertionConsumerServiceUrl)}/`, service: service.name.en };
        throw err;
      }
      this.replays.remember('AuthnRequest', request.issuer, request.id!, parseInstant(request.issueInstant)!, config.clockSkewSeconds);

      const warnings: string[] = [...incoming.warnings];
      if (request.nameIdPolicy?.allowCreate !== 'true') warnings.push('NameIDPolicy AllowCreate="true" is missing: MPass requires it for compatibility (MPASS.md §4.1).');
      // The integration form has no ACS list: the ACS comes from the signed request; say when it is not the registered default.
      if (request.assertionConsumerServiceUrl && request.assertionConsumerServiceUrl !== service.mpass.assertionConsumerServiceUrl) warnings.push(`AssertionConsumerServiceURL ${request.assertionConsumerServiceUrl} differs from the registered default ACS ${service.mpass.assertionConsumerServiceUrl}; the Response goes to the URL in the signed request.`);
      if (incoming.relayState && Buffer.byteLength(incoming.relayState) > 80) warnings.push(`RelayState is ${Buffer.byteLength(incoming.relayState)} bytes (SAML suggests ≤ 80); MPass and the sandbox accept it.`);
      events.add({ protocol: 'mpass', direction: 'in', message: 'AuthnRequest', verdict: 'accepted', service: request.issuer, binding, warnings, xml, summary: `ID ${request.id}${request.forceAuthn ? ', ForceAuthn' : ''}${request.isPassive ? ', IsPassive' : ''}` });

      const pending: PendingLogin = {
        id: crypto.randomUUID(),
        serviceId: service.id,
        request,
        acs: request.assertionConsumerServiceUrl ?? service.mpass.assertionConsumerServiceUrl,
        responseBinding: request.protocolBinding === BINDING_URN['HTTP-Redirect'] ? 'HTTP-Redirect' : 'HTTP-POST',
        relayState: incoming.relayState,
        lang: opts.lang ?? langOfDestination(request.destination) ?? 'ro',
        address: opts.address,
      };

      const script = this.takeScript(service.mpass.issuer);
      if (script) {
        if (script.outcome === 'cancel') return this.fail(pending, service, cancelStatus(), undefined, script.faults);
        const persona = this.persona(script.persona)!;
        // One MPass session per browser, so scripted logins to several services share one SSO session.
        const current = this.sessions.get(opts.sessionId);
        const session = current && current.persona.idnp === persona.idnp && !request.forceAuthn ? current : this.authenticate(current, persona, service, opts.address);
        return this.succeed(pending, service, session, script.faults);
      }
      const session = this.sessions.get(opts.sessionId);
      if (session && !request.forceAuthn) return this.succeed(pending, service, session, []);
      if (request.isPassive) {
        return this.fail(pending, service, { code: STATUS.Responder, subCode: STATUS.NoPassive, message: 'No MPass session and IsPassive="true": the user was not asked to log in.' }, session);
      }
      this.pending.set(pending.id, pending, 30 * 60 * 1000);
      return { kind: 'login', pending, service };
    } catch (e) {
      if (e instanceof SandboxError) {
        events.add({ protocol: 'mpass', direction: 'in', message: 'AuthnRequest', verdict: 'rejected', service: service?.mpass?.issuer, binding, rejection: e.rejection, xml });
      }
      throw e;
    }
  }

  /** The login page's answer: a persona (or custom identity), or Cancel. */
  completeLogin(form: LoginForm, opts: { sessionId?: string }): Delivery {
    const pending = this.pending.get(form.pendingId);
    if (!pending) {
      throw new SandboxError(410, { code: 'ERR_LOGIN_EXPIRED', where: 'login', message: 'This login request has expired or was already answered (the sandbox may have restarted).', fix: 'Go back to the service and start the login again.' });
    }
    const service = this.deps.registry.get(pending.serviceId);
    if (!service?.mpass) throw new SandboxError(410, { code: 'ERR_SERVICE_GONE', where: 'login', message: 'The service of this login was removed from the registry.', fix: 'Register the service again and start the login again.' });
    const faults = (form.faults ?? []).filter((f) => faultsByIds([f], 'response').length > 0);
    this.pending.delete(pending.id);
    if (form.action === 'cancel') return this.fail(pending, service, cancelStatus(), this.sessions.get(opts.sessionId), faults);

    let persona = this.persona(form.persona);
    try {
      if (!persona && form.custom?.idnp) persona = customPersona(form.custom);
    } catch (e) {
      // The login stays open, so the tester can correct the custom identity and try again.
      this.pending.set(pending.id, pending, 30 * 60 * 1000);
      throw e;
    }
    if (!persona) {
      this.pending.set(pending.id, pending, 30 * 60 * 1000);
      throw new SandboxError(400, { code: 'ERR_PERSONA', where: 'persona', message: 'Choose a test identity or type a custom one (13-digit IDNP, first and last name).', found: form.persona ?? form.custom?.idnp, fix: 'Pick one of the persona buttons, or fill in the custom identity.' });
    }
    const session = this.authenticate(this.sessions.get(opts.sessionId), persona, service, pending.address);
    return this.succeed(pending, service, session, faults);
  }

  /** (Re-)authentication keeps one MPass session per browser (see Sessions.authenticate); the event log says which. */
  private authenticate(current: SsoSession | undefined, persona: Persona, service: Service, address: string | undefined): SsoSession {
    const { session, kept } = this.sessions.authenticate(current, persona, nameIdOf(persona), this.deps.config.sessionLifetimeSeconds, address);
    if (kept !== 'new') {
      this.deps.events.add({
        protocol: 'mpass',
        direction: 'internal',
        message: 'Session',
        verdict: 'info',
        service: service.mpass?.issuer,
        summary:
          kept === 'same'
            ? `re-authenticated in the existing MPass session (SessionIndex ${session.sessionIndex} kept, AuthnInstant renewed)`
            : `another person logged in: new MPass session ${session.sessionIndex} carries over ${session.participants.length} participating service(s) of the previous one, so single logout still reaches them`,
      });
    }
    return session;
  }

  /** Logout faults scripted for a service's next single logout (POST /api/script with logoutFaults). */
  logoutFaultsFor(issuer: string): string[] {
    const i = this.logoutScripts.findIndex((s) => s.issuer === issuer);
    if (i < 0) return [];
    const s = this.logoutScripts[i]!;
    if (--s.remaining <= 0) this.logoutScripts.splice(i, 1);
    return s.faults;
  }

  addScript(s: Omit<LoginScript, 'id' | 'remaining'> & { times?: number }): LoginScript {
    const script: LoginScript = { id: crypto.randomUUID(), issuer: s.issuer, persona: s.persona, outcome: s.outcome, faults: s.faults, remaining: s.times ?? 1 };
    this.scripts.push(script);
    return script;
  }

  private takeScript(issuer: string): LoginScript | undefined {
    const i = this.scripts.findIndex((s) => s.issuer === issuer);
    if (i < 0) return undefined;
    const s = this.scripts[i]!;
    if (--s.remaining <= 0) this.scripts.splice(i, 1);
    return s;
  }

  private succeed(p: PendingLogin, service: Service, session: SsoSession, extraFaults: string[]): Delivery {
    const m = service.mpass!;
    const now = this.deps.clock.now();
    const iso = now.toISOString();
    const persona = session.persona;
    const nameId = session.nameId;
    const notOnOrAfter = new Date(now.getTime() + this.deps.config.assertionLifetimeSeconds * 1000).toISOString();
    const attributes: Array<{ name: string; values: string[] }> = [];
    for (const a of m.attributes) {
      const values = standardAttributeValues(persona, a);
      if (values.length) attributes.push({ name: a, values });
    }
    for (const c of m.customAttributes) {
      const values = c.values[persona.idnp] ?? (persona.nameId ? c.values[persona.nameId] : undefined) ?? [];
      if (values.length) attributes.push({ name: c.name, values });
    }
    const spec: ResponseSpec = {
      id: newSamlId(),
      issueInstant: iso,
      destination: p.acs,
      inResponseTo: p.request.id,
      consent: 'urn:oasis:names:tc:SAML:2.0:consent:prior',
      issuer: this.entityId,
      status: { code: STATUS.Success },
      assertion: {
        id: newSamlId(),
        issueInstant: iso,
        issuer: this.entityId,
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
    this.sessions.addParticipant(session, { serviceId: service.id, issuer: m.issuer, nameId, sessionIndex: session.sessionIndex });
    return { ...this.sendResponse(p, service, spec, [...m.faults, ...extraFaults]), session };
  }

  private fail(p: PendingLogin, service: Service, status: Status, session: SsoSession | undefined, extraFaults: string[] = []): Delivery {
    const spec: ResponseSpec = {
      id: newSamlId(),
      issueInstant: this.deps.clock.now().toISOString(),
      destination: p.acs,
      inResponseTo: p.request.id,
      issuer: this.entityId,
      status,
    };
    return { ...this.sendResponse(p, service, spec, [...service.mpass!.faults, ...extraFaults]), session };
  }

  /** Faults → render → (plan) → the binding encoder signs, tampers and encodes. */
  private sendResponse(p: PendingLogin, service: Service, spec: ResponseSpec, faultIds: string[]): Delivery {
    const { pki, events } = this.deps;
    const faults = faultsByIds(faultIds, 'response');
    const ctx: FaultContext = { now: this.deps.clock.now(), compatibleKey: pki.idpCompatible };
    for (const f of faults) f.spec?.(spec, ctx);
    const plan = signingPlan(faults, ctx, { key: pki.idp, signAssertion: service.mpass!.signAssertion });
    const out = outgoing(p.responseBinding, p.acs, { param: 'SAMLResponse', root: 'Response', id: spec.id, assertionId: spec.assertion?.id, xml: renderResponse(spec), relayState: p.relayState }, plan);
    const replay = faults.some((f) => f.replay);
    events.add({
      protocol: 'mpass',
      direction: 'out',
      message: 'Response',
      verdict: 'sent',
      service: service.mpass!.issuer,
      binding: out.binding,
      summary: `${spec.status.code.split(':').pop()}${spec.status.subCode ? `/${spec.status.subCode.split(':').pop()}` : ''} → ${p.acs}${faults.length ? ` (faults: ${faults.map((f) => f.id).join(', ')})` : ''}${out.note ? `; ${out.note}` : ''}`,
      xml: out.xml,
    });
    return { kind: 'deliver', message: 'Response', context: out.context, replay };
  }
}

/** Cancel: top-level Responder ("failure on MPass or user side", MPASS.md §4.2), second level AuthnFailed. */
function cancelStatus(): Status {
  return { code: STATUS.Responder, subCode: STATUS.AuthnFailed, message: 'The user cancelled the authentication.' };
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

function langOfDestination(dest: string | undefined): Lang | undefined {
  try {
    return dest ? asLang(new URL(dest).searchParams.get('lang')) : undefined;
  } catch {
    return undefined;
  }
}

function customPersona(c: NonNullable<LoginForm['custom']>): Persona {
  const idnp = c.idnp ?? '';
  if (!/^\d{13}$/.test(idnp)) {
    throw new SandboxError(400, { code: 'ERR_PERSONA', where: 'custom.idnp', message: 'A custom identity needs a 13-digit IDNP.', found: idnp, fix: 'Type 13 digits, e.g. 2009000000011.' });
  }
  // The names are written into the signed Response: a character XML 1.0 forbids would make it ill-formed.
  for (const field of ['firstName', 'lastName'] as const) {
    const problem = xmlCharProblem(`custom.${field}`, c[field] ?? '');
    if (problem) throw new SandboxError(400, problem);
  }
  const birthDate = c.birthDate && /^\d{4}-\d{2}-\d{2}$/.test(c.birthDate) ? c.birthDate : '1990-01-01';
  return { idnp, firstName: c.firstName?.slice(0, 64) || 'Test', lastName: c.lastName?.slice(0, 64) || 'User', birthDate, gender: 0, isResident: true, language: 'ro', administeredLegalEntities: [], label: 'Custom identity' };
}

export type { Rejection };
