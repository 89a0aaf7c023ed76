// `mpass-msign-sandbox/client`: a typed client of the sandbox's automation API (/api/openapi.json), for test
// suites. No dependencies but the platform's fetch (Node ≥ 20, browsers). Every method's HTTP method and path is
// in ROUTES, which a test checks against the OpenAPI document the sandbox serves; an API refusal becomes a
// SandboxApiError carrying the stable `code` (and the field and fix) of the sandbox's rejection (src/errors.ts).

/** One rejection, as the sandbox reports it: what was checked, where, what was found and how to fix it. */
export interface Rejection {
  code: string;
  where: string;
  message: string;
  found?: string;
  expected?: string;
  fix: string;
}

export class SandboxApiError extends Error {
  override readonly name = 'SandboxApiError';
  /** The first rejection's code (`ERR_INVALID_FIELD`, `ERR_NOT_FOUND`, `ERR_SESSION_NOT_FOUND`, …); `ERR_HTTP_<status>` when the answer had none. */
  readonly code: string;
  readonly where?: string;
  readonly fix?: string;
  constructor(
    readonly status: number,
    readonly route: RouteName,
    /** Every problem the sandbox reported (a registration refusal lists all of them at once). */
    readonly problems: Rejection[],
  ) {
    const first = problems[0];
    super(first ? `${route}: ${first.code} at ${first.where}: ${first.message} Fix: ${first.fix}` : `${route}: HTTP ${status}`);
    this.code = first?.code ?? `ERR_HTTP_${status}`;
    this.where = first?.where;
    this.fix = first?.fix;
  }
}

export type Lang = 'ro' | 'ru' | 'en';
export type Attribute = 'IsResident' | 'FirstName' | 'LastName' | 'BirthDate' | 'Gender' | 'EmailAddress' | 'MobilePhone' | 'HomePhone' | 'Language' | 'AdministeredLegalEntity' | 'IDNO' | 'CompanyName';

export interface ServiceInput {
  name: Record<Lang, string>;
  description: string;
  contact: { name: string; email: string; phone?: string };
  /** PEM, or base64 of the DER .cer — never a private key. */
  certificate: string;
  mpass?: {
    contract?: { number: string; date: string };
    issuer: string;
    assertionConsumerServiceUrl: string;
    logoutRequestUrl: string;
    logoutResponseUrl: string;
    attributes?: Attribute[];
    customAttributes?: Array<{ name: string; values: Record<string, string[]> }>;
    signAssertion?: boolean;
    faults?: string[];
  };
  msign?: { contract?: { number: string; date: string }; ipAddresses: string[]; signerType: 'natural' | 'legal' | 'both' };
}

export interface Service extends ServiceInput {
  id: string;
  certificateSerial?: string;
  source?: 'fixture' | 'api';
  createdAt?: string;
  updatedAt?: string;
  certificateInfo?: Record<string, unknown>;
}

export interface IssuedCertificate {
  commonName: string;
  serialNumber: string;
  certificatePem: string;
  privateKeyPem: string;
  /** base64 DER */
  cer: string;
  /** base64 PKCS#12 with key, certificate and the sandbox CA */
  pfx: string;
  pfxPassword: string;
  caCertificatePem: string;
}

export interface Persona {
  idnp: string;
  firstName: string;
  lastName: string;
  [attribute: string]: unknown;
}

export interface Fault {
  id: string;
  title: string;
  testCase: string | null;
  changes: string;
  expected: 'must reject' | 'must accept';
  appliesTo: 'Response' | 'LogoutRequest';
}

export interface LoginScript {
  /** The MPass issuer (entity ID) of a registered service. */
  issuer: string;
  /** IDNP of a persona (outcome success). */
  persona?: string;
  outcome?: 'success' | 'cancel';
  /** Response faults (GET /api/faults, appliesTo Response). */
  faults?: string[];
  /** LogoutRequest faults for the service's next single logout(s). */
  logoutFaults?: string[];
  times?: number;
}

export interface Clock {
  now: string;
  offsetSeconds: number;
  frozenAt: string | null;
}

/** A live MPass session, addressed by its SessionIndex (the SSO cookie value is never exposed). */
export interface Session {
  sessionIndex: string;
  nameId: string;
  persona: { idnp: string; firstName: string; lastName: string };
  authnInstant: string;
  notOnOrAfter: string;
  participants: Array<Record<string, unknown>>;
}

export interface LogoutRun {
  id: string;
  finished: boolean;
  result: Record<string, unknown> | null;
  targets: Array<{ issuer: string; state: 'pending' | 'sent' | 'answered' | 'error' | 'timeout' | 'refused-framing' | 'bad-signature'; status?: string; detail?: string }>;
}

export interface SandboxEvent {
  id: number;
  at: string;
  protocol: 'mpass' | 'msign' | 'registry';
  direction: 'in' | 'out' | 'internal';
  /** AuthnRequest, Response, LogoutRequest, LogoutResponse, PostSignRequest, … */
  message: string;
  verdict: 'accepted' | 'rejected' | 'sent' | 'info';
  service?: string;
  binding?: string;
  summary?: string;
  rejection?: Rejection;
  warnings?: string[];
  xml?: string;
}

