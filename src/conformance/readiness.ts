// "Ready for production?" (issue 10 §2, seed stage 3.2): every reason the production environment would
// refuse this registration or this service, as data { id, ok, message, fix }. Pure over its inputs.
// Sources: production forbids localhost ACS URLs (MPASS.md §1); TEST and PROD certificates differ and come
// from STISC / a system certificate (MPASS.md §3); the registration carries LogoutRequest/LogoutResponse
// URLs (MPASS.md §3) and the contracts; TC_SEC_* must all pass before production (MPASS.md §9.2).
import net from 'node:net';
import { X509Certificate } from 'node:crypto';
import type { SandboxEvent } from '../events.js';
import type { Service } from '../registry/service.js';
import type { PlannedCase } from './plan.js';
import type { ConformanceRun } from './runner.js';

export interface ReadinessCheck {
  id: string;
  ok: boolean;
  message: string;
  fix: string;
}

export interface Readiness {
  service: { id: string; name: string; issuer?: string };
  ready: boolean;
  checks: ReadinessCheck[];
}

export interface ReadinessInput {
  service: Service;
  /** The sandbox's mock STISC root (src/pki). */
  sandboxCaPem: string;
  /** Newest first: this service's messages in the event log. */
  events: readonly SandboxEvent[];
  latestRun: ConformanceRun | undefined;
  plan: readonly PlannedCase[];
  now: Date;
}

const MIN_VALID_DAYS = 30;
const MIN_RSA_BITS = 2048;
const RESERVED_SUFFIXES = ['localhost', 'local', 'internal', 'test', 'example', 'invalid', 'home.arpa', 'lan'];
const SHA256_OR_BETTER = /#(rsa|ecdsa)-sha(256|384|512)$/;

/** Loopback, private, link-local and unspecified addresses and reserved names: not reachable as a production endpoint. */
export function nonPublicHost(hostname: string): string | undefined {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || RESERVED_SUFFIXES.some((s) => h === s || h.endsWith(`.${s}`))) return 'a local or reserved name';
  const v = net.isIP(h);
  if (v === 4) {
    const [a, b] = h.split('.').map(Number) as [number, number];
    if (a === 127) return 'a loopback address';
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'a private address';
    if (a === 169 && b === 254) return 'a link-local address';
    if (a === 0) return 'an unspecified address';
  } else if (v === 6) {
    if (h === '::1') return 'a loopback address';
    if (h === '::') return 'an unspecified address';
    if (/^f[cd]/.test(h)) return 'a private address';
    if (/^fe[89ab]/.test(h)) return 'a link-local address';
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
    if (mapped) return nonPublicHost(mapped[1]!);
  }
  return undefined;
}

