/**
 * Monte Carlo statistics: mean, standard deviation, Student-t 95% confidence intervals, and paired
 * differences. mathjs does the moments; the t quantile comes from the regularized incomplete beta
 * function (Numerical Recipes' continued fraction), inverted by bisection.
 */
import type * as MathJs from 'mathjs';

/**
 * mathjs, loaded on first use and only comparisons need it. Its number-only build: the statistics
 * here take plain numbers, and it loads in ~0.6 s where the full library takes ~1.0 s.
 */
function math(): typeof MathJs {
  return require('mathjs/number') as typeof MathJs;
}

/** Mean, standard deviation and 95% confidence interval of a sample. */
export interface Estimate {
  n: number;
  mean: number | null;
  sd: number | null;
  /** [low, high]; null when n < 2. */
  ci95: [number, number] | null;
}

function lnGamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9): |error| < 1e-15 for x > 0.
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let a = c[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1, d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d; if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c; if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d; h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d; if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c; if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** Regularized incomplete beta I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaContinuedFraction(a, b, x)) / a : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** Student-t CDF with `df` degrees of freedom. */
export function tCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** Student-t quantile: the t with tCdf(t, df) = p. @example tQuantile(0.975, 9) // 2.2622 */
export function tQuantile(p: number, df: number): number {
  let lo = -1e3, hi = 1e3;
  for (let k = 0; k < 200; k++) {
    const mid = 0.5 * (lo + hi);
    if (tCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** Mean, sd and the t-based 95% CI of the finite values of `xs`. */
export function estimate(xs: readonly (number | null | undefined)[]): Estimate {
  const v = xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  if (v.length === 0) return { n: 0, mean: null, sd: null, ci95: null };
  const m = math().mean(v) as number;
  if (v.length < 2) return { n: 1, mean: m, sd: null, ci95: null };
  const sd = math().std(v, 'unbiased') as number;
  const half = tQuantile(0.975, v.length - 1) * (sd / Math.sqrt(v.length));
  return { n: v.length, mean: m, sd, ci95: [m - half, m + half] };
}

/** Paired differences a_s − b_s over the seeds where both are finite, and their estimate. */
export function pairedDifference(a: readonly (number | null | undefined)[], b: readonly (number | null | undefined)[]): Estimate {
  const d: number[] = [];
  for (let s = 0; s < a.length; s++) {
    const x = a[s], y = b[s];
    if (typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y)) d.push(x - y);
  }
  return estimate(d);
}
