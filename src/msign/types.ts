// The SignRequest as the operations see it after envelope parsing and validation (MSIGN.md §3.3).
export type ContentType = 'Hash' | 'Pdf';
export type DelegatorType = 'None' | 'Person' | 'Organization';

export interface SignContent {
  content: Buffer;
  correlationId: string | null;
  multipleSignatures: boolean;
  name: string | null;
}

export interface ExpectedSigner {
  id: string | null;
  delegatorType: DelegatorType;
  delegatorId: string | null;
  delegatedRoleId: number;
}

export interface SignRequest {
  contentDescription: string | null;
  contentType: ContentType;
  contents: SignContent[];
  expectedSigner: ExpectedSigner | null;
  shortContentDescription: string;
  signatureReason: string | null;
}
