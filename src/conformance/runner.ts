// The conformance runner (issue 10 §1): plays a fresh browser per case against a service, answers the
// service's AuthnRequest with the case (persona, outcome, faults) through the sandbox's own /login/saml, and
// grades by what matters: whether the service opened a session (checkUrl answers 2xx), not by the status
// its ACS returns. Everything the browser does goes over HTTP, so the runner judges the public behaviour of
// the sandbox and of the service alike; only the case set-up (the login script, the sandbox-initiated
// logout) uses the protocol core in-process.
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { SandboxError } from '../errors.js';
import type { EventLog } from '../events.js';
import type { MPassIdp } from '../mpass/idp.js';
import type { SingleLogout } from '../mpass/logout.js';
import type { Persona } from '../personas.js';
import type { Service } from '../registry/service.js';
import { SSO_COOKIE } from '../http/cookies.js';
import { Browser, BrowserError, type AutoPostForm, type Hop } from './browser.js';
import type { PlannedCase } from './plan.js';

export type Verdict = 'pass' | 'fail' | 'error';

export interface Evidence {
  /** The message the sandbox sent for this case, decoded. */
  sent: { message: string; to: string; xml: string } | null;
  serviceAnswer: { status: number; location?: string; bodyExcerpt: string } | null;
  checkStatus: number | null;
}

export interface CaseResult {
  id: string;
  testCase: string | null;
  title: string;
  expected: 'accept' | 'reject';
  verdict: Verdict;
  reason: string;
  /** What to change when the verdict is not pass. */
  fix?: string;
  evidence: Evidence;
  durationMs: number;
}

export interface RunTarget {
  loginUrl: string;
  checkUrl: string;
  logoutUrl?: string;
}

export interface ConformanceRun {
  id: string;
  status: 'running' | 'done';
  service: { id: string; issuer: string; name: string };
  target: RunTarget;
  startedAt: string;
  finishedAt: string | null;
  summary: { passed: number; failed: number; errors: number };
  planned: number;
  cases: CaseResult[];
}

export interface RunnerDeps {
  config: Config;
  clock: Clock;
  mpass: MPassIdp;
  slo: SingleLogout;
  personas: Persona[];
  events: EventLog;
}

/** A case that cannot be run: its verdict is `error`, never `pass`. */
class Unrunnable extends Error {}
class Fail extends Error {}

const isOk = (status: number | null | undefined) => status !== null && status !== undefined && status >= 200 && status < 300;

export function excerpt(body: string, max = 300): string {
  const text = body.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/gi, ' ').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

const decode = (b64: string | undefined) => (b64 ? Buffer.from(b64, 'base64').toString('utf8') : '');

/** POST-binding messages are plain base64; Redirect-binding ones (and node-saml's) raw DEFLATE first (SAML Bindings §3.4.4.1). */
function decodeMaybeDeflated(b64: string | undefined): string {
  if (!b64) return '';
  const raw = Buffer.from(b64, 'base64');
  if (raw.toString('utf8').trimStart().startsWith('<')) return raw.toString('utf8');
  try {
    return zlib.inflateRawSync(raw, { maxOutputLength: 1024 * 1024 }).toString('utf8');
  } catch {
    return '(not decodable)';
  }
}

export class ConformanceRunner {
  private readonly runs = new Map<string, ConformanceRun>();
  /** Runs of one service go one after another: the login scripts they leave are per issuer. */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(private readonly deps: RunnerDeps) {}

  get(id: string): ConformanceRun | undefined {
    return this.runs.get(id);
  }

  /** Newest first. */
  forService(serviceId: string): ConformanceRun[] {
    return [...this.runs.values()].filter((r) => r.service.id === serviceId).reverse();
  }

