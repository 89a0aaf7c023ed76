// Automation (POST /api/script): the next login(s) of a service finish without the page, and the faults
// its next single logout(s) get. A script only decides; the login itself runs through the MPass core like
// a page's answer. This module is the only owner of the queued scripts: callers add, take and withdraw.
import crypto from 'node:crypto';

export interface LoginScript {
  id: string;
  issuer: string;
  persona: string;
  outcome: 'success' | 'cancel';
  faults: string[];
  remaining: number;
}

export interface LogoutScript {
  issuer: string;
  faults: string[];
  remaining: number;
}

export class LoginScripts {
  private logins: LoginScript[] = [];
  private logouts: LogoutScript[] = [];

  /** The queued login scripts, in the order they apply (GET /api/script). */
  get list(): readonly LoginScript[] {
    return this.logins;
  }

  get logoutList(): readonly LogoutScript[] {
    return this.logouts;
  }

  add(s: Omit<LoginScript, 'id' | 'remaining'> & { times?: number }): LoginScript {
    const script: LoginScript = { id: crypto.randomUUID(), issuer: s.issuer, persona: s.persona, outcome: s.outcome, faults: s.faults, remaining: s.times ?? 1 };
    this.logins.push(script);
    return script;
  }

  addLogout(s: LogoutScript): LogoutScript {
    this.logouts.push(s);
    return s;
  }

  /** The service's next login script, counted as used. */
  take(issuer: string): LoginScript | undefined {
    const i = this.logins.findIndex((s) => s.issuer === issuer);
    if (i < 0) return undefined;
    const s = this.logins[i]!;
    if (--s.remaining <= 0) this.logins.splice(i, 1);
    return s;
  }

  /** Logout faults scripted for a service's next single logout, counted as used. */
  logoutFaultsFor(issuer: string): string[] {
    const i = this.logouts.findIndex((s) => s.issuer === issuer);
    if (i < 0) return [];
    const s = this.logouts[i]!;
    if (--s.remaining <= 0) this.logouts.splice(i, 1);
    return s.faults;
  }

  /** Withdraw scripts that were not used (a conformance case that could not run). */
  withdraw(loginIds: readonly string[], logout?: LogoutScript): void {
    if (loginIds.length) this.logins = this.logins.filter((s) => !loginIds.includes(s.id));
    if (logout) this.logouts = this.logouts.filter((s) => s !== logout);
  }

  clear(): void {
    this.logins = [];
    this.logouts = [];
  }
}
