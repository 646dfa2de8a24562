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

/** {@link averageFillFactor}'s cuts of one batch (at most three). */
const CUTS = new Float64Array(3);

/**
 * Average fill price of a batch of signed quote flow `flow` that walks the book from cumulative
 * tick flow `s0`, as a factor of the price before it: (1/F)·∫_{s0}^{s0+F} e^{G(s) − G(s0)} ds, with
 * G = {@link impactLog} (band included). One average per batch: the first unit fills at the price
 * before, the last at the price after, and the batch pays the mean along the impact curve rather
 * than the end price. Closed forms per piece (split at 0 and at the band's edges): linear impact
 * G = c·s gives e^{c·s}/c; square-root impact G = b·√u (u = |s|, b = ±0.01/√D) gives
 * 2·e^{b√u}(b√u − 1)/b²; a banded stretch is flat.
 * @example averageFillFactor(0, 1e6, 1e6, 'linear') // (e^0.01 − 1)/0.01 ≈ 1.005
 */
export function averageFillFactor(s0: number, flow: number, depth: number, kind: ImpactKind, maxImpact = Infinity): number {
  if (flow === 0 || !(depth < Infinity)) return 1;
  const s1 = s0 + flow;
  // Where the band starts to bind, in cumulative flow.
  const sBand = kind === 'linear' ? (maxImpact / 0.01) * depth : (maxImpact / 0.01) ** 2 * depth;
  const g0 = impactLog(s0, depth, kind, maxImpact);
  // The stretch is cut at 0 and at the band's edges ±sBand that lie strictly inside it, walked in
  // the flow's direction (ascending for buying; equal cuts in the order 0, sBand, −sBand). In a
  // scratch column, not a filtered and sorted array: this runs every batch, and those arrays were
  // ~0.5 kB of garbage a tick.
  const lo = Math.min(s0, s1), hi = Math.max(s0, s1);
  let n = 0;
  for (let c = 0; c < 3; c++) {
    const cut = c === 0 ? 0 : c === 1 ? sBand : -sBand;
    if (cut > lo && cut < hi) CUTS[n++] = cut;
  }
  const dir = flow > 0 ? 1 : -1;
  for (let i = 1; i < n; i++) {
    for (let j = i; j > 0 && dir * (CUTS[j - 1]! - CUTS[j]!) > 0; j--) {
      const t = CUTS[j]!;
      CUTS[j] = CUTS[j - 1]!;
      CUTS[j - 1] = t;
    }
  }
  let total = 0, from = s0;
  for (let i = 0; i < n; i++) {
    total += pieceIntegral(from, CUTS[i]!, g0, depth, kind, maxImpact, sBand);
    from = CUTS[i]!;
  }
  total += pieceIntegral(from, s1, g0, depth, kind, maxImpact, sBand);
  return total / flow;
}

/** ∫_{from}^{to} e^{G(s) − g0} ds over a stretch with one sign and no band edge inside. */
function pieceIntegral(from: number, to: number, g0: number, depth: number, kind: ImpactKind, maxImpact: number, sBand: number): number {
  if (from === to) return 0;
  const mid = 0.5 * (from + to);
  const sign = mid > 0 ? 1 : -1;
  if (Math.abs(mid) >= sBand) return Math.exp(sign * maxImpact - g0) * (to - from);
  if (kind === 'linear') {
    const c = 0.01 / depth;
    return (Math.exp(c * from - g0) * Math.expm1(c * (to - from))) / c;
  }
  // u = |s| runs from u0 to u1; ds = sign·du. With x = b·√u and d = x1 − x0, the antiderivative's
  // difference e^{x1}(x1 − 1) − e^{x0}(x0 − 1) = e^{x0}·((x1 − 1)·expm1(d) + d), without cancellation.
  const b = (sign * 0.01) / Math.sqrt(depth);
  const u0 = Math.abs(from), u1 = Math.abs(to);
  const r0 = Math.sqrt(u0), r1 = Math.sqrt(u1);
  const x0 = b * r0, x1 = b * r1;
  const d = (b * (u1 - u0)) / (r1 + r0);
  return (sign * 2 * Math.exp(x0 - g0) * ((x1 - 1) * Math.expm1(d) + d)) / (b * b);
}
