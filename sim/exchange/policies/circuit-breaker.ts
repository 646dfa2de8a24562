/**
 * Circuit breaker: NORMAL, SOFT and HARD regimes set by a stress index built from returns and
 * liquidation volume,
 *
 *     S_t = EWMA_h( |r_t| / σ_ref + w_liq × (liquidated notional_{t−1} / open interest) / liqRef ),
 *
 * entering SOFT at S ≥ `soft` and HARD at S ≥ `hard` at once. Leaving is by hysteresis, once the
 * regime has lasted `minDwell` ticks: HARD → SOFT when S < exitRatio × hard, HARD or SOFT → NORMAL
 * when S < exitRatio × soft (so a stress that keeps SOFT in SOFT also takes HARD to SOFT). Each regime
 * multiplies margin requirements (max leverage ÷ m, MMR × m); HARD can also make the market
 * reduce-only. The `base` is any policy, dynamic ones included: its current schedule is scaled (see
 * scaled.ts), e.g. an ES margin tightened further by the breaker's regime. The idea of exchange price limits and trading halts (e.g. CME's, or the SEC's
 * market-wide circuit breakers) applied to margin.
 */
import type { MarketView } from '../../market/market';
import { ewmaDecay } from '../../engine/clock';
import { ScaledPolicy } from './scaled';
import type { PolicyOptions } from './table-policy';
import type { AccountsView, ExchangeView, LeveragePolicy, PolicyHeadline } from './types';

/** Regimes, mildest first. */
export const REGIMES = ['NORMAL', 'SOFT', 'HARD'] as const;
/** A circuit-breaker regime. */
export type Regime = (typeof REGIMES)[number];

/** Parameters of {@link CircuitBreakerPolicy}. */
export interface CircuitBreakerParams {
  /** The policy whose schedule the regimes scale. */
  base: LeveragePolicy;
  soft: number;
  hard: number;
  exitRatio: number;
  minDwell: number;
  /** Margin multipliers in SOFT and HARD. */
  softMultiplier: number;
  hardMultiplier: number;
  hardReduceOnly: boolean;
  /** EWMA half-life of the stress index, ticks. */
  halfLife: number;
  /** Weight of the liquidation term, and the liquidated share of open interest that counts 1. */
  liqWeight: number;
  liqRef: number;
}

/** Regime-switching margin multipliers. */
export class CircuitBreakerPolicy extends ScaledPolicy {
  regime: Regime = 'NORMAL';
  /** The stress index. */
  stress = 0;
  private since = 0;
  private readonly lambda: number;

  constructor(name: string, private readonly p: CircuitBreakerParams, opts: PolicyOptions = {}) {
    super(name, p.base, opts);
    this.lambda = ewmaDecay(Math.max(1, p.halfLife));
  }

  /**
   * The regime the index `s` calls for from `current` after `dwell` ticks in it: up at once
   * (s ≥ hard → HARD, NORMAL with s ≥ soft → SOFT); down after minDwell (s < exitRatio·soft →
   * NORMAL, HARD with s < exitRatio·hard → SOFT).
   */
  next(current: Regime, s: number, dwell: number): Regime {
    const p = this.p;
    if (s >= p.hard) return 'HARD';
    if (s >= p.soft && current === 'NORMAL') return 'SOFT';
    if (dwell < p.minDwell) return current;
    if (current !== 'NORMAL' && s < p.soft * p.exitRatio) return 'NORMAL';
    if (current === 'HARD' && s < p.hard * p.exitRatio) return 'SOFT';
    return current;
  }

  /** Updates the stress index and the regime; the factor is 1 / the regime's multiplier. */
  protected update(m: MarketView, _a: AccountsView, ex: ExchangeView): boolean {
    const liq = ex.openInterestNotional > 0 ? ex.liquidatedNotional / ex.openInterestNotional / this.p.liqRef : 0;
    const x = Math.abs(m.lastReturn) / m.referenceVol + this.p.liqWeight * liq;
    this.stress = this.lambda * this.stress + (1 - this.lambda) * x;
    const r = this.next(this.regime, this.stress, m.tick - this.since);
    if (r === this.regime) return false;
    this.regime = r;
    this.since = m.tick;
    this.factor = 1 / this.multiplier();
    return true;
  }

  /** The current margin multiplier. */
  multiplier(): number {
    return this.regime === 'HARD' ? this.p.hardMultiplier : this.regime === 'SOFT' ? this.p.softMultiplier : 1;
  }

  /** In HARD with `hardReduceOnly`, no account may open or add; nor where the base says so. */
  override reduceOnly(account: number): boolean {
    return (this.regime === 'HARD' && this.p.hardReduceOnly) || super.reduceOnly(account);
  }

  override headline(): PolicyHeadline {
    return { maxLeverage: this.current.maxLeverage[0]!, marginMultiplier: this.multiplier(), regime: this.regime };
  }
}
