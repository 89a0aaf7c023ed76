// Single logout (MPASS.md §8.2–8.3). A logout run is a small state machine owned here: one target per
// other service of the session; each gets a signed LogoutRequest through the browser in a hidden iframe,
// as MPass does (MPASS.md §8.2 step 3); LogoutResponses coming back to /logout/saml settle the targets;
// the run finishes when all settled or the timeout passed, ending the session and answering the initiator.
// A target moves pending → sent → answered | error | timeout, once; any other transition is refused and
// logged. Nothing here ever contacts a service on its own: the browser (or, for the headless API, the
// front channel in ./front-channel.ts) carries every message.
import crypto from 'node:crypto';
import { SandboxError, type Rejection } from '../errors.js';
import type { Service } from '../registry/service.js';
import { NS, parseXml } from '../xml/parse.js';
import { decodeIncoming, outgoing, type BindingContext, type HttpInput, type IncomingMessage } from './bindings.js';
import { faultsByIds, signingPlan, type FaultContext } from './faults.js';
import type { MPassIdp } from './idp.js';
import { newSamlId, parseInstant, STATUS, type Status } from './messages/common.js';
import { readLogoutRequest, readLogoutResponse, renderLogoutRequest, renderLogoutResponse, type LogoutRequestSpec } from './messages/logout.js';
import { Expiring, type SsoSession } from './sessions.js';
import { checkDestination, checkId, checkIssueInstant, checkSignature, checkVersion, runChecks } from './verify/checks.js';

export type TargetState = 'pending' | 'sent' | 'answered' | 'error' | 'timeout';

/**
 * What to check when a service never answered in time. MPass delivers LogoutRequests in hidden iframes
 * (MPASS.md §8.2 step 3), so the usual culprits are the ones that break framing or cross-site posts.
 */
export const TIMEOUT_CAUSES = [
  'framing refused: the LogoutRequest URL answers with X-Frame-Options (DENY or SAMEORIGIN) or a Content-Security-Policy frame-ancestors that does not list the MPass origin, so the browser blocks the page inside the hidden iframe (MPASS.md §8.2: allow framing by MPass on that URL)',
  'session cookie not sent: a cookie with SameSite=Lax or Strict is not sent with a cross-site POST inside an iframe, so the service does not find the user and may not answer; use SameSite=None; Secure for the cookie this URL needs',
  'no LogoutResponse: the service answered with an error page, a redirect elsewhere or nothing, or answered later than LOGOUT_TIMEOUT_MS (check its logs)',
];

export interface LogoutTarget {
  serviceId: string;
  issuer: string;
  name: string;
  requestId: string;
  destination: string;
  state: TargetState;
  status?: string;
  detail?: string;
  /** For a timed-out target: the likely causes to check (TIMEOUT_CAUSES). */
  causes?: string[];
  context: BindingContext;
  settledAt?: string;
}

export interface LogoutRun {
  id: string;
  sessionId: string;
  nameId: string;
  initiator?: { serviceId: string; issuer: string; requestId: string; relayState?: string; responseUrl: string };
  targets: LogoutTarget[];
  startedAt: number;
  deadline: number;
  finished: boolean;
  result?: Status;
}

export class SingleLogout {
  readonly runs: Expiring<LogoutRun>;
  /** LogoutRequest ID sent to a service → its run, to match LogoutResponses (InResponseTo). */
  private readonly byRequestId: Expiring<string>;

  constructor(private readonly idp: MPassIdp) {
    const now = () => idp.deps.clock.nowMs();
    this.runs = new Expiring<LogoutRun>(now);
    this.byRequestId = new Expiring<string>(now);
  }

  get deps() {
    return this.idp.deps;
  }

  get sloUrl(): string {
    return this.idp.sloUrl;
  }

  /**
   * Anything arriving at /logout/saml: a service's LogoutRequest (it logs out) or its LogoutResponse
   * (answering ours). Returns what the browser should get next.
   */
  receive(http: HttpInput, sessionId: string | undefined): { kind: 'run'; run: LogoutRun } | { kind: 'deliver'; context: BindingContext; run?: LogoutRun } | { kind: 'settled'; run: LogoutRun; target: LogoutTarget } {
    const incoming = decodeIncoming(http, this.deps.config.maxSamlBytes);
    return incoming.param === 'SAMLRequest' ? this.receiveLogoutRequest(incoming, sessionId) : this.receiveLogoutResponse(incoming);
  }

