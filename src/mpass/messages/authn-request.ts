// AuthnRequest as MPass reads it (MPASS.md §4.1).
import { NS, attr, firstChild } from '../../xml/parse.js';
import { issuerOf } from './common.js';

export interface AuthnRequest {
  id?: string;
  version?: string;
  issueInstant?: string;
  destination?: string;
  assertionConsumerServiceUrl?: string;
  protocolBinding?: string;
  forceAuthn: boolean;
  isPassive: boolean;
  issuer?: string;
  nameIdPolicy?: { allowCreate?: string; format?: string };
}

export function readAuthnRequest(root: Element): AuthnRequest {
  const policy = firstChild(root, NS.samlp, 'NameIDPolicy');
  return {
    id: attr(root, 'ID'),
    version: attr(root, 'Version'),
    issueInstant: attr(root, 'IssueInstant'),
    destination: attr(root, 'Destination'),
    assertionConsumerServiceUrl: attr(root, 'AssertionConsumerServiceURL'),
    protocolBinding: attr(root, 'ProtocolBinding'),
    forceAuthn: /^(true|1)$/.test(attr(root, 'ForceAuthn') ?? ''),
    isPassive: /^(true|1)$/.test(attr(root, 'IsPassive') ?? ''),
    issuer: issuerOf(root),
    nameIdPolicy: policy ? { allowCreate: attr(policy, 'AllowCreate'), format: attr(policy, 'Format') } : undefined,
  };
}