  start(service: Service, target: RunTarget, plan: PlannedCase[]): ConformanceRun {
    const max = this.deps.config.conformanceMaxRuns;
    if ([...this.runs.values()].filter((r) => r.status === 'running').length >= max) {
      throw new SandboxError(429, { code: 'ERR_TOO_MANY_RUNS', where: 'conformance', message: `${max} conformance runs are already running or queued.`, fix: 'Wait for a run to finish (GET /api/conformance/:id), or raise CONFORMANCE_MAX_RUNS.' });
    }
    const run: ConformanceRun = {
      id: crypto.randomUUID(),
      status: 'running',
      service: { id: service.id, issuer: service.mpass!.issuer, name: service.name.en },
      target,
      startedAt: this.deps.clock.now().toISOString(),
      finishedAt: null,
      summary: { passed: 0, failed: 0, errors: 0 },
      planned: plan.length,
      cases: [],
    };
    this.runs.set(run.id, run);
    while (this.runs.size > max) {
      const oldest = [...this.runs.values()].find((r) => r.status === 'done');
      if (!oldest) break;
      this.runs.delete(oldest.id);
    }
    const issuer = run.service.issuer;
    const previous = this.queues.get(issuer) ?? Promise.resolve();
    const next = previous.then(() => this.execute(run, service, plan));
    this.queues.set(issuer, next);
    void next.finally(() => {
      if (this.queues.get(issuer) === next) this.queues.delete(issuer);
    });
    return run;
  }

  /** Resolves when the run is done (tests, the CLI's server side). */
  async settled(id: string): Promise<ConformanceRun | undefined> {
    const run = this.runs.get(id);
    if (run) await this.queues.get(run.service.issuer);
    return this.runs.get(id);
  }

  private async execute(run: ConformanceRun, service: Service, plan: PlannedCase[]): Promise<void> {
    for (const c of plan) {
      const result = await this.runCase(service, run.target, c);
      run.cases.push(result);
      if (result.verdict === 'pass') run.summary.passed++;
      else if (result.verdict === 'fail') run.summary.failed++;
      else run.summary.errors++;
    }
    run.status = 'done';
    run.finishedAt = this.deps.clock.now().toISOString();
  }

  private async runCase(service: Service, target: RunTarget, c: PlannedCase): Promise<CaseResult> {
    const started = Date.now();
    const limit = this.deps.config.conformanceCaseTimeoutMs;
    const abort = new AbortController();
    const ctx = new CaseContext(this.deps, service, target, abort.signal);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_r, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(new Unrunnable(`the per-case time limit (${limit} ms, CONFORMANCE_CASE_TIMEOUT_MS) passed`));
      }, limit);
    });
    const base = { id: c.id, testCase: c.testCase, title: c.title, expected: c.expected };
    try {
      const reason = await Promise.race([ctx.run(c), timeout]);
      return { ...base, verdict: 'pass', reason, evidence: ctx.evidence, durationMs: Date.now() - started };
    } catch (e) {
      const verdict: Verdict = e instanceof Fail ? 'fail' : 'error';
      const reason = e instanceof Fail || e instanceof Unrunnable ? e.message : e instanceof BrowserError ? `the case could not be run: ${e.message}` : `the runner hit an unexpected error: ${(e as Error)?.message ?? String(e)}`;
      return { ...base, verdict, reason, fix: verdict === 'fail' ? c.fix : 'Make loginUrl and checkUrl reachable from the sandbox, and check that the service is registered with this sandbox and its AuthnRequests are accepted (see the event log).', evidence: ctx.evidence, durationMs: Date.now() - started };
    } finally {
      clearTimeout(timer);
      abort.abort();
      ctx.cleanup();
    }
  }
}

interface Login {
  /** the Response form the sandbox handed to the browser */
  response: AutoPostForm;
  /** the sandbox showed its login page (no script answered) */
  loginPage: boolean;
}

/** One case: its browser(s), its script, its evidence. */
class CaseContext {
  readonly evidence: Evidence = { sent: null, serviceAnswer: null, checkStatus: null };
  private scriptIds: string[] = [];
  private logoutScript?: { issuer: string; faults: string[]; remaining: number };
  private readonly sandboxOrigin: string;
  private readonly issuer: string;
  private lastEventId: number;

  constructor(
    private readonly deps: RunnerDeps,
    service: Service,
    private readonly target: RunTarget,
    private readonly signal: AbortSignal,
  ) {
    this.sandboxOrigin = new URL(deps.config.publicUrl).origin;
    this.issuer = service.mpass!.issuer;
    this.lastEventId = deps.events.list(1)[0]?.id ?? 0;
  }

