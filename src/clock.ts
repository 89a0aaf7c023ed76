// The one clock every timestamp the sandbox writes or checks comes from, so a test suite can move
// the sandbox in time (TC_SEC_03 needs the IdP, not the SP, to be off).
export interface ClockState {
  offsetSeconds: number;
  frozenAt: string | null;
}

export class Clock {
  private offsetMs = 0;
  private frozenAt: number | null = null;

  now(): Date {
    return new Date(this.nowMs());
  }

  nowMs(): number {
    return this.frozenAt ?? Date.now() + this.offsetMs;
  }

  setOffset(seconds: number): void {
    this.frozenAt = null;
    this.offsetMs = seconds * 1000;
  }

  freeze(at: Date): void {
    this.frozenAt = at.getTime();
  }

  reset(): void {
    this.offsetMs = 0;
    this.frozenAt = null;
  }

  state(): ClockState {
    return {
      offsetSeconds: this.offsetMs / 1000,
      frozenAt: this.frozenAt === null ? null : new Date(this.frozenAt).toISOString(),
    };
  }
}