  private receiveLogoutRequest(incoming: IncomingMessage, cookieSessionId: string | undefined) {
    const { registry, config, clock, events } = this.deps;
    let issuer: string | undefined;
    try {
      const root = parseXml(incoming.xml, 'SAMLRequest').documentElement!;
      if (root.namespaceURI !== NS.samlp || root.localName !== 'LogoutRequest') {
        throw new SandboxError(400, { code: 'ERR_WRONG_MESSAGE', where: 'SAMLRequest', message: `Expected a samlp:LogoutRequest, found ${root.localName}.`, fix: root.localName === 'AuthnRequest' ? `Send AuthnRequests to ${this.idp.ssoUrl}.` : 'Send a LogoutRequest.' });
      }
      const req = readLogoutRequest(root);
      issuer = req.issuer;
      const service = req.issuer ? registry.byMPassIssuer(req.issuer) : undefined;
      if (!service?.mpass) throw new SandboxError(403, { code: 'ERR_UNKNOWN_ISSUER', where: 'LogoutRequest/Issuer', message: 'No registered service has this issuer.', found: req.issuer ?? '(missing)', fix: 'Send the registered issuer (entity ID) of the service.' });
      const failed = runChecks([
        checkSignature(incoming, root, service, config.allowSha1),
        checkVersion('LogoutRequest', req.version),
        checkId('LogoutRequest', req.id),
        checkIssueInstant('LogoutRequest', req.issueInstant, clock.now(), config.clockSkewSeconds),
        checkDestination('LogoutRequest', req.destination, this.idp.sloUrl, true),
        () => (req.nameId ? null : { code: 'ERR_NAMEID_MISSING', where: 'LogoutRequest/NameID', message: 'NameID is missing.', fix: 'Send the NameID the service received in the Assertion.' }),
        () => (req.sessionIndexes.length ? null : { code: 'ERR_SESSION_INDEX_MISSING', where: 'LogoutRequest/SessionIndex', message: 'SessionIndex is missing.', fix: 'Send the SessionIndex the service received in AuthnStatement/@SessionIndex.' }),
        this.idp.replays.check('LogoutRequest', service.mpass.issuer, req.id!),
      ]);
      if (failed) throw new SandboxError(failed); // status from the catalogue (src/catalogue.ts)
      this.idp.replays.remember('LogoutRequest', service.mpass.issuer, req.id!, parseInstant(req.issueInstant)!, config.clockSkewSeconds);

      // The session this service was part of, by SessionIndex + NameID (MPASS.md §13 "Logout").
      const session = req.sessionIndexes.map((si) => this.idp.sessions.bySessionIndex(si)).find((s) => s !== undefined);
      const participant = session?.participants.find((p) => p.serviceId === service.id);
      if (!session || !participant || participant.nameId !== req.nameId) {
        const why: Rejection = !session
          ? { code: 'ERR_UNKNOWN_SESSION', where: 'LogoutRequest/SessionIndex', message: 'No live MPass session has this SessionIndex (already logged out, expired, or the sandbox restarted).', found: req.sessionIndexes.join(', '), fix: 'Treat the user as logged out; send the SessionIndex of a current login.' }
          : !participant
            ? { code: 'ERR_NOT_IN_SESSION', where: 'LogoutRequest/Issuer', message: 'This service never received a Response in that MPass session.', found: req.issuer, fix: 'Log out with the SessionIndex your service received.' }
            : { code: 'ERR_NAMEID_MISMATCH', where: 'LogoutRequest/NameID', message: 'NameID differs from the one this service received in that session.', found: req.nameId, expected: participant.nameId, fix: 'Send the NameID from the Assertion unchanged.' };
        events.add({ protocol: 'mpass', direction: 'in', message: 'LogoutRequest', verdict: 'rejected', service: service.mpass.issuer, binding: incoming.binding, rejection: why, xml: incoming.xml });
        // A validly signed request deserves a protocol answer: Requester/UnknownPrincipal, so the service can finish its own logout.
        const context = this.logoutResponse(service, req.id!, incoming.relayState, { code: STATUS.Requester, subCode: STATUS.UnknownPrincipal, message: why.message });
        return { kind: 'deliver' as const, context };
      }
      events.add({ protocol: 'mpass', direction: 'in', message: 'LogoutRequest', verdict: 'accepted', service: service.mpass.issuer, binding: incoming.binding, xml: incoming.xml, summary: `NameID ${req.nameId}, SessionIndex ${session.sessionIndex}` });
      const run = this.start(session, { serviceId: service.id, issuer: service.mpass.issuer, requestId: req.id!, relayState: incoming.relayState, responseUrl: service.mpass.logoutResponseUrl });
      if (cookieSessionId && cookieSessionId !== session.id) {
        events.add({ protocol: 'mpass', direction: 'internal', message: 'LogoutRequest', verdict: 'info', service: service.mpass.issuer, summary: 'The browser carries another MPass session than the one being logged out.' });
      }
      return this.advance(run);
    } catch (e) {
      if (e instanceof SandboxError) events.add({ protocol: 'mpass', direction: 'in', message: 'LogoutRequest', verdict: 'rejected', service: issuer, binding: incoming.binding, rejection: e.rejection, xml: incoming.xml });
      throw e;
    }
  }

