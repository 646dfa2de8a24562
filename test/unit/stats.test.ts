import { describe, expect, it } from 'vitest';
import { estimate, incompleteBeta, pairedDifference, tCdf, tQuantile } from '../../sim/metrics/stats';

describe('Student-t and confidence intervals', () => {
  it('reproduces the t table', () => {
    // two-sided 95% critical values from any t table
    expect(tQuantile(0.975, 1)).toBeCloseTo(12.7062, 3);
    expect(tQuantile(0.975, 9)).toBeCloseTo(2.2622, 4);
    expect(tQuantile(0.975, 19)).toBeCloseTo(2.0930, 4);
    expect(tQuantile(0.975, 1e6)).toBeCloseTo(1.95996, 4);
    expect(tCdf(0, 5)).toBeCloseTo(0.5, 12);
    expect(incompleteBeta(0.5, 2, 2)).toBeCloseTo(0.5, 12);
    expect(incompleteBeta(0.3, 2, 5)).toBeCloseTo(0.579825, 6);
  });

  it('matches a reference computation on known data', () => {
    // x = 1..10: mean 5.5, sd √(55/6) = 3.0277, half-width 2.2622 × 3.0277 / √10 = 2.1659
    const e = estimate([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(e.n).toBe(10);
    expect(e.mean).toBeCloseTo(5.5, 12);
    expect(e.sd).toBeCloseTo(Math.sqrt(55 / 6), 12);
    expect(e.ci95![0]).toBeCloseTo(5.5 - 2.16588, 4);
    expect(e.ci95![1]).toBeCloseTo(5.5 + 2.16588, 4);
  });

  it('ignores null and non-finite values, and needs two values for an interval', () => {
    expect(estimate([1, null, NaN, 3])).toMatchObject({ n: 2, mean: 2 });
    expect(estimate([4])).toEqual({ n: 1, mean: 4, sd: null, ci95: null });
    expect(estimate([])).toEqual({ n: 0, mean: null, sd: null, ci95: null });
  });

  it('paired differences are tight when the pairs share their noise', () => {
    const noise = [10, -7, 3, 15, -12, 6, 0, -4];
    const a = noise.map((x) => 100 + x + 1);
    const b = noise.map((x) => 100 + x);
    const d = pairedDifference(a, b);
    expect(d.mean).toBeCloseTo(1, 12);
    expect(d.sd).toBeCloseTo(0, 12);
    const unpaired = estimate(a);
    expect(unpaired.ci95![1] - unpaired.ci95![0]).toBeGreaterThan(10);
    expect(pairedDifference([1, null, 3], [0, 5, 1])).toMatchObject({ n: 2, mean: 1.5 });
  });
});
