// MSign: the façade the HTTP layer and the TLS listener use. Each job lives in its own module:
//   authenticate.ts   which consumer is calling (certificate, validity, serial, IP)
//   soap-endpoint.ts  decode/check → operation → answer, logged
//   signers.ts        who may sign, as whom (decide)
//   sign-contents.ts  XAdES-T / PAdES-B-T (build/sign)
//   lifecycle.ts      Pending → Success | Failure | Expired, once (the only owner of the state)
//   interaction.ts    the signing page's flow, which the route renders
//   scripts.ts        automation of outcomes
import crypto from 'node:crypto';
import type { ProtocolDeps } from '../deps.js';
import type { Persona } from '../personas.js';
import type { Service } from '../registry/service.js';
import { authenticateConsumer } from './authenticate.js';
import { signingInteraction, type PageInput, type SigningInteraction } from './interaction.js';
import { SignRequests } from './lifecycle.js';
import type { LocalizedMessage } from './messages.js';
import { Scripts, type Script } from './scripts.js';
import { signContents } from './sign-contents.js';
import { identitiesFor, identityFromValue, identityOf, signerProblem } from './signers.js';
import { SigningKeys, type SigningIdentity } from './signing/identities.js';
import type { TrustAnchors } from './signing/trust.js';
import { faultAnswer, handleSoap, type SoapAnswer, type SoapInput } from './soap-endpoint.js';
import type { MSignFault } from './soap/faults.js';
import { buildWsdl } from './soap/wsdl.js';
import type { SignRequestRecord } from './store.js';

export { normaliseIp } from './authenticate.js';
export type { SoapAnswer, SoapInput } from './soap-endpoint.js';
export type { Script, ScriptOutcome } from './scripts.js';

export class MSign {
  readonly requests: SignRequests;
  readonly keys: SigningKeys;
  readonly anchors: TrustAnchors;
  private readonly scripts = new Scripts();
  private readonly inFlight = new Map<string, Promise<LocalizedMessage | null>>();

  constructor(private readonly d: ProtocolDeps) {
    this.requests = new SignRequests(() => d.clock.now(), d.config.signRequestLifetimeSeconds, d.config.signRequestRetentionSeconds, d.events, d.log);
    this.keys = new SigningKeys(d.pki);
    this.anchors = { signingCa: new crypto.X509Certificate(d.pki.signingCa.certificatePem), tsaCa: new crypto.X509Certificate(d.pki.tsaCa.certificatePem) };
  }

  wsdl(address: string): string {
    return buildWsdl(address);
  }

  /** For /api/reset: forget every sign request and queued script (keys and certificates stay). */
  reset(): void {
    this.requests.clear();
    this.scripts.clear();
  }

  /** Which registered MSign consumer is calling (MSIGN.md §2). Throws an AuthenticationFailed fault. */
  authenticate(clientCertificate: Buffer | undefined, remoteAddress: string): Service {
    return authenticateConsumer(this.d.registry, clientCertificate, remoteAddress, this.d.clock.now());
  }

  /**
   * Authenticate from the TLS handshake alone, before any body is read (server.ts): the service, or the
   * AuthenticationFailed fault answer, logged like every other refusal.
   */
  admit(clientCertificate: Buffer | undefined, remoteAddress: string): { service: Service } | { answer: SoapAnswer } {
    try {
      return { service: this.authenticate(clientCertificate, remoteAddress) };
    } catch (e) {
      return { answer: faultAnswer(this.d, e, '(unknown)', undefined) };
    }
  }

  /** MAX_XML_ELEMENTS, for the listener's early count while the body streams in. */
  get maxXmlElements(): number {
    return this.d.config.maxXmlElements;
  }

  /** A fault decided before the body was read (authentication) or while it streamed in (markup bound): logged, no body kept. */
  refuseEarly(service: Service | undefined, f: MSignFault): SoapAnswer {
    return faultAnswer(this.d, f, '(unknown)', service);
  }

  handleSoap(input: SoapInput): Promise<SoapAnswer> {
    return handleSoap(
      {
        d: this.d,
        requests: this.requests,
        anchors: this.anchors,
        authenticate: (c, a) => this.authenticate(c, a),
        afterPost: (service, rec) => this.scripts.apply(this.scriptCore(), service, rec),
      },
      input,
    );
  }