export function readiness(input: ReadinessInput): Readiness {
  const { service, now } = input;
  const checks: ReadinessCheck[] = [];
  const add = (id: string, ok: boolean, message: string, fix: string) => checks.push({ id, ok, message, fix });
  const m = service.mpass;

  // URLs (MPASS.md §1: production forbids localhost ACS URLs; the production endpoints are public https).
  const urls: Array<[string, string]> = m ? [['mpass.assertionConsumerServiceUrl', m.assertionConsumerServiceUrl], ['mpass.logoutRequestUrl', m.logoutRequestUrl], ['mpass.logoutResponseUrl', m.logoutResponseUrl]] : [];
  const notHttps = urls.filter(([, u]) => !/^https:\/\//i.test(u));
  add('urls-https', notHttps.length === 0, notHttps.length ? `Not https: ${notHttps.map(([k, u]) => `${k} = ${u}`).join('; ')}.` : 'Every registered URL uses https.', 'Register the production URLs of the service, served over https with a publicly trusted certificate.');
  const local = urls.flatMap(([k, u]) => {
    try {
      const why = nonPublicHost(new URL(u).hostname);
      return why ? [`${k} = ${u} (${why})`] : [];
    } catch {
      return [`${k} = ${u} (not a URL)`];
    }
  });
  const ips = (service.msign?.ipAddresses ?? []).flatMap((ip) => {
    const why = nonPublicHost(ip);
    // MSign admits private (VPN-assigned) addresses (MSIGN.md §2), never loopback or link-local ones.
    return why && why !== 'a private address' ? [`msign.ipAddresses ${ip} (${why})`] : [];
  });
  add('urls-public-host', local.length + ips.length === 0, local.length + ips.length ? `Not reachable from production: ${[...local, ...ips].join('; ')}.` : 'No registered URL or MSign address names localhost, a loopback, private or reserved host.', 'Use the public host names of the production deployment, and the public (or VPN-assigned) IP addresses MSign calls will come from.');

  // The certificate (MPASS.md §3: a system certificate from STISC / pki.egov.md; TEST and PROD differ).
  let x: X509Certificate | undefined;
  try {
    x = new X509Certificate(service.certificate);
  } catch {
    add('certificate-readable', false, 'The registered certificate cannot be read.', 'Register the public certificate (.cer, PEM or DER) of the production system certificate.');
  }
  if (x) {
    let fromSandbox = false;
    try {
      const ca = new X509Certificate(input.sandboxCaPem);
      fromSandbox = x.checkIssued(ca) && x.verify(ca.publicKey);
    } catch {
      fromSandbox = false;
    }
    add('certificate-not-sandbox', !fromSandbox, fromSandbox ? `The certificate was issued by the sandbox's mock STISC (${x.issuer.replace(/\n/g, ', ')}); production does not know that CA.` : 'The certificate was not issued by the sandbox mock STISC.', 'Order a system certificate for the production environment (STISC / pki.egov.md) and register it; TEST and PROD certificates must differ.');
    const selfSigned = x.issuer === x.subject && (() => {
      try {
        return x.verify(x.publicKey);
      } catch {
        return false;
      }
    })();
    add('certificate-not-self-signed', !selfSigned, selfSigned ? `The certificate is self-signed (${x.subject.replace(/\n/g, ', ')}).` : 'The certificate is issued by a CA, not self-signed.', 'Use a system certificate issued by STISC for production instead of a self-signed one.');
    const type = x.publicKey.asymmetricKeyType;
    const bits = x.publicKey.asymmetricKeyDetails?.modulusLength;
    const rsaOk = type === 'rsa' && (bits ?? 0) >= MIN_RSA_BITS;
    add('certificate-rsa-2048', rsaOk, rsaOk ? `RSA ${bits} bits.` : `The key is ${type ?? 'unknown'}${bits ? ` ${bits} bits` : ''}; production expects RSA of at least ${MIN_RSA_BITS} bits.`, `Issue the certificate for an RSA key of ${MIN_RSA_BITS} bits or more.`);
    const validTo = new Date(x.validTo);
    const validFrom = new Date(x.validFrom);
    const days = Math.floor((validTo.getTime() - now.getTime()) / 86400000);
    const validOk = validFrom <= now && days >= MIN_VALID_DAYS;
    add('certificate-validity', validOk, validFrom > now ? `The certificate is not valid before ${validFrom.toISOString()}.` : validOk ? `Valid until ${validTo.toISOString()} (${days} days).` : `The certificate ends on ${validTo.toISOString()} (${days} days left; at least ${MIN_VALID_DAYS} needed).`, `Renew the certificate so that it stays valid at least ${MIN_VALID_DAYS} days after the transfer to production.`);
  }

  // SHA-256 signatures on what the service sent recently (event log; HTTP-POST messages carry the algorithm in the XML).
  const signed = input.events.filter((e) => e.direction === 'in' && e.verdict === 'accepted' && ['AuthnRequest', 'LogoutRequest', 'LogoutResponse'].includes(e.message) && e.xml).slice(0, 20);
  const algs = signed.map((e) => /<(?:\w+:)?SignatureMethod[^>]*Algorithm="([^"]+)"/.exec(e.xml!)?.[1]).filter((a): a is string => !!a);
  const weak = [...new Set(algs.filter((a) => !SHA256_OR_BETTER.test(a)))];
  add(
    'requests-sha256',
    algs.length > 0 && weak.length === 0,
    algs.length === 0 ? 'The event log holds no recent signed HTTP-POST request from this service (Redirect-binding signatures travel in the query and are not logged), so SHA-256 cannot be confirmed.' : weak.length ? `Recent requests were signed with ${weak.join(', ')}.` : `The last ${algs.length} signed requests used SHA-256 or stronger.`,
    'Sign AuthnRequests, LogoutRequests and LogoutResponses with RSA-SHA256 (http://www.w3.org/2001/04/xmldsig-more#rsa-sha256), then log in through the sandbox once so the event log shows it.',
  );

  // The official plan passed (MPASS.md §9.2: all security cases must pass before production).
  const run = input.latestRun;
  const official = input.plan.map((c) => c.id);
  const passed = new Set(run?.cases.filter((c) => c.verdict === 'pass').map((c) => c.id));
  const missing = official.filter((id) => !passed.has(id));
  const runOk = !!run && run.status === 'done' && missing.length === 0;
  add(
    'conformance-passed',
    runOk,
    !run ? 'No conformance run exists for this service.' : run.status !== 'done' ? `The latest conformance run (${run.id}) is still running.` : runOk ? `The latest conformance run (${run.id}) passed all ${official.length} official cases.` : `The latest conformance run (${run.id}) did not pass: ${missing.join(', ')}.`,
    'Run the official test plan (the form on the service page, POST /api/conformance or `mpass-sandbox conformance`) and fix every case until all pass.',
  );

  add('logout-urls', !!m && !!m.logoutRequestUrl && !!m.logoutResponseUrl, m ? (m.logoutRequestUrl && m.logoutResponseUrl ? 'LogoutRequest and LogoutResponse URLs are registered.' : 'A LogoutRequest or LogoutResponse URL is missing.') : 'The registration has no MPass part.', 'Register both single-logout URLs of the service (MPASS.md §3).');

  const contracts: string[] = [];
  const contractOk = (label: string, c: { number: string; date: string } | undefined) => {
    if (!c?.number?.trim() || !/^\d{4}-\d{2}-\d{2}$/.test(c?.date ?? '')) contracts.push(label);
  };
  if (m) contractOk('MPass', m.contract);
  if (service.msign) contractOk('MSign', service.msign.contract);
  add('contracts', contracts.length === 0, contracts.length ? `Contract number or date missing for ${contracts.join(' and ')}.` : 'Contract numbers and dates are filled.', 'Fill the number and date of each signed contract (mpass.contract, msign.contract) in the registration.');

  return { service: { id: service.id, name: service.name.en, issuer: m?.issuer }, ready: checks.every((c) => c.ok), checks };
}
