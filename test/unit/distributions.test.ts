import { describe, expect, it } from 'vitest';
import { distMean, drawColumn, type DistSpec } from '../../agents/distributions';
import { RandomStream } from '../../sim/engine/rng';

function stats(x: Float64Array) {
  let s = 0, s2 = 0;
  for (const v of x) { s += v; s2 += v * v; }
  const mean = s / x.length;
  return { mean, sd: Math.sqrt(s2 / x.length - mean * mean), min: Math.min(...x.subarray(0, 100_000)), max: Math.max(...x.subarray(0, 100_000)) };
}
const N = 200_000;
const draw = (spec: DistSpec) => drawColumn(spec, N, new RandomStream(11, JSON.stringify(spec)));

describe('parameter distributions have the right moments', () => {
  it('fixed, and a bare number', () => {
    expect(stats(draw({ dist: 'fixed', value: 3 })).sd).toBe(0);
    expect(draw(7)[123]).toBe(7);
  });
  it('uniform: mean (a+b)/2, sd (b−a)/√12, support [a, b)', () => {
    const s = stats(draw({ dist: 'uniform', min: 2, max: 8 }));
    expect(s.mean).toBeCloseTo(5, 1);
    expect(s.sd).toBeCloseTo(6 / Math.sqrt(12), 1);
    expect(s.min).toBeGreaterThanOrEqual(2);
    expect(s.max).toBeLessThan(8);
  });
  it('normal: mean and sd; clamped to [min, max] when given', () => {
    const s = stats(draw({ dist: 'normal', mean: 10, sd: 2 }));
    expect(s.mean).toBeCloseTo(10, 1);
    expect(s.sd).toBeCloseTo(2, 1);
    const c = stats(draw({ dist: 'normal', mean: 10, sd: 2, min: 9, max: 11 }));
    expect(c.min).toBe(9);
    expect(c.max).toBe(11);
  });
  it('lognormal: median m and mean m·exp(σ²/2)', () => {
    const x = draw({ dist: 'lognormal', median: 20, sigma: 0.5 });
    const sorted = Float64Array.from(x).sort();
    expect(sorted[N / 2]! / 20).toBeCloseTo(1, 1);
    expect(stats(x).mean / distMean({ dist: 'lognormal', median: 20, sigma: 0.5 })).toBeCloseTo(1, 1);
  });
  it('pareto: support from min, mean α·min/(α−1), tail P(X > x) = (min/x)^α', () => {
    const x = draw({ dist: 'pareto', min: 100, alpha: 3 });
    expect(stats(x).min).toBeGreaterThanOrEqual(100);
    expect(stats(x).mean).toBeCloseTo(150, -1);
    const tail = x.filter((v) => v > 200).length / N;
    expect(tail).toBeCloseTo(1 / 8, 2);
  });
  it('choice: values with probabilities proportional to weights', () => {
    const x = draw({ dist: 'choice', values: [1, 5, 10], weights: [1, 2, 7] });
    expect(x.filter((v) => v === 1).length / N).toBeCloseTo(0.1, 2);
    expect(x.filter((v) => v === 5).length / N).toBeCloseTo(0.2, 2);
    expect(x.filter((v) => v === 10).length / N).toBeCloseTo(0.7, 2);
    expect(stats(x).mean).toBeCloseTo(distMean({ dist: 'choice', values: [1, 5, 10], weights: [1, 2, 7] }), 1);
  });
});
