// The MSign SOAP endpoint's flow (MSIGN.md §2–§4): authenticate the TLS client → check the envelope →
// run the operation → answer, and every message in and out to the event log. The operations themselves
// live in operations/; the sign-request state in lifecycle.ts.
import type { ProtocolDeps } from '../deps.js';
import type { Service } from '../registry/service.js';
import type { SignRequests } from './lifecycle.js';
import { readGetSignResponse, signResponse } from './operations/get-sign-response.js';
import { validateSignRequest } from './operations/post-sign-request.js';
import { verifySignatures } from './operations/verify-signatures.js';
import { parseEnvelope, responseEnvelope, type Value } from './soap/envelope.js';
import { MSignFault, faultEnvelope, faultString, invalid } from './soap/faults.js';
import type { TrustAnchors } from './signing/trust.js';
import type { SignRequestRecord } from './store.js';

export interface SoapInput {
  body: string;
  contentType: string | undefined;
  soapAction: string | undefined;
  /** DER of the client certificate presented in the TLS handshake, if any */
  clientCertificate?: Buffer;
  remoteAddress: string;
  /** The consumer already admitted from the TLS handshake (server.ts authenticates before reading the body). */
  service?: Service;
}

export interface SoapAnswer {
  status: number;
  contentType: string;
  body: string;
}

export interface SoapEndpointDeps {
  d: ProtocolDeps;
  requests: SignRequests;
  anchors: TrustAnchors;
  authenticate(clientCertificate: Buffer | undefined, remoteAddress: string): Service;
  /** Automation: a queued script may finish a new request at once (POST /api/msign/script). */
  afterPost(service: Service, rec: SignRequestRecord): Promise<void>;
}

export async function handleSoap(x: SoapEndpointDeps, input: SoapInput): Promise<SoapAnswer> {
  const { events, clock } = x.d;
  let operation = '(unknown)';
  let service: Service | undefined;
  try {
    service = input.service ?? x.authenticate(input.clientCertificate, input.remoteAddress);
    const ct = (input.contentType ?? '').split(';')[0]!.trim().toLowerCase();
    if (ct !== 'text/xml') {
      const message = `Cannot process the message because the content type '${input.contentType ?? ''}' was not the expected type 'text/xml; charset=utf-8'.`;
      events.add({ protocol: 'msign', direction: 'in', message: 'SOAP', verdict: 'rejected', service: service.id, summary: message, rejection: { code: 'ERR_CONTENT_TYPE', where: 'Content-Type', message, found: input.contentType, expected: 'text/xml; charset=utf-8', fix: 'MSign is SOAP 1.1 (basicHttpBinding): send Content-Type text/xml; charset=utf-8 and a SOAPAction header.' }, xml: input.body });
      return { status: 415, contentType: 'text/plain; charset=utf-8', body: `${message} MSign is SOAP 1.1 (basicHttpBinding); SOAP 1.2 (application/soap+xml) is not accepted.` };
    }
    const call = parseEnvelope(input.body, input.soapAction, x.d.config.maxXmlElements);
    operation = call.operation.name;
    events.add({ protocol: 'msign', direction: 'in', message: operation, verdict: 'accepted', service: service.id, binding: 'SOAP 1.1', xml: input.body });
    let result: Value;
    let summary: string | undefined;
    switch (call.operation.name) {
      case 'PostSignRequest': {
        const req = await validateSignRequest(call.params, service.msign!);
        const rec = x.requests.open(service.id, req);
        summary = `RequestID ${rec.id}, ${req.contents.length} ${req.contentType} content(s)`;
        await x.afterPost(service, rec);
        result = rec.id;
        break;
      }
      case 'GetSignResponse': {
        const { requestId, lang } = readGetSignResponse(call.params);
        result = signResponse(x.requests.get(requestId), requestId, service.id, lang);
        summary = `${requestId}: ${(result as { Status: string }).Status}`;
        break;
      }
      case 'VerifySignatures': {
        const v = verifySignatures(call.params, x.anchors, clock.now());
        result = v.result;
        const verdicts = ((result as { Results: Array<{ SignaturesValid: boolean }> }).Results).map((r) => (r.SignaturesValid ? 'valid' : 'invalid')).join(', ');
        summary = v.problems.length ? `${verdicts} — ${v.problems.join('; ')}` : verdicts;
        break;
      }
    }
    const body = responseEnvelope(call.operation, result);
    events.add({ protocol: 'msign', direction: 'out', message: `${operation}Response`, verdict: 'sent', service: service.id, binding: 'SOAP 1.1', summary, xml: body });
    return { status: 200, contentType: 'text/xml; charset=utf-8', body };
  } catch (e) {
    return faultAnswer(x.d, e, operation, service, input.body);
  }
}

/** Any failure as the SOAP fault answer, logged in and out like every other refusal. */
export function faultAnswer(d: ProtocolDeps, e: unknown, operation: string, service: Service | undefined, xml?: string): SoapAnswer {
  const { events, log } = d;
  let f: MSignFault;
  if (e instanceof MSignFault) f = e;
  else {
    log.error('msign: unexpected error', { error: (e as Error)?.stack ?? String(e) });
    f = invalid('(envelope)', 'The sandbox could not process this message; the error is logged and the sandbox keeps running.', 'Check the message against the WSDL; if it is valid, report the log line.');
  }
  events.add({ protocol: 'msign', direction: 'in', message: operation, verdict: 'rejected', service: service?.id, binding: 'SOAP 1.1', rejection: f.rejection, summary: faultString(f), xml });
  const body = faultEnvelope(f);
  events.add({ protocol: 'msign', direction: 'out', message: `Fault ${f.faultCode}`, verdict: 'sent', service: service?.id, binding: 'SOAP 1.1', xml: body });
  return { status: 500, contentType: 'text/xml; charset=utf-8', body };
}
