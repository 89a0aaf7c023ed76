// Who may sign a request and as whom (MSIGN.md §6, §4.2): the identities the signing page offers, the
// identity a posted value stands for, and the reason a chosen identity cannot sign. Pure over the
// personas and the registration.
import type { Persona } from '../personas.js';
import type { SignerType } from '../registry/service.js';
import type { LocalizedMessage } from './messages.js';
import { checkSigner, kindAllowed } from './operations/signer-rules.js';
import { canSignAsLegal, type SignerKind, type SigningIdentity } from './signing/identities.js';
import type { SignRequest } from './types.js';

/** The identities the signing page offers for this request (only the allowed signer kinds). */
export function identitiesFor(personas: readonly Persona[], request: SignRequest, registered: SignerType): SigningIdentity[] {
  const out: SigningIdentity[] = [];
  for (const p of personas) {
    if (kindAllowed(registered, 'natural') && request.expectedSigner?.delegatorType !== 'Organization') out.push({ persona: p, kind: 'natural' });
    if (kindAllowed(registered, 'legal') && canSignAsLegal(p)) out.push({ persona: p, kind: 'legal', idno: p.idno, organisation: `${p.companyName} ${p.idno}` });
  }
  return out;
}

/** The identity of a persona; default kind from the registration and the request. */
export function identityOf(persona: Persona, request: SignRequest, registered: SignerType, as?: SignerKind): SigningIdentity {
  const kind: SignerKind = as ?? (registered === 'legal' || request.expectedSigner?.delegatorType === 'Organization' ? 'legal' : 'natural');
  return kind === 'legal' ? { persona, kind, idno: persona.idno, organisation: persona.idno ? `${persona.companyName} ${persona.idno}` : undefined } : { persona, kind };
}

/**
 * The identity a posted value stands for: "IDNP", or "IDNP@IDNO" to sign for an organisation. A forced IDNO
 * that is not the persona's stays as posted, so signing ends in Failure (signerProblem). Undefined: no such IDNP.
 */
export function identityFromValue(personas: readonly Persona[], request: SignRequest, registered: SignerType, value: string): SigningIdentity | undefined {
  const [idnp, idno] = value.split('@');
  const persona = personas.find((p) => p.idnp === idnp);
  if (!persona) return undefined;
  return idno ? { persona, kind: 'legal', idno, organisation: `${persona.companyName} ${idno}` } : identityOf(persona, request, registered);
}

/** Why this identity cannot sign this request, or null. */
export function signerProblem(request: SignRequest, registered: SignerType, id: SigningIdentity): LocalizedMessage | null {
  const problem = checkSigner(request, registered, id);
  if (problem) return problem;
  // A person without a legal-person instrument cannot produce an organisation signature.
  if (id.kind === 'legal' && (!canSignAsLegal(id.persona) || id.idno !== id.persona.idno)) return registered === 'legal' ? { key: 'signerTypeLegal' } : { key: 'delegation', params: { delegator: id.idno ?? '' } };
  return null;
}
