// The checks MPass runs on what a service sends. Each returns a Rejection (data) or null; the caller
// lists the checks an endpoint runs, in order, and the first failure wins.
import { X509Certificate } from 'node:crypto';
import type { Rejection } from '../../errors.js';
import { truncate } from '../../errors.js';
import type { Service } from '../../registry/service.js';
import { BINDING_URN, type IncomingMessage } from '../bindings.js';
import { parseInstant } from '../messages/common.js';
import { verifyEnveloped, verifyRedirectSignature } from '../signature.js';

export type Check = () => Rejection | null;

export function runChecks(checks: Check[]): Rejection | null {
  for (const c of checks) {
    const r = c();
    if (r) return r;
  }
  return null;
}

export const checkVersion = (msg: string, version: string | undefined): Check => () =>
  version === '2.0' ? null : { code: 'ERR_VERSION', where: `${msg}/@Version`, message: 'SAML version must be 2.0.', found: version ?? '(missing)', expected: '2.0', fix: 'Set Version="2.0".' };

export const checkId = (msg: string, id: string | undefined): Check => () =>
  id && /^[A-Za-z_][\w.-]*$/.test(id) && id.length <= 256
    ? null
    : { code: 'ERR_ID', where: `${msg}/@ID`, message: 'ID is missing or not an xs:ID (a letter or _ first, no spaces).', found: truncate(id) ?? '(missing)', expected: '_<guid>', fix: 'Generate IDs as "_" + a GUID.' };

export const checkIssueInstant = (msg: string, value: string | undefined, now: Date, skewSeconds: number): Check => () => {
  const t = parseInstant(value);
  if (!t) return { code: 'ERR_ISSUE_INSTANT', where: `${msg}/@IssueInstant`, message: 'IssueInstant is missing or not an xs:dateTime.', found: value ?? '(missing)', expected: 'UTC time such as 2026-01-31T10:00:00.000Z', fix: 'Write IssueInstant in UTC with a Z suffix.' };
  const diff = (t.getTime() - now.getTime()) / 1000;
  if (Math.abs(diff) <= skewSeconds) return null;
  const dir = diff < 0 ? 'old' : 'in the future';
  return {
    code: diff < 0 ? 'ERR_ISSUE_INSTANT_EXPIRED' : 'ERR_ISSUE_INSTANT_FUTURE',
    where: `${msg}/@IssueInstant`,
    message: `IssueInstant is ${Math.round(Math.abs(diff))} s ${dir}; at most ${skewSeconds} s of clock skew is allowed.`,
    found: value,
    expected: `within ${skewSeconds} s of ${now.toISOString()}`,
    fix: diff < 0 ? 'Build a fresh message for each attempt (do not replay old ones) and check the service clock (NTP).' : 'Write the time in UTC (not local time) and check the service clock (NTP).',
  };
};

/** Destination must name this endpoint; the query (`?lang=ro`, MPASS.md §2.3) is ignored. */
export const checkDestination = (msg: string, destination: string | undefined, endpoint: string, required: boolean): Check => () => {
  if (destination === undefined) {
    return required ? { code: 'ERR_DESTINATION', where: `${msg}/@Destination`, message: 'Destination is missing.', expected: endpoint, fix: `Set Destination="${endpoint}".` } : null;
  }
  if (sameEndpoint(destination, endpoint)) return null;
  return { code: 'ERR_DESTINATION', where: `${msg}/@Destination`, message: 'Destination does not name this sandbox endpoint.', found: truncate(destination), expected: endpoint, fix: `Point the service at ${endpoint} (the sandbox's PUBLIC_URL decides the host).` };
};

export function sameEndpoint(a: string, b: string): boolean {
  try {
    const x = new URL(a);
    const y = new URL(b);
    return x.protocol === y.protocol && x.host.toLowerCase() === y.host.toLowerCase() && x.pathname.replace(/\/+$/, '') === y.pathname.replace(/\/+$/, '');
  } catch {
    return false;
  }
}

export const checkProtocolBinding = (value: string | undefined): Check => () =>
  value === undefined || value === BINDING_URN['HTTP-POST'] || value === BINDING_URN['HTTP-Redirect']
    ? null
    : { code: 'ERR_PROTOCOL_BINDING', where: 'AuthnRequest/@ProtocolBinding', message: 'MPass answers only over HTTP-POST or HTTP-Redirect.', found: value, expected: BINDING_URN['HTTP-POST'], fix: 'Leave ProtocolBinding out or set it to the HTTP-POST binding URN.' };

export const checkAcsUrl = (value: string | undefined): Check => () => {
  if (value === undefined) return null;
  try {
    const u = new URL(value);
    if (u.protocol === 'http:' || u.protocol === 'https:') return null;
  } catch {
    /* fall through */
  }
  return { code: 'ERR_ACS_UNTRUSTED', where: 'AuthnRequest/@AssertionConsumerServiceURL', message: 'The ACS URL is not an absolute http(s) URL, so no Response can be sent to it.', found: truncate(value), fix: 'Send an absolute http(s) ACS URL, or leave it out to use the registered default.' };
};

/** The signature of whichever binding carried the message, against the registered certificate only. */
export const checkSignature = (incoming: IncomingMessage, root: Element, service: Service, allowSha1: boolean): Check => () => {
  const r =
    incoming.binding === 'HTTP-Redirect' && incoming.rawQuery && /(^|&)Signature=/.test(incoming.rawQuery)
      ? verifyRedirectSignature(incoming.rawQuery, incoming.param, service.certificate, allowSha1)
      : verifyEnveloped(incoming.xml, root, service.certificate, allowSha1);
  return r && explainSignature(r, incoming, service);
};

/**
 * A signature rejection that helps: an unsigned HTTP-Redirect message is told about the SigAlg and Signature
 * query parameters (SAML Bindings §3.4.4.1), not about an enveloped ds:Signature; a signature that does not
 * verify names the registered certificate it was checked with (serial, SHA-256 fingerprint), never the
 * SignatureValue bytes.
 */
function explainSignature(r: Rejection, incoming: IncomingMessage, service: Service): Rejection {
  if (r.code === 'ERR_SIGNATURE_MISSING' && incoming.binding === 'HTTP-Redirect') {
    return { ...r, where: `${r.where.split('/')[0]} — SigAlg, Signature (query parameters)`, expected: 'SigAlg and Signature query parameters', fix: `HTTP-Redirect messages are signed in the URL: add SigAlg=${encodeURIComponent('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256')} and Signature (base64 of the RSA-SHA256 signature over "${incoming.param}=…&RelayState=…&SigAlg=…" as sent) made with the key of the registered certificate (SAML Bindings §3.4.4.1).` };
  }
  if (r.code === 'ERR_SIGNATURE_INVALID') {
    const cert = new X509Certificate(service.certificate);
    return { ...r, message: `The signature does not verify with the registered certificate of ${service.name.en}: serial ${service.certificateSerial}, SHA-256 ${cert.fingerprint256}.`, found: undefined, fix: 'Sign with the private key of that certificate (or register the certificate you sign with), and do not change the message after signing.' };
  }
  return r;
}