export interface MSignScript {
  /** The service's id (GET /api/services), or `serial`: its certificate serial in any hex format. */
  serviceId?: string;
  serial?: string;
  outcome?: 'success' | 'cancel' | 'expire' | 'wrong-signer';
  persona?: string;
  times?: number;
}

export interface SignRequestSummary {
  requestId: string;
  serviceId: string;
  status: 'Pending' | 'Success' | 'Failure' | 'Expired';
  contentType: 'Hash' | 'Pdf';
  contents: number;
  createdAt: string;
  expiresAt: string;
  signer?: unknown;
}

/** POST /api/conformance (issue 10): grade a service against the official test plan. */
export interface ConformanceInput {
  /** Service id or MPass issuer. */
  service: string;
  /** URL at the service that starts an MPass login (GET). */
  loginUrl: string;
  /** URL at the service that answers 2xx only to a logged-in browser. */
  checkUrl: string;
  /** URL at the service that starts its own logout (GET). */
  logoutUrl?: string;
  /** Case ids; the official plan when left out. */
  cases?: string[];
}

export interface ConformanceCase {
  id: string;
  testCase: string | null;
  title: string;
  expected: 'reject' | 'accept';
  verdict: 'pass' | 'fail' | 'error';
  reason: string;
  evidence: { sent?: unknown; serviceAnswer?: { status?: number; location?: string; bodyExcerpt?: string }; checkStatus?: number };
}

export interface ConformanceRun {
  id: string;
  status: 'running' | 'done';
  service: string;
  startedAt: string;
  finishedAt?: string | null;
  summary: { passed: number; failed: number; errors: number };
  cases: ConformanceCase[];
}

export interface Readiness {
  service: { id: string; name: string; issuer?: string };
  ready: boolean;
  checks: Array<{ id: string; ok: boolean; message: string; fix: string }>;
}

/** Every route the client calls: method and OpenAPI path template (checked against /api/openapi.json). */
export const ROUTES = {
  'services.list': ['GET', '/api/services'],
  'services.create': ['POST', '/api/services'],
  'services.get': ['GET', '/api/services/{id}'],
  'services.update': ['PUT', '/api/services/{id}'],
  'services.delete': ['DELETE', '/api/services/{id}'],
  'services.readiness': ['GET', '/api/services/{id}/readiness'],
  'services.conformanceRuns': ['GET', '/api/services/{id}/conformance'],
  'certificates.issue': ['POST', '/api/certificates'],
  'personas.list': ['GET', '/api/personas'],
  'faults.list': ['GET', '/api/faults'],
  'script.login': ['POST', '/api/script'],
  'script.list': ['GET', '/api/script'],
  'clock.get': ['GET', '/api/clock'],
  'clock.set': ['PUT', '/api/clock'],
  'clock.reset': ['DELETE', '/api/clock'],
  reset: ['POST', '/api/reset'],
  'sessions.list': ['GET', '/api/sessions'],
  'sessions.get': ['GET', '/api/sessions/{sessionIndex}'],
  'sessions.logout': ['POST', '/api/sessions/{sessionIndex}/logout'],
  'sessions.end': ['DELETE', '/api/sessions/{sessionIndex}'],
  decode: ['POST', '/api/decode'],
  'events.list': ['GET', '/api/events'],
  'msign.script': ['POST', '/api/msign/script'],
  'msign.requests': ['GET', '/api/msign/requests'],
  'conformance.start': ['POST', '/api/conformance'],
  'conformance.get': ['GET', '/api/conformance/{id}'],
} as const satisfies Record<string, readonly ['GET' | 'POST' | 'PUT' | 'DELETE', `/api/${string}`]>;

export type RouteName = keyof typeof ROUTES;

export interface SandboxClientOptions {
  /** The sandbox's PUBLIC_URL, e.g. https://sandbox.test:8080. */
  baseUrl: string;
  /** ADMIN_TOKEN of the sandbox, when it runs with one (writes need it). */
  adminToken?: string;
  /** Another fetch (a proxy agent, a test double); the global one by default. */
  fetch?: typeof fetch;
}

