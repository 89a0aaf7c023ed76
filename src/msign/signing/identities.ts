// Signing identities: each persona gets a qualified-looking signing certificate from the sandbox's
// qualified signing CA (never from the mock-STISC CA that issues service certificates), created on first
// use and kept in CERTS_DIR (MSIGN.md §6: CN name, SERIALNUMBER IDNP, O "Org IDNO").
import type { Persona } from '../../personas.js';
import type { Pki } from '../../pki/index.js';
import type { KeyPair, SubjectField } from '../../pki/certificates.js';

export type SignerKind = 'natural' | 'legal';

export interface SigningIdentity {
  persona: Persona;
  kind: SignerKind;
  /** "<Company> <IDNO>" for legal, absent for natural */
  organisation?: string;
  idno?: string;
}

/** A persona can sign as a legal person only with a legal-person instrument (idno + companyName). */
export const canSignAsLegal = (p: Persona): boolean => !!(p.idno && p.companyName);

export function signingSubject(id: SigningIdentity): SubjectField[] {
  const p = id.persona;
  const fields: SubjectField[] = [];
  if (id.kind === 'legal') fields.push({ name: 'O', value: `${p.companyName} ${p.idno}` });
  fields.push({ name: 'C', value: 'MD' });
  fields.push({ name: '2.5.4.5', value: p.idnp });
  fields.push({ name: 'CN', value: `${p.firstName} ${p.lastName}` });
  return fields;
}

export class SigningKeys {
  constructor(private readonly pki: Pki) {}

  certificateFor(id: SigningIdentity): KeyPair {
    // "signer-…", not the "msign-signer-…" of CERTS_DIRs from before the split: those were issued by the
    // STISC CA and are left unused.
    const name = `signer-${id.persona.idnp}${id.kind === 'legal' ? `-org-${id.persona.idno}` : ''}`;
    return this.pki.keyPair(name, () => ({
      subject: signingSubject(id),
      issuer: this.pki.signingCa,
      validDays: 3650,
      keyUsage: { digitalSignature: true, nonRepudiation: true },
      extKeyUsage: { emailProtection: true },
    }));
  }

  /** The sandbox TSA (RFC 3161) that stamps XAdES-T and PAdES-B-T signatures. */
  tsa(): KeyPair {
    return this.pki.tsa;
  }
}
