// SOAP 1.1 faults as MSign sends them (MSIGN.md §4.4): HTTP 500, faultcode local name = the MSign code.
import type { Rejection } from '../../errors.js';
import { escapeXml } from '../../xml/parse.js';

export type FaultCode = 'AuthenticationFailed' | 'AuthorizationFailed' | 'InvalidParameter' | 'RequestNotFound' | 'ActionNotSupported';

export class MSignFault extends Error {
  constructor(
    readonly faultCode: FaultCode,
    readonly rejection: Rejection,
  ) {
    super(`${faultCode}: ${rejection.message}`);
    this.name = 'MSignFault';
  }
}

export const fault = (faultCode: FaultCode, where: string, message: string, fix: string, extra: { found?: string; expected?: string } = {}): MSignFault =>
  new MSignFault(faultCode, { code: faultCode, where, message, fix, ...extra });

export const invalid = (where: string, message: string, fix: string, extra: { found?: string; expected?: string } = {}): MSignFault =>
  fault('InvalidParameter', where, message, fix, extra);

/** One English sentence for faultstring: what, where, and the fix. */
export function faultString(f: MSignFault): string {
  const r = f.rejection;
  const parts = [r.message];
  if (r.found !== undefined) parts.push(`Found: ${r.found}.`);
  if (r.expected !== undefined) parts.push(`Expected: ${r.expected}.`);
  parts.push(`Fix: ${r.fix}`);
  return `${r.where === '(envelope)' ? '' : `${r.where}: `}${parts.join(' ')}`;
}

export function faultEnvelope(f: MSignFault): string {
  // ActionNotSupported is a WCF addressing fault; the MSign codes travel as a:Code in the MSign namespace.
  const code = f.faultCode === 'ActionNotSupported' ? 'a:ActionNotSupported' : `a:${f.faultCode}`;
  const ns = f.faultCode === 'ActionNotSupported' ? 'http://schemas.microsoft.com/ws/2005/05/addressing/none' : 'https://msign.gov.md';
  return (
    '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>' +
    `<faultcode xmlns:a="${ns}">${code}</faultcode>` +
    `<faultstring xml:lang="en-US">${escapeXml(faultString(f))}</faultstring>` +
    '</s:Fault></s:Body></s:Envelope>'
  );
}
