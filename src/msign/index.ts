// MSign: the SOAP endpoint's decisions (authenticate → parse → operation → answer), the signing
// decisions the pages and the automation API call, and the sign-request store.
import crypto from 'node:crypto';
import type { ProtocolDeps } from '../deps.js';
import type { Persona } from '../personas.js';
import { canonicalSerial } from '../pki/certificates.js';
import { x509Of } from '../pki/parsed.js';
import type { Service } from '../registry/service.js';
import type { LocalizedMessage } from './messages.js';
import { readGetSignResponse, signResponse } from './operations/get-sign-response.js';
import { validateSignRequest } from './operations/post-sign-request.js';
import { checkSigner, kindAllowed } from './operations/signer-rules.js';
import { verifySignatures } from './operations/verify-signatures.js';
import { parseEnvelope, responseEnvelope, type Value } from './soap/envelope.js';
import { MSignFault, fault, faultEnvelope, faultString, invalid } from './soap/faults.js';
import { buildWsdl } from './soap/wsdl.js';
import { canSignAsLegal, SigningKeys, type SignerKind, type SigningIdentity } from './signing/identities.js';
import { signHashXadesT } from './signing/xades.js';
import { SignRequestStore, type SignRequestRecord } from './store.js';

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

export type ScriptOutcome = 'success' | 'cancel' | 'expire' | 'wrong-signer';
export interface Script {
  outcome: ScriptOutcome;
  persona?: string;
  times: number;
}

type Deps = ProtocolDeps;

export const normaliseIp = (ip: string): string => {
  const v = ip.trim().toLowerCase();
  return v.startsWith('::ffff:') && v.includes('.') ? v.slice(7) : v;
};

export class MSign {
  readonly requests: SignRequestStore;
  readonly keys: SigningKeys;
  private readonly scripts = new Map<string, Script[]>();
  private readonly inFlight = new Map<string, Promise<LocalizedMessage | null>>();
  private readonly caX509: crypto.X509Certificate;

  constructor(private readonly d: Deps) {
    this.requests = new SignRequestStore(() => d.clock.now(), d.config.signRequestLifetimeSeconds, d.config.signRequestRetentionSeconds);
    this.keys = new SigningKeys(d.pki);
    this.caX509 = new crypto.X509Certificate(d.pki.ca.certificatePem);
  }

  wsdl(address: string): string {
    return buildWsdl(address);
  }

  /** For /api/reset: forget every sign request and queued script (keys and certificates stay). */
  reset(): void {
    this.requests.clear();
    this.scripts.clear();
  }

  /** Which registered MSign consumer is calling: certificate serial, then the IP allow-list (MSIGN.md §2). */
  authenticate(clientCertificate: Buffer | undefined, remoteAddress: string): Service {
    if (!clientCertificate || clientCertificate.length === 0) {
      throw fault('AuthenticationFailed', 'TLS client certificate', 'Invalid authentication certificate provided: no client certificate was presented in the TLS handshake.', 'Configure the HTTPS client with the system certificate (.pfx with key) registered for your service, e.g. new https.Agent({ pfx, passphrase }).');
    }
    let x: crypto.X509Certificate;
    try {
      x = x509Of(clientCertificate);
    } catch {
      throw fault('AuthenticationFailed', 'TLS client certificate', 'Invalid authentication certificate provided: it cannot be read.', 'Present an X.509 certificate.');
    }
    const serial = canonicalSerial(x.serialNumber);
    const services = this.d.registry.byCertificateSerial(serial).filter((s) => s.msign);
    if (!services.length) {
      throw fault('AuthenticationFailed', 'TLS client certificate', `Invalid authentication certificate provided, Unknown service consumer: ${serial}.`, 'Register this certificate (its .cer) for MSign on the sandbox (Services → Register, MSign section), or present the certificate you registered.', { found: serial });
    }
    const same = services.filter((s) => x509Of(s.certificate).raw.equals(x.raw));
    if (!same.length) {
      throw fault('AuthenticationFailed', 'TLS client certificate', `Invalid authentication certificate provided: serial ${serial} is registered, but with a different certificate.`, 'Present exactly the certificate registered for your service.', { found: serial });
    }
    const ip = normaliseIp(remoteAddress);
    const allowed = same.find((s) => s.msign!.ipAddresses.some((a) => normaliseIp(a) === ip));
    if (!allowed) {
      throw fault('AuthenticationFailed', 'IP address', `Calls from ${ip} are not allowed for the service with certificate ${serial} (registered addresses: ${same[0]!.msign!.ipAddresses.join(', ')}).`, `Add ${ip} to the service's MSign IP addresses, or call from a registered address.`, { found: ip });
    }
    return allowed;
  }

