/**
 * Volatility-scaled leverage: max leverage = clamp(k / σ̂_t, min, max), where σ̂_t is an EWMA of the
 * mark's realized volatility, annualised. The change per tick is bounded (`maxStep`, relative) and
 * limits only move once the target is more than `hysteresis` away, so they do not flap. The whole
 * tier table scales: every bracket's max leverage × (L_t / L_base), MMRs re-derived at a constant
 * MMR / IMR ratio (see scale.ts). The `base` is any policy, dynamic ones included: L_base is its
 * first bracket's max leverage at the start, and its current schedule is scaled by L_t / L_base.
 *
 * The idea is the exchange-side counterpart of volatility targeting: margin that tracks current
 * risk (Brunnermeier & Pedersen 2009 "Market liquidity and funding liquidity"), which the
 * literature also shows to be procyclical (Poledna et al. 2014; Aymanns & Farmer 2015).
 */
import type { MarketView } from '../../market/market';
import { ewmaDecay } from '../../engine/clock';
import { ScaledPolicy } from './scaled';
import type { PolicyOptions } from './table-policy';
import type { LeveragePolicy, PolicyHeadline } from './types';

/** Parameters of {@link VolScaledPolicy}. */
export interface VolScaledParams {
  /** The policy whose schedule is scaled (its first bracket's leverage at the start is L_base). */
  base: LeveragePolicy;
  /** L = k / σ̂ with σ̂ annualised (k = 10: 20x at 50% vol). */
  k: number;
  minLeverage: number;
  maxLeverage: number;
  /** EWMA half-life of squared mark returns, ticks. */
  halfLife: number;
  /** Largest relative change of the limit per tick. */
  maxStep: number;
  /** Relative gap between target and limit below which the limit stays put. */
  hysteresis: number;
  /** Tick length, to annualise volatility. */
  tickSeconds: number;
}

/** Max leverage that scales with 1 / realized volatility. */
export class VolScaledPolicy extends ScaledPolicy {
  private variance = NaN;
  private readonly lambda: number;
  private readonly annual: number;
  /** L_base: the base's first-bracket max leverage at the start. */
  private readonly baseLeverage: number;
  /** Current max leverage L_t of the first bracket (of the base's schedule at the start). */
  leverage: number;

  constructor(name: string, private readonly p: VolScaledParams, opts: PolicyOptions = {}) {
    super(name, p.base, opts);
    this.lambda = ewmaDecay(Math.max(1, p.halfLife));
    this.annual = Math.sqrt((365 * 86400) / p.tickSeconds);
    this.baseLeverage = p.base.table(0).maxLeverage[0]!;
    this.leverage = this.baseLeverage;
    this.rescale();
  }

  /** The unclamped, unsmoothed target k / σ̂ for annualised volatility `sigma`. */
  target(sigma: number): number {
    return Math.min(this.p.maxLeverage, Math.max(this.p.minLeverage, sigma > 0 ? this.p.k / sigma : this.p.maxLeverage));
  }

  /** Updates σ̂ and moves L_t toward its target; the factor is L_t / L_base. */
  protected update(market: MarketView): boolean {
    const r = market.lastReturn;
    this.variance = Number.isNaN(this.variance) ? market.referenceVol ** 2 : this.lambda * this.variance + (1 - this.lambda) * r * r;
    const want = this.target(Math.sqrt(this.variance) * this.annual);
    const L = this.leverage;
    if (Math.abs(want - L) <= this.p.hysteresis * L) return false;
    const next = Math.min(L * (1 + this.p.maxStep), Math.max(L * (1 - this.p.maxStep), want));
    this.leverage = next;
    this.factor = next / this.baseLeverage;
    return true;
  }

  override headline(): PolicyHeadline {
    const baseNow = this.base.table(0).maxLeverage[0]! / this.baseLeverage;
    return { maxLeverage: this.leverage * baseNow, marginMultiplier: this.baseLeverage / this.leverage, regime: '' };
  }
}
