// `npm run bench`: one run, one machine, one table (and bench/results.json).
// Sections, each a function returning rows for the table and a JSON object:
//   floor()      what the XML-signature work alone costs on one core (xml-crypto verify + sign, raw RSA-2048)
//   coldStart()  spawn → first 200 from /health, with keys present and with key generation
//   sso()        full SSO round-trips over HTTP against the built sandbox + RSS under 100 000 scripted logins
//   samlIdp()    the same work against npm `saml-idp`, for a ratio
// An MSign section (SOAP PostSignRequest/GetSignResponse) can be added as one more function of the same shape
// and one more line in main().
//
//   registry()   10 000 registrations: registration p50/p99, a page of GET /api/services, /health meanwhile
// Knobs (env): BENCH_LOGINS (default 25000, see below), BENCH_CONCURRENCY (16), BENCH_CPU_PROF=dir (run the SSO
// child under `node --cpu-prof` and write the .cpuprofile there; analyse with `node dist/bench/profile-top.js
// <file>`), BENCH_NODE_ARGS (more node flags for the SSO child), BENCH_PLAIN_NODE=1 (SSO child without `npm start`'s flags), BENCH_ONLY=sso|msign|start|signing|registry|c14n (that section alone).
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { SignedXml } from 'xml-crypto';
import { signedOfficialAuthnRequest } from '../test/official-client.js';
import { signCanonical } from '../src/mpass/sign-canonical.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAIN = path.join(ROOT, 'dist', 'src', 'main.js');
const SP_ISSUER = 'https://ecoalert.localhost';
const SP_ACS = 'http://localhost:3000/mpass-login';
const SP_KEY = fs.readFileSync(path.join(ROOT, 'fixtures/keys/ecoalert.throwaway-key.pem'), 'utf8');
const SP_CERT = fs.readFileSync(path.join(ROOT, 'fixtures/services/ecoalert.cer.pem'), 'utf8');
const PERSONA = '2001000000011';
// 100 000 logins take ~18 min on the 2-core reference machine (xml-crypto bounds a login at ~10 ms of CPU), so
// the default is 25 000: past the 20 000-session bound of the store, which is what "flat" has to show, and the
// whole run stays near 6 minutes. BENCH_LOGINS=100000 runs the full count.
const LOGINS = Number(process.env.BENCH_LOGINS ?? 25_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const CPU_PROF = process.env.BENCH_CPU_PROF;
const ONLY = process.env.BENCH_ONLY;
const POOL = 1000;

type Row = [string, string, string?];
interface Section {
  rows: Row[];
  json: Record<string, unknown>;
}

// ---------------------------------------------------------------- helpers

const tmp = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `bench-${name}-`));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (sorted: Float64Array, p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
const f0 = (n: number) => n.toFixed(0);
const f1 = (n: number) => n.toFixed(1);
const f2 = (n: number) => n.toFixed(2);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

// Control requests get a fresh connection: node 20's global agent keeps sockets alive, and reusing one that
// the server is closing after its keep-alive timeout ends in 'socket hang up'.
const ONE_SHOT = new http.Agent({ keepAlive: false });

function request(port: number, method: string, p: string, body?: string | Buffer, headers: Record<string, string> = {}, agent?: http.Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: p, headers: body ? { 'content-length': String(Buffer.byteLength(body)), ...headers } : headers, agent: agent ?? ONE_SHOT }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Poll GET `p` until 200 (every 2 ms); returns ms since `t0`. */
async function waitFor200(port: number, p: string, t0: number, child: ChildProcess, timeoutMs = 30000): Promise<number> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`child exited with ${child.exitCode} before answering ${p}`);
    try {
      const r = await request(port, 'GET', p);
      if (r.status === 200) return performance.now() - t0;
    } catch {
      /* not listening yet */
    }
    if (performance.now() - t0 > timeoutMs) throw new Error(`no 200 from ${p} within ${timeoutMs} ms`);
    await sleep(2);
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    // `npm start` does not pass SIGTERM on to the node it runs through sh: a detached child leads its own
    // process group, so signal that group (our own child's pid, checked positive) and both stop.
    if ((child.spawnargs[0] === 'npm') && typeof child.pid === 'number' && child.pid > 0) process.kill(-child.pid, 'SIGTERM');
    else child.kill('SIGTERM');
  });
}

interface Sandbox {
  child: ChildProcess;
  port: number;
  url: string;
  startMs: number;
}

async function startSandbox(opts: { certsDir?: string; dataDir?: string; nodeArgs?: string[]; onStdout?: (chunk: string) => void; msignPort?: number; viaNpmStart?: boolean } = {}): Promise<Sandbox> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = { ...process.env, PORT: String(port), PUBLIC_URL: url, DATA_DIR: opts.dataDir ?? tmp('data'), CERTS_DIR: opts.certsDir ?? tmp('certs'), FIXTURES_DIR: path.join(ROOT, 'fixtures'), LOG_LEVEL: 'warn', ADMIN_TOKEN: '', MSIGN_TLS_PORT: String(opts.msignPort ?? 0) };
  const t0 = performance.now();
  // `npm start` is what a CI job runs: it includes npm's own start-up and the launcher's is-the-build-current check.
  const child = opts.viaNpmStart
    ? spawn('npm', ['start', '--silent'], { env, cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], detached: true })
    : spawn(process.execPath, [...(opts.nodeArgs ?? []), MAIN], { env, cwd: ROOT, stdio: ['ignore', opts.onStdout ? 'pipe' : 'ignore', 'inherit'] });
  if (opts.onStdout) child.stdout!.setEncoding('utf8').on('data', opts.onStdout);
  const startMs = await waitFor200(port, '/health', t0, child);
  return { child, port, url, startMs };
}