  private receiveLogoutResponse(incoming: IncomingMessage) {
    const { registry, config, clock, events } = this.deps;
    const root = parseXml(incoming.xml, 'SAMLResponse').documentElement!;
    if (root.namespaceURI !== NS.samlp || root.localName !== 'LogoutResponse') {
      throw new SandboxError(400, { code: 'ERR_WRONG_MESSAGE', where: 'SAMLResponse', message: `Expected a samlp:LogoutResponse, found ${root.localName}.`, fix: 'Answer the sandbox LogoutRequest with a LogoutResponse.' });
    }
    const res = readLogoutResponse(root);
    const runId = this.byRequestId.get(res.inResponseTo);
    const run = this.runs.get(runId);
    const target = run?.targets.find((t) => t.requestId === res.inResponseTo);
    if (!run || !target) {
      const r: Rejection = { code: 'ERR_UNKNOWN_IN_RESPONSE_TO', where: 'LogoutResponse/@InResponseTo', message: 'This LogoutResponse answers no LogoutRequest the sandbox is waiting for (unknown, already answered, or the logout finished).', found: res.inResponseTo ?? '(missing)', fix: 'Set InResponseTo to the ID of the LogoutRequest you received, and answer within the logout timeout.' };
      events.add({ protocol: 'mpass', direction: 'in', message: 'LogoutResponse', verdict: 'rejected', service: res.issuer, binding: incoming.binding, rejection: r, xml: incoming.xml });
      throw new SandboxError(400, r);
    }
    const service = registry.get(target.serviceId);
    // Who sent it comes first: only an answer signed by the service the LogoutRequest went to may settle
    // its target. Anyone can post an unsigned or foreign answer with a guessed InResponseTo; such an answer
    // is recorded and changes nothing, so the real signed answer that follows still counts.
    const forged: Rejection | null =
      !service || res.issuer !== target.issuer
        ? { code: 'ERR_ISSUER', where: 'LogoutResponse/Issuer', message: 'The LogoutResponse comes from another issuer than the service asked; it was ignored.', found: res.issuer ?? '(missing)', expected: target.issuer, fix: 'Put your registered entity ID in Issuer.' }
        : checkSignature(incoming, root, service, config.allowSha1)();
    if (forged) {
      events.add({ protocol: 'mpass', direction: 'in', message: 'LogoutResponse', verdict: 'rejected', service: target.issuer, binding: incoming.binding, rejection: forged, xml: incoming.xml, summary: `ignored: the logout of ${target.issuer} still waits for its signed answer` });
      throw new SandboxError(403, forged);
    }
    // The deadline holds whether or not a page polled the run: an answer after it is too late.
    this.expire(run);
    const failed = runChecks([
      checkVersion('LogoutResponse', res.version),
      checkIssueInstant('LogoutResponse', res.issueInstant, clock.now(), config.clockSkewSeconds),
      checkDestination('LogoutResponse', res.destination, this.idp.sloUrl, true),
    ]);
    if (failed) {
      this.settle(run, target, 'error', `${failed.code}: ${failed.message}`);
      events.add({ protocol: 'mpass', direction: 'in', message: 'LogoutResponse', verdict: 'rejected', service: target.issuer, binding: incoming.binding, rejection: failed, xml: incoming.xml });
    } else {
      const ok = res.status?.code === STATUS.Success;
      this.settle(run, target, ok ? 'answered' : 'error', ok ? undefined : `status ${res.status?.code ?? '(none)'}${res.status?.message ? `: ${res.status.message}` : ''}`, res.status?.code);
      events.add({ protocol: 'mpass', direction: 'in', message: 'LogoutResponse', verdict: ok ? 'accepted' : 'rejected', service: target.issuer, binding: incoming.binding, xml: incoming.xml, summary: res.status?.code });
    }
    return { kind: 'settled' as const, run, target };
  }

