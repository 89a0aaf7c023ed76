// The data the MPass login modules hand each other and the HTTP layer.
import type { Lang } from '../../lang.js';
import type { Persona } from '../../personas.js';
import type { Service } from '../../registry/service.js';
import type { Binding, BindingContext } from '../bindings.js';
import type { AuthnRequest } from '../messages/authn-request.js';
import type { SsoSession } from '../sessions.js';

/** A service registered for MPass (its `mpass` part present). */
export type MPassService = Service & { mpass: NonNullable<Service['mpass']> };

/** An accepted AuthnRequest waiting for its answer: where and how the Response goes. */
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

/** The interaction the route renders: the login page for a pending login. */
export interface LoginPage {
  kind: 'login';
  pending: PendingLogin;
  service: Service;
}

/** The login page's answer. */
export interface LoginForm {
  pendingId?: string;
  action?: string;
  persona?: string;
  custom?: Partial<Pick<Persona, 'idnp' | 'firstName' | 'lastName' | 'birthDate'>>;
  faults?: string[];
}