  // ---- the signing page ----

  /** What the signing page shows, or does with what it posted (interaction.ts). */
  interaction(input: PageInput): Promise<SigningInteraction> {
    return signingInteraction(
      {
        get: (id) => this.requests.get(id),
        service: (rec) => this.service(rec),
        identitiesFor: (rec) => this.identitiesFor(rec),
        identityFromForm: (rec, value) => identityFromValue(this.d.personas, rec.request, this.registered(rec), value),
        sign: (rec, id) => this.sign(rec, id),
        cancel: (rec) => this.cancel(rec),
      },
      input,
    );
  }

  persona(idnp: string): Persona | undefined {
    return this.d.personas.find((p) => p.idnp === idnp);
  }

  service(rec: SignRequestRecord): Service | undefined {
    return this.d.registry.get(rec.serviceId);
  }

  private registered(rec: SignRequestRecord) {
    return this.service(rec)?.msign?.signerType ?? 'both';
  }

  identitiesFor(rec: SignRequestRecord): SigningIdentity[] {
    return identitiesFor(this.d.personas, rec.request, this.registered(rec));
  }

  /** The user cancelled on the page; the outcome that stands (null if another tab had signed it). */
  cancel(rec: SignRequestRecord): LocalizedMessage | null {
    this.requests.fail(rec, { key: 'cancelled' });
    return this.outcome(rec);
  }

  /** The outcome that stands for a request: null for Success, else why it failed or expired. */
  private outcome(rec: SignRequestRecord): LocalizedMessage | null {
    const now = this.requests.get(rec.id) ?? rec;
    if (now.status === 'Success') return null;
    return now.failure ?? (now.status === 'Expired' ? { key: 'expired' } : null);
  }

  /** Sign every content as this identity, or end in Failure with the reason (MSIGN.md §6, §4.2). */
  sign(rec: SignRequestRecord, id: SigningIdentity): Promise<LocalizedMessage | null> {
    // Two browser tabs posting Sign at once share one signing run.
    const running = this.inFlight.get(rec.id);
    if (running) return running;
    const p = this.signOnce(rec, id).finally(() => this.inFlight.delete(rec.id));
    this.inFlight.set(rec.id, p);
    return p;
  }

  private async signOnce(rec: SignRequestRecord, id: SigningIdentity): Promise<LocalizedMessage | null> {
    if (this.requests.get(rec.id)?.status !== 'Pending') return this.outcome(rec);
    const problem = signerProblem(rec.request, this.registered(rec), id);
    if (problem) {
      this.requests.fail(rec, problem);
      return this.outcome(rec);
    }
    const signer = this.keys.certificateFor(id);
    try {
      const results = await signContents(rec.request, { signer, chain: [this.d.pki.signingCa.certificatePem], tsa: this.keys.tsa(), signerName: `${id.persona.firstName} ${id.persona.lastName}` }, this.d.clock.now());
      // Refused (and logged) when the request was cancelled, expired or evicted while this ran.
      this.requests.succeed(rec, results, { idnp: id.persona.idnp, kind: id.kind });
    } catch (e) {
      // A PDF that pdf-lib reads but @signpdf cannot sign ends the request in Failure, not in a 500 page.
      this.d.log.warn('msign: signing failed', { requestId: rec.id, error: (e as Error).message });
      this.requests.fail(rec, { key: 'signingError', params: { detail: (e as Error).message.slice(0, 60) } });
    }
    return this.outcome(rec);
  }

  // ---- automation (POST /api/msign/script) ----

  addScript(serviceId: string, s: Script): void {
    this.scripts.add(serviceId, s);
  }

  pendingScripts(serviceId: string): Script[] {
    return this.scripts.pending(serviceId);
  }

  private scriptCore() {
    return {
      personas: this.d.personas,
      identitiesFor: (rec: SignRequestRecord) => this.identitiesFor(rec),
      identityOf: (rec: SignRequestRecord, persona: Persona) => identityOf(persona, rec.request, this.registered(rec)),
      sign: (rec: SignRequestRecord, id: SigningIdentity) => this.sign(rec, id),
      fail: (rec: SignRequestRecord, reason: LocalizedMessage) => void this.requests.fail(rec, reason),
      expire: (rec: SignRequestRecord) => void this.requests.expire(rec),
    };
  }
}
