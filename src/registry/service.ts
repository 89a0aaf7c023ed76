// A registered service, as the integration form describes it (README "Service registration").
export const STANDARD_ATTRIBUTES = [
  'IsResident',
  'FirstName',
  'LastName',
  'BirthDate',
  'Gender',
  'EmailAddress',
  'MobilePhone',
  'HomePhone',
  'Language',
  'AdministeredLegalEntity',
  'IDNO',
  'CompanyName',
] as const; // MPASS.md §5.1; NameIdentifier travels as Subject/NameID, not as an attribute
export type StandardAttribute = (typeof STANDARD_ATTRIBUTES)[number];

export type SignerType = 'natural' | 'legal' | 'both';

export interface Contract {
  number: string;
  date: string;
}

export interface CustomAttribute {
  name: string;
  /** values per IDNP (or NameID) of a test identity */
  values: Record<string, string[]>;
}

export interface MPassRegistration {
  contract?: Contract;
  issuer: string;
  assertionConsumerServiceUrl: string;
  logoutRequestUrl: string;
  logoutResponseUrl: string;
  attributes: StandardAttribute[];
  customAttributes: CustomAttribute[];
  signAssertion: boolean;
  /** Fault cases applied to every Response for this service (the test environment's "SAML Advanced Options"). */
  faults: string[];
}

export interface MSignRegistration {
  contract?: Contract;
  ipAddresses: string[];
  signerType: SignerType;
}

export interface Service {
  id: string;
  name: { ro: string; ru: string; en: string };
  description: string;
  contact: { name: string; email: string; phone?: string };
  /** PEM of the public certificate (.cer) */
  certificate: string;
  /** canonical upper-case hex, for MSign client-certificate lookup */
  certificateSerial: string;
  mpass?: MPassRegistration;
  msign?: MSignRegistration;
  /** `fixture` when loaded from FIXTURES_DIR/services at start-up */
  source: 'fixture' | 'api';
  createdAt: string;
  updatedAt: string;
}
