/**
 * A lending protocol's price oracle (reference/exchange-margin.md "Lending protocols (Aave v3)":
 * prices come from oracles that lag the market; an oracle reading one venue can be moved by that
 * venue's own liquidations).
 *
 * The oracle does not read its source itself: the world reads the source named in
 * {@link OracleParams.source} (the shared index, one venue's spot price or one venue's perp price)
 * and hands the number to {@link Oracle.observe}. Why: `sim/protocols` then depends on no venue or
 * market code, and the world decides when within a tick the source is read (for instance again after
 * a liquidation round's sales moved a venue's spot price).
 */
import type { OracleParams } from './types';

/**
 * A lagged oracle with an optional persistent mis-report.
 *
 * Reported price = source(t − lagTicks) × exp(offset), where source(t − lagTicks) is the price
 * observed `lagTicks` ticks before the latest observation (the oldest observation while fewer than
 * `lagTicks + 1` ticks have been observed), and `offset` is the sum of every {@link Oracle.shock}.
 *
 * @example
 * const o = new Oracle({ source: { kind: 'index' }, lagTicks: 2 });
 * o.observe(0, 100); o.observe(1, 90); o.observe(2, 80);
 * o.price; // 100 (the price two ticks ago)
 * o.shock(Math.log(0.5)); o.price; // 50
 */
export class Oracle {
  /** Lag in ticks (a non-negative integer). */
  readonly lagTicks: number;
  /** Ring buffer of the last `lagTicks + 1` observations, one per tick. */
  private readonly ring: Float64Array;
  /** Index in {@link ring} of the latest observation. */
  private head = -1;
  /** Number of observations held (≤ ring length). */
  private count = 0;
  /** Tick of the latest observation (−Infinity before any). */
  private lastTick = -Infinity;
  private logOffset = 0;

  constructor(readonly params: OracleParams) {
    const lag = params.lagTicks;
    if (!Number.isInteger(lag) || lag < 0) throw new Error(`oracle lagTicks must be a non-negative integer, got ${lag}`);
    this.lagTicks = lag;
    this.ring = new Float64Array(lag + 1);
  }

  /**
   * Records the source price of tick `tick`. Call once per tick; calling again with the same tick
   * replaces that tick's observation (why: within one tick the world may re-read a source that
   * liquidation sales have just moved, and with lag 0 the oracle must report the new price).
   * Ticks skipped between two observations are filled with the earlier price (the source is taken
   * to have held it), so the lag always counts ticks, not calls. Ticks must not go backwards.
   */
  observe(tick: number, sourcePrice: number): void {
    if (tick < this.lastTick) throw new Error(`oracle observed tick ${tick} after tick ${this.lastTick}`);
    const len = this.ring.length;
    if (tick === this.lastTick) {
      this.ring[this.head] = sourcePrice;
      return;
    }
    if (this.count > 0) {
      // Fill skipped ticks with the last price; more than `len` of them would all fall out anyway.
      const prev = this.ring[this.head]!;
      const gap = Math.min(tick - this.lastTick - 1, len);
      for (let g = 0; g < gap; g++) this.push(prev);
    }
    this.push(sourcePrice);
    this.lastTick = tick;
  }

  private push(p: number): void {
    const len = this.ring.length;
    this.head = (this.head + 1) % len;
    this.ring[this.head] = p;
    if (this.count < len) this.count++;
  }

  /**
   * The lagged source price without the shock offset: the observation `lagTicks` ticks before the
   * latest one, or the oldest held while the history is shorter. NaN before the first observation.
   */
  get unshocked(): number {
    if (this.count === 0) return NaN;
    const len = this.ring.length;
    const back = Math.min(this.lagTicks, this.count - 1);
    return this.ring[(this.head - back + len) % len]!;
  }

  /** The reported price: {@link unshocked} × exp({@link offset}). NaN before the first observation. */
  get price(): number {
    return this.unshocked * Math.exp(this.logOffset);
  }

  /**
   * Adds `logMove` to the persistent log offset of every later report (a manipulated or
   * mis-reporting oracle: `shock(Math.log(0.65))` reports 65% of the source from now on). Shocks add
   * up; `shock(-offset)` removes them.
   */
  shock(logMove: number): void {
    this.logOffset += logMove;
  }

  /** The sum of every {@link shock} so far (a log offset; 0 for an honest oracle). */
  get offset(): number {
    return this.logOffset;
  }
}
