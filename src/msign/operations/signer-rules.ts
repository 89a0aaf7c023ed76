// Who may sign a request: the registered signer type (natural / legal / both) and ExpectedSigner
// (IDNP, delegation) checked against the signing identity. Pure: returns a failure message or null.
import { idnoOfLegalEntity } from '../../personas.js';
import type { SignerType } from '../../registry/service.js';
import type { LocalizedMessage } from '../messages.js';
import type { SigningIdentity, SignerKind } from '../signing/identities.js';
import type { SignRequest } from '../types.js';

/** The signer kind a request can only be satisfied by, if any. */
export function requiredSignerKind(r: SignRequest): SignerKind | undefined {
  const es = r.expectedSigner;
  if (!es) return undefined;
  if (es.delegatorType === 'Organization') return 'legal';
  return 'natural';
}

export const kindAllowed = (registered: SignerType, kind: SignerKind): boolean => registered === 'both' || registered === kind;

export function checkSigner(r: SignRequest, registered: SignerType, id: SigningIdentity): LocalizedMessage | null {
  if (!kindAllowed(registered, id.kind)) return { key: registered === 'natural' ? 'signerTypeNatural' : 'signerTypeLegal' };
  const es = r.expectedSigner;
  if (!es) return null;
  if (es.id && es.id !== id.persona.idnp) return { key: 'wrongSigner', params: { found: id.persona.idnp, expected: es.id } };
  if (es.delegatorType === 'Organization') {
    const administers = id.persona.administeredLegalEntities.some((e) => idnoOfLegalEntity(e) === es.delegatorId);
    if (id.kind !== 'legal' || id.idno !== es.delegatorId || !administers) return { key: 'delegation', params: { delegator: es.delegatorId ?? '' } };
  }
  if (es.delegatorType === 'Person' && es.delegatorId !== id.persona.idnp) {
    // The sandbox knows no person-to-person mandates (MPower is not simulated).
    return { key: 'delegation', params: { delegator: es.delegatorId ?? '' } };
  }
  return null;
}
