// MPass single sign-on: the façade the HTTP layer, single logout and the conformance runner use. Each job
// lives in its own module under login/ (the data flow of ARCHITECTURE.md, one step per file):
//   accept.ts    decode/check: binding → parse → issuer → registered service → checks → replay memory
//   decide.ts    script, existing session / ForceAuthn / IsPassive, or the login page; the page's answer
//   respond.ts   build/sign: the Response spec, faults, signing plan → `outgoing`
//   log.ts       every event the login flow writes
//   scripts.ts   automation (POST /api/script), the only owner of the queued scripts
// This file owns the state (sessions, pending logins, replay memory, scripts) and carries decisions out.
import crypto from 'node:crypto';
import type { ProtocolDeps } from '../deps.js';
import type { Lang } from '../lang.js';
import { SandboxError, type Rejection } from '../errors.js';
import { nameIdOf, type Persona } from '../personas.js';
import type { HttpInput } from './bindings.js';
import { faultsByIds } from './faults.js';
import type { ResponseSpec } from './messages/response.js';
import { ReplayCache } from './replay.js';
import { Expiring, Sessions, type SsoSession } from './sessions.js';
import { acceptAuthnRequest, type Seen } from './login/accept.js';
import { decideAuthnRequest, decideLoginForm, pendingLogin, PENDING_LOGIN_MS, type Answer } from './login/decide.js';
import { LoginLog } from './login/log.js';
import { failureSpec, signResponse, successSpec } from './login/respond.js';
import { LoginScripts, type LoginScript, type LogoutScript } from './login/scripts.js';
import type { Delivery, LoginForm, LoginPage, MPassService, PendingLogin } from './login/types.js';

export type { Delivery, LoginForm, LoginPage, PendingLogin } from './login/types.js';
export type { LoginScript, LogoutScript };
export type { Rejection };

export type MPassDeps = ProtocolDeps;

export class MPassIdp {
  readonly sessions: Sessions;
  readonly pending: Expiring<PendingLogin>;
  /** IDs of accepted AuthnRequests and LogoutRequests, per issuer, for the clock window. */
  readonly replays: ReplayCache;
  readonly ssoUrl: string;
  readonly sloUrl: string;
  readonly entityId: string;
  private readonly automation = new LoginScripts();
  private readonly log: LoginLog;

  constructor(readonly deps: MPassDeps) {
    const now = () => deps.clock.nowMs();
    this.sessions = new Sessions(now);
    this.pending = new Expiring<PendingLogin>(now);
    this.replays = new ReplayCache(now);
    this.ssoUrl = `${deps.config.publicUrl}/login/saml`;
    this.sloUrl = `${deps.config.publicUrl}/logout/saml`;
    this.entityId = deps.config.mpassEntityId;
    this.log = new LoginLog(deps.events);
  }

  persona(idnp: string | undefined): Persona | undefined {
    return idnp ? this.deps.personas.find((p) => p.idnp === idnp || p.nameId === idnp) : undefined;
  }

  /** HTTP-POST or HTTP-Redirect AuthnRequest at /login/saml (MPASS.md §4.1, §13 "AuthnRequest handling"). */
  startLogin(http: HttpInput, opts: { sessionId?: string; address?: string; lang?: Lang }): Delivery | LoginPage {
    const seen: Seen = {};
    try {
      const accepted = acceptAuthnRequest({ ...this.deps, replays: this.replays, ssoUrl: this.ssoUrl, sloUrl: this.sloUrl }, http, seen);
      this.log.accepted(accepted);
      const pending = pendingLogin(accepted, crypto.randomUUID(), opts);
      const script = this.automation.take(accepted.service.mpass.issuer);
      const decision = decideAuthnRequest(accepted.request, script, () => this.sessions.get(opts.sessionId), (idnp) => this.persona(idnp));
      if (decision.kind === 'ask') {
        this.pending.set(pending.id, pending, PENDING_LOGIN_MS);
        return { kind: 'login', pending, service: accepted.service };
      }
      return this.answer(pending, accepted.service, decision);
    } catch (e) {
      if (e instanceof SandboxError) this.log.rejected(e, seen);
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
    let decision: Answer;
    try {
      decision = decideLoginForm(form, faults, () => this.sessions.get(opts.sessionId), (idnp) => this.persona(idnp));
    } catch (e) {
      // The login stays open, so the tester can correct the identity and try again.
      this.pending.set(pending.id, pending, PENDING_LOGIN_MS);
      throw e;
    }
    return this.answer(pending, service as MPassService, decision);
  }

  /** Queued login scripts (GET /api/script; POST /api/script adds them). */
  get scripts(): readonly LoginScript[] {
    return this.automation.list;
  }

  get logoutScripts(): readonly LogoutScript[] {
    return this.automation.logoutList;
  }

  addScript(s: Omit<LoginScript, 'id' | 'remaining'> & { times?: number }): LoginScript {
    return this.automation.add(s);
  }

  addLogoutScript(s: LogoutScript): LogoutScript {
    return this.automation.addLogout(s);
  }

  /** Logout faults scripted for a service's next single logout (POST /api/script with logoutFaults). */
  logoutFaultsFor(issuer: string): string[] {
    return this.automation.logoutFaultsFor(issuer);
  }

  withdrawScripts(loginIds: readonly string[], logout?: LogoutScript): void {
    this.automation.withdraw(loginIds, logout);
  }

  clearScripts(): void {
    this.automation.clear();
  }

  /** Carry out a decision: the session (if any), then the Response. */
  private answer(p: PendingLogin, service: MPassService, d: Answer): Delivery {
    switch (d.kind) {
      case 'succeed':
        return this.succeed(p, service, d.session, d.faults);
      case 'authenticate':
        return this.succeed(p, service, this.authenticate(d.current, d.persona, service, p.address), d.faults);
      case 'fail':
        return { ...this.send(p, service, failureSpec(this.deps, this.entityId, p, d.status), d.faults), session: d.session };
    }
  }

  /** (Re-)authentication keeps one MPass session per browser (see Sessions.authenticate); the event log says which. */
  private authenticate(current: SsoSession | undefined, persona: Persona, service: MPassService, address: string | undefined): SsoSession {
    const { session, kept } = this.sessions.authenticate(current, persona, nameIdOf(persona), this.deps.config.sessionLifetimeSeconds, address);
    this.log.session(kept, session, service);
    return session;
  }

  private succeed(p: PendingLogin, service: MPassService, session: SsoSession, extraFaults: string[]): Delivery {
    const spec = successSpec(this.deps, this.entityId, p, service, session);
    // The service takes part in the session from now on, so single logout reaches it.
    this.sessions.addParticipant(session, { serviceId: service.id, issuer: service.mpass.issuer, nameId: session.nameId, sessionIndex: session.sessionIndex });
    return { ...this.send(p, service, spec, extraFaults), session };
  }

  /** The registered faults and this login's own, then sign and encode; logged as sent. */
  private send(p: PendingLogin, service: MPassService, spec: ResponseSpec, extraFaults: string[]): Delivery {
    const { out, faults, replay } = signResponse(this.deps, p, service, spec, [...service.mpass.faults, ...extraFaults]);
    this.log.responseSent(service, p, spec, faults, out);
    return { kind: 'deliver', message: 'Response', context: out.context, replay };
  }
}
