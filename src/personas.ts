// Test identities (fixtures/personas.json): who can log in on the MPass page and sign on the MSign page.
import fs from 'node:fs';
import path from 'node:path';
import type { StandardAttribute } from './registry/service.js';

export interface Persona {
  idnp: string;
  /** NameID when it is not the IDNP (an MPass username, MPASS.md §5.2) */
  nameId?: string;
  firstName: string;
  lastName: string;
  birthDate: string;
  gender: 0 | 1 | 2;
  isResident: boolean;
  emailAddress?: string;
  mobilePhone?: string;
  homePhone?: string;
  language: 'ro' | 'ru' | 'en';
  /** "<Legal Entity Name> <IDNO>" — the IDNO after the last space */
  administeredLegalEntities: string[];
  /** Set when the person authenticated with a legal-person instrument */
  idno?: string;
  companyName?: string;
  label?: string;
}

export function loadPersonas(fixturesDir: string): Persona[] {
  const file = path.join(fixturesDir, 'personas.json');
  const list = JSON.parse(fs.readFileSync(file, 'utf8')) as Persona[];
  const seen = new Set<string>();
  for (const p of list) {
    if (!/^\d{13}$/.test(p.idnp)) throw new Error(`${file}: persona ${p.firstName} ${p.lastName}: idnp must be 13 digits`);
    if (seen.has(p.idnp)) throw new Error(`${file}: duplicate idnp ${p.idnp}`);
    seen.add(p.idnp);
  }
  return list;
}

export const nameIdOf = (p: Persona): string => p.nameId ?? p.idnp;

/** Values of a standard attribute for a persona (MPASS.md §5.1); empty when the persona has none. */
export function standardAttributeValues(p: Persona, name: StandardAttribute): string[] {
  const one = (v: string | undefined) => (v === undefined || v === '' ? [] : [v]);
  switch (name) {
    case 'IsResident':
      return [String(p.isResident)];
    case 'FirstName':
      return one(p.firstName);
    case 'LastName':
      return one(p.lastName);
    case 'BirthDate':
      return one(p.birthDate);
    case 'Gender':
      return [String(p.gender)];
    case 'EmailAddress':
      return one(p.emailAddress);
    case 'MobilePhone':
      return one(p.mobilePhone);
    case 'HomePhone':
      return one(p.homePhone);
    case 'Language':
      return one(p.language);
    case 'AdministeredLegalEntity':
      return p.administeredLegalEntities;
    case 'IDNO':
      return one(p.idno);
    case 'CompanyName':
      return one(p.companyName);
  }
}

/** IDNO of "<Legal Entity Name> <IDNO>" (after the last space). */
export const idnoOfLegalEntity = (entity: string): string => entity.slice(entity.lastIndexOf(' ') + 1);
