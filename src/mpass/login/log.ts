// What the login flow writes to the event log, in one place: the AuthnRequest accepted or rejected, a
// session kept or replaced, the Response sent. The modules return data; the façade logs it here.
import type { SandboxError } from '../../errors.js';
import type { EventLog } from '../../events.js';
import type { Service } from '../../registry/service.js';
import type { Outgoing } from '../bindings.js';
import type { FaultCase } from '../faults.js';
import type { ResponseSpec } from '../messages/response.js';
import type { SsoSession } from '../sessions.js';
import type { AcceptedAuthnRequest, Seen } from './accept.js';
import type { PendingLogin } from './types.js';

export class LoginLog {
  constructor(private readonly events: EventLog) {}

  accepted(a: AcceptedAuthnRequest): void {
    const { request } = a;
    this.events.add({ protocol: 'mpass', direction: 'in', message: 'AuthnRequest', verdict: 'accepted', service: request.issuer, binding: a.binding, warnings: a.warnings, xml: a.xml, summary: `ID ${request.id}${request.forceAuthn ? ', ForceAuthn' : ''}${request.isPassive ? ', IsPassive' : ''}` });
  }

  rejected(e: SandboxError, seen: Seen): void {
    this.events.add({ protocol: 'mpass', direction: 'in', message: 'AuthnRequest', verdict: 'rejected', service: seen.service?.mpass?.issuer, binding: seen.binding, rejection: e.rejection, xml: seen.xml });
  }

  /** (Re-)authentication keeps one MPass session per browser (see Sessions.authenticate): say which. */
  session(kept: 'same' | 'replaced' | 'new', session: SsoSession, service: Service): void {
    if (kept === 'new') return;
    this.events.add({
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

  responseSent(service: Service, p: PendingLogin, spec: ResponseSpec, faults: readonly FaultCase[], out: Outgoing): void {
    this.events.add({
      protocol: 'mpass',
      direction: 'out',
      message: 'Response',
      verdict: 'sent',
      service: service.mpass!.issuer,
      binding: out.binding,
      summary: `${spec.status.code.split(':').pop()}${spec.status.subCode ? `/${spec.status.subCode.split(':').pop()}` : ''} → ${p.acs}${faults.length ? ` (faults: ${faults.map((f) => f.id).join(', ')})` : ''}${out.note ? `; ${out.note}` : ''}`,
      xml: out.xml,
    });
  }
}
