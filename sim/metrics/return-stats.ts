/**
 * Streaming statistics of a long return series, in O(1) memory per tick: what a 10⁶-tick run needs
 * without keeping the series (Thurner, Farmer & Geanakoplos 2012's measures).
 *
 * - moments: mean, M₂, M₃, M₄ updated one value at a time (Pébay 2008's one-pass formulas);
 *   excess kurtosis = n·M₄ / M₂² − 3;
 * - Hill tail exponent of |r| over its k = ⌊tailFraction·n⌋ largest values X₁ ≥ … ≥ X_k:
 *   α = 1 / ((1/k)·Σ_{i≤k} ln(X_i / X_{k+1})), from a bounded heap of the k + 1 largest;
 * - autocorrelation of x = |r| at lag L, from Σx, Σx² and the lag products Σ x_t·x_{t−L} (a ring of
 *   the last max(L) values and the first max(L) kept aside for the end corrections):
 *   ρ(L) = Σ_{t≥L} (x_t − x̄)(x_{t−L} − x̄) / Σ_t (x_t − x̄)².
 */
import { TopK } from '../exchange/top-k';

/** The statistics of a finished series. */
export interface ReturnStatsSummary {
  n: number;
  mean: number;
  sd: number;
  excessKurtosis: number | null;
  hillAlpha: number | null;
  /** Autocorrelation of |r| at each lag, in the order given. */
  acfAbs: (number | null)[];
}

/** Streaming moments, tail and lag products of a return series. */
export class ReturnStats {
  private n = 0;
  private mean = 0;
  private m2 = 0;
  private m3 = 0;
  private m4 = 0;
  private sumAbs = 0;
  private sumAbs2 = 0;
  private readonly lagProducts: Float64Array;
  private readonly ring: Float64Array;
  private readonly head: Float64Array;
  private readonly tail: TopK;
  private readonly maxLag: number;

  /**
   * @param expected how many values will be pushed (fixes the tail's k)
   * @param tailFraction share of the largest |r| the Hill estimator uses (0.01: the top 1%)
   * @param lags lags of the |r| autocorrelation
   */
  constructor(expected: number, readonly tailFraction: number, readonly lags: readonly number[]) {
    this.maxLag = Math.max(1, ...lags);
    this.lagProducts = new Float64Array(lags.length);
    this.ring = new Float64Array(this.maxLag);
    this.head = new Float64Array(this.maxLag);
    this.tail = new TopK(Math.max(1, Math.floor(tailFraction * expected)) + 1);
  }

  /** Adds one return. */
  push(r: number): void {
    const n1 = this.n, n = n1 + 1;
    const delta = r - this.mean, dn = delta / n, dn2 = dn * dn, term = delta * dn * n1;
    this.mean += dn;
    this.m4 += term * dn2 * (n * n - 3 * n + 3) + 6 * dn2 * this.m2 - 4 * dn * this.m3;
    this.m3 += term * dn * (n - 2) - 3 * dn * this.m2;
    this.m2 += term;
    const x = Math.abs(r);
    this.sumAbs += x;
    this.sumAbs2 += x * x;
    for (let j = 0; j < this.lags.length; j++) {
      const lag = this.lags[j]!;
      if (n1 >= lag) this.lagProducts[j] = this.lagProducts[j]! + x * this.ring[(n1 - lag) % this.maxLag]!;
    }
    this.ring[n1 % this.maxLag] = x;
    if (n1 < this.maxLag) this.head[n1] = x;
    this.tail.offer(n1, x);
    this.n = n;
  }

  /** The statistics so far (null where too few values). */
  summary(): ReturnStatsSummary {
    const n = this.n;
    const sd = n > 1 ? Math.sqrt(this.m2 / (n - 1)) : 0;
    const excessKurtosis = n > 3 && this.m2 > 0 ? (n * this.m4) / (this.m2 * this.m2) - 3 : null;
    const mu = n > 0 ? this.sumAbs / n : 0;
    const ss = this.sumAbs2 - n * mu * mu;
    const acfAbs = this.lags.map((lag, j) => {
      if (n <= lag || !(ss > 0)) return null;
      // Σ_{t≥L} x_t = Σx − (first L values); Σ_{t<n−L} x_t = Σx − (last L values).
      let first = 0, last = 0;
      for (let i = 0; i < lag; i++) {
        first += this.head[i]!;
        last += this.ring[(n - 1 - i) % this.maxLag]!;
      }
      const cross = this.lagProducts[j]! - mu * (this.sumAbs - first + this.sumAbs - last) + (n - lag) * mu * mu;
      return cross / ss;
    });
    return { n, mean: this.mean, sd, excessKurtosis, hillAlpha: this.hill(), acfAbs };
  }

  /** Hill's estimator over the heap's k + 1 largest |r| (sorted on a copy, so the stream can go on). */
  private hill(): number | null {
    const t = this.tail;
    const k = Math.min(t.capacity - 1, t.n - 1);
    if (k < 1) return null;
    const xs = t.scores.slice(0, t.n).sort().reverse();
    const xk = xs[k]!;
    if (!(xk > 0)) return null;
    let s = 0;
    for (let i = 0; i < k; i++) s += Math.log(xs[i]! / xk);
    return s > 0 ? k / s : null;
  }
}