  /**
   * Authenticate from the TLS handshake alone, before any body is read: the service, or the fault answer
   * (AuthenticationFailed), logged like every other refusal.
   */
  admit(clientCertificate: Buffer | undefined, remoteAddress: string): { service: Service } | { answer: SoapAnswer } {
    try {
      return { service: this.authenticate(clientCertificate, remoteAddress) };
    } catch (e) {
      return { answer: this.refuseEarly(undefined, e instanceof MSignFault ? e : this.internal(e)) };
    }
  }

  /** MAX_XML_ELEMENTS, for the listener's early count while the body streams in. */
  get maxXmlElements(): number {
    return this.d.config.maxXmlElements;
  }

  /** A fault decided before the body was read (authentication) or while it streamed in (markup bound): logged, no body kept. */
  refuseEarly(service: Service | undefined, f: MSignFault): SoapAnswer {
    this.d.events.add({ protocol: 'msign', direction: 'in', message: '(unknown)', verdict: 'rejected', service: service?.id, binding: 'SOAP 1.1', rejection: f.rejection, summary: faultString(f) });
    const body = faultEnvelope(f);
    this.d.events.add({ protocol: 'msign', direction: 'out', message: `Fault ${f.faultCode}`, verdict: 'sent', service: service?.id, binding: 'SOAP 1.1', xml: body });
    return { status: 500, contentType: 'text/xml; charset=utf-8', body };
  }

  async handleSoap(input: SoapInput): Promise<SoapAnswer> {
    let operation = '(unknown)';
    let service: Service | undefined;
    try {
      service = input.service ?? this.authenticate(input.clientCertificate, input.remoteAddress);
      const ct = (input.contentType ?? '').split(';')[0]!.trim().toLowerCase();
      if (ct !== 'text/xml') {
        const message = `Cannot process the message because the content type '${input.contentType ?? ''}' was not the expected type 'text/xml; charset=utf-8'.`;
        this.d.events.add({ protocol: 'msign', direction: 'in', message: 'SOAP', verdict: 'rejected', service: service.id, summary: message, rejection: { code: 'ERR_CONTENT_TYPE', where: 'Content-Type', message, found: input.contentType, expected: 'text/xml; charset=utf-8', fix: 'MSign is SOAP 1.1 (basicHttpBinding): send Content-Type text/xml; charset=utf-8 and a SOAPAction header.' }, xml: input.body });
        return { status: 415, contentType: 'text/plain; charset=utf-8', body: `${message} MSign is SOAP 1.1 (basicHttpBinding); SOAP 1.2 (application/soap+xml) is not accepted.` };
      }
      const call = parseEnvelope(input.body, input.soapAction, this.d.config.maxXmlElements);
      operation = call.operation.name;
      this.d.events.add({ protocol: 'msign', direction: 'in', message: operation, verdict: 'accepted', service: service.id, binding: 'SOAP 1.1', xml: input.body });
      let result: Value;
      let summary: string | undefined;
      switch (call.operation.name) {
        case 'PostSignRequest': {
          const req = await validateSignRequest(call.params, service.msign!);
          const rec = this.requests.add(service.id, req);
          summary = `RequestID ${rec.id}, ${req.contents.length} ${req.contentType} content(s)`;
          await this.applyScript(service, rec);
          result = rec.id;
          break;
        }
        case 'GetSignResponse': {
          const { requestId, lang } = readGetSignResponse(call.params);
          result = signResponse(this.requests.get(requestId), requestId, service.id, lang);
          summary = `${requestId}: ${(result as { Status: string }).Status}`;
          break;
        }
        case 'VerifySignatures':
          result = verifySignatures(call.params, this.caX509);
          summary = ((result as { Results: Array<{ SignaturesValid: boolean }> }).Results).map((x) => (x.SignaturesValid ? 'valid' : 'invalid')).join(', ');
          break;
      }
      const body = responseEnvelope(call.operation, result);
      this.d.events.add({ protocol: 'msign', direction: 'out', message: `${operation}Response`, verdict: 'sent', service: service.id, binding: 'SOAP 1.1', summary, xml: body });
      return { status: 200, contentType: 'text/xml; charset=utf-8', body };
    } catch (e) {
      const f = e instanceof MSignFault ? e : this.internal(e);
      this.d.events.add({ protocol: 'msign', direction: 'in', message: operation, verdict: 'rejected', service: service?.id, binding: 'SOAP 1.1', rejection: f.rejection, summary: faultString(f), xml: input.body });
      const body = faultEnvelope(f);
      this.d.events.add({ protocol: 'msign', direction: 'out', message: `Fault ${f.faultCode}`, verdict: 'sent', service: service?.id, binding: 'SOAP 1.1', xml: body });
      return { status: 500, contentType: 'text/xml; charset=utf-8', body };
    }
  }

