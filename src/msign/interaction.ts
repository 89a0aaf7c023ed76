// The signing page as an interaction (node-oidc-provider's pattern, ARCHITECTURE.md): given what the
// browser sent, the MSign core says what to show — the form, with a problem or not; the request is not
// available; or where to post the result — and performs what a posted form asks (sign, cancel).
// src/http/msign-routes.ts only reads the request and renders what this returns (MSIGN.md §5).
import type { Service } from '../registry/service.js';
import type { LocalizedMessage } from './messages.js';
import type { SigningIdentity } from './signing/identities.js';
import type { SignRequestRecord, SignStatus } from './store.js';

export const INSTRUMENTS = ['mobile', 'moldsign', 'nationalid', 'securesign', 'tax', 'mobisign'] as const;

/** A problem with what the page posted; the page shows it beside the form (ro/ru/en texts: sign.<key>). */
export type PageProblem = 'returnUrlMissing' | 'needMsisdn' | 'badMsisdn' | 'choosePersona' | 'badIdnp';

/** An auto-posted or button-posted form to the e-Service's ReturnUrl (MSIGN.md §5.2). */
export interface ReturnPost {
  action: string;
  fields: Record<string, string>;
}

export interface SigningForm {
  rec: SignRequestRecord;
  service?: Service;
  identities: SigningIdentity[];
  instruments: readonly string[];
  instrument?: string;
  returnUrl?: string;
  relayState?: string;
  msisdn: string;
  idnp: string;
  /** The posted or expected signer to preselect. */
  selected: string;
  /** The page parameters a reload (e.g. a language link) keeps, even when the e-Service opened it with a POST. */
  keep: Record<string, string>;
}

export type SigningInteraction =
  | { kind: 'unavailable'; requestId: string; status?: SignStatus }
  | { kind: 'form'; form: SigningForm; problem?: PageProblem }
  | { kind: 'return'; post: ReturnPost }
  | { kind: 'failed'; reason: LocalizedMessage; post: ReturnPost }
  /** A sign or cancel that did not come from a page the sandbox showed for this request (no page token). */
  | { kind: 'refused'; requestId: string };

export interface PageInput {
  requestId: string;
  /** Whether the browser posted the form (a GET, or a POST without an action, only shows it). */
  posted: boolean;
  /** Query and form parameters, names lower-cased ([LIB] sends returnUrl, the docs ReturnUrl, §5.1). */
  params: Record<string, string>;
  /** Whether the posted pageToken is one the sandbox issued for this request's page (src/msign/page-token.ts). */
  pageTokenValid: boolean;
}

/** What the interaction needs from the MSign core. */
export interface InteractionCore {
  get(requestId: string): SignRequestRecord | undefined;
  service(rec: SignRequestRecord): Service | undefined;
  identitiesFor(rec: SignRequestRecord): SigningIdentity[];
  identityFromForm(rec: SignRequestRecord, value: string): SigningIdentity | undefined;
  /** Sign; the outcome that stands: null for Success, else the reason of the Failure or Expiry. */
  sign(rec: SignRequestRecord, id: SigningIdentity): Promise<LocalizedMessage | null>;
  /** Cancel; the outcome that stands (null: the request had already been signed in another tab). */
  cancel(rec: SignRequestRecord): LocalizedMessage | null;
}

function absoluteUrl(v: string | undefined): string | undefined {
  if (!v) return undefined;
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

export async function signingInteraction(core: InteractionCore, input: PageInput): Promise<SigningInteraction> {
  const p = input.params;
  const rec = core.get(input.requestId);
  if (!rec || rec.status !== 'Pending') return { kind: 'unavailable', requestId: input.requestId, status: rec?.status };
  const returnUrl = absoluteUrl(p.returnurl);
  const relayState = p.relaystate;
  const instrument = (INSTRUMENTS as readonly string[]).includes((p.instrument ?? '').toLowerCase()) ? p.instrument!.toLowerCase() : undefined;
  const keep: Record<string, string> = {};
  if (returnUrl) keep.ReturnUrl = returnUrl;
  if (relayState !== undefined) keep.RelayState = relayState;
  if (instrument) keep.Instrument = instrument;
  if (p.msisdn) keep.MSISDN = p.msisdn;
  const form: SigningForm = {
    rec,
    service: core.service(rec),
    identities: core.identitiesFor(rec),
    instruments: INSTRUMENTS,
    instrument,
    returnUrl,
    relayState,
    msisdn: p.msisdn ?? '',
    idnp: p.idnp ?? rec.request.expectedSigner?.id ?? '',
    selected: p.persona ?? rec.request.expectedSigner?.id ?? '',
    keep,
  };
  const show = (problem?: PageProblem): SigningInteraction => ({ kind: 'form', form, problem });
  if (!returnUrl) return show('returnUrlMissing');
  const action = p.action;
  if (!input.posted || (action !== 'sign' && action !== 'cancel')) return show();
  // Only the browser that was shown this request's page may sign or cancel it (a RequestID alone is not enough).
  if (!input.pageTokenValid) return { kind: 'refused', requestId: rec.id };

  const post: ReturnPost = { action: returnUrl, fields: { RequestID: rec.id, ...(relayState !== undefined ? { RelayState: relayState } : {}) } };
  const finished = (outcome: LocalizedMessage | null): SigningInteraction => (outcome ? { kind: 'failed', reason: outcome, post } : { kind: 'return', post });
  if (action === 'cancel') return finished(core.cancel(rec));

  // Mobile signature identifies the signer by IDNP + MSISDN instead of a chosen persona (§5.1).
  const mobile = instrument === 'mobile' || instrument === 'mobisign';
  let chosen = p.persona;
  // A mobile signature is confirmed on the phone: without the number there is nothing to sign with.
  if (mobile && !p.msisdn?.trim()) return show('needMsisdn');
  if (mobile && p.idnp) {
    if (!/^\d{8,15}$/.test(p.msisdn ?? '')) return show('badMsisdn');
    chosen = p.idnp;
  }
  if (!chosen) return show('choosePersona');
  const identity = core.identityFromForm(rec, chosen);
  if (!identity) return show('badIdnp');
  return finished(await core.sign(rec, identity));
}
