import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../sim/engine/rng';
import { ReturnStats } from '../../sim/metrics/return-stats';

/** A GARCH-like series: fat tails and clustered |r|, so every statistic is far from trivial. */
function series(n: number): Float64Array {
  const rng = new RandomStream(11, 'test/returns');
  const r = new Float64Array(n);
  let v = 1e-4;
  for (let t = 0; t < n; t++) {
    r[t] = Math.sqrt(v) * rng.normal() + 1e-4;
    v = 1e-6 + 0.1 * r[t]! * r[t]! + 0.88 * v;
  }
  return r;
}

describe('streaming return statistics', () => {
  const r = series(50_000);
  const s = new ReturnStats(r.length, 0.01, [1, 10]);
  for (const x of r) s.push(x);
  const got = s.summary();

  it('match the two-pass moments: mean, sd and excess kurtosis', () => {
    const n = r.length;
    const mean = r.reduce((a, b) => a + b, 0) / n;
    let m2 = 0, m4 = 0;
    for (const x of r) {
      m2 += (x - mean) ** 2;
      m4 += (x - mean) ** 4;
    }
    expect(got.mean).toBeCloseTo(mean, 14);
    expect(got.sd).toBeCloseTo(Math.sqrt(m2 / (n - 1)), 12);
    expect(got.excessKurtosis! / ((n * m4) / (m2 * m2) - 3) - 1).toBeLessThan(1e-9);
    expect(got.excessKurtosis!).toBeGreaterThan(1);
  });

  it('match the direct autocorrelation of |r| at lags 1 and 10', () => {
    const x = Array.from(r, Math.abs), n = x.length;
    const mu = x.reduce((a, b) => a + b, 0) / n;
    const den = x.reduce((a, b) => a + (b - mu) ** 2, 0);
    [1, 10].forEach((lag, j) => {
      let num = 0;
      for (let t = lag; t < n; t++) num += (x[t]! - mu) * (x[t - lag]! - mu);
      expect(got.acfAbs[j]!).toBeCloseTo(num / den, 10);
    });
    expect(got.acfAbs[0]!).toBeGreaterThan(0.05);
  });

  it('match Hill on the sorted top 1% of |r|, and give α ≈ 2 on an exact Pareto(2) sample', () => {
    const x = Array.from(r, Math.abs).sort((a, b) => b - a);
    const k = Math.floor(0.01 * r.length);
    let h = 0;
    for (let i = 0; i < k; i++) h += Math.log(x[i]! / x[k]!);
    expect(got.hillAlpha!).toBeCloseTo(k / h, 10);
    const rng = new RandomStream(12, 'test/pareto');
    const p = new ReturnStats(100_000, 0.01, [1]);
    for (let i = 0; i < 100_000; i++) p.push((rng.next() < 0.5 ? -1 : 1) * rng.open() ** (-1 / 2));
    expect(p.summary().hillAlpha!).toBeGreaterThan(1.8);
    expect(p.summary().hillAlpha!).toBeLessThan(2.2);
  });
});