  /** Sandbox-initiated logout (TC_FUNCT_05): the Logout button or POST /api/sessions/:id/logout. */
  startForSession(session: SsoSession): LogoutRun {
    return this.start(session, undefined);
  }

  private start(session: SsoSession, initiator: LogoutRun['initiator']): LogoutRun {
    const { registry, clock, config, pki, events } = this.deps;
    const now = clock.now();
    const run: LogoutRun = { id: crypto.randomUUID(), sessionId: session.id, nameId: session.nameId, initiator, targets: [], startedAt: now.getTime(), deadline: now.getTime() + config.logoutTimeoutMs, finished: false };
    for (const p of session.participants) {
      if (p.serviceId === initiator?.serviceId) continue;
      const service = registry.get(p.serviceId);
      if (!service?.mpass) continue;
      const spec: LogoutRequestSpec = { id: newSamlId(), issueInstant: now.toISOString(), destination: service.mpass.logoutRequestUrl, issuer: this.idp.entityId, nameId: p.nameId, sessionIndex: p.sessionIndex };
      const faults = faultsByIds([...service.mpass.faults, ...this.idp.logoutFaultsFor(service.mpass.issuer)], 'logout-request');
      const ctx: FaultContext = { now, compatibleKey: pki.idpCompatible };
      for (const f of faults) f.logoutSpec?.(spec, ctx);
      // MPass delivers LogoutRequests in frames, so over HTTP-POST; the plan is signed in the encoder.
      const out = outgoing('HTTP-POST', service.mpass.logoutRequestUrl, { param: 'SAMLRequest', root: 'LogoutRequest', id: spec.id, xml: renderLogoutRequest(spec) }, signingPlan(faults, ctx, { key: pki.idp, signAssertion: false }));
      events.add({ protocol: 'mpass', direction: 'out', message: 'LogoutRequest', verdict: 'sent', service: service.mpass.issuer, binding: out.binding, xml: out.xml, summary: `→ ${service.mpass.logoutRequestUrl}${faults.length ? ` (faults: ${faults.map((f) => f.id).join(', ')})` : ''}` });
      run.targets.push({
        serviceId: service.id,
        issuer: service.mpass.issuer,
        name: service.name.en,
        requestId: spec.id,
        destination: service.mpass.logoutRequestUrl,
        state: 'pending',
        context: out.context,
      });
      this.byRequestId.set(spec.id, run.id, config.logoutTimeoutMs + 10 * 60 * 1000);
    }
    this.runs.set(run.id, run, config.logoutTimeoutMs + 30 * 60 * 1000);
    return run;
  }

  /** What the browser does next for a run: show the run page, or (all settled) finish. */
  advance(run: LogoutRun): { kind: 'run'; run: LogoutRun } | { kind: 'deliver'; context: BindingContext; run: LogoutRun } {
    if (run.targets.length === 0 && run.initiator) return { kind: 'deliver', context: this.finish(run)!, run };
    return { kind: 'run', run };
  }

  /** The browser (iframe) or the headless front channel picked up target `index`'s LogoutRequest. */
  markSent(run: LogoutRun, index: number): LogoutTarget | undefined {
    const t = run.targets[index];
    if (!t || run.finished) return undefined;
    if (t.state === 'pending') t.state = 'sent';
    return t;
  }

  /** The sandbox refused to deliver target `index`'s LogoutRequest (detail says why). */
  fail(run: LogoutRun, index: number, detail: string): void {
    const t = run.targets[index];
    if (t) this.settle(run, t, 'error', detail);
  }

  /**
   * The headless front channel got no LogoutResponse that counts from the service: what MPass's iframe
   * would end with too, so the same verdict (timeout), with what the service did instead as detail.
   */
  noAnswer(run: LogoutRun, index: number, detail: string): void {
    const t = run.targets[index];
    if (t) this.timeout(run, t, detail);
  }

  /** Settle the targets still waiting as timed out once the deadline passed. */
  expire(run: LogoutRun): void {
    if (this.deps.clock.nowMs() < run.deadline) return;
    for (const t of run.targets) if (t.state === 'pending' || t.state === 'sent') this.timeout(run, t, `no LogoutResponse within ${this.deps.config.logoutTimeoutMs} ms`);
  }

  allSettled(run: LogoutRun): boolean {
    return run.targets.every((t) => t.state !== 'pending' && t.state !== 'sent');
  }