  private browser(): Browser {
    return new Browser(this.signal, this.deps.config.outboundAllow);
  }

  private get persona(): string {
    return this.deps.personas[0]!.idnp;
  }

  cleanup(): void {
    const m = this.deps.mpass;
    m.withdrawScripts(this.scriptIds, this.logoutScript);
  }

  async run(c: PlannedCase): Promise<string> {
    switch (c.kind) {
      case 'funct-01': {
        const b = await this.freshBrowser();
        await this.login(b, { outcome: 'success', faults: [] });
        return this.expectSession(b, 'A clean login opened a session.', 'The Response was a clean, valid login, yet checkUrl does not answer 2xx: the service did not open a session.');
      }
      case 'funct-02': {
        const b = await this.freshBrowser();
        await this.loggedIn(b);
        b.keepOnly(this.sandboxOrigin); // logged in at MPass only: the service's own session is gone
        const l = await this.login(b, undefined);
        if (l.loginPage) throw new Fail('MPass showed its login page again although the browser has an MPass session: the AuthnRequest asks for ForceAuthn, or the SSO cookie did not reach /login/saml.');
        return this.expectSession(b, 'The second login was answered from the MPass session (no login page) and opened a session.', 'The SSO Response (no login page) did not open a session.');
      }
      case 'funct-03': {
        const b = await this.freshBrowser();
        await this.login(b, { outcome: 'cancel', faults: [] });
        const statuses = [this.evidence.serviceAnswer?.status, this.deliverLast?.status].filter((s): s is number => s !== undefined);
        const check = await this.check(b);
        if (isOk(check)) throw new Fail(`After Cancel (status Responder/AuthnFailed) checkUrl answers ${check}: the service opened a session.`);
        const error = statuses.find((s) => s >= 500);
        if (error) throw new Fail(`The service answered the Cancel Response with HTTP ${error}: the user sees an error (TC_FUNCT_03 requires none).`);
        return `Cancel left no session (checkUrl ${check}) and the service answered ${statuses.join(' → ') || '—'} without a 5xx.`;
      }
      case 'funct-04': {
        if (!this.target.logoutUrl) throw new Unrunnable('TC_FUNCT_04 needs logoutUrl (the URL at the service that starts its own logout).');
        const b = await this.freshBrowser();
        await this.loggedIn(b);
        const from = b.hops.length;
        await b.navigate('GET', this.target.logoutUrl);
        const hops = b.hops.slice(from);
        const atSandbox = hops.find((h) => this.isSandbox(h.url, '/logout/saml') && (h.fields?.SAMLRequest !== undefined || new URL(h.url).searchParams.has('SAMLRequest')));
        this.evidence.serviceAnswer = answer(hops[0]);
        if (!atSandbox) throw new Fail(`logoutUrl answered ${hops[0]?.status} but no LogoutRequest reached MPass ${this.deps.config.publicUrl}/logout/saml.`);
        const request = atSandbox.fields?.SAMLRequest ?? new URL(atSandbox.url).searchParams.get('SAMLRequest') ?? undefined;
        this.evidence.sent = { message: 'LogoutRequest (sent by the service)', to: atSandbox.url.split('?')[0]!, xml: decodeMaybeDeflated(request) };
        if (atSandbox.status >= 400) throw new Fail(`MPass refused the service's LogoutRequest (HTTP ${atSandbox.status}): ${this.rejectionSince('LogoutRequest') ?? excerpt(atSandbox.body)}`);
        const check = await this.check(b);
        if (isOk(check)) throw new Fail(`After the service's own logout, checkUrl still answers ${check}: the local session was not ended.`);
        return `The service sent a valid signed LogoutRequest, MPass answered, and checkUrl answers ${check}.`;
      }
      case 'funct-05':
      case 'logout-fault': {
        const b = await this.freshBrowser();
        await this.loggedIn(b);
        const fault = c.kind === 'logout-fault' ? c.fault! : undefined;
        const state = await this.sandboxLogout(b, fault?.id);
        const check = await this.check(b);
        if (!fault) {
          if (state.state !== 'answered') throw new Fail(`The service did not answer the MPass LogoutRequest with a valid signed Success LogoutResponse (${state.state}${state.detail ? `: ${state.detail}` : ''}).`);
          if (isOk(check)) throw new Fail(`The service answered the LogoutRequest, but checkUrl still answers ${check}: the session was not ended.`);
          return `The service answered with a valid signed LogoutResponse and its session is gone (checkUrl ${check}).`;
        }
        if (!isOk(check)) throw new Fail(`The service accepted the bad LogoutRequest (${fault.changes}) and ended the session (checkUrl ${check}).`);
        return `The service refused the bad LogoutRequest: its session stays (checkUrl ${check}).`;
      }
      case 'response-fault': {
        const f = c.fault!;
        const b = await this.freshBrowser();
        if (f.replay) {
          const l = await this.login(b, { outcome: 'success', faults: [] }, true);
          await this.deliver(b, l.response); // first delivery: a session may open in the victim's browser
          const attacker = this.browser();
          await this.deliver(attacker, l.response);
          const check = await this.check(attacker);
          if (isOk(check)) throw new Fail(`The identical Response posted again from another browser opened a session there (checkUrl ${check}).`);
          return `The second delivery of the same Response was refused (checkUrl ${check} in the second browser).`;
        }
        await this.login(b, { outcome: 'success', faults: [f.id] });
        const check = await this.check(b);
        if (c.expected === 'accept') {
          if (!isOk(check)) throw new Fail(`The Response is valid (${f.changes}) but the service opened no session (checkUrl ${check}).`);
          return `The service accepted the valid Response (checkUrl ${check}).`;
        }
        if (isOk(check)) throw new Fail(`The service opened a session (checkUrl ${check}) although: ${f.changes}`);
        return `The service refused the Response (ACS answered ${this.evidence.serviceAnswer?.status ?? '—'}, checkUrl ${check}).`;
      }
    }
  }

