// A rejection is data: { code, where, found, expected, fix }. It is rendered once for pages,
// once for JSON/SOAP answers and once for the event log.
export interface Rejection {
  /** Stable machine-readable code, e.g. ERR_SIGNATURE_INVALID. */
  code: string;
  /** The field, element or parameter at fault (`AuthnRequest/@Destination`, `certificate`). */
  where: string;
  /** What the sandbox checked, in one sentence. */
  message: string;
  found?: string;
  expected?: string;
  /** What the integrator should change. */
  fix: string;
}

export class SandboxError extends Error {
  readonly rejection: Rejection;
  /**
   * Where a page may send the tester back: set only when the sender is proven (a validly signed request
   * from a registered service), so an error page never links to a URL an anonymous request chose.
   */
  returnTo?: { url: string; service: string };
  constructor(
    readonly status: number,
    rejection: Rejection,
  ) {
    super(`${rejection.code} at ${rejection.where}: ${rejection.message}`);
    this.name = 'SandboxError';
    this.rejection = rejection;
  }
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