  /**
   * End the MPass session; for a service-initiated logout, the signed LogoutResponse to its registered
   * LogoutResponse URL: Success, or Success + PartialLogout when a service failed or timed out.
   */
  finish(run: LogoutRun): BindingContext | undefined {
    for (const t of run.targets) if (t.state === 'pending' || t.state === 'sent') this.timeout(run, t, `no LogoutResponse before the logout finished (timeout ${this.deps.config.logoutTimeoutMs} ms)`);
    const partial = run.targets.some((t) => t.state !== 'answered');
    run.result = partial ? { code: STATUS.Success, subCode: STATUS.PartialLogout, message: `Not every service confirmed the logout: ${run.targets.filter((t) => t.state !== 'answered').map((t) => `${t.issuer} (${t.state})`).join(', ')}` } : { code: STATUS.Success };
    if (!run.finished) {
      run.finished = true;
      this.idp.sessions.end(run.sessionId);
      this.deps.events.add({ protocol: 'mpass', direction: 'internal', message: 'SingleLogout', verdict: 'info', service: run.initiator?.issuer, summary: `${partial ? 'PartialLogout' : 'Success'}: ${run.targets.map((t) => `${t.issuer}=${t.state}`).join(', ') || 'no other services'}` });
    }
    if (!run.initiator) return undefined;
    const service = this.deps.registry.get(run.initiator.serviceId);
    if (!service?.mpass) return undefined;
    return this.logoutResponse(service, run.initiator.requestId, run.initiator.relayState, run.result);
  }

  private logoutResponse(service: Service, inResponseTo: string, relayState: string | undefined, status: Status): BindingContext {
    const { pki, clock, events } = this.deps;
    const id = newSamlId();
    const xml = renderLogoutResponse({ id, inResponseTo, issueInstant: clock.now().toISOString(), destination: service.mpass!.logoutResponseUrl, issuer: this.idp.entityId, status });
    const out = outgoing('HTTP-POST', service.mpass!.logoutResponseUrl, { param: 'SAMLResponse', root: 'LogoutResponse', id, xml, relayState }, signingPlan([], { now: clock.now(), compatibleKey: pki.idpCompatible }, { key: pki.idp, signAssertion: false }));
    events.add({ protocol: 'mpass', direction: 'out', message: 'LogoutResponse', verdict: 'sent', service: service.mpass!.issuer, binding: out.binding, xml: out.xml, summary: `${status.code.split(':').pop()}${status.subCode ? `/${status.subCode.split(':').pop()}` : ''} → ${service.mpass!.logoutResponseUrl}` });
    return out.context;
  }

  private timeout(run: LogoutRun, t: LogoutTarget, detail: string): void {
    if (!this.settle(run, t, 'timeout', detail)) return;
    t.causes = TIMEOUT_CAUSES;
    this.deps.events.add({
      protocol: 'mpass',
      direction: 'in',
      message: 'LogoutResponse',
      verdict: 'rejected',
      service: t.issuer,
      rejection: { code: 'ERR_LOGOUT_TIMEOUT', where: 'LogoutResponse', message: `${t.issuer} did not answer LogoutRequest ${t.requestId}: ${detail}.`, expected: `a signed LogoutResponse at ${this.idp.sloUrl}`, fix: `Likely causes: ${TIMEOUT_CAUSES.map((c, i) => `(${i + 1}) ${c}`).join('; ')}.` },
    });
  }

  /** The one transition of a target: pending|sent → answered|error|timeout, once; the rest is refused and logged. */
  private settle(run: LogoutRun, t: LogoutTarget, state: Exclude<TargetState, 'pending' | 'sent'>, detail?: string, status?: string): boolean {
    if ((t.state !== 'pending' && t.state !== 'sent') || run.finished) {
      this.deps.events.add({ protocol: 'mpass', direction: 'internal', message: 'SingleLogout', verdict: 'info', service: t.issuer, summary: `refused: ${t.issuer} is already ${run.finished ? 'part of a finished logout' : t.state}; ${state} ignored` });
      return false;
    }
    t.state = state;
    t.detail = detail;
    t.status = status;
    t.settledAt = new Date(this.deps.clock.nowMs()).toISOString();
    return true;
  }
}

export function runView(run: LogoutRun) {
  return {
    id: run.id,
    nameId: run.nameId,
    initiator: run.initiator ? { issuer: run.initiator.issuer, logoutRequestId: run.initiator.requestId } : null,
    startedAt: new Date(run.startedAt).toISOString(),
    deadline: new Date(run.deadline).toISOString(),
    finished: run.finished,
    result: run.result ?? null,
    targets: run.targets.map(({ serviceId, issuer, name, requestId, destination, state, status, detail, causes, settledAt }) => ({ serviceId, issuer, name, requestId, destination, state, status, detail, causes, settledAt })),
  };
}