/** The node flags of `npm start` (package.json: `node <flags> bin/start.mjs`; the Dockerfile's CMD repeats them). */
function startFlags(): string[] {
  const start = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start!;
  const m = /^node((?: --[\w-]+(?:=\S+)?)*) bin\/start\.mjs$/.exec(start);
  if (!m) throw new Error(`package.json "start" is not \`node [--flags] bin/start.mjs\`: ${start}`);
  return m[1]!.split(' ').filter(Boolean);
}

// ---------------------------------------------------------------- load generator

interface LoadResult {
  count: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  firstError?: string;
}

/**
 * `concurrency` keep-alive connections, each posting the next body of the pool as soon as its previous answer
 * is complete (closed loop). Stops after `total` requests or `durationMs`. A request counts when the answer is
 * a 200 whose body contains `expect`. `onDone(n)` runs after each completed request.
 */
async function load(opts: { port: number; path: string; bodies: Buffer[] | ((i: number) => Buffer); headers: Record<string, string>; expect: string; total?: number; durationMs?: number; onDone?: (n: number) => void }): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const limit = opts.total ?? Infinity;
  const lat = new Float64Array(Math.min(limit, 2_000_000));
  let started = 0;
  let done = 0;
  let errors = 0;
  let firstError: string | undefined;
  const t0 = performance.now();
  const deadline = opts.durationMs ? t0 + opts.durationMs : Infinity;
  const worker = async () => {
    while (started < limit && performance.now() < deadline) {
      const i = started++;
      const body = typeof opts.bodies === 'function' ? opts.bodies(i) : opts.bodies[i % opts.bodies.length]!;
      const s = performance.now();
      try {
        const r = await request(opts.port, 'POST', opts.path, body, opts.headers, agent);
        if (r.status !== 200 || !r.body.includes(opts.expect)) {
          errors++;
          firstError ??= `${r.status} ${r.body.slice(0, 300)}`;
        }
      } catch (e) {
        errors++;
        firstError ??= (e as Error).message;
      }
      if (done < lat.length) lat[done] = performance.now() - s;
      done++;
      opts.onDone?.(done);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  const sorted = lat.subarray(0, Math.min(done, lat.length)).sort();
  return { count: done, seconds, rps: done / seconds, p50: pct(sorted, 0.5), p99: pct(sorted, 0.99), errors, firstError };
}

// ---------------------------------------------------------------- pre-signed AuthnRequests

/** Distinct AuthnRequests (unique IDs), signed exactly like the official .NET client, as form bodies. */
function authnRequestPool(ssoUrl: string, n: number, first = 0): Buffer[] {
  const out: Buffer[] = [];
  for (let i = first; i < first + n; i++) {
    const xml = signedOfficialAuthnRequest({ destination: ssoUrl, acs: SP_ACS, issuer: SP_ISSUER }, SP_KEY, SP_CERT);
    out.push(Buffer.from(`SAMLRequest=${encodeURIComponent(Buffer.from(xml).toString('base64'))}&RelayState=bench-${i}`));
  }
  return out;
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

function samlResponseOf(html: string): string {
  const m = /name="SAMLResponse"\s+value="([^"]+)"/.exec(html);
  if (!m) throw new Error(`no SAMLResponse in ${html.slice(0, 300)}`);
  return Buffer.from(m[1]!.replace(/&#x2B;|&#43;/g, '+').replace(/&#x3D;|&#61;/g, '='), 'base64').toString('utf8');
}

// ---------------------------------------------------------------- 3. floor of the XML-signature work

async function floor(sampleResponse: string): Promise<Section & { perLogin: number; rsaPerSec: number; fastOverXmlCrypto: number }> {
  // The floor is xml-crypto used as cheaply as it can be: keys parsed once (KeyObject), KeyInfo built once.
  // The same two operations with PEM strings (how src/ called xml-crypto before the profile) are shown too.
  const spPublic = crypto.createPublicKey(SP_CERT);
  const idpKey = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = idpKey.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const keyInfo = SignedXml.getKeyInfoContent({ publicCert: SP_CERT });
  // One official-style AuthnRequest verification against the registered certificate (KeyInfo not trusted) …
  const req = signedOfficialAuthnRequest({ destination: 'http://127.0.0.1:1/login/saml', acs: SP_ACS, issuer: SP_ISSUER }, SP_KEY, SP_CERT);
  const sigXml = /<Signature[\s\S]*<\/Signature>/.exec(req)![0];
  const verify = (publicCert: crypto.KeyObject | string) => () => {
    const sig = new SignedXml({ publicCert, getCertFromKeyInfo: () => null });
    sig.loadSignature(sigXml);
    if (!sig.checkSignature(req)) throw new Error('floor: verification failed');
  };
  // … plus one signature of a Response of the same size as ours (our own Response with its signature removed),
  // signed the way src/mpass/signature.ts signs: RSA-SHA256, SHA-256, exc-c14n, enveloped, KeyInfo.
  const unsigned = sampleResponse.replace(/<Signature xmlns="http:\/\/www.w3.org\/2000\/09\/xmldsig#">[\s\S]*?<\/Signature>/, '');
  const id = /<samlp:Response[^>]* ID="([^"]+)"/.exec(unsigned)![1]!;
  const sign = (privateKey: crypto.KeyObject | string, cached: boolean) => () => {
    const sig = new SignedXml({ privateKey, publicCert: SP_CERT, ...(cached ? { getKeyInfoContent: () => keyInfo } : {}), signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#' });
    const sel = `//*[local-name()='Response' and @ID='${id}']`;
    sig.addReference({ xpath: sel, transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'], digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256' });
    sig.computeSignature(unsigned, { location: { reference: `${sel}/*[local-name()='Issuer']`, action: 'after' } });
    return sig.getSignedXml();
  };
  const rate = (fn: () => unknown, ms: number) => {
    for (let i = 0; i < 30; i++) fn();
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < ms) {
      fn();
      n++;
    }
    return n / ((performance.now() - t0) / 1000);
  };
  const v = verify(spPublic);
  const sg = sign(idpKey.privateKey, true);
  const pair = rate(() => (v(), sg()), 3000);
  const verifyRate = rate(v, 1000);
  const signRate = rate(sg, 1000);
  const vPem = verify(SP_CERT);
  const sPem = sign(keyPem, false);
  const pairPem = rate(() => (vPem(), sPem()), 2000);
  // The sandbox's own signer (src/mpass/sign-canonical.ts): the same Response, already written canonical.
  const fastKey = { privateKeyPem: keyPem, certificatePem: SP_CERT };
  const fast = () => signCanonical(unsigned, id, { key: fastKey });
  const sigValue = (xml: string) => /<SignatureValue>([^<]+)</.exec(xml)?.[1];
  if (sigValue(fast()) !== sigValue(sg())) throw new Error('floor: the fast signer and xml-crypto disagree on the sample Response');
  const fastRate = rate(fast, 1500);
  const signRate2 = rate(sg, 1500); // again, next to it in time: the VM is noisy
  const data = Buffer.alloc(600, 1);
  const rsaPerSec = rate(() => crypto.sign('sha256', data, idpKey.privateKey), 1500);
  const fastOverXmlCrypto = fastRate / signRate2;
  return {
    perLogin: pair,
    rsaPerSec,
    fastOverXmlCrypto,
    rows: [
      [`fast-path sign (same Response, no DOM), one core`, `${f0(fastRate)} /s`, `xml-crypto next to it: ${f0(signRate2)} /s`],
      ['fast-path sign / xml-crypto sign', `${f2(fastOverXmlCrypto)} ×`, 'target ≥ 4×'],
      ['xml-crypto verify (AuthnRequest), one core', `${f0(verifyRate)} /s`],
      [`xml-crypto sign (Response, ${unsigned.length} B), one core`, `${f0(signRate)} /s`],
      ['floor: verify + sign, one core', `${f0(pair)} /s`],
      ['  same with PEM strings (keys re-decoded per call)', `${f0(pairPem)} /s`],
      ['RSA-2048 crypto.sign, one core', `${f0(rsaPerSec)} /s`],
    ],
    json: { verifyPerSec: verifyRate, signPerSec: signRate, fastSignPerSec: fastRate, fastOverXmlCryptoSign: fastOverXmlCrypto, verifyPlusSignPerSec: pair, verifyPlusSignWithPemPerSec: pairPem, rsa2048SignPerSec: rsaPerSec, responseBytes: unsigned.length },
  };
}

// ---------------------------------------------------------------- 4. cold start

async function coldStart(): Promise<Section> {
  const runs = 5;
  const certs = tmp('certs-warm');
  await stop((await startSandbox({ certsDir: certs })).child); // first start generates the keys
  const withKeys: number[] = [];
  const npmStart: number[] = [];
  const fresh: number[] = [];
  for (let i = 0; i < runs; i++) {
    const a = await startSandbox({ certsDir: certs });
    withKeys.push(a.startMs);
    await stop(a.child);
    const n = await startSandbox({ certsDir: certs, viaNpmStart: true });
    npmStart.push(n.startMs);
    await stop(n.child);
    const b = await startSandbox();
    fresh.push(b.startMs);
    await stop(b.child);
  }
  return {
    rows: [
      ['`npm start` → /health 200, keys present (median of 5)', `${f0(median(npmStart))} ms`, `target < 1000 ms: ${median(npmStart) < 1000 ? 'met' : 'NOT met'}`],
      ['node dist/src/main.js → /health 200, keys present (median of 5)', `${f0(median(withKeys))} ms`, 'target < 500 ms'],
      ['cold start, first start with key generation (median of 5)', `${f0(median(fresh))} ms`],
    ],
    json: { npmStartMs: npmStart, npmStartMedianMs: median(npmStart), withKeysMs: withKeys, freshMs: fresh, withKeysMedianMs: median(withKeys), freshMedianMs: median(fresh) },
  };
}

// ---------------------------------------------------------------- 1 + 5. SSO throughput and memory

async function sso(): Promise<Section & { rps: number; sample: string }> {
  const profDir = CPU_PROF ? path.resolve(CPU_PROF) : undefined;
  if (profDir) fs.mkdirSync(profDir, { recursive: true });
  const extra = process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : [];
  // RSS says what the OS gives the process, which under this allocation rate is mostly V8's heap sizing (it keeps
  // 70–120 MB committed for ~25 MB live). To tell retention from GC headroom, the child also runs with
  // --trace-gc (one stdout line per GC; LOG_LEVEL=warn keeps the log quiet) and we keep the live heap that each
  // full GC (Mark-Compact) leaves: if sessions or events leaked, that number would climb.
  let liveMb = NaN;
  let line = '';
  const onStdout = (chunk: string) => {
    const lines = (line + chunk).split('\n');
    line = lines.pop()!;
    for (const l of lines) {
      const m = /Mark-Compact(?: \(reduce\))? [\d.]+ \([\d.]+\) -> ([\d.]+) \(/.exec(l);
      if (m) liveMb = Number(m[1]);
    }
  };
  // The child runs with the V8 flags `npm start` uses (package.json), so RSS is what a user of `npm start` sees;
  // BENCH_PLAIN_NODE=1 drops them (the "before" column of bench/RESULTS.md's memory table).
  const flags = process.env.BENCH_PLAIN_NODE ? [] : startFlags();
  const sb = await startSandbox({ onStdout, nodeArgs: ['--trace-gc', ...flags, ...extra, ...(profDir ? ['--cpu-prof', '--cpu-prof-dir', profDir] : [])] });
  const pid = sb.child.pid!;
  try {
    // Every login needs an AuthnRequest with a fresh ID: since issue 8 the sandbox refuses a replayed ID inside
    // the CLOCK_SKEW_SECONDS window, so a pool reused in a loop would measure error pages. Each request is built
    // and signed when it is sent (xml-crypto in the load client, on the other core), like a real SP does.
    let sent = 0;
    const fresh = () => authnRequestPool(`${sb.url}/login/saml`, 1, sent++)[0]!;
    const bodies = (_i: number) => fresh();
    // A scripted persona answers at once (no login page); `times` is capped at 10 000 per script, so queue enough.
    const warm = 2000;
    for (let left = LOGINS + warm + 1; left > 0; left -= 10000) {
      const r = await request(sb.port, 'POST', '/api/script', JSON.stringify({ issuer: SP_ISSUER, persona: PERSONA, faults: [], times: Math.min(10000, left) }), { 'content-type': 'application/json' });
      if (r.status !== 201) throw new Error(`POST /api/script: ${r.status} ${r.body}`);
    }
    // One login checked end to end: a signed Response for our request.
    const one = await request(sb.port, 'POST', '/login/saml', fresh(), FORM);
    const sample = samlResponseOf(one.body);
    if (!sample.includes('SignatureValue') || !sample.includes('StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"')) throw new Error('no signed success Response');
    await sleep(300);
    const idle = rssMb(pid);
    await load({ port: sb.port, path: '/login/saml', bodies, headers: FORM, expect: 'name="SAMLResponse"', total: warm });
    const marks: Array<[number, number, number]> = [[0, idle, liveMb]];
    const step = LOGINS / 4;
    const r = await load({ port: sb.port, path: '/login/saml', bodies, headers: FORM, expect: 'name="SAMLResponse"', total: LOGINS, onDone: (n) => n % step === 0 && marks.push([n, rssMb(pid), liveMb]) });
    if (r.errors) throw new Error(`SSO load: ${r.errors} errors, first: ${r.firstError}`);
    const health = JSON.parse((await request(sb.port, 'GET', '/health')).body) as { sessions: number };
    const rows: Row[] = [
      [`sandbox SSO round-trips (${CONCURRENCY} conns, ${r.count} logins)`, `${f0(r.rps)} /s`],
      ['sandbox SSO latency p50 / p99', `${f1(r.p50)} / ${f1(r.p99)} ms`],
      ...marks.map(([n, mb, live]): Row => [`sandbox RSS after ${n} logins (live heap after last full GC)`, `${f1(mb)} MB (${Number.isNaN(live) ? 'no full GC yet' : `${f1(live)} MB`})`, n === LOGINS ? 'target < 120 MB, flat' : undefined]),
      ['live SSO sessions after the run', String(health.sessions)],
      ['node flags of the SSO child (those of `npm start`)', flags.join(' ') || '(none)'],
    ];
    return { rps: r.rps, sample, rows, json: { ...r, rssMb: Object.fromEntries(marks.map(([n, mb]) => [n, mb])), liveHeapMbAfterFullGc: Object.fromEntries(marks.map(([n, , live]) => [n, live])), sessions: health.sessions, cpuProfileDir: profDir } };
  } finally {
    await stop(sb.child); // SIGTERM → server.close → exit(0), which also writes the .cpuprofile
  }
}

// ---------------------------------------------------------------- 2. npm saml-idp

/**
 * What is compared. Ours: POST /login/saml with a signed AuthnRequest → parse, verify its XML signature against
 * the registered certificate, run the checks, create an SSO session, build the Response with the persona's
 * attributes, sign it (Response only, like the ecoalert registration) → auto-post HTML page.
 * saml-idp always shows a login form and never verifies AuthnRequest signatures; what produces its signed
 * Response is the POST of that form (/signin, with the `_authnRequest` the form carries). We measure that POST,
 * after switching its assertion signature off (/settings signAssertion=false) so that it too signs only the
 * Response with RSA-SHA256/SHA-256/exc-c14n. So per login: ours = 1 RSA verify + 1 RSA sign; theirs = 1 RSA
 * sign, no verification, no session bound. Its console logging goes to /dev/null (it still formats it).
 */
async function samlIdp(): Promise<Section & { rps: number }> {
  const dir = tmp('saml-idp');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=saml-idp-bench', '-days', '30', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
  const port = await freePort();
  const bin = path.join(ROOT, 'node_modules', 'saml-idp', 'bin', 'run.js');
  const t0 = performance.now();
  const child = spawn(process.execPath, [bin, '--host', '127.0.0.1', '--port', String(port), '--cert', path.join(dir, 'cert.pem'), '--key', path.join(dir, 'key.pem'), '--issuer', 'urn:bench:saml-idp', '--acsUrl', SP_ACS, '--audience', SP_ISSUER], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    await waitFor200(port, '/metadata', t0, child);
    const set = await request(port, 'POST', '/settings', 'signAssertion=false&signResponse=true', FORM);
    if (set.status !== 302) throw new Error(`saml-idp /settings: ${set.status}`);
    const authn = (i: number) => Buffer.from(JSON.stringify({ relayState: `bench-${i}`, id: `_${crypto.randomUUID()}`, issuer: SP_ISSUER, destination: `http://127.0.0.1:${port}/saml/sso`, acsUrl: SP_ACS, forceAuthn: false })).toString('base64');
    const bodies = Array.from({ length: POOL }, (_, i) => Buffer.from(`userName=${PERSONA}&firstName=Ion&lastName=Popescu&email=ion%40example.md&_authnRequest=${encodeURIComponent(authn(i))}`));
    const one = await request(port, 'POST', '/signin', bodies[0], FORM);
    const xml = samlResponseOf(one.body);
    if ((xml.match(/<SignatureValue>/g) ?? []).length !== 1 || !/<samlp:Response[^>]*>[^]*?<Signature/.test(xml)) throw new Error(`saml-idp did not sign exactly the Response: ${xml.slice(0, 400)}`);
    await load({ port, path: '/signin', bodies, headers: FORM, expect: 'name="SAMLResponse"', durationMs: 3000 });
    const rss0 = rssMb(child.pid!);
    const r = await load({ port, path: '/signin', bodies, headers: FORM, expect: 'name="SAMLResponse"', durationMs: 15000 });
    if (r.errors) throw new Error(`saml-idp load: ${r.errors} errors, first: ${r.firstError}`);
    return {
      rps: r.rps,
      rows: [
        [`saml-idp POST /signin (${CONCURRENCY} conns, ${r.count} logins)`, `${f0(r.rps)} /s`],
        ['saml-idp latency p50 / p99', `${f1(r.p50)} / ${f1(r.p99)} ms`],
        ['saml-idp RSS after warm-up / after the run', `${f1(rss0)} / ${f1(rssMb(child.pid!))} MB`],
      ],
      json: { ...r, responseBytes: xml.length },
    };
  } finally {
    await stop(child);
  }
}

// ---------------------------------------------------------------- main

// ---------------------------------------------------------------- MSign: round-trips over mutual TLS, PDF signing, verification

/**
 * PostSignRequest (a SHA-1 hash) → scripted signing (POST /api/msign/script, no page) → GetSignResponse, over
 * mutual TLS with EcoAlert's certificate, 16 keep-alive connections; then VerifySignatures of the XAdES-T it
 * returned; then, in this process, PAdES signing of a 10 MB PDF (the same code the service runs).
 */
async function msign(): Promise<Section> {
  const msignPort = await freePort();
  const certsDir = tmp('msign-certs');
  const sb = await startSandbox({ certsDir, msignPort, nodeArgs: process.env.BENCH_MSIGN_NODE_ARGS?.split(' ') });
  const ROUNDS = Number(process.env.BENCH_MSIGN_ROUNDS ?? 3000);
  try {
    await request(sb.port, 'POST', '/api/msign/script', JSON.stringify({ serviceId: 'ecoalert', outcome: 'success', persona: PERSONA, times: 1000 }), { 'content-type': 'application/json' });
    const agent = new https.Agent({ keepAlive: true, maxSockets: CONCURRENCY, key: SP_KEY, cert: SP_CERT, ca: fs.readFileSync(path.join(certsDir, 'ca.cer.pem'), 'utf8') });
    const soap = (action: string, body: string) =>
      new Promise<string>((resolve, reject) => {
        const req = https.request({ host: '127.0.0.1', port: msignPort, path: '/MSign.svc', method: 'POST', agent, servername: 'localhost', headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"https://msign.gov.md/IMSign/${action}"` } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        });
        req.on('error', reject);
        req.end(body);
      });
    const env = (inner: string) => `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>${inner}</s:Body></s:Envelope>`;
    const hash = crypto.createHash('sha1').update('bench document').digest('base64');
    const post = env(`<PostSignRequest xmlns="https://msign.gov.md"><request><ContentType>Hash</ContentType><Contents><SignContent><Content>${hash}</Content><CorrelationID>b1</CorrelationID></SignContent></Contents><ShortContentDescription>Bench</ShortContentDescription></request></PostSignRequest>`);
    let scripted = 1000;
    let done = 0;
    let errors = 0;
    let firstError: string | undefined;
    let xades = '';
    const lat: number[] = [];
    const t0 = performance.now();
    const worker = async () => {
      while (done < ROUNDS) {
        done++;
        if (done + CONCURRENCY >= scripted) {
          scripted += 1000;
          await request(sb.port, 'POST', '/api/msign/script', JSON.stringify({ serviceId: 'ecoalert', outcome: 'success', persona: PERSONA, times: 1000 }), { 'content-type': 'application/json' });
        }
        const s = performance.now();
        const id = /<PostSignRequestResult>(\w+)</.exec(await soap('PostSignRequest', post))?.[1];
        const got = id ? await soap('GetSignResponse', env(`<GetSignResponse xmlns="https://msign.gov.md"><requestID>${id}</requestID></GetSignResponse>`)) : '';
        if (!got.includes('<Status>Success</Status>')) {
          errors++;
          firstError ??= got.slice(0, 300) || 'no RequestID';
        } else if (!xades) xades = /<Signature>([^<]+)<\/Signature>/.exec(got)![1]!;
        lat.push(performance.now() - s);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (performance.now() - t0) / 1000;
    const sorted = Float64Array.from(lat).sort();

    const verifyBody = env(`<VerifySignatures xmlns="https://msign.gov.md"><request><Contents><VerificationContent><Content>${hash}</Content><CorrelationID>v1</CorrelationID><Signature>${xades}</Signature></VerificationContent></Contents><Language>en</Language><SignedContentType>Hash</SignedContentType></request></VerifySignatures>`);
    let verified = 0;
    let verifyErrors = 0;
    const v0 = performance.now();
    const vDeadline = v0 + 8000;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < vDeadline) {
        const r = await soap('VerifySignatures', verifyBody);
        if (r.includes('<SignaturesValid>true</SignaturesValid>')) verified++;
        else verifyErrors++;
      }
    }));
    const vps = verified / ((performance.now() - v0) / 1000);
    agent.destroy();

    // 10 MB PDF: pages plus an incompressible 10 MB stream, as scanned documents are.
    const { PDFDocument, StandardFonts } = await import('pdf-lib');
    const { signPdfPades } = await import('../src/msign/signing/pades.js');
    const { createCertificate } = await import('../src/pki/certificates.js');
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    for (let i = 0; i < 20; i++) doc.addPage().drawText(`page ${i + 1}`, { x: 50, y: 700, font, size: 12 });
    doc.context.register(doc.context.stream(crypto.randomBytes(10 * 1024 * 1024), {}));
    const pdf = Buffer.from(await doc.save({ useObjectStreams: true }));
    const signer = createCertificate({ subject: [{ name: 'CN', value: 'Bench Signer' }] });
    const tsa = createCertificate({ subject: [{ name: 'CN', value: 'Bench TSA' }], extKeyUsage: { timeStamping: true } });
    const pdfTimes: number[] = [];
    for (let i = 0; i < 7; i++) {
      const s = performance.now();
      await signPdfPades({ pdf, signer, chain: [], tsa, signerName: 'Bench Signer', reason: 'Bench', at: new Date() });
      pdfTimes.push(performance.now() - s);
    }
    return {
      rows: [
        [`MSign PostSignRequest→GetSignResponse over mTLS (${CONCURRENCY} conns, ${done})`, `${f0(done / seconds)} /s`, 'target ≥ 200/s'],
        ['MSign round-trip latency p50 / p99', `${f1(pct(sorted, 0.5))} / ${f1(pct(sorted, 0.99))} ms`, errors ? `${errors} errors: ${firstError}` : ''],
        ['MSign VerifySignatures (XAdES-T) over mTLS', `${f0(vps)} /s`, verifyErrors ? `${verifyErrors} not valid` : ''],
        [`PAdES signing of a ${f1(pdf.length / 2 ** 20)} MB PDF (median of 7, in process)`, `${f0(median(pdfTimes))} ms`, 'target < 300 ms'],
      ],
      json: { roundTrips: done, seconds, rps: done / seconds, p50: pct(sorted, 0.5), p99: pct(sorted, 0.99), errors, firstError, verifyPerSec: vps, pdfBytes: pdf.length, pdfSignMs: pdfTimes, pdfSignMedianMs: median(pdfTimes) },
    };
  } finally {
    await stop(sb.child);
  }
}

// ---------------------------------------------------------------- registry at 10 000 services

/**
 * The supported registry size (README "Running a shared sandbox"): a DATA_DIR holding 10 000 registrations, then
 * sequential registrations (p50/p99: one journal append + fsync each), the first page of GET /api/services, and
 * the slowest /health answer seen while both run (asked every 20 ms on its own connection).
 */
async function registry(): Promise<Section> {
  const N = 10_000;
  const dataDir = tmp('registry');
  const at = new Date().toISOString();
  const services = Array.from({ length: N }, (_v, i) => ({
    id: `bench-${i}`, name: { ro: `Bench ${i}`, ru: `Bench ${i}`, en: `Bench ${i}` }, description: 'Bench.', contact: { name: 'B', email: 'b@example.md' },
    certificate: SP_CERT, certificateSerial: 'BENCH', source: 'api', createdAt: at, updatedAt: at,
    mpass: { issuer: `https://bench-${i}.example.md`, assertionConsumerServiceUrl: `https://bench-${i}.example.md/acs`, logoutRequestUrl: `https://bench-${i}.example.md/slo`, logoutResponseUrl: `https://bench-${i}.example.md/slo`, attributes: [], customAttributes: [], signAssertion: false, faults: [] },
  }));
  fs.writeFileSync(path.join(dataDir, 'sandbox.json'), JSON.stringify({ services }));
  const sb = await startSandbox({ dataDir });
  let healthMax = 0;
  let probing = true;
  const probe = (async () => {
    while (probing) {
      const t = performance.now();
      await request(sb.port, 'GET', '/health');
      healthMax = Math.max(healthMax, performance.now() - t);
      await sleep(20);
    }
  })();
  const json = { 'content-type': 'application/json' };
  const reg: number[] = [];
  for (let i = 0; i < 200; i++) {
    const body = JSON.stringify({ name: { ro: `New ${i}`, ru: `New ${i}`, en: `New ${i}` }, description: 'Bench.', contact: { name: 'B', email: 'b@example.md' }, certificate: SP_CERT, mpass: { issuer: `https://new-${i}.example.md`, assertionConsumerServiceUrl: `https://new-${i}.example.md/acs`, logoutRequestUrl: `https://new-${i}.example.md/slo`, logoutResponseUrl: `https://new-${i}.example.md/slo` } });
    const t = performance.now();
    const r = await request(sb.port, 'POST', '/api/services', body, json);
    if (r.status !== 201) throw new Error(`registration ${i}: ${r.status} ${r.body.slice(0, 200)}`);
    reg.push(performance.now() - t);
  }
  // First read of a page parses its 100 certificates (cold); later reads reuse the description (warm).
  const list: number[] = [];
  const warm: number[] = [];
  let total = '';
  for (const into of [list, warm]) {
    for (let i = 0; i < 50; i++) {
      const t = performance.now();
      const r = await request(sb.port, 'GET', `/api/services?offset=${i * 100}`);
      if (r.status !== 200) throw new Error(`list: ${r.status}`);
      into.push(performance.now() - t);
      total = String((JSON.parse(r.body) as unknown[]).length);
    }
  }
  probing = false;
  await probe;
  await stop(sb.child);
  const sorted = (xs: number[]) => Float64Array.from(xs).sort();
  const r = sorted(reg);
  const l = sorted(list);
  const w = sorted(warm);
  return {
    rows: [
      [`registration at ${N} services, p50 / p99 (sequential, journal append + fsync)`, `${f1(pct(r, 0.5))} / ${f1(pct(r, 0.99))} ms`, 'before: p50 2.8 s (whole file rewritten)'],
      [`GET /api/services at ${N} services (one page of ${total}), first read, p50 / p99`, `${f1(pct(l, 0.5))} / ${f1(pct(l, 0.99))} ms`, 'before: 1.5 s for the whole list'],
      [`… the same pages read again, p50 / p99`, `${f1(pct(w, 0.5))} / ${f1(pct(w, 0.99))} ms`],
      ['slowest /health during both', `${f0(healthMax)} ms`, 'target < 200 ms'],
    ],
    json: { services: N, registrationMs: { p50: pct(r, 0.5), p99: pct(r, 0.99) }, listMs: { p50: pct(l, 0.5), p99: pct(l, 0.99) }, listWarmMs: { p50: pct(w, 0.5), p99: pct(w, 0.99) }, healthMaxMs: healthMax },
  };
}

/** A Response like the one an SSO login of the bench persona produces (for BENCH_ONLY=signing). */
function sampleSpec() {
  const now = new Date().toISOString();
  const id = () => `_${crypto.randomUUID()}`;
  const attributes = [['FirstName', 'Ion'], ['LastName', 'Popescu'], ['BirthDate', '1985-03-14'], ['EmailAddress', 'ion.popescu@example.md'], ['Role', 'citizen']].map(([name, v]) => ({ name: name!, values: [v!] }));
  return {
    id: id(), issueInstant: now, destination: SP_ACS, inResponseTo: id(), consent: 'urn:oasis:names:tc:SAML:2.0:consent:prior', issuer: 'http://localhost:8080', status: { code: 'urn:oasis:names:tc:SAML:2.0:status:Success' },
    assertion: { id: id(), issueInstant: now, issuer: 'http://localhost:8080', nameId: PERSONA, subjectConfirmation: { notOnOrAfter: now, recipient: SP_ACS, inResponseTo: id() }, conditions: { notOnOrAfter: now, audiences: [SP_ISSUER] }, authn: { authnInstant: now, sessionIndex: crypto.randomUUID(), sessionNotOnOrAfter: now, address: '127.0.0.1' }, attributes },
  };
}

/** Issue 12 §2: libxml2-wasm against xml-crypto for verifying an official-style AuthnRequest (bench/c14n.ts). */
async function c14n(): Promise<Section> {
  const { c14nSection } = await import('./c14n.js'); // loads the WebAssembly only when measured
  const req = signedOfficialAuthnRequest({ destination: 'http://127.0.0.1:1/login/saml', acs: SP_ACS, issuer: SP_ISSUER }, SP_KEY, SP_CERT);
  return c14nSection(req, SP_CERT);
}

async function main() {
  if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm run bench does).`);
  const started = performance.now();
  const cpus = os.cpus();
  const machine = `${cpus.length} × ${cpus[0]?.model.trim()}, ${f1(os.totalmem() / 2 ** 30)} GiB, Linux ${os.release()}, node ${process.version}`;
  console.log(`machine: ${machine}`);

  if (ONLY === 'registry') {
    for (const r of (await registry()).rows) console.log(r.filter(Boolean).join('  '));
    return;
  }
  if (ONLY === 'msign') {
    for (const r of (await msign()).rows) console.log(r.filter(Boolean).join('  '));
    return;
  }
  if (ONLY === 'start') {
    for (const r of (await coldStart()).rows) console.log(r.filter(Boolean).join('  '));
    return;
  }
  if (ONLY === 'signing') {
    // The signing comparison alone, on a Response rendered by the sandbox (no server needed).
    const { renderResponse } = await import('../src/mpass/messages/response.js');
    const sample = renderResponse(sampleSpec());
    for (const r of (await floor(sample)).rows) console.log(r.filter(Boolean).join('  '));
    return;
  }
  if (ONLY === 'c14n') {
    // The verifier measurement of issue 12 §2 alone (bench/c14n.ts; no server needed).
    for (const r of (await c14n()).rows) console.log(r.filter(Boolean).join('  '));
    return;
  }
  if (ONLY === 'sso') {
    // Profiling runs (BENCH_ONLY=sso BENCH_CPU_PROF=dir): the SSO section alone.
    for (const r of (await sso()).rows) console.log(r.filter(Boolean).join('  '));
    return;
  }
  const cold = await coldStart();
  console.log('cold start done');
  const ours = await sso();
  console.log('SSO done');
  const theirs = await samlIdp();
  console.log('saml-idp done');
  const fl = await floor(ours.sample);
  const vc = await c14n();
  const ms = await msign();
  console.log('MSign done');
  const reg = await registry();
  console.log('registry done');

  const ratio = ours.rps / theirs.rps;
  const summary: Row[] = [
    ['ours / saml-idp (logins per second)', `${f2(ratio)} ×`, 'target ≥ 3×'],
    ['ours / floor (verify + sign), per process', f2(ours.rps / fl.perLogin), 'target ≥ 0.7'],
    ['ours / RSA-2048 signing rate of one core', f2(ours.rps / fl.rsaPerSec), 'stretch ≥ 0.15'],
    ['fast-path sign / xml-crypto sign (one Response)', `${f2(fl.fastOverXmlCrypto)} ×`, 'target ≥ 4×'],
  ];
  const rows = [...ours.rows, ...theirs.rows, ...fl.rows, ...vc.rows, ...cold.rows, ...ms.rows, ...reg.rows, ...summary];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  console.log(`\n${'measure'.padEnd(w0)}  ${'value'.padStart(w1)}  note`);
  console.log(`${'-'.repeat(w0)}  ${'-'.repeat(w1)}  ----`);
  for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padStart(w1)}  ${c ?? ''}`);
  const total = (performance.now() - started) / 1000;
  console.log(`\n(whole run ${f0(total)} s)`);
  const out = { at: new Date().toISOString(), machine, concurrency: CONCURRENCY, logins: LOGINS, sso: ours.json, samlIdp: theirs.json, floor: fl.json, verifierC14n: vc.json, coldStart: cold.json, msign: ms.json, registry: reg.json, ratios: { fastSignOverXmlCrypto: fl.fastOverXmlCrypto, oursOverSamlIdp: ratio, oursOverFloor: ours.rps / fl.perLogin, oursOverRsaSign: ours.rps / fl.rsaPerSec }, seconds: total };
  fs.writeFileSync(path.join(ROOT, 'bench', 'results.json'), JSON.stringify(out, null, 2));
}

await main();
