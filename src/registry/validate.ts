// The integration form's rules. Every problem is reported at once, each naming the field and the fix.
import net from 'node:net';
import type { Rejection } from '../errors.js';
import { printSerial, validityProblem } from '../pki/certificates.js';
import { readCertificateInput } from '../pki/certificate-input.js';
import { STANDARD_ATTRIBUTES, type CustomAttribute, type Service, type StandardAttribute } from './service.js';
import { xmlCharProblem } from '../xml/wellformed.js';

export type ServiceInput = Omit<Service, 'id' | 'source' | 'createdAt' | 'updatedAt'>;

export interface ValidationContext {
  /** Another service already registered with this issuer? */
  issuerTaken(issuer: string): boolean;
  /** Known fault ids (MPass fault catalogue). */
  faultIds: ReadonlySet<string>;
  /** The sandbox clock: the certificate must be valid now. */
  now: Date;
}

const TOP_KEYS = ['name', 'description', 'contact', 'certificate', 'mpass', 'msign'];
const MPASS_KEYS = ['contract', 'issuer', 'assertionConsumerServiceUrl', 'logoutRequestUrl', 'logoutResponseUrl', 'attributes', 'customAttributes', 'signAssertion', 'faults'];
const MSIGN_KEYS = ['contract', 'ipAddresses', 'signerType'];
const NAME_MAX = 200;

// Words that end with a period without ending the sentence (ro, ru, en): "Nr. 5", "e.g. permits", "str. Pușkin".
const ABBREVIATIONS = new Set(['nr', 'str', 'bd', 'bl', 'ap', 'tel', 'mun', 'or', 'jud', 'dl', 'dna', 'prof', 'dr', 'ex', 'etc', 'e.g', 'i.e', 'vs', 'no', 'mr', 'mrs', 'ms', 'st', 'nr.', 'г', 'ул', 'д', 'т.е', 'т.д', 'т.п', 'др', 'см', 'напр', 'тел', 'ș.a', 'ș.a.m.d', 'd-l', 'd-na']);

/**
 * One sentence: no . ! ? followed by a space and a capital letter, unless the word before the period is an
 * abbreviation or initials (S.R.L., A. Popescu). "…, e.g. permits.", "Serviciul Nr. 5 al primăriei." and
 * "…pentru companii S.R.L." are one sentence each.
 */
