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
 * breakpoints at p = V, at the cap p = V − λ_max/β and at W = 0, p = −M₀/D₀. Each population is a
 * {@link DemandCurve}.
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

/**
 * A population's demand in the walrasian mode: a function of the trial price p that is
 * A/p + B + C·p between its breakpoints. The clearing asks every population for these instead of
 * an order.
 */
export interface DemandCurve {
  /** Most breakpoints it can give (sizes the clearing's scratch space). */
  readonly maxBreakpoints: number;
  /** Writes the positive prices where its formula changes into `out` from slot `n`; returns the new count. */
  breakpoints(cap: number, out: Float64Array, n: number): number;
  /** Adds its (A, B, C) on the segment holding the price `pm` (strictly inside it) to `abc`. */
  addCoefficients(cap: number, pm: number, abc: Float64Array): void;
  /** Its demand (shares) at price p. */
  demand(cap: number, p: number): number;
}

/** Noise traders: demand ξ/p (A = ξ), no breakpoints; ξ_t is set by the market each tick. */
export class NoiseTraders implements DemandCurve {
  readonly maxBreakpoints = 0;
  /** ξ_t, the cash they hold in shares (quote). */
  xi: number;
  /** Shares they hold. */
  shares: number;

  constructor(xi: number, shares: number) {
    this.xi = xi;
    this.shares = shares;
  }
  /** None. */
  breakpoints(_cap: number, _out: Float64Array, n: number): number {
    return n;
  }
  /** A += ξ. */
  addCoefficients(_cap: number, _pm: number, abc: Float64Array): void {
    abc[0] = abc[0]! + this.xi;
  }
  /** ξ/p. */
  demand(_cap: number, p: number): number {
    return this.xi / p;
  }
}

/**
 * Value funds, as columns: shares D₀ and cash M₀ before the clearing, aggression β, and `live` = 1
 * for a fund that demands at this clearing (0: defaulted or out of business). Their demand is the
 * sum of {@link fundDemand} over live funds, with breakpoints at V, at each cap price V − λ_max/β
 * and at each indebted fund's W = 0 price −M₀/D₀.
 */
export class ValueFunds implements DemandCurve {
  readonly count: number;
  readonly maxBreakpoints: number;
  readonly shares: Float64Array;
  readonly cash: Float64Array;
  readonly beta: Float64Array;
  readonly live: Uint8Array;

  /** Funds with aggressions `beta`, no shares, `cash` each, all live; V = `value`. */
  constructor(beta: ArrayLike<number>, cash: number, readonly value: number) {
    this.count = beta.length;
    this.maxBreakpoints = 2 * beta.length + 1;
    this.shares = new Float64Array(beta.length);
    this.cash = new Float64Array(beta.length).fill(cash);
    this.beta = Float64Array.from(beta);
    this.live = new Uint8Array(beta.length).fill(1);
  }

  /** V, then each live fund's cap price and W = 0 price when positive. */
  breakpoints(cap: number, out: Float64Array, n: number): number {
    out[n++] = this.value;
    for (let h = 0; h < this.count; h++) {
      if (!this.live[h]) continue;
      const pc = this.value - cap / this.beta[h]!;
      if (pc > 0) out[n++] = pc;
      const d0 = this.shares[h]!, m0 = this.cash[h]!;
      if (d0 > 0 && m0 < 0) out[n++] = -m0 / d0;
    }
    return n;
  }

  /**
   * Each live fund in the regime it is in at `pm`:
   *
   *     below the cap:  β·(V − p)·(D₀·p + M₀)/p = β·V·M₀/p + β·(V·D₀ − M₀) − β·D₀·p
   *     at the cap:     λ_max·(D₀·p + M₀)/p      = λ_max·M₀/p + λ_max·D₀
   *     m ≤ 0 or W ≤ 0: nothing.
   */
  addCoefficients(cap: number, pm: number, abc: Float64Array): void {
    let a = abc[0]!, b = abc[1]!, c = abc[2]!;
    const v = this.value;
    for (let h = 0; h < this.count; h++) {
      if (!this.live[h]) continue;
      const d0 = this.shares[h]!, m0 = this.cash[h]!, beta = this.beta[h]!;
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

  /** Σ over live funds of {@link fundDemand}, fund by fund. */
  demand(cap: number, p: number): number {
    let d = 0;
    for (let h = 0; h < this.count; h++) if (this.live[h]) d += fundDemand(p, this.shares[h]!, this.cash[h]!, this.beta[h]!, this.value, cap);
    return d;
  }
}

/** Excess demand Σ_k demand_k(p) − N, summed population by population (the reference the exact roots are checked against). */
export function excessDemand(curves: readonly DemandCurve[], supply: number, cap: number, p: number): number {
  let e = -supply;
  for (const c of curves) e += c.demand(cap, p);
  return e;
}
