/**
 * Parameter distributions for agent populations. Each population draws its agents' parameters
 * from its own seeded stream, so adding a population never changes another's draws.
 */
import type { RandomStream } from '../sim/engine/rng';

/** A distribution as written in a scenario file; a bare number means `fixed`. */
export type DistSpec =
  | number
  | { dist: 'fixed'; value: number }
  | { dist: 'uniform'; min: number; max: number }
  | { dist: 'normal'; mean: number; sd: number; min?: number; max?: number }
  | { dist: 'lognormal'; median: number; sigma: number }
  | { dist: 'pareto'; min: number; alpha: number }
  | { dist: 'choice'; values: number[]; weights?: number[] };

/**
 * Draws `n` values of `spec` into `out` (by default a new Float64 column) and returns it.
 * - fixed: the value; uniform: on [min, max); normal: mean + sd·Z, clamped to [min, max] when given;
 * - lognormal: median·exp(sigma·Z); pareto: min·U^(−1/alpha) (type I, tail index alpha);
 * - choice: one of `values` with probabilities ∝ `weights` (equal when omitted).
 */
export function drawColumn<T extends Float64Array | Float32Array = Float64Array>(spec: DistSpec, n: number, rng: RandomStream, out: T = new Float64Array(n) as T): T {
  if (typeof spec === 'number') {
    out.fill(spec);
    return out;
  }
  switch (spec.dist) {
    case 'fixed':
      out.fill(spec.value);
      return out;
    case 'uniform':
      for (let k = 0; k < n; k++) out[k] = spec.min + (spec.max - spec.min) * rng.next();
      return out;
    case 'normal': {
      const lo = spec.min ?? -Infinity, hi = spec.max ?? Infinity;
      for (let k = 0; k < n; k++) out[k] = Math.min(hi, Math.max(lo, spec.mean + spec.sd * rng.normal()));
      return out;
    }
    case 'lognormal':
      for (let k = 0; k < n; k++) out[k] = spec.median * Math.exp(spec.sigma * rng.normal());
      return out;
    case 'pareto':
      for (let k = 0; k < n; k++) out[k] = spec.min * Math.pow(rng.open(), -1 / spec.alpha);
      return out;
    case 'choice': {
      const w = spec.weights ?? spec.values.map(() => 1);
      const total = w.reduce((s, x) => s + x, 0);
      const cdf = w.map(((acc) => (x: number) => (acc += x / total))(0));
      for (let k = 0; k < n; k++) {
        const u = rng.next();
        let j = 0;
        while (j < cdf.length - 1 && u >= cdf[j]!) j++;
        out[k] = spec.values[j]!;
      }
      return out;
    }
  }
}

/** The distribution's mean where it is finite (for documentation and tests). */
export function distMean(spec: DistSpec): number {
  if (typeof spec === 'number') return spec;
  switch (spec.dist) {
    case 'fixed': return spec.value;
    case 'uniform': return (spec.min + spec.max) / 2;
    case 'normal': return spec.mean;
    case 'lognormal': return spec.median * Math.exp((spec.sigma * spec.sigma) / 2);
    case 'pareto': return spec.alpha > 1 ? (spec.alpha * spec.min) / (spec.alpha - 1) : Infinity;
    case 'choice': {
      const w = spec.weights ?? spec.values.map(() => 1);
      const total = w.reduce((s, x) => s + x, 0);
      return spec.values.reduce((s, v, j) => s + (v * w[j]!) / total, 0);
    }
  }
}
