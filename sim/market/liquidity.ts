/**
 * Liquidity and price impact. Depth is quoted the way traders quote it: the quote notional that
 * moves the mark by 1% ("1% depth"). Impact is applied in log terms so the price stays positive.
 */

/** How net flow moves the price. */
export type ImpactKind = 'linear' | 'sqrt';

/** Parameters of the liquidity model (units beside each). */
export interface LiquidityParams {
  /** Quote notional that moves the mark 1% in a calm market. */
  depth: number;
  /** linear: Δln p = 0.01·F/D; sqrt: Δln p = 0.01·sign(F)·√(|F|/D). Both agree at |F| = D. */
  impact: ImpactKind;
  /** Liquidity evaporation: depth × (σ̂/σ_ref)^(−elasticity) once σ̂ > σ_ref; 0 switches it off. */
  elasticity: number;
  /** Per-tick realized volatility at and below which depth is full. */
  referenceVol: number;
  /** Evaporation never takes depth below this fraction of its calm level. */
  minDepthFraction: number;
  /**
   * Largest |log move| one batch of flow can cause (a book is finite: sweeping it moves the price
   * a lot, never to 0 or ∞). Exchanges enforce the same with price bands. Default 0.25.
   */
  maxImpact?: number;
}

/**
 * Log price impact of a signed quote notional `flow` (+ = net buying) against `depth`.
 * @example impactLog(1e6, 1e6, 'linear') // 0.01: one depth's worth of buying moves the price 1%
 */
export function impactLog(flow: number, depth: number, kind: ImpactKind, maxImpact = Infinity): number {
  if (flow === 0) return 0;
  const x = flow / depth;
  const k = kind === 'linear' ? 0.01 * x : 0.01 * Math.sign(x) * Math.sqrt(Math.abs(x));
  return Math.max(-maxImpact, Math.min(maxImpact, k));
}

/**
 * The inverse of {@link impactLog}: the signed quote flow that moves the price by log-return `k`
 * against `depth` (ignoring the band).
 * @example flowForMove(0.01, 1e6, 'sqrt') // 1e6
 */
export function flowForMove(k: number, depth: number, kind: ImpactKind): number {
  const x = Math.abs(k) / 0.01;
  return Math.sign(k) * depth * (kind === 'linear' ? x : x * x);
}

/**
 * Effective depth after evaporation and the market makers' own provision multiplier.
 * @param realizedVol current per-tick realized volatility σ̂
 * @param providedFactor depth multiplier reported by market-maker agents (1 = normal quoting)
 */
export function effectiveDepth(p: LiquidityParams, realizedVol: number, providedFactor: number): number {
  let factor = 1;
  if (p.elasticity > 0 && realizedVol > p.referenceVol && p.referenceVol > 0) {
    factor = Math.pow(realizedVol / p.referenceVol, -p.elasticity);
  }
  factor = Math.max(p.minDepthFraction, factor * providedFactor);
  return p.depth * factor;
}
