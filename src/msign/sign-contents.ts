// Building the signatures of a request (MSIGN.md §6): XAdES-T for Hash contents, PAdES-B-T for Pdf
// contents, each time-stamped by the sandbox TSA. No decisions: who signs was settled before.
import type { KeyPair } from '../pki/certificates.js';
import { x509Of } from '../pki/parsed.js';
import type { SignResultRecord } from './store.js';
import { signHashXadesT } from './signing/xades.js';
import type { SignRequest } from './types.js';

export interface SigningMaterial {
  signer: KeyPair;
  /** The issuer (qualified signing CA) certificate embedded after the signer's in PAdES. */
  chain: string[];
  tsa: KeyPair;
  signerName: string;
}

export async function signContents(request: SignRequest, m: SigningMaterial, at: Date): Promise<SignResultRecord[]> {
  const certificate = x509Of(m.signer.certificatePem).raw;
  const results: SignResultRecord[] = [];
  for (let i = 0; i < request.contents.length; i++) {
    const c = request.contents[i]!;
    const signature =
      request.contentType === 'Hash'
        ? signHashXadesT({ hash: c.content, index: i + 1, signer: m.signer, tsa: m.tsa, at })
        : // loaded on first use: pdf-lib and @signpdf are the heaviest modules, start-up should not pay for them
          await (await import('./signing/pades.js')).signPdfPades({ pdf: c.content, signer: m.signer, chain: m.chain, tsa: m.tsa, signerName: m.signerName, reason: request.signatureReason, at });
    results.push({ correlationId: c.correlationId, certificate, signature });
  }
  return results;
}
