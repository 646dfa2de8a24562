/**
 * The clearing price: the root of the excess demand ξ/p + Σ_h D_h(p) − N, found exactly segment by
 * segment (no bisection), and chosen by tâtonnement.
 *
 * Between breakpoints the excess demand is A/p + B + C·p, so for p > 0 its roots are those of the
 * quadratic C·p² + B·p + A. Several roots can exist: when a fund is at its cap, a lower price cuts its
 * wealth and forces it to sell (a margin call), so demand can fall as the price falls. The root is
 * chosen by tâtonnement: from the previous price p_{t−1}, the price moves in the direction of the
 * excess demand there (up when demand exceeds supply) and stops at the first root it meets. This
 * choice is part of the model: taking, say, the highest root instead would skip the crashes that
 * the margin-call branch produces (the README measures how often the two differ). The middle root
 * of a fold repels tâtonnement and is never chosen. A root always exists in the chosen direction: as
 * p → 0 the noise traders' ξ/p exceeds any supply, and above V the funds hold nothing, so the
 * excess demand ξ/p − N turns negative.
 */
import { excessDemand, type DemandCurve } from './demand';

/**
 * The roots of A/p + B + C·p = 0 in [lo, hi] (p > 0), written into `out`; returns how many (0–2),
 * ascending. The quadratic is solved in the cancellation-free form q = −(B + sign(B)·√(B² − 4AC))/2,
 * roots q/C and A/q.
 */
export function segmentRoots(a: number, b: number, c: number, lo: number, hi: number, out: Float64Array): number {
  let r1: number, r2: number;
  if (c === 0) {
    if (b === 0) return 0;
    r1 = r2 = -a / b;
  } else {
    const disc = b * b - 4 * a * c;
    if (disc < 0) return 0;
    const q = -0.5 * (b + (b >= 0 ? Math.sqrt(disc) : -Math.sqrt(disc)));
    if (q === 0) return 0; // B = 0 and AC = 0: the only root is p = 0
    r1 = q / c;
    r2 = a / q;
  }
  if (r1 > r2) {
    const t = r1;
    r1 = r2;
    r2 = t;
  }
  let n = 0;
  if (r1 > 0 && r1 >= lo && r1 <= hi) out[n++] = r1;
  if (r2 !== r1 && r2 > 0 && r2 >= lo && r2 <= hi) out[n++] = r2;
  return n;
}

/** Scratch space of {@link clearingPrice}, allocated once per market. */
export class ClearingScratch {
  readonly bp: Float64Array;
  readonly abc = new Float64Array(3);
  readonly roots = new Float64Array(2);
  constructor(curves: readonly DemandCurve[]) {
    this.bp = new Float64Array(curves.reduce((n, c) => n + c.maxBreakpoints, 0));
  }
}

/** Every population's breakpoints into `out`, sorted ascending and without repeats; returns how many. */
function allBreakpoints(curves: readonly DemandCurve[], cap: number, out: Float64Array): number {
  let n = 0;
  for (const c of curves) n = c.breakpoints(cap, out, n);
  // Insertion sort: a few dozen values, and no allocation.
  for (let i = 1; i < n; i++) {
    const x = out[i]!;
    let j = i - 1;
    while (j >= 0 && out[j]! > x) {
      out[j + 1] = out[j]!;
      j--;
    }
    out[j + 1] = x;
  }
  let u = 0;
  for (let i = 0; i < n; i++) if (u === 0 || out[i]! !== out[u - 1]!) out[u++] = out[i]!;
  return u;
}

/** (A, B, C) of the excess demand on the segment holding `pm`: the populations' sum, and −N. */
function segmentCoefficients(curves: readonly DemandCurve[], supply: number, cap: number, pm: number, abc: Float64Array): void {
  abc[0] = 0;
  abc[1] = -supply;
  abc[2] = 0;
  for (const c of curves) c.addCoefficients(cap, pm, abc);
}

/**
 * The tâtonnement clearing price from `pPrev` (see the file's comment): the first root of the
 * excess demand Σ demand − `supply` met moving from `pPrev` in the direction of its sign.
 */
export function clearingPrice(curves: readonly DemandCurve[], supply: number, cap: number, pPrev: number, w: ClearingScratch): number {
  const e0 = excessDemand(curves, supply, cap, pPrev);
  if (e0 === 0) return pPrev;
  const bp = w.bp, abc = w.abc, roots = w.roots;
  const nb = allBreakpoints(curves, cap, bp);
  if (e0 > 0) {
    // Upwards: [pPrev, b_k], [b_k, b_k+1], ..., [b_last, ∞).
    let k = 0;
    while (k < nb && bp[k]! <= pPrev) k++;
    let lo = pPrev;
    for (;;) {
      const hi = k < nb ? bp[k]! : Infinity;
      segmentCoefficients(curves, supply, cap, hi === Infinity ? lo * 2 : 0.5 * (lo + hi), abc);
      if (segmentRoots(abc[0]!, abc[1]!, abc[2]!, lo, hi, roots) > 0) return roots[0]!;
      if (k >= nb) throw new Error(`walrasian clearing: no root above ${pPrev}`);
      lo = hi;
      k++;
    }
  }
  // Downwards: [b_k, pPrev], [b_k−1, b_k], ..., (0, b_0].
  let k = nb - 1;
  while (k >= 0 && bp[k]! >= pPrev) k--;
  let hi = pPrev;
  for (;;) {
    const lo = k >= 0 ? bp[k]! : 0;
    segmentCoefficients(curves, supply, cap, 0.5 * (lo + hi), abc);
    const n = segmentRoots(abc[0]!, abc[1]!, abc[2]!, lo, hi, roots);
    if (n > 0) return roots[n - 1]!;
    if (k < 0) throw new Error(`walrasian clearing: no root below ${pPrev}`);
    hi = lo;
    k--;
  }
}
