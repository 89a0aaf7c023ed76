// The MSign data contract (MSIGN.md §3.3–3.4) as data: one table drives the envelope parser, the
// serializer and the WSDL, so member order, occurrence and nillability are written down once.
export const MSIGN_NS = 'https://msign.gov.md';
export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

export type Scalar = 'string' | 'int' | 'boolean' | 'base64Binary' | 'dateTime';

export interface Member {
  name: string;
  type: string; // a Scalar, an enum name, a complex type name or an ArrayOf… name
  /** IsRequired=true → minOccurs 1 */
  req: boolean;
  nil: boolean;
  /** WCF EmitDefaultValue=false: omitted when null/default */
  edvFalse?: boolean;
  max?: number;
  /** Undecodable base64 is not a fault here: it is simply not a valid signature (the published sample carries `PD94… `). */
  lenient?: boolean;
}

export const ENUMS: Record<string, Array<[string, number]>> = {
  ContentType: [['Hash', 1], ['Pdf', 2]],
  SignStatus: [['Pending', 0], ['Success', 1], ['Failure', 2], ['Expired', 3]],
  DelegatorType: [['None', 0], ['Person', 1], ['Organization', 2]],
};

const m = (name: string, type: string, req: boolean, nil: boolean, extra: Partial<Member> = {}): Member => ({ name, type, req, nil, ...extra });

/** Complex types, members in WSDL (alphabetical) order. */
export const TYPES: Record<string, Member[]> = {
  SignRequest: [
    m('ContentDescription', 'string', false, true, { edvFalse: true, max: 512 }),
    m('ContentType', 'ContentType', true, false),
    m('Contents', 'ArrayOfSignContent', true, true),
    m('ExpectedSigner', 'ExpectedSigner', false, true, { edvFalse: true }),
    m('ShortContentDescription', 'string', true, true, { max: 90 }),
    m('SignatureReason', 'string', false, true, { edvFalse: true, max: 255 }),
  ],
  SignContent: [
    m('Content', 'base64Binary', true, true),
    m('CorrelationID', 'string', false, true, { edvFalse: true, max: 36 }),
    m('MultipleSignatures', 'boolean', false, false, { edvFalse: true }),
    m('Name', 'string', false, true, { max: 256 }),
  ],
  ExpectedSigner: [
    m('DelegatedRoleID', 'int', false, false, { edvFalse: true }),
    m('DelegatorID', 'string', false, true, { edvFalse: true }),
    m('DelegatorType', 'DelegatorType', false, false, { edvFalse: true }),
    m('ID', 'string', true, true),
  ],
  SignResponse: [
    m('Message', 'string', false, true, { max: 100 }),
    m('Results', 'ArrayOfSignResult', true, true),
    m('Status', 'SignStatus', true, false),
  ],
  SignResult: [
    m('Certificate', 'base64Binary', false, true, { edvFalse: true }),
    m('CorrelationID', 'string', false, true, { edvFalse: true, max: 36 }),
    m('Signature', 'base64Binary', false, true, { edvFalse: true }),
  ],
  VerificationRequest: [
    m('Contents', 'ArrayOfVerificationContent', true, true),
    m('Language', 'string', false, true, { edvFalse: true, max: 2 }),
    m('SignedContentType', 'ContentType', true, false),
  ],
  VerificationContent: [
    m('Content', 'base64Binary', false, true, { edvFalse: true }),
    m('CorrelationID', 'string', false, true, { edvFalse: true, max: 36 }),
    m('Signature', 'base64Binary', true, true, { lenient: true }),
  ],
  VerificationResponse: [m('Results', 'ArrayOfVerificationResult', true, true)],
  VerificationResult: [
    m('Certificates', 'ArrayOfVerificationCertificate', false, true, { edvFalse: true }),
    m('CorrelationID', 'string', false, true, { edvFalse: true, max: 36 }),
    m('Message', 'string', true, true, { max: 100 }),
    m('SignaturesValid', 'boolean', true, false),
  ],
  VerificationCertificate: [
    m('Certificate', 'base64Binary', true, true),
    m('SignatureValid', 'boolean', true, false),
    m('SignedAt', 'dateTime', false, true, { edvFalse: true }),
    m('Subject', 'string', true, true, { max: 250 }),
  ],
};

/** WCF collection contracts: ArrayOfX holds X items. */
export const ARRAYS: Record<string, string> = {
  ArrayOfSignContent: 'SignContent',
  ArrayOfSignResult: 'SignResult',
  ArrayOfVerificationContent: 'VerificationContent',
  ArrayOfVerificationResult: 'VerificationResult',
  ArrayOfVerificationCertificate: 'VerificationCertificate',
};

export interface Operation {
  name: 'PostSignRequest' | 'GetSignResponse' | 'VerifySignatures';
  action: string;
  replyAction: string;
  /** wrapper children (parameters): WCF makes them minOccurs 0, nillable */
  params: Member[];
  result: Member;
}

const op = (name: Operation['name'], params: Member[], resultType: string): Operation => ({
  name,
  action: `${MSIGN_NS}/IMSign/${name}`,
  replyAction: `${MSIGN_NS}/IMSign/${name}Response`,
  params,
  result: m(`${name}Result`, resultType, false, true),
});

export const OPERATIONS: Operation[] = [
  op('PostSignRequest', [m('request', 'SignRequest', false, true)], 'string'),
  op('GetSignResponse', [m('requestID', 'string', false, true), m('language', 'string', false, true)], 'SignResponse'),
  op('VerifySignatures', [m('request', 'VerificationRequest', false, true)], 'VerificationResponse'),
];

export const isScalar = (t: string): t is Scalar => ['string', 'int', 'boolean', 'base64Binary', 'dateTime'].includes(t);