  private internal(e: unknown): MSignFault {
    this.d.log.error('msign: unexpected error', { error: (e as Error)?.stack ?? String(e) });
    return invalid('(envelope)', 'The sandbox could not process this message; the error is logged and the sandbox keeps running.', 'Check the message against the WSDL; if it is valid, report the log line.');
  }

  // ---- signing decisions (pages and automation) ----

  persona(idnp: string): Persona | undefined {
    return this.d.personas.find((p) => p.idnp === idnp);
  }

  service(rec: SignRequestRecord): Service | undefined {
    return this.d.registry.get(rec.serviceId);
  }

  /** The identities the signing page offers for this request (only the allowed signer kinds). */
  identitiesFor(rec: SignRequestRecord): SigningIdentity[] {
    const type = this.service(rec)?.msign?.signerType ?? 'both';
    const out: SigningIdentity[] = [];
    for (const p of this.d.personas) {
      if (kindAllowed(type, 'natural') && rec.request.expectedSigner?.delegatorType !== 'Organization') out.push({ persona: p, kind: 'natural' });
      if (kindAllowed(type, 'legal') && canSignAsLegal(p)) out.push({ persona: p, kind: 'legal', idno: p.idno, organisation: `${p.companyName} ${p.idno}` });
    }
    return out;
  }

  /** The identity a posted persona stands for: "IDNP" or "IDNP@IDNO" (legal); default kind from the registration. */
  identity(rec: SignRequestRecord, persona: Persona, as?: SignerKind): SigningIdentity {
    const type = this.service(rec)?.msign?.signerType ?? 'both';
    const kind: SignerKind = as ?? (type === 'legal' || rec.request.expectedSigner?.delegatorType === 'Organization' ? 'legal' : 'natural');
    return kind === 'legal' ? { persona, kind, idno: persona.idno, organisation: persona.idno ? `${persona.companyName} ${persona.idno}` : undefined } : { persona, kind };
  }

  /**
   * The identity the signing page posted: "IDNP", or "IDNP@IDNO" to sign for an organisation. A forced IDNO that
   * is not the persona's stays as posted, so signing ends in Failure (signOnce checks it). Undefined: no such IDNP.
   */
  identityFromForm(rec: SignRequestRecord, value: string): SigningIdentity | undefined {
    const [idnp, idno] = value.split('@');
    const persona = this.persona(idnp ?? '');
    if (!persona) return undefined;
    return idno ? { persona, kind: 'legal', idno, organisation: `${persona.companyName} ${idno}` } : this.identity(rec, persona);
  }

  /** Sign every content as this identity, or end in Failure with the reason (MSIGN.md §6, §4.2). */
  async sign(rec: SignRequestRecord, id: SigningIdentity): Promise<LocalizedMessage | null> {
    // Two browser tabs posting Sign at once share one signing run.
    const running = this.inFlight.get(rec.id);
    if (running) return running;
    const p = this.signOnce(rec, id).finally(() => this.inFlight.delete(rec.id));
    this.inFlight.set(rec.id, p);
    return p;
  }