export function createSandboxClient(options: SandboxClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch;

  async function call<T>(route: RouteName, opts: { id?: string; query?: Record<string, string | number | boolean | undefined>; body?: unknown } = {}): Promise<T> {
    const [method, template] = ROUTES[route];
    let path: string = template;
    path = path.replace(/\{(id|sessionIndex)\}/, encodeURIComponent(opts.id ?? ''));
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) q.set(k, String(v));
    const url = `${base}${path}${q.size ? `?${q}` : ''}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (options.adminToken) headers.authorization = `Bearer ${options.adminToken}`;
    const res = await doFetch(url, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
    const text = await res.text();
    let data: unknown;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = undefined;
    }
    if (!res.ok) throw new SandboxApiError(res.status, route, rejectionsOf(data, res.status, url));
    return data as T;
  }

  return {
    services: {
      list: () => call<Service[]>('services.list'),
      create: (service: ServiceInput) => call<Service>('services.create', { body: service }),
      get: (id: string) => call<Service>('services.get', { id }),
      update: (id: string, service: ServiceInput) => call<Service>('services.update', { id, body: service }),
      delete: (id: string) => call<void>('services.delete', { id }),
      /** Every reason production would refuse this registration (issue 10 §2); `ready` only when all hold. */
      readiness: (id: string) => call<Readiness>('services.readiness', { id }),
      /** The service's conformance runs, newest first. */
      conformanceRuns: (id: string) => call<ConformanceRun[]>('services.conformanceRuns', { id }),
    },
    /** Decode a pasted SAMLRequest/SAMLResponse or Redirect URL and get the sandbox's verdict, without side effects. */
    decode: (text: string) => call<{ decoded: Record<string, unknown>; summary: Record<string, unknown>; verdict: Record<string, unknown> }>('decode', { body: { text } }),
    certificates: {
      /** Mock STISC: a service certificate, key and .pfx issued by the sandbox CA. */
      issue: (commonName: string) => call<IssuedCertificate>('certificates.issue', { body: { commonName } }),
    },
    personas: { list: () => call<Persona[]>('personas.list') },
    faults: { list: () => call<Fault[]>('faults.list') },
    script: {
      /** Answer the service's next AuthnRequest(s) at once (persona, outcome, faults), or break its next logout. */
      login: (script: LoginScript) => call<Record<string, unknown>>('script.login', { body: script }),
      list: () => call<{ logins: Array<Record<string, unknown>>; logouts: Array<Record<string, unknown>> }>('script.list'),
    },
    clock: {
      get: () => call<Clock>('clock.get'),
      /** Move the sandbox clock by `offsetSeconds`, or freeze it at `frozenAt` (ISO time). */
      set: (to: { offsetSeconds: number } | { frozenAt: string }) => call<Clock>('clock.set', { body: to }),
      reset: () => call<Clock>('clock.reset'),
    },
    /** Clear sessions, scripts, clock and events; `registry: true` also drops registrations not loaded from fixtures. */
    reset: (opts: { registry?: boolean } = {}) => call<{ reset: true; droppedRegistrations: number }>('reset', { query: { registry: opts.registry ? 'true' : undefined } }),
    sessions: {
      list: () => call<Session[]>('sessions.list'),
      /** By SessionIndex. */
      get: (sessionIndex: string) => call<Session>('sessions.get', { id: sessionIndex }),
      /** Sandbox-initiated single logout (TC_FUNCT_05), the sandbox playing the browser. */
      logout: (sessionIndex: string) => call<LogoutRun>('sessions.logout', { id: sessionIndex }),
      /** End the session at the sandbox only, as an expiry would: no service is told. */
      end: (sessionIndex: string) => call<void>('sessions.end', { id: sessionIndex }),
    },
    events: {
      /** Newest first. */
      list: (opts: { limit?: number; protocol?: SandboxEvent['protocol'] } = {}) => call<SandboxEvent[]>('events.list', { query: opts }),
    },
    msign: {
      /** Finish the service's next SignRequest(s) at once, without the signing page. */
      script: (script: MSignScript) => call<{ serviceId: string; queued: number }>('msign.script', { body: script }),
      requests: () => call<SignRequestSummary[]>('msign.requests'),
    },
    conformance: {
      start: (input: ConformanceInput) => call<{ id: string; status: 'running' | 'done' }>('conformance.start', { body: input }),
      get: (id: string) => call<ConformanceRun>('conformance.get', { id }),
      /** Poll until the run is done (or `timeoutMs` passes, then a SandboxApiError ERR_CLIENT_TIMEOUT). */
      wait: async (id: string, opts: { timeoutMs?: number; intervalMs?: number } = {}): Promise<ConformanceRun> => {
        const until = Date.now() + (opts.timeoutMs ?? 120_000);
        for (;;) {
          const run = await call<ConformanceRun>('conformance.get', { id });
          if (run.status === 'done') return run;
          if (Date.now() > until) {
            throw new SandboxApiError(0, 'conformance.get', [{ code: 'ERR_CLIENT_TIMEOUT', where: 'conformance.wait', message: `Run ${id} still running after ${opts.timeoutMs ?? 120_000} ms.`, fix: 'Give timeoutMs more time, or look at GET /api/conformance/:id.' }]);
          }
          await new Promise((r) => setTimeout(r, opts.intervalMs ?? 500));
        }
      },
    },
  };
}

export type SandboxClient = ReturnType<typeof createSandboxClient>;

/** The sandbox answers `{ error: Rejection }` or `{ errors: Rejection[] }`; anything else is described by its status. */
function rejectionsOf(data: unknown, status: number, url: string): Rejection[] {
  if (data && typeof data === 'object') {
    const d = data as { error?: Rejection; errors?: Rejection[] };
    if (Array.isArray(d.errors) && d.errors.length) return d.errors;
    if (d.error && typeof d.error.code === 'string') return [d.error];
  }
  return [{ code: `ERR_HTTP_${status}`, where: url, message: `HTTP ${status} without a sandbox rejection in the body.`, fix: 'Check baseUrl points at the sandbox (GET /health answers {"status":"ok"}).' }];
}
