/**
 * Perpetual funding. Every `intervalTicks` ticks the rate is the interval's average premium plus a
 * clamped interest term (Binance's form), then clamped to ±cap:
 *
 *     F = clamp(P̄ + clamp(I − P̄, −band, +band), −cap, +cap)
 *
 * Positive F: longs pay shorts F × notional; negative F: shorts pay longs. Payments are zero-sum
 * because open interest balances.
 */
export interface FundingParams {
  /** Ticks between settlements (e.g. 8 h / tickSeconds). */
  intervalTicks: number;
  /** Interest rate per interval (fraction; Binance uses 0.0001 per 8 h). */
  interest: number;
  /** Half-width of the clamp on I − P̄ (Binance: 0.0005). */
  band: number;
  /** Cap on |F| per interval. */
  cap: number;
}

/** Accumulates the premium and says when and at what rate funding settles. */
export class FundingClock {
  private sum = 0;
  private n = 0;
  /** Rate of the last settlement (0 before the first). */
  lastRate = 0;
  /** Average premium of the last settled interval. */
  lastPremium = 0;

  /** @param p funding parameters; intervalTicks ≤ 0 disables funding. */
  constructor(readonly p: FundingParams) {}

  /**
   * Time from tick `tick` until the next settlement, as a fraction of the interval (0 when funding
   * is off): the factor on the last rate in the index-anchored mark's P1.
   */
  toNextFraction(tick: number): number {
    const n = this.p.intervalTicks;
    return n > 0 ? (n - (tick % n)) / n : 0;
  }

  /** Samples this tick's premium and returns true when this tick settles funding. */
  sample(tick: number, premium: number): boolean {
    this.sum += premium;
    this.n++;
    if (this.p.intervalTicks <= 0 || (tick + 1) % this.p.intervalTicks !== 0) return false;
    const avg = this.sum / this.n;
    this.sum = 0;
    this.n = 0;
    this.lastPremium = avg;
    this.lastRate = fundingRate(avg, this.p);
    return true;
  }
}

/** The funding rate for average premium `avgPremium`. @example fundingRate(0, p) === p.interest when |I| ≤ band */
export function fundingRate(avgPremium: number, p: FundingParams): number {
  const inner = Math.min(p.band, Math.max(-p.band, p.interest - avgPremium));
  return Math.min(p.cap, Math.max(-p.cap, avgPremium + inner));
}
