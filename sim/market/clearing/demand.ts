/**
 * Demand functions of the walrasian mode (Thurner, Farmer & Geanakoplos 2012), as functions of a
 * trial price p, and their piecewise form A/p + B + C·p between breakpoints.
 *
 * A value fund holding D₀ shares and cash M₀ (negative: a loan) has at the trial price p
 *
 *     W(p) = D₀·p + M₀,   m(p) = V − p,
 *     λ(p) = 0 if m ≤ 0,  β·m while β·m < λ_max,  λ_max at the cap,
 *     D(p) = λ(p)·max(W(p), 0) / p.
 *
 * The max(W, 0) is ours: a fund whose wealth would be negative at p holds nothing there (it
 * cannot go short); the paper never lets wealth reach zero because the fund defaults first, but a
 * trial price can fall that far. Noise traders demand ξ/p. D(p) is continuous in p, with
 * breakpoints at p = V, at the cap p = V − λ_max/β and at W = 0, p = −M₀/D₀.
 */

/** The demand D(p) of one value fund (see the file's formula). */
export function fundDemand(p: number, d0: number, m0: number, beta: number, value: number, cap: number): number {
  const m = value - p;
  const w = d0 * p + m0;
  if (m <= 0 || w <= 0) return 0;
  const lambda = Math.min(beta * m, cap);
  return (lambda * w) / p;
}

/** True when a fund of aggression `beta` is at its leverage cap at price p: β·(V − p) ≥ λ_max. */
export function atCap(p: number, beta: number, value: number, cap: number): boolean {
  return value > p && beta * (value - p) >= cap;
}

/** The funds' state as the clearing sees it: only funds with `live[h] = 1` demand anything. */
export interface DemandState {
  readonly count: number;
  readonly shares: Float64Array;
  readonly cash: Float64Array;
  readonly beta: Float64Array;
  readonly live: Uint8Array;
  readonly value: number;
  /** Fixed supply N. */
  readonly supply: number;
}

/** Excess demand ξ/p + Σ_h D_h(p) − N, summed fund by fund (the reference the exact roots are checked against). */
export function excessDemand(s: DemandState, xi: number, cap: number, p: number): number {
  let e = xi / p - s.supply;
  for (let h = 0; h < s.count; h++) if (s.live[h]) e += fundDemand(p, s.shares[h]!, s.cash[h]!, s.beta[h]!, s.value, cap);
  return e;
}

/**
 * Writes the positive demand breakpoints (V, each fund's cap price, each fund's W = 0 price) into
 * `out`, sorted ascending and without repeats; returns how many. `out` needs 3·count + 1 slots.
 */
export function breakpoints(s: DemandState, cap: number, out: Float64Array): number {
  let n = 0;
  out[n++] = s.value;
  for (let h = 0; h < s.count; h++) {
    if (!s.live[h]) continue;
    const pc = s.value - cap / s.beta[h]!;
    if (pc > 0) out[n++] = pc;
    const d0 = s.shares[h]!, m0 = s.cash[h]!;
    if (d0 > 0 && m0 < 0) out[n++] = -m0 / d0;
  }
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

/**
 * Coefficients (A, B, C) of the excess demand A/p + B + C·p on the segment holding the price `pm`
 * (strictly inside it), written into `abc`. Each fund's regime is the one it is in at `pm`:
 *
 *     below the cap:  β·(V − p)·(D₀·p + M₀)/p = β·V·M₀/p + β·(V·D₀ − M₀) − β·D₀·p
 *     at the cap:     λ_max·(D₀·p + M₀)/p      = λ_max·M₀/p + λ_max·D₀
 *
 * plus the noise traders' ξ/p and −N.
 */
export function segmentCoefficients(s: DemandState, xi: number, cap: number, pm: number, abc: Float64Array): void {
  let a = xi, b = -s.supply, c = 0;
  const v = s.value;
  for (let h = 0; h < s.count; h++) {
    if (!s.live[h]) continue;
    const d0 = s.shares[h]!, m0 = s.cash[h]!, beta = s.beta[h]!;
    if (pm >= v || d0 * pm + m0 <= 0) continue;
    if (beta * (v - pm) >= cap) {
      a += cap * m0;
      b += cap * d0;
    } else {
      a += beta * v * m0;
      b += beta * (v * d0 - m0);
      c -= beta * d0;
    }
  }
  abc[0] = a;
  abc[1] = b;
  abc[2] = c;
}