  private async signOnce(rec: SignRequestRecord, id: SigningIdentity): Promise<LocalizedMessage | null> {
    if (rec.status !== 'Pending') return rec.failure ?? null;
    const type = this.service(rec)?.msign?.signerType ?? 'both';
    let problem = checkSigner(rec.request, type, id);
    // A person without a legal-person instrument cannot produce an organisation signature.
    if (!problem && id.kind === 'legal' && (!canSignAsLegal(id.persona) || id.idno !== id.persona.idno)) problem = type === 'legal' ? { key: 'signerTypeLegal' } : { key: 'delegation', params: { delegator: id.idno ?? '' } };
    if (problem) {
      this.fail(rec, problem);
      return problem;
    }
    const signer = this.keys.certificateFor(id);
    const now = this.d.clock.now();
    const results = [];
    try {
    for (let i = 0; i < rec.request.contents.length; i++) {
      const c = rec.request.contents[i]!;
      const signature =
        rec.request.contentType === 'Hash'
          ? signHashXadesT({ hash: c.content, index: i + 1, signer, tsa: this.keys.tsa(), at: now })
          : // loaded on first use: pdf-lib and @signpdf are the heaviest modules, start-up should not pay for them
            await (await import('./signing/pades.js')).signPdfPades({ pdf: c.content, signer, chain: [this.d.pki.ca.certificatePem], signerName: `${id.persona.firstName} ${id.persona.lastName}`, reason: rec.request.signatureReason, at: now });
      results.push({ correlationId: c.correlationId, certificate: x509Of(signer.certificatePem).raw, signature });
    }
    } catch (e) {
      // A PDF that pdf-lib reads but @signpdf cannot sign ends the request in Failure, not in a 500 page.
      this.d.log.warn('msign: signing failed', { requestId: rec.id, error: (e as Error).message });
      const reason: LocalizedMessage = { key: 'signingError', params: { detail: (e as Error).message.slice(0, 60) } };
      this.fail(rec, reason);
      return reason;
    }
    this.requests.finish(rec, 'Success', { results, signer: { idnp: id.persona.idnp, kind: id.kind } });
    this.d.events.add({ protocol: 'msign', direction: 'internal', message: 'Sign', verdict: 'info', service: rec.serviceId, summary: `${rec.id} signed by ${id.persona.idnp} (${id.kind})` });
    return null;
  }

  fail(rec: SignRequestRecord, reason: LocalizedMessage): void {
    this.requests.finish(rec, 'Failure', { failure: reason });
    this.d.events.add({ protocol: 'msign', direction: 'internal', message: 'Sign', verdict: 'info', service: rec.serviceId, summary: `${rec.id} failed: ${reason.key}` });
  }

  // ---- automation (POST /api/msign/script) ----

  addScript(serviceId: string, s: Script): void {
    const list = this.scripts.get(serviceId) ?? [];
    list.push(s);
    this.scripts.set(serviceId, list);
  }

  pendingScripts(serviceId: string): Script[] {
    return this.scripts.get(serviceId) ?? [];
  }

  private async applyScript(service: Service, rec: SignRequestRecord): Promise<void> {
    const list = this.scripts.get(service.id);
    const s = list?.[0];
    if (!s) return;
    if (--s.times <= 0) list!.shift();
    const expected = rec.request.expectedSigner?.id ?? undefined;
    switch (s.outcome) {
      case 'cancel':
        this.fail(rec, { key: 'cancelled' });
        return;
      case 'expire':
        this.requests.finish(rec, 'Expired', { failure: { key: 'expired' } });
        return;
      case 'wrong-signer': {
        const other = this.d.personas.find((p) => p.idnp !== expected && p.idnp !== s.persona)?.idnp ?? '0000000000000';
        this.fail(rec, { key: 'wrongSigner', params: { found: s.persona && s.persona !== expected ? s.persona : other, expected: expected ?? '-' } });
        return;
      }
      case 'success': {
        const ids = this.identitiesFor(rec);
        const idnp = s.persona ?? expected;
        const pick = ids.find((i) => (idnp ? i.persona.idnp === idnp : true) && (rec.request.expectedSigner?.delegatorId ? i.idno === rec.request.expectedSigner.delegatorId : true)) ?? ids.find((i) => !idnp || i.persona.idnp === idnp);
        const persona = pick?.persona ?? (idnp ? this.persona(idnp) : undefined);
        if (!persona) {
          this.fail(rec, { key: 'wrongSigner', params: { found: idnp ?? '-', expected: expected ?? '-' } });
          return;
        }
        await this.sign(rec, pick ?? this.identity(rec, persona));
      }
    }
  }
}