  private deliverLast: Hop | undefined;

  private async expectSession(b: Browser, passed: string, failed: string): Promise<string> {
    const check = await this.check(b);
    if (!isOk(check)) throw new Fail(`${failed} (checkUrl ${check}; ACS answered ${this.evidence.serviceAnswer?.status ?? '—'}${this.evidence.serviceAnswer?.bodyExcerpt ? `: ${this.evidence.serviceAnswer.bodyExcerpt}` : ''})`);
    return `${passed} (checkUrl ${check})`;
  }

  private isSandbox(url: string, path?: string): boolean {
    const u = new URL(url);
    return u.origin === this.sandboxOrigin && (path === undefined || u.pathname === path);
  }

  /** A fresh browser, after making sure checkUrl does not already answer 2xx to it (else it proves nothing). */
  private async freshBrowser(): Promise<Browser> {
    const b = this.browser();
    const hop = await b.request('GET', this.target.checkUrl);
    if (isOk(hop.status)) throw new Unrunnable(`checkUrl answers ${hop.status} to a browser that never logged in, so it cannot tell whether a session opened. Give a URL that answers 2xx only to a logged-in browser.`);
    return b;
  }

  private async check(b: Browser): Promise<number> {
    const hop = await b.request('GET', this.target.checkUrl);
    this.evidence.checkStatus = hop.status;
    return hop.status;
  }

  /** A clean login that must open a session: the precondition of TC_FUNCT_02, 04, 05 and the logout faults. */
  private async loggedIn(b: Browser): Promise<void> {
    await this.login(b, { outcome: 'success', faults: [] });
    const check = await this.check(b);
    if (!isOk(check)) throw new Unrunnable(`precondition failed: a clean login did not open a session (checkUrl ${check}); see TC_FUNCT_01.`);
  }

