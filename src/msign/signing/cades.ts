// The CMS inside a PAdES-B-T signature (ETSI EN 319 142-1 §6.3, SubFilter ETSI.CAdES.detached):
// detached SignedData whose signed attributes are contentType, messageDigest and the ESS
// signing-certificate-v2 (RFC 5035) — no signing-time attribute, PAdES takes the claimed time from the
// signature dictionary's /M — and whose unsigned attribute id-aa-signatureTimeStampToken is an RFC 3161
// token from the sandbox TSA over the signature value (RFC 3161 Appendix A). forge's PKCS#7 writer can
// add neither attribute, so the structure is assembled from its ASN.1 toolkit and signed with node:crypto.
import crypto from 'node:crypto';
import { Signer } from '@signpdf/signpdf';
import type { KeyPair } from '../../pki/certificates.js';
import { privateKeyOf, x509Of } from '../../pki/parsed.js';
import { algId, asn1, attribute, der, explicit, fromDer, int, issuerAndSerialOf, octets, OID, oid, seq, set, signingCertificateV2, sortedSet } from './cms.js';
import { createTimestampToken } from './tsa.js';

export interface CadesInput {
  content: Buffer;
  signer: KeyPair;
  /** Issuer certificates to embed after the signer's (PEM). */
  chain: string[];
  tsa: KeyPair;
  at: Date;
}

export function cadesDetached(input: CadesInput): Buffer {
  const signerDer = x509Of(input.signer.certificatePem).raw;
  const { issuer, serial, node: certNode } = issuerAndSerialOf(signerDer);
  const signedAttrs = sortedSet([
    attribute(OID.contentType, [oid(OID.data)]),
    attribute(OID.messageDigest, [octets(crypto.createHash('sha256').update(input.content).digest())]),
    signingCertificateV2(signerDer),
  ]);
  // The signature covers the DER of the attributes as a SET (RFC 5652 §5.4).
  const signature = crypto.sign('sha256', der(set(signedAttrs)), privateKeyOf(input.signer.privateKeyPem));
  const token = createTimestampToken(signature, input.tsa, input.at);
  const signerInfo = seq([
    int('01'),
    seq([issuer, serial]),
    algId(OID.sha256),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, signedAttrs),
    algId(OID.rsaEncryption),
    octets(signature),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 1, true, [attribute(OID.signatureTimeStampToken, [fromDer(token)])]),
  ]);
  const certificates = [certNode, ...input.chain.map((p) => fromDer(x509Of(p).raw))];
  const signedData = seq([
    int('01'),
    set([algId(OID.sha256)]),
    seq([oid(OID.data)]),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, certificates),
    set([signerInfo]),
  ]);
  return der(seq([oid(OID.signedData), explicit(0, [signedData])]));
}

/** The @signpdf Signer that SignPdf calls with the ByteRange-covered bytes. */
export class CadesSigner extends Signer {
  constructor(private readonly input: Omit<CadesInput, 'content'>) {
    super();
  }

  override async sign(pdfBuffer: Buffer): Promise<Buffer> {
    return cadesDetached({ ...this.input, content: pdfBuffer });
  }
}