export function isOneSentence(text: string): boolean {
  for (const m of text.matchAll(/(\S*?)([.!?])\s+(?=(\p{Lu}\S*))/gu)) {
    const word = m[1]!.replace(/^[("«„]+/, '').toLowerCase();
    if (m[2] === '.' && ABBREVIATIONS.has(word)) continue;
    // Initials (S.R.L., A. Popescu) — but "A. B." is two one-letter sentences, not a name.
    if (m[2] === '.' && /^(\p{L}\.)*\p{L}$/u.test(word) && (word.length > 1 || /^\p{Lu}\p{L}+/u.test(m[3]!))) continue;
    return false;
  }
  return true;
}

export function validateService(body: unknown, ctx: ValidationContext): { ok: true; value: ServiceInput } | { ok: false; problems: Rejection[] } {
  const problems: Rejection[] = [];
  const add = (where: string, message: string, fix: string, found?: unknown) =>
    problems.push({ code: 'ERR_INVALID_FIELD', where, message, fix, found: found === undefined ? undefined : String(found).slice(0, 120) });

  if (!isObject(body)) {
    add('(body)', 'The body must be a JSON object describing the service.', 'Send the integration form as JSON: see README "Service registration".');
    return { ok: false, problems };
  }
  for (const k of Object.keys(body)) if (!TOP_KEYS.includes(k)) add(k, `Unknown field "${k}".`, `Remove it; the accepted fields are ${TOP_KEYS.join(', ')}.`);

  const str = (where: string, v: unknown, max: number, required = true): string | undefined => {
    if (v === undefined || v === null || v === '') {
      if (required) add(where, 'This field is required.', `Fill in ${where}.`);
      return undefined;
    }
    if (typeof v !== 'string') {
      add(where, 'Expected text.', `Send ${where} as a string.`, typeof v);
      return undefined;
    }
    const s = v.trim();
    if (s.length === 0 && required) add(where, 'This field is required.', `Fill in ${where}.`);
    if (s.length > max) {
      // Reported once and examined no further: the format checks below are not meant for megabytes of input.
      add(where, `Longer than ${max} characters (${s.length}).`, `Shorten ${where} to at most ${max} characters.`);
      return undefined;
    }
    return s;
  };

  const name = isObject(body.name) ? body.name : {};
  if (!isObject(body.name)) add('name', 'The service name is required in Romanian, Russian and English.', 'Send name as {"ro": "…", "ru": "…", "en": "…"}.');
  const names = { ro: str('name.ro', name.ro, NAME_MAX), ru: str('name.ru', name.ru, NAME_MAX), en: str('name.en', name.en, NAME_MAX) };

  const description = str('description', body.description, 300);
  if (description && (/[\r\n]/.test(description) || !isOneSentence(description))) {
    add('description', 'The description must be one sentence on one line.', 'Describe the service in a single sentence.', description);
  }

  const contactIn = isObject(body.contact) ? body.contact : {};
  if (!isObject(body.contact)) add('contact', 'The technical contact is required.', 'Send contact as {"name": "…", "email": "…", "phone": "…"}.');
  const contact = {
    name: str('contact.name', contactIn.name, NAME_MAX),
    email: str('contact.email', contactIn.email, 254),
    phone: str('contact.phone', contactIn.phone, 32, false),
  };
  if (contact.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(contact.email)) add('contact.email', 'Not an e-mail address.', 'Use an address such as dev@example.md.', contact.email);
  if (contact.phone && !/^\+?[0-9 ()-]{6,20}$/.test(contact.phone)) add('contact.phone', 'Not a phone number.', 'Use digits, spaces, dashes and an optional leading +, e.g. +373 22 123456.', contact.phone);

  let certificate: string | undefined;
  let certificateSerial: string | undefined;
  if (body.certificate === undefined || body.certificate === null || body.certificate === '') {
    add('certificate', 'The service certificate (.cer) is required.', 'Send the public certificate as PEM or base64 of the DER .cer file (POST /api/certificates issues one).');
  } else if (typeof body.certificate !== 'string') {
    add('certificate', 'Expected text.', 'Send the certificate as a PEM string or base64 of the DER .cer.');
  } else {
    const r = readCertificateInput(body.certificate);
    if (r.ok) {
      certificate = r.pem;
      certificateSerial = printSerial(r.x509.serialNumber);
      // MPass and MSign refuse a certificate outside its validity period (issue 8), so registering one would
      // only move the failure to the first call.
      const validity = validityProblem(r.x509, ctx.now);
      if (validity) {
        problems.push({ code: 'ERR_CERTIFICATE_VALIDITY', where: 'certificate', message: `The certificate (serial ${certificateSerial}) ${validity}.`, found: `${new Date(r.x509.validFrom).toISOString()} – ${new Date(r.x509.validTo).toISOString()}`, expected: `valid at ${ctx.now.toISOString()}`, fix: 'Register a certificate that is valid now: issue a new one (POST /api/certificates, or your STISC certificate) and send its .cer.' });
      }
      if (r.x509.publicKey.asymmetricKeyType !== 'rsa') add('certificate', `The certificate holds a ${r.x509.publicKey.asymmetricKeyType} key; MPass and MSign sign with RSA.`, 'Use an RSA (2048 bits or more) certificate.');
    } else {
      problems.push({ code: r.privateKey ? 'ERR_PRIVATE_KEY_SENT' : 'ERR_INVALID_FIELD', where: 'certificate', message: r.message, fix: r.fix });
    }
  }

  if (body.mpass === undefined && body.msign === undefined) {
    add('mpass', 'At least one of mpass or msign is required.', 'Add an "mpass" section (SSO) and/or an "msign" section (signing).');
  }

  const contract = (where: string, v: unknown) => {
    if (v === undefined || v === null) return undefined;
    if (!isObject(v)) {
      add(where, 'Expected {"number": "…", "date": "YYYY-MM-DD"}.', `Send ${where} as an object or leave it out.`);
      return undefined;
    }
    const number = str(`${where}.number`, v.number, 64);
    const date = str(`${where}.date`, v.date, 10);
    if (date && !isIsoDate(date)) add(`${where}.date`, 'Not a date.', 'Use the form YYYY-MM-DD, e.g. 2026-01-31.', date);
    return number && date ? { number, date } : undefined;
  };

  let mpass: ServiceInput['mpass'];
  if (body.mpass !== undefined) {
    if (!isObject(body.mpass)) add('mpass', 'Expected an object.', 'Send the MPass part of the form as an object.');
    else {
      const m = body.mpass;
      for (const k of Object.keys(m)) if (!MPASS_KEYS.includes(k)) add(`mpass.${k}`, `Unknown field "${k}".`, `Remove it; accepted: ${MPASS_KEYS.join(', ')}.`);
      const issuer = str('mpass.issuer', m.issuer, 1024);
      // An entity ID is a URI (SAML Core 8.3.6). Characters a URI never holds are refused: they break the XML the
      // official client writes unescaped (MPASS.md §4.1) and, as `</script>`, the sandbox's own logout pages.
      if (issuer && (/[\s"<>\\^`{|}\u0000-\u001f\u007f]/.test(issuer) || xmlCharProblem('mpass.issuer', issuer))) add('mpass.issuer', 'An entity ID is a URI: no spaces, quotes, angle brackets, backslashes or control characters.', 'Use the service URL as its entity ID, e.g. https://my-service.example.md.', issuer);
      if (issuer && ctx.issuerTaken(issuer)) add('mpass.issuer', `Another registered service already uses the issuer "${issuer}".`, 'Each service needs its own entity ID: change the issuer, or edit the existing service instead.');
      const acs = httpUrl('mpass.assertionConsumerServiceUrl', m.assertionConsumerServiceUrl, add);
      const lreq = httpUrl('mpass.logoutRequestUrl', m.logoutRequestUrl, add);
      const lres = httpUrl('mpass.logoutResponseUrl', m.logoutResponseUrl, add);
      const attributes: StandardAttribute[] = [];
      if (m.attributes !== undefined && !Array.isArray(m.attributes)) add('mpass.attributes', 'Expected a list of attribute names.', `Send e.g. ["FirstName", "LastName"]; allowed: ${STANDARD_ATTRIBUTES.join(', ')}.`);
      for (const [i, a] of (Array.isArray(m.attributes) ? m.attributes : []).entries()) {
        if (a === 'NameIdentifier') add(`mpass.attributes[${i}]`, 'NameIdentifier is always returned as Subject/NameID, not as an attribute.', 'Remove NameIdentifier from the list; read the NameID instead.');
        else if (!STANDARD_ATTRIBUTES.includes(a)) add(`mpass.attributes[${i}]`, `"${a}" is not a standard MPass attribute.`, `Use one of ${STANDARD_ATTRIBUTES.join(', ')}, or declare it under customAttributes.`, a);
        else if (attributes.includes(a)) add(`mpass.attributes[${i}]`, `"${a}" is listed twice.`, 'List each attribute once.');
        else attributes.push(a);
      }
      const customAttributes: CustomAttribute[] = [];
      if (m.customAttributes !== undefined && !Array.isArray(m.customAttributes)) add('mpass.customAttributes', 'Expected a list.', 'Send [{"name": "Role", "values": {"<IDNP>": ["admin"]}}].');
      for (const [i, c] of (Array.isArray(m.customAttributes) ? m.customAttributes : []).entries()) {
        const w = `mpass.customAttributes[${i}]`;
        if (!isObject(c) || typeof c.name !== 'string' || !/^[A-Za-z_][\w.-]{0,63}$/.test(c.name)) {
          add(`${w}.name`, 'A custom attribute needs a name of letters, digits, _ . - (max 64).', 'Send {"name": "Role", "values": {"<IDNP>": ["admin"]}}.');
          continue;
        }
        if ((STANDARD_ATTRIBUTES as readonly string[]).includes(c.name) || c.name === 'NameIdentifier') {
          add(`${w}.name`, `"${c.name}" is a standard attribute.`, 'List standard attributes under mpass.attributes; custom ones need another name.');
          continue;
        }
        const values: Record<string, string[]> = {};
        if (!isObject(c.values)) add(`${w}.values`, 'Expected an object of identity → list of values.', 'Send {"2000000000001": ["admin", "editor"]}.');
        else
          for (const [who, vs] of Object.entries(c.values)) {
            if (!Array.isArray(vs) || vs.some((v) => typeof v !== 'string' || v.length > 512)) add(`${w}.values.${who}`, 'Expected a list of texts (max 512 characters each).', 'Send ["admin"].');
            else {
              // Values are written into signed Responses: refuse what XML 1.0 cannot carry (issue 8).
              const bad = (vs as string[]).map((v, j) => xmlCharProblem(`${w}.values.${who}[${j}]`, v)).find((p) => p !== undefined);
              if (bad) add(bad.where, bad.message, bad.fix, bad.found);
              else values[who] = vs as string[];
            }
          }
        customAttributes.push({ name: c.name, values });
      }
      if (m.signAssertion !== undefined && typeof m.signAssertion !== 'boolean') add('mpass.signAssertion', 'Expected true or false.', 'Send signAssertion: true to have the Assertion signed too.');
      const faults: string[] = [];
      if (m.faults !== undefined && !Array.isArray(m.faults)) add('mpass.faults', 'Expected a list of fault ids.', 'See GET /api/faults for the ids.');
      for (const [i, f] of (Array.isArray(m.faults) ? m.faults : []).entries()) {
        if (typeof f !== 'string' || !ctx.faultIds.has(f)) add(`mpass.faults[${i}]`, `Unknown fault "${String(f)}".`, 'Use an id from GET /api/faults.', f);
        else faults.push(f);
      }
      const c = contract('mpass.contract', m.contract);
      if (issuer && acs && lreq && lres) {
        mpass = {
          ...(c ? { contract: c } : {}),
          issuer,
          assertionConsumerServiceUrl: acs,
          logoutRequestUrl: lreq,
          logoutResponseUrl: lres,
          attributes,
          customAttributes,
          signAssertion: m.signAssertion === true,
          faults,
        };
      }
    }
  }

  let msign: ServiceInput['msign'];
  if (body.msign !== undefined) {
    if (!isObject(body.msign)) add('msign', 'Expected an object.', 'Send the MSign part of the form as an object.');
    else {
      const m = body.msign;
      for (const k of Object.keys(m)) if (!MSIGN_KEYS.includes(k)) add(`msign.${k}`, `Unknown field "${k}".`, `Remove it; accepted: ${MSIGN_KEYS.join(', ')}.`);
      const ips: string[] = [];
      if (!Array.isArray(m.ipAddresses) || m.ipAddresses.length === 0) add('msign.ipAddresses', 'At least one allowed IP address is required.', 'Send e.g. ["127.0.0.1", "::1"] for a local client.');
      else
        for (const [i, ip] of m.ipAddresses.entries()) {
          if (typeof ip !== 'string' || net.isIP(ip) === 0) add(`msign.ipAddresses[${i}]`, 'Not an IPv4 or IPv6 address.', 'Use an address such as 127.0.0.1 or ::1 (no ports, no host names).', ip);
          else ips.push(ip);
        }
      if (!['natural', 'legal', 'both'].includes(m.signerType as string)) add('msign.signerType', 'Expected natural, legal or both.', 'natural: people sign for themselves; legal: people sign for an organisation; both.', m.signerType);
      const c = contract('msign.contract', m.contract);
      if (ips.length && ['natural', 'legal', 'both'].includes(m.signerType as string)) msign = { ...(c ? { contract: c } : {}), ipAddresses: ips, signerType: m.signerType as 'natural' };
    }
  }

  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    value: {
      name: names as ServiceInput['name'],
      description: description!,
      contact: { name: contact.name!, email: contact.email!, ...(contact.phone ? { phone: contact.phone } : {}) },
      certificate: certificate!,
      certificateSerial: certificateSerial!,
      ...(mpass ? { mpass } : {}),
      ...(msign ? { msign } : {}),
    },
  };
}

function httpUrl(where: string, v: unknown, add: (w: string, m: string, f: string, found?: unknown) => void): string | undefined {
  if (v === undefined || v === null || v === '') {
    add(where, 'This URL is required.', `Send ${where} as an absolute http(s) URL, e.g. https://localhost:5001/mpass-login.`);
    return undefined;
  }
  try {
    if (typeof v !== 'string' || v.length > 2048) throw new Error();
    const u = new URL(v);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
    // The URL is written as given into signed messages (Destination): it must be XML 1.0 text.
    const bad = xmlCharProblem(where, v);
    if (bad) {
      add(where, bad.message, bad.fix, bad.found);
      return undefined;
    }
    return v;
  } catch {
    add(where, 'Not an absolute http(s) URL.', 'Use a URL such as https://localhost:5001/mpass-login.', v);
    return undefined;
  }
}

function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
