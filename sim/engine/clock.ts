/** Discrete simulation time: ticks of `tickSeconds` seconds each. */
export class Clock {
  /** The current tick, 0-based; -1 before the first tick. */
  tick = -1;

  /** @param tickSeconds length of one tick in seconds (> 0). */
  constructor(readonly tickSeconds: number) {
    if (!(tickSeconds > 0)) throw new RangeError(`tickSeconds must be > 0, got ${tickSeconds}`);
  }

  /** Simulated seconds elapsed at the start of the current tick. */
  get seconds(): number {
    return Math.max(0, this.tick) * this.tickSeconds;
  }

  /** A tick's length as a fraction of a 365-day year, the unit of annualised drift and volatility. */
  get dtYears(): number {
    return this.tickSeconds / (365 * 86400);
  }

  /** Number of whole ticks in `seconds` (at least 1). */
  ticksIn(seconds: number): number {
    return Math.max(1, Math.round(seconds / this.tickSeconds));
  }
}

/**
 * Per-tick weight of the old value in an exponentially weighted average whose weights halve every
 * `halfLife` ticks: λ = 0.5^(1 / halfLife), x̄_t = λ·x̄_{t−1} + (1 − λ)·x_t.
 * @example ewmaDecay(1) // 0.5
 */
export function ewmaDecay(halfLife: number): number {
  return Math.pow(0.5, 1 / halfLife);
}
