// What VerifySignatures trusts, in one place (issue 8): a signer certificate only from the qualified
// signing CA with a signing key usage, and a time-stamp only from a timeStamping certificate chained to
// the sandbox's TSA root — each valid at the time it is used. A service certificate from the mock-STISC
// CA (whose private keys /api/certificates hands out) passes neither check, so a signature or time-stamp
// anyone can make never comes back valid.
import type crypto from 'node:crypto';
import { certificateUsage, OID_TIME_STAMPING } from '../../pki/extensions.js';
import type { MessageKey } from '../messages.js';

export interface TrustAnchors {
  /** Issuer of the qualified signing certificates. */
  signingCa: crypto.X509Certificate;
  /** Root of the time-stamping authority. */
  tsaCa: crypto.X509Certificate;
}

/** Why a certificate is not trusted: an English detail for the event log and a localized message key. */
export interface Distrust {
  detail: string;
  key: MessageKey;
}

const issuedBy = (cert: crypto.X509Certificate, ca: crypto.X509Certificate): boolean => cert.checkIssued(ca) && cert.verify(ca.publicKey);

function validAt(cert: crypto.X509Certificate, at: Date): string | undefined {
  const from = new Date(cert.validFrom);
  const to = new Date(cert.validTo);
  if (at < from || at > to) return `not valid at ${at.toISOString()} (valid from ${from.toISOString()} to ${to.toISOString()})`;
  return undefined;
}

/**
 * A signer certificate: issued by the signing CA, keyUsage nonRepudiation (contentCommitment), and — when `at`
 * is given — valid at that time. Verifiers check the issuer first (before reading a time-stamp, which only dates
 * a signature) and the validity once the signing time is known.
 */
export function distrustSigner(cert: crypto.X509Certificate, anchors: TrustAnchors, at?: Date): Distrust | undefined {
  if (!issuedBy(cert, anchors.signingCa)) {
    return { detail: `signer certificate (issuer "${cert.issuer.replace(/\n/g, ', ')}") was not issued by the sandbox qualified signing CA`, key: 'untrustedSigner' };
  }
  const ku = certificateUsage(cert.raw).keyUsage;
  // ETSI EN 319 412-2 §4.3.2: a certificate for electronic signatures asserts nonRepudiation.
  if (!ku?.has('nonRepudiation')) return { detail: 'signer certificate lacks keyUsage nonRepudiation (contentCommitment)', key: 'untrustedSigner' };
  const when = at && validAt(cert, at);
  if (when) return { detail: `signer certificate ${when}`, key: 'certificateNotValid' };
  return undefined;
}

/** A TSA certificate: chained to the sandbox TSA root, extendedKeyUsage exactly timeStamping and critical (RFC 3161 §2.3). */
export function distrustTsa(cert: crypto.X509Certificate, anchors: TrustAnchors, at: Date): Distrust | undefined {
  if (!issuedBy(cert, anchors.tsaCa)) return { detail: 'time-stamp certificate was not issued by the sandbox TSA root', key: 'untrustedTimestamp' };
  const eku = certificateUsage(cert.raw).extKeyUsage;
  if (!eku || !eku.critical || eku.oids.length !== 1 || eku.oids[0] !== OID_TIME_STAMPING) {
    return { detail: 'time-stamp certificate is not for time-stamping only (RFC 3161 §2.3: extendedKeyUsage timeStamping, critical)', key: 'untrustedTimestamp' };
  }
  const when = validAt(cert, at);
  if (when) return { detail: `time-stamp certificate ${when}`, key: 'untrustedTimestamp' };
  return undefined;
}
