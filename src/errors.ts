// A rejection is data: { code, where, found, expected, fix }. It is rendered once for pages,
// once for JSON/SOAP answers and once for the event log. Codes, statuses and ro/ru/en texts: src/catalogue.ts.
import { statusOf, textsOf, type Code } from './catalogue.js';
import type { Lang } from './lang.js';
export interface Rejection {
  /** Stable machine-readable code, e.g. ERR_SIGNATURE_INVALID. */
  code: string;
  /** The field, element or parameter at fault (`AuthnRequest/@Destination`, `certificate`). */
  where: string;
  /** What the sandbox checked, in one sentence. */
  message: string;
  found?: string;
  expected?: string;
  /** An instant the rejection names (ISO 8601), e.g. when a replayed ID was first accepted. */
  at?: string;
  /** What the integrator should change. */
  fix: string;
}

/**
 * One rejection on its way to the HTTP layer. `new SandboxError(rejection)` takes the status from the
 * catalogue (src/catalogue.ts); an explicit status (older throw sites) still wins.
 */
export class SandboxError extends Error {
  readonly rejection: Rejection;
  /**
   * Where a page may send the tester back: set only when the sender is proven (a validly signed request
   * from a registered service), so an error page never links to a URL an anonymous request chose.
   */
  returnTo?: { url: string; service: string };
  readonly status: number;
  constructor(statusOrRejection: number | Rejection, rejection?: Rejection) {
    const r = typeof statusOrRejection === 'number' ? rejection! : statusOrRejection;
    super(`${r.code} at ${r.where}: ${r.message}`);
    this.name = 'SandboxError';
    this.rejection = r;
    this.status = typeof statusOrRejection === 'number' ? statusOrRejection : statusOf(r.code);
  }
}

/** A rejection from a catalogued code and its data; the English sentence is the catalogue's unless given. */
export function rejection(code: Code, where: string, data: { found?: string; expected?: string; message?: string; fix?: string } = {}): Rejection {
  const en = textsOf(code, 'en', { where, found: data.found, expected: data.expected })!;
  return { code, where, message: data.message ?? en.message, ...(data.found !== undefined ? { found: data.found } : {}), ...(data.expected !== undefined ? { expected: data.expected } : {}), fix: data.fix ?? en.fix };
}

/**
 * The rejection in a language: the throw site's English stays the English text (it is the most precise);
 * ro and ru come from the catalogue. Found/expected are data and never translated.
 */
export function localizeRejection<R extends { code: string; where: string; message: string; fix: string; found?: string; expected?: string; at?: string }>(r: R, lang: Lang): R {
  if (lang === 'en') return r;
  const t = textsOf(r.code, lang, r);
  return t ? { ...r, message: t.message, fix: t.fix } : r;
}

/** Several problems reported at once (registration form, SOAP validation). */
export class ValidationError extends Error {
  constructor(readonly problems: Rejection[]) {
    super(problems.map((p) => `${p.where}: ${p.message}`).join('; '));
    this.name = 'ValidationError';
  }
}

export const reject = (status: number, r: Rejection): never => {
  throw new SandboxError(status, r);
};

export function truncate(value: string | undefined | null, max = 200): string | undefined {
  if (value === undefined || value === null) return undefined;
  return value.length > max ? `${value.slice(0, max)}… (${value.length} chars)` : value;
}
