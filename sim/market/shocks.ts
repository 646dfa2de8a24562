/** Scheduled shocks: at a tick, a simple return, optionally spread over k ticks in equal log steps. */

/** One scheduled shock. */
export interface ScheduledShock {
  tick: number;
  /** Simple return, e.g. -0.12. Must be > -1. */
  ret: number;
  /** Number of ticks the move is spread over (default 1). */
  overTicks?: number;
}

/** A tick → log-return schedule that accepts shocks before or during the run. */
export class ShockSchedule {
  private readonly byTick = new Map<number, number>();

  /** @param shocks initial schedule. */
  constructor(shocks: readonly ScheduledShock[] = []) {
    for (const s of shocks) this.add(s);
  }

  /** Adds a shock; overlapping shocks add up in log terms. */
  add(shock: ScheduledShock): void {
    if (!(shock.ret > -1)) throw new RangeError(`a shock's return must be > -1, got ${shock.ret}`);
    const k = Math.max(1, Math.floor(shock.overTicks ?? 1));
    const step = Math.log1p(shock.ret) / k;
    for (let j = 0; j < k; j++) {
      const t = shock.tick + j;
      this.byTick.set(t, (this.byTick.get(t) ?? 0) + step);
    }
  }

  /** Scheduled log-return at `tick` (0 when none). */
  at(tick: number): number {
    return this.byTick.get(tick) ?? 0;
  }
}