  /**
   * GET loginUrl, let the service's AuthnRequest reach the sandbox and be answered (by a script when given),
   * then post the Response to the ACS — unless `hold`, then the Response form is returned undelivered.
   */
  private async login(b: Browser, script: { outcome: 'success' | 'cancel'; faults: string[] } | undefined, hold = false): Promise<Login> {
    let scriptId: string | undefined;
    if (script) {
      scriptId = this.deps.mpass.addScript({ issuer: this.issuer, persona: this.persona, outcome: script.outcome, faults: script.faults }).id;
      this.scriptIds.push(scriptId);
    }
    const from = b.hops.length;
    const { last, held } = await b.navigate('GET', this.target.loginUrl, undefined, (form) => form.fields.SAMLResponse !== undefined && !this.isSandbox(form.action));
    const hops = b.hops.slice(from);
    const atSandbox = hops.filter((h) => this.isSandbox(h.url, '/login/saml'));
    if (!atSandbox.length) throw new Unrunnable(`no AuthnRequest reached the sandbox: loginUrl answered ${hops[0]!.status}${hops.length > 1 ? ` and the browser ended at ${last.url} (${last.status})` : ''}.`);
    const refused = atSandbox.find((h) => h.status >= 400);
    if (refused) throw new Unrunnable(`the sandbox refused the service's AuthnRequest (HTTP ${refused.status}): ${this.rejectionSince('AuthnRequest') ?? excerpt(refused.body)}`);
    if (scriptId && this.deps.mpass.scripts.some((s) => s.id === scriptId)) throw new Unrunnable('the AuthnRequest reached the sandbox but the case could not be applied to it.');
    if (!held) {
      const loginPage = this.isSandbox(last.url, '/login/saml') && /name="pending"/.test(last.body);
      if (loginPage && !script) return { response: { action: '', fields: {} }, loginPage: true };
      throw new Unrunnable(`the sandbox did not hand a Response to the browser (ended at ${last.url}, ${last.status}).`);
    }
    this.evidence.sent = { message: 'Response', to: held.action, xml: decode(held.fields.SAMLResponse) };
    if (!hold) await this.deliver(b, held);
    return { response: held, loginPage: false };
  }

  /** Post a Response form to the ACS and follow what the service does; the ACS answer is the evidence. */
  private async deliver(b: Browser, form: AutoPostForm): Promise<void> {
    const from = b.hops.length;
    const { last } = await b.navigate('POST', form.action, form.fields);
    this.evidence.serviceAnswer = answer(b.hops[from]);
    this.deliverLast = last;
  }

  /**
   * The sandbox's own logout of the browser's MPass session (TC_FUNCT_05, MPASS.md §8.3): the LogoutRequest
   * for this service goes through the browser's jar (as the logout page's iframe would post it), the
   * service's LogoutResponse comes back the same way to /logout/saml.
   */
  private async sandboxLogout(b: Browser, fault: string | undefined) {
    const { mpass, slo } = this.deps;
    const session = mpass.sessions.get(b.cookie(this.deps.config.publicUrl, SSO_COOKIE));
    if (!session) throw new Unrunnable('the browser holds no MPass session after the login (the SSO cookie is missing).');
    if (fault) {
      this.logoutScript = mpass.addLogoutScript({ issuer: this.issuer, faults: [fault], remaining: 1 });
    }
    const run = slo.startForSession(session);
    const index = run.targets.findIndex((t) => t.issuer === this.issuer);
    const t = run.targets[index];
    if (!t) throw new Unrunnable('the MPass session does not list this service.');
    slo.markSent(run, index);
    const ctx = t.context;
    this.evidence.sent = { message: 'LogoutRequest', to: t.destination, xml: ctx.binding === 'HTTP-POST' ? decode(ctx.fields.SAMLRequest) : '' };
    const from = b.hops.length;
    try {
      if (ctx.binding === 'HTTP-POST') await b.navigate('POST', ctx.action, ctx.fields);
      else await b.navigate('GET', ctx.location);
    } finally {
      this.evidence.serviceAnswer = answer(b.hops[from]);
      slo.finish(run);
    }
    return { state: t.state, detail: t.detail };
  }

  /** The sandbox's own reason for refusing a message during this case (the event log). */
  private rejectionSince(message: string): string | undefined {
    const e = this.deps.events.list(50, (x) => x.id > this.lastEventId && x.message === message && x.verdict === 'rejected')[0];
    return e?.rejection ? `${e.rejection.code} at ${e.rejection.where}: ${e.rejection.message} Fix: ${e.rejection.fix}` : undefined;
  }
}

function answer(h: Hop | undefined): Evidence['serviceAnswer'] {
  return h ? { status: h.status, location: h.location, bodyExcerpt: excerpt(h.body) } : null;
}
