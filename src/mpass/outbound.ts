// The only requests the sandbox itself sends to registered URLs are the LogoutRequests of the headless
// logout API (issue 9 "Outbound requests"); the browser carries everything else. This module decides where
// such a request may go and reads the answer with hard limits: a registered URL must not let an outsider
// reach the cloud metadata service or a link-local address through the sandbox, and an answer must not be
// able to take the sandbox's memory or time.
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Rejection } from '../errors.js';

/** Hostnames of cloud metadata services (GCP); the addresses below cover AWS, Azure, OpenStack, Alibaba. */
const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata.goog']);

const DENIED = new net.BlockList();
DENIED.addSubnet('169.254.0.0', 16, 'ipv4'); // link-local, incl. 169.254.169.254 (AWS/Azure/GCP/OpenStack metadata)
DENIED.addSubnet('100.100.100.200', 32, 'ipv4'); // Alibaba Cloud metadata
DENIED.addSubnet('fe80::', 10, 'ipv6'); // link-local
DENIED.addSubnet('fd00:ec2::', 64, 'ipv6'); // AWS metadata over IPv6 (fd00:ec2::254)

export class OutboundError extends Error {
  constructor(readonly rejection: Rejection) {
    super(`${rejection.code}: ${rejection.message}`);
    this.name = 'OutboundError';
  }
}

