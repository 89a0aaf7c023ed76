// The only reader of process.env: every setting, its default and its accepted form.
import fs from 'node:fs';
import path from 'node:path';
import { isOutboundAllowEntry } from './mpass/outbound.js';

export interface Config {
  port: number;
  publicUrl: string;
  mpassEntityId: string;
  dataDir: string;
  certsDir: string;
  fixturesDir: string;
  /** Lifetime of an MPass SSO session (SessionNotOnOrAfter). */
  sessionLifetimeSeconds: number;
  /** Allowed |now − IssueInstant| for incoming SAML messages. */
  clockSkewSeconds: number;
  /** NotOnOrAfter of Assertions = IssueInstant + this (MPASS.md §4.2: 10 min in the sample). */
  assertionLifetimeSeconds: number;
  /** Accept RSA-SHA1 / SHA-1 digests in incoming signatures (MPass does, MPASS.md §6.1). */
  allowSha1: boolean;
  /** Largest SAML message (decoded XML) accepted, in bytes. */
  maxSamlBytes: number;
  /** How long single logout waits for a service's LogoutResponse. */
  logoutTimeoutMs: number;
  /**
   * Where the headless logout API may send LogoutRequests (the only requests the sandbox itself sends):
   * unset = anywhere but link-local and cloud-metadata destinations; set = only these hosts/addresses/CIDRs.
   */
  outboundAllow?: string[];
  msignTlsPort: number;
  /** Largest SOAP request body, in bytes (PDFs travel base64-encoded inside). */
  maxSoapBytes: number;
  /** Seconds a SignRequest stays Pending before it becomes Expired. */
  signRequestLifetimeSeconds: number;
  /** Seconds a finished SignRequest is kept before GetSignResponse answers RequestNotFound. */
  signRequestRetentionSeconds: number;
  /** Largest SAML metadata accepted by the registration form and POST /api/sp-metadata, in bytes. */
  maxMetadataBytes: number;
  /** Most XML elements one message may hold (SOAP, SAML, metadata), counted before a DOM is built. */
  maxXmlElements: number;
  /** Event log bound: entries and total bytes of the kept XML and texts. */
  eventLogMaxEntries: number;
  eventLogMaxBytes: number;
  /** Connection limits of both listeners (HTTP and MSign TLS). */
  maxConnections: number;
  msignMaxConnections: number;
  tlsHandshakeTimeoutMs: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /** Time limit of one conformance case (issue 10: a case that runs out of time is `error`). */
  conformanceCaseTimeoutMs: number;
  /** Conformance runs kept in memory (oldest dropped first). */
  conformanceMaxRuns: number;
  adminToken?: string;
  /**
   * Host names (optionally host:port) the pages and API answer to besides PUBLIC_URL's host and the
   * loopback names on the listening port: a browser tricked by DNS rebinding sends the attacker's name.
   */
  allowedHosts: string[];
  /**
   * TLS on the main port, on when PUBLIC_URL is https:// (issue 13): the files a team provides, or none to have
   * the sandbox CA issue a server certificate for the PUBLIC_URL host, localhost and 127.0.0.1.
   */
  tlsCertFile?: string;
  tlsKeyFile?: string;
  /** A plain-http port that only redirects to PUBLIC_URL (https); 0 = off. */
  httpRedirectPort: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const problems: string[] = [];
  const int = (name: string, def: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name}="${raw}": expected a whole number from ${min} to ${max} (default ${def})`);
      return def;
    }
    return n;
  };
  const bool = (name: string, def: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    if (/^(1|true|yes)$/i.test(raw)) return true;
    if (/^(0|false|no)$/i.test(raw)) return false;
    problems.push(`${name}="${raw}": expected true or false (default ${def})`);
    return def;
  };
  const url = (name: string, def: string): string => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    try {
      const u = new URL(raw);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
      return raw.replace(/\/+$/, '');
    } catch {
      problems.push(`${name}="${raw}": expected an absolute http(s) URL such as https://mpass.example.test`);
      return def;
    }
  };

  const port = int('PORT', 8080, 0, 65535);
  const publicUrl = url('PUBLIC_URL', `http://localhost:${port}`);
  const logLevel = (env.LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(logLevel)) {
    problems.push(`LOG_LEVEL="${env.LOG_LEVEL}": expected one of debug, info, warn, error, silent (default info)`);
  }
  const adminToken = env.ADMIN_TOKEN && env.ADMIN_TOKEN.length > 0 ? env.ADMIN_TOKEN : undefined;
  if (adminToken !== undefined && adminToken.length < 8) {
    problems.push('ADMIN_TOKEN: expected at least 8 characters (or leave it unset for an open API)');
  }

  let outboundAllow: string[] | undefined;
  if (env.OUTBOUND_ALLOW !== undefined && env.OUTBOUND_ALLOW.trim() !== '') {
    outboundAllow = env.OUTBOUND_ALLOW.split(',').map((e) => e.trim()).filter(Boolean);
    const bad = outboundAllow.filter((e) => !isOutboundAllowEntry(e));
    if (bad.length) problems.push(`OUTBOUND_ALLOW="${env.OUTBOUND_ALLOW}": ${bad.join(', ')} is not a hostname, *.domain, IP address or CIDR (e.g. sp.example.test,*.ci.local,10.0.0.0/8)`);
  }
  const allowedHosts = (env.ALLOWED_HOSTS ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
  for (const h of allowedHosts) {
    if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/.test(h)) problems.push(`ALLOWED_HOSTS: "${h}" is not a host name or host:port (comma-separated list such as sandbox.example.test,10.0.0.5:8080)`);
  }
  const https = new URL(publicUrl).protocol === 'https:';
  const certFile = env.TLS_CERT_FILE || undefined;
  const keyFile = env.TLS_KEY_FILE || undefined;
  if ((certFile === undefined) !== (keyFile === undefined)) {
    problems.push(`${certFile ? 'TLS_KEY_FILE' : 'TLS_CERT_FILE'}: expected together with ${certFile ? 'TLS_CERT_FILE' : 'TLS_KEY_FILE'} (both PEM files), or neither to let the sandbox CA issue the server certificate`);
  }
  for (const [name, file] of [['TLS_CERT_FILE', certFile], ['TLS_KEY_FILE', keyFile]] as const) {
    if (file !== undefined && !https) problems.push(`${name}="${file}": PUBLIC_URL="${publicUrl}" is http, so nothing would use it; set PUBLIC_URL to https://…`);
    if (file !== undefined && !fs.existsSync(file)) problems.push(`${name}="${file}": no such file; expected a PEM file readable by the sandbox`);
  }
  const httpRedirectPort = int('HTTP_REDIRECT_PORT', 0, 0, 65535);
  if (httpRedirectPort !== 0 && !https) problems.push(`HTTP_REDIRECT_PORT="${httpRedirectPort}": it redirects to an https PUBLIC_URL, but PUBLIC_URL="${publicUrl}" is http; unset it or make PUBLIC_URL https://…`);

  const config: Config = {
    port,
    publicUrl,
    mpassEntityId: url('MPASS_ENTITY_ID', publicUrl),
    dataDir: path.resolve(env.DATA_DIR || './data'),
    certsDir: path.resolve(env.CERTS_DIR || './certs'),
    fixturesDir: path.resolve(env.FIXTURES_DIR || './fixtures'),
    sessionLifetimeSeconds: int('SESSION_LIFETIME_SECONDS', 8 * 3600, 60, 30 * 24 * 3600),
    clockSkewSeconds: int('CLOCK_SKEW_SECONDS', 600, 0, 24 * 3600),
    assertionLifetimeSeconds: int('ASSERTION_LIFETIME_SECONDS', 600, 10, 24 * 3600),
    allowSha1: bool('ALLOW_SHA1', true),
    maxSamlBytes: int('MAX_SAML_BYTES', 256 * 1024, 1024, 64 * 1024 * 1024),
    logoutTimeoutMs: int('LOGOUT_TIMEOUT_MS', 5000, 100, 120000),
    outboundAllow,
    msignTlsPort: int('MSIGN_TLS_PORT', 8443, 0, 65535),
    maxSoapBytes: int('MAX_SOAP_BYTES', 50 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    signRequestLifetimeSeconds: int('SIGN_REQUEST_LIFETIME_SECONDS', 15 * 60, 10, 7 * 24 * 3600),
    signRequestRetentionSeconds: int('SIGN_REQUEST_RETENTION_SECONDS', 24 * 3600, 60, 365 * 24 * 3600),
    maxMetadataBytes: int('MAX_METADATA_BYTES', 256 * 1024, 1024, 16 * 1024 * 1024),
    // A 50 MB PDF request is a handful of elements (the PDF is one base64 text node); the largest legitimate
    // message (VerifySignatures of many hashes, metadata with many endpoints) stays far below 10 000.
    maxXmlElements: int('MAX_XML_ELEMENTS', 10_000, 100, 10_000_000),
    eventLogMaxEntries: int('EVENT_LOG_MAX_ENTRIES', 1000, 10, 1_000_000),
    eventLogMaxBytes: int('EVENT_LOG_MAX_BYTES', 16 * 1024 * 1024, 64 * 1024, 1024 * 1024 * 1024),
    maxConnections: int('MAX_CONNECTIONS', 1000, 10, 100_000),
    msignMaxConnections: int('MSIGN_MAX_CONNECTIONS', 256, 10, 100_000),
    tlsHandshakeTimeoutMs: int('TLS_HANDSHAKE_TIMEOUT_MS', 10_000, 100, 120_000),
    headersTimeoutMs: int('HEADERS_TIMEOUT_MS', 20_000, 100, 300_000),
    requestTimeoutMs: int('REQUEST_TIMEOUT_MS', 120_000, 100, 3_600_000),
    keepAliveTimeoutMs: int('KEEP_ALIVE_TIMEOUT_MS', 5_000, 100, 300_000),
    conformanceCaseTimeoutMs: int('CONFORMANCE_CASE_TIMEOUT_MS', 20000, 1000, 600000),
    conformanceMaxRuns: int('CONFORMANCE_MAX_RUNS', 50, 1, 10000),
    adminToken,
    allowedHosts,
    tlsCertFile: certFile && path.resolve(certFile),
    tlsKeyFile: keyFile && path.resolve(keyFile),
    httpRedirectPort,
    logLevel,
    ...overrides,
  };
  if (config.headersTimeoutMs > config.requestTimeoutMs) problems.push(`HEADERS_TIMEOUT_MS (${config.headersTimeoutMs}) must not exceed REQUEST_TIMEOUT_MS (${config.requestTimeoutMs})`);
  if (problems.length) throw new ConfigError(problems);
  return config;
}
