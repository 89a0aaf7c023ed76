// Automation API for end-to-end suites: events, faults, scripted outcomes, clock, sessions, reset.
import { Router } from 'express';
import { SandboxError, ValidationError, type Rejection } from '../errors.js';
import { describeFaults, FAULTS } from '../mpass/faults.js';
import type { SsoSession } from '../mpass/sessions.js';
import type { Sandbox } from '../sandbox.js';
import { openApi } from './openapi.js';

/**
 * A session as the API shows it. Never `id`: that is the `mpass_sso` cookie value, and replaying it logs in as
 * the person. The public handle is the SessionIndex (MPASS.md §5.3), which services already receive.
 */
export function sessionView(s: SsoSession) {
  return {
    sessionIndex: s.sessionIndex,
    nameId: s.nameId,
    persona: { idnp: s.persona.idnp, firstName: s.persona.firstName, lastName: s.persona.lastName },
    authnInstant: new Date(s.authnInstant).toISOString(),
    notOnOrAfter: new Date(s.notOnOrAfter).toISOString(),
    // The session keeps `at` as epoch ms (issue 12 §3); the API has always shown ISO 8601.
    participants: s.participants.map((p) => ({ serviceId: p.serviceId, issuer: p.issuer, nameId: p.nameId, sessionIndex: p.sessionIndex, at: new Date(p.at).toISOString() })),
  };
}

/** The live session with this SessionIndex, or a 404 naming it. Cookie values are never accepted here. */
export function sessionBySessionIndex(sb: Sandbox, sessionIndex: string): SsoSession {
  const s = sb.mpass.sessions.bySessionIndex(sessionIndex);
  if (!s) throw new SandboxError(404, { code: 'ERR_SESSION_NOT_FOUND', where: 'sessionIndex', message: 'No live session has this SessionIndex.', found: sessionIndex, fix: 'List live sessions with GET /api/sessions and use their sessionIndex.' });
  return s;
}

export function apiRoutes(sb: Sandbox): Router {
  const r = Router();
  const { mpass, clock, events } = sb;

  r.get('/api/events', (req, res) => {
    const limit = Math.min(1000, Math.max(1, Number(req.query.limit) || 100));
    const protocol = typeof req.query.protocol === 'string' ? req.query.protocol : undefined;
    res.json(events.list(limit, protocol ? (e) => e.protocol === protocol : undefined));
  });
  r.get('/api/openapi.json', (_req, res) => {
    res.json(openApi(sb.config.publicUrl));
  });
  r.get('/api/faults', (_req, res) => {
    res.json(describeFaults());
  });

  r.post('/api/script', (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const problems: Rejection[] = [];
    const p = (where: string, message: string, fix: string) => problems.push({ code: 'ERR_INVALID_FIELD', where, message, fix });
    const service = typeof b.issuer === 'string' ? sb.registry.byMPassIssuer(b.issuer) : undefined;
    if (!service) p('issuer', 'No registered MPass service has this issuer.', 'Send the issuer (entity ID) of a registered service: GET /api/services.');
    const faultList = (where: string, applies: 'response' | 'logout-request') => {
      const v = b[where];
      if (v === undefined) return [];
      if (!Array.isArray(v)) {
        p(where, 'Expected a list of fault ids.', 'See GET /api/faults.');
        return [];
      }
      for (const f of v) if (!FAULTS.some((x) => x.id === f && x.applies === applies)) p(where, `Unknown ${applies === 'response' ? 'Response' : 'LogoutRequest'} fault "${String(f)}".`, `Use an id from GET /api/faults whose appliesTo is ${applies === 'response' ? 'Response' : 'LogoutRequest'}.`);
      return v as string[];
    };
    const faults = faultList('faults', 'response');
    const logoutFaults = faultList('logoutFaults', 'logout-request');
    // A script may only shape the service's next single logout: {"issuer", "logoutFaults": [...]}.
    const logoutOnly = b.logoutFaults !== undefined && b.persona === undefined && b.outcome === undefined && b.faults === undefined;
    const outcome = b.outcome ?? 'success';
    if (outcome !== 'success' && outcome !== 'cancel') p('outcome', 'Expected success or cancel.', 'Send "outcome": "success" or "cancel".');
    if (!logoutOnly && outcome === 'success' && !mpass.persona(typeof b.persona === 'string' ? b.persona : undefined)) p('persona', 'No test identity has this IDNP.', 'Send the IDNP of a persona: GET /api/personas.');
    const times = b.times ?? 1;
    if (!Number.isInteger(times) || (times as number) < 1 || (times as number) > 10000) p('times', 'Expected a whole number from 1 to 10000.', 'Send "times": 1.');
    if (problems.length) throw new ValidationError(problems);
    const issuer = service!.mpass!.issuer;
    if (logoutFaults.length) mpass.addLogoutScript({ issuer, faults: logoutFaults, remaining: times as number });
    if (logoutOnly) {
      res.status(201).json({ issuer, logoutFaults, remaining: times });
      return;
    }
    const script = mpass.addScript({ issuer, persona: String(b.persona ?? ''), outcome: outcome as 'success', faults, times: times as number });
    res.status(201).json({ ...script, ...(logoutFaults.length ? { logoutFaults } : {}) });
  });
  r.get('/api/script', (_req, res) => {
    res.json({ logins: mpass.scripts, logouts: mpass.logoutScripts });
  });

  r.get('/api/clock', (_req, res) => {
    res.json({ now: clock.now().toISOString(), ...clock.state() });
  });
  r.put('/api/clock', (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    if (typeof b.offsetSeconds === 'number' && Number.isFinite(b.offsetSeconds) && Math.abs(b.offsetSeconds) <= 10 * 365 * 86400) clock.setOffset(b.offsetSeconds);
    else if (typeof b.frozenAt === 'string' && !Number.isNaN(Date.parse(b.frozenAt))) clock.freeze(new Date(b.frozenAt));
    else throw new ValidationError([{ code: 'ERR_INVALID_FIELD', where: 'offsetSeconds|frozenAt', message: 'Send a number of seconds to shift the sandbox clock, or an ISO time to freeze it at.', fix: 'PUT {"offsetSeconds": 10800} or {"frozenAt": "2026-01-31T10:00:00Z"}.' }]);
    res.json({ now: clock.now().toISOString(), ...clock.state() });
  });
  r.delete('/api/clock', (_req, res) => {
    clock.reset();
    res.json({ now: clock.now().toISOString(), ...clock.state() });
  });

  r.get('/api/sessions', (_req, res) => {
    res.json(mpass.sessions.list().map(sessionView));
  });
  r.get('/api/sessions/:sessionIndex', (req, res) => {
    res.json(sessionView(sessionBySessionIndex(sb, String(req.params.sessionIndex))));
  });
  // Ends the session at the sandbox only, as an expiry would: no service is told (that is POST …/logout).
  r.delete('/api/sessions/:sessionIndex', (req, res) => {
    const s = sessionBySessionIndex(sb, String(req.params.sessionIndex));
    mpass.sessions.end(s.id);
    res.status(204).end();
  });

  r.post('/api/reset', async (req, res) => {
    mpass.sessions.clear();
    mpass.pending.clear();
    mpass.clearScripts();
    sb.slo.runs.clear();
    sb.msign.reset();
    clock.reset();
    events.clear();
    const dropped = req.query.registry === 'true' ? await sb.registry.dropApiRegistrations() : 0;
    res.json({ reset: true, droppedRegistrations: dropped });
  });
  return r;
}