/** `::ffff:169.254.169.254` and `::ffff:a9fe:a9fe` are IPv4 addresses in IPv6 clothing: check them as IPv4. */
export function normalizeAddress(address: string): { address: string; type: 'ipv4' | 'ipv6' } {
  const a = address.replace(/^\[|\]$/g, '').toLowerCase();
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (dotted) return { address: dotted[1]!, type: 'ipv4' };
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(a);
  if (hex) {
    const hi = parseInt(hex[1]!, 16);
    const lo = parseInt(hex[2]!, 16);
    return { address: `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, type: 'ipv4' };
  }
  return { address: a, type: net.isIPv6(a) ? 'ipv6' : 'ipv4' };
}

/** One OUTBOUND_ALLOW entry: a CIDR (`10.0.0.0/8`, `fd00::/8`), an address, a hostname or `*.suffix`. */
export function isOutboundAllowEntry(entry: string): boolean {
  const cidr = /^([^/]+)\/(\d{1,3})$/.exec(entry);
  if (cidr) {
    const v = net.isIP(cidr[1]!);
    return v !== 0 && Number(cidr[2]) <= (v === 4 ? 32 : 128);
  }
  return net.isIP(entry) !== 0 || /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(entry);
}

function allowList(entries: string[]): { hosts: string[]; addresses: net.BlockList } {
  const addresses = new net.BlockList();
  const hosts: string[] = [];
  for (const e of entries) {
    const cidr = /^([^/]+)\/(\d{1,3})$/.exec(e);
    if (cidr) addresses.addSubnet(cidr[1]!, Number(cidr[2]), net.isIPv6(cidr[1]!) ? 'ipv6' : 'ipv4');
    else if (net.isIP(e)) addresses.addAddress(e, net.isIPv6(e) ? 'ipv6' : 'ipv4');
    else hosts.push(e.toLowerCase());
  }
  return { hosts, addresses };
}

const hostMatches = (host: string, pattern: string) => (pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) : host === pattern);

/**
 * Why a destination is refused, or null. Without OUTBOUND_ALLOW: anything but cloud-metadata names and
 * link-local addresses. With it: only the listed hosts and addresses (which may include otherwise refused
 * ones: the operator said so explicitly). Every resolved address must pass, so a name cannot hide one.
 */
export function outboundRefusal(hostname: string, addresses: string[], allow: string[] | undefined): string | null {
  const host = hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
  if (allow) {
    const list = allowList(allow);
    if (list.hosts.some((p) => hostMatches(host, p))) return null;
    const bad = addresses.find((a) => {
      const n = normalizeAddress(a);
      return !list.addresses.check(n.address, n.type);
    });
    if (bad === undefined && addresses.length) return null;
    return `${host}${bad && bad !== host ? ` (${bad})` : ''} is not in OUTBOUND_ALLOW`;
  }
  if (METADATA_HOSTS.has(host)) return `${host} is a cloud metadata service`;
  for (const a of addresses) {
    const n = normalizeAddress(a);
    if (DENIED.check(n.address, n.type)) return `${host}${a !== host ? ` resolves to ${a}, which` : ''} is a link-local or cloud-metadata address`;
  }
  return null;
}

const refused = (url: string, why: string): OutboundError =>
  new OutboundError({
    code: 'ERR_OUTBOUND_REFUSED',
    where: 'mpass.logoutRequestUrl',
    message: `The sandbox does not send requests to this destination: ${why}.`,
    found: url,
    fix: 'Register a LogoutRequest URL on a routable host of your service; link-local (169.254.0.0/16, fe80::/10) and cloud-metadata destinations are refused. An operator can change this with OUTBOUND_ALLOW (see the README).',
  });

export interface OutboundAnswer {
  status: number;
  location?: string;
  /** At most maxBytes of the body, decoded as UTF-8. */
  body: string;
  /** The body was longer than maxBytes: the sandbox stopped reading and closed the connection. */
  truncated: boolean;
}

/**
 * POST an urlencoded form and read the answer: redirects are not followed, at most `maxBytes` of the body
 * is read, and the whole exchange ends after `timeoutMs`. The destination is checked on every address the
 * connection actually uses (the lookup below), so DNS cannot answer one address to a check and another
 * to the connection.
 */
export function postForm(url: string, fields: Record<string, string>, opts: { allow?: string[]; maxBytes: number; timeoutMs: number }): Promise<OutboundAnswer> {
  return new Promise((resolve, reject) => {
    let target: URL;
    try {
      target = new URL(url);
      if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new Error('scheme');
    } catch {
      return reject(refused(url, 'it is not an absolute http(s) URL'));
    }
    const hostname = target.hostname.replace(/^\[|\]$/g, '');
    // Literal addresses never go through lookup(): check them here.
    const literal = net.isIP(hostname) ? outboundRefusal(hostname, [hostname], opts.allow) : null;
    if (literal) return reject(refused(url, literal));
    if (!net.isIP(hostname)) {
      const byName = outboundRefusal(hostname, [], opts.allow);
      if (byName && !opts.allow) return reject(refused(url, byName));
    }
    const lookup: net.LookupFunction = (name, options, callback) => {
      dns.lookup(name, { ...options, all: true }, (err, addresses) => {
        if (err) return (callback as (e: Error) => void)(err);
        const list = addresses as dns.LookupAddress[];
        const why = outboundRefusal(name, list.map((a) => a.address), opts.allow);
        if (why) return (callback as (e: Error) => void)(refused(url, why));
        if ((options as dns.LookupOptions).all) (callback as (e: null, a: dns.LookupAddress[]) => void)(null, list);
        else (callback as (e: null, a: string, f: number) => void)(null, list[0]!.address, list[0]!.family);
      });
    };
    const body = new URLSearchParams(fields).toString();
    const client = target.protocol === 'https:' ? https : http;
    let settled = false;
    const done = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      f();
    };
    const req = client.request(target, { method: 'POST', lookup, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = (truncated: boolean) => done(() => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body: Buffer.concat(chunks).toString('utf8'), truncated }));
      res.on('data', (chunk: Buffer) => {
        const room = opts.maxBytes - size;
        if (chunk.length > room) {
          if (room > 0) chunks.push(chunk.subarray(0, room));
          size = opts.maxBytes;
          finish(true);
          req.destroy();
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', () => finish(false));
      res.on('error', (e) => done(() => reject(e)));
    });
    const timer = setTimeout(() => {
      done(() => reject(new OutboundError({ code: 'ERR_LOGOUT_TIMEOUT', where: 'LogoutResponse', message: `No complete answer within ${opts.timeoutMs} ms.`, found: url, fix: 'Answer the LogoutRequest within LOGOUT_TIMEOUT_MS.' })));
      req.destroy();
    }, opts.timeoutMs);
    req.on('error', (e) => done(() => reject(e instanceof OutboundError ? e : new OutboundError({ code: 'ERR_LOGOUT_UNREACHABLE', where: 'mpass.logoutRequestUrl', message: `The LogoutRequest URL could not be reached (${(e as NodeJS.ErrnoException).code ?? 'network error'}).`, found: url, fix: 'Check that the service runs and that the registered LogoutRequest URL is reachable from the sandbox.' }))));
    req.end(body);
  });
}
