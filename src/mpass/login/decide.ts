// What answers an accepted AuthnRequest or the login page's form (MPASS.md §4.1, §4.2): a login script,
// the browser's MPass session (unless ForceAuthn), NoPassive (IsPassive), or the login page. Decisions
// are data; the façade carries them out (session, Response) and the route renders the page.
import { asLang, type Lang } from '../../lang.js';
import { SandboxError } from '../../errors.js';
import type { Persona } from '../../personas.js';
import { xmlCharProblem } from '../../xml/wellformed.js';
import { BINDING_URN } from '../bindings.js';
import type { AuthnRequest } from '../messages/authn-request.js';
import { STATUS, type Status } from '../messages/common.js';
import type { SsoSession } from '../sessions.js';
import type { AcceptedAuthnRequest } from './accept.js';
import type { LoginScript } from './scripts.js';
import type { LoginForm, PendingLogin } from './types.js';

export type Decision =
  /** Success in this MPass session. */
  | { kind: 'succeed'; session: SsoSession; faults: string[] }
  /** (Re-)authenticate this person in the browser's session (or a new one), then Success. */
  | { kind: 'authenticate'; persona: Persona; current: SsoSession | undefined; faults: string[] }
  /** A non-Success status. */
  | { kind: 'fail'; status: Status; session: SsoSession | undefined; faults: string[] }
  /** Ask the user: the login page. */
  | { kind: 'ask' };

export type Answer = Exclude<Decision, { kind: 'ask' }>;

/** How long a login page waits for its answer. */
export const PENDING_LOGIN_MS = 30 * 60 * 1000;

/** Where and how the Response to an accepted request goes, and in which language the page speaks. */
export function pendingLogin(a: AcceptedAuthnRequest, id: string, opts: { address?: string; lang?: Lang }): PendingLogin {
  const { request, service } = a;
  return {
    id,
    serviceId: service.id,
    request,
    acs: request.assertionConsumerServiceUrl ?? service.mpass.assertionConsumerServiceUrl,
    responseBinding: request.protocolBinding === BINDING_URN['HTTP-Redirect'] ? 'HTTP-Redirect' : 'HTTP-POST',
    relayState: a.relayState,
    lang: opts.lang ?? langOfDestination(request.destination) ?? 'ro',
    address: opts.address,
  };
}

/**
 * An accepted AuthnRequest: the service's login script if one is queued, else the browser's session unless
 * ForceAuthn, else NoPassive for IsPassive, else the page. `currentSession` is read only where it matters.
 */
export function decideAuthnRequest(request: AuthnRequest, script: LoginScript | undefined, currentSession: () => SsoSession | undefined, persona: (idnp: string) => Persona | undefined): Decision {
  if (script) {
    if (script.outcome === 'cancel') return { kind: 'fail', status: cancelStatus(), session: undefined, faults: script.faults };
    const who = persona(script.persona)!;
    // One MPass session per browser, so scripted logins to several services share one SSO session.
    const current = currentSession();
    if (current && current.persona.idnp === who.idnp && !request.forceAuthn) return { kind: 'succeed', session: current, faults: script.faults };
    return { kind: 'authenticate', persona: who, current, faults: script.faults };
  }
  const session = currentSession();
  if (session && !request.forceAuthn) return { kind: 'succeed', session, faults: [] };
  if (request.isPassive) {
    return { kind: 'fail', status: { code: STATUS.Responder, subCode: STATUS.NoPassive, message: 'No MPass session and IsPassive="true": the user was not asked to log in.' }, session, faults: [] };
  }
  return { kind: 'ask' };
}

/** The login page's answer: Cancel, or a persona (or custom identity). Throws when the form names nobody. */
export function decideLoginForm(form: LoginForm, faults: string[], currentSession: () => SsoSession | undefined, persona: (idnp: string | undefined) => Persona | undefined): Answer {
  if (form.action === 'cancel') return { kind: 'fail', status: cancelStatus(), session: currentSession(), faults };
  let who = persona(form.persona);
  if (!who && form.custom?.idnp) who = customPersona(form.custom);
  if (!who) {
    throw new SandboxError(400, { code: 'ERR_PERSONA', where: 'persona', message: 'Choose a test identity or type a custom one (13-digit IDNP, first and last name).', found: form.persona ?? form.custom?.idnp, fix: 'Pick one of the persona buttons, or fill in the custom identity.' });
  }
  return { kind: 'authenticate', persona: who, current: currentSession(), faults };
}

/** Cancel: top-level Responder ("failure on MPass or user side", MPASS.md §4.2), second level AuthnFailed. */
function cancelStatus(): Status {
  return { code: STATUS.Responder, subCode: STATUS.AuthnFailed, message: 'The user cancelled the authentication.' };
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
