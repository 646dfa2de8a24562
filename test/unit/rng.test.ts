import { describe, expect, it } from 'vitest';
import { RandomStream, RandomStreams, geometricWait, hashUniform, NEVER } from '../../sim/engine/rng';

describe('seeded random streams', () => {
  it('the same seed and name give the same sequence; another name or seed differs', () => {
    const a = new RandomStreams(42).stream('market/index');
    const b = new RandomStreams(42).stream('market/index');
    const c = new RandomStreams(42).stream('agents/noise');
    const d = new RandomStreams(43).stream('market/index');
    const xa = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xa);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xa);
    expect(Array.from({ length: 5 }, () => d.next())).not.toEqual(xa);
  });

  it('a stream does not depend on which other streams were created first', () => {
    const s1 = new RandomStreams(7);
    s1.stream('x').next();
    const v1 = s1.stream('y').next();
    const v2 = new RandomStreams(7).stream('y').next();
    expect(v1).toBe(v2);
  });

  it('normal() has mean 0 and variance 1', () => {
    const r = new RandomStream(1, 'n');
    const n = 200_000;
    let s = 0, s2 = 0;
    for (let k = 0; k < n; k++) {
      const z = r.normal();
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.01);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.015);
  });

  it('poisson() has mean lambda', () => {
    const r = new RandomStream(1, 'p');
    let s = 0;
    for (let k = 0; k < 100_000; k++) s += r.poisson(0.3);
    expect(s / 100_000).toBeCloseTo(0.3, 1);
  });
});

describe('counter-based per-agent uniforms', () => {
  it('lie in (0,1), are uniform, and depend on every input', () => {
    let s = 0;
    const bins = new Array(10).fill(0);
    const n = 100_000;
    let outside = 0;
    for (let k = 0; k < n; k++) {
      const u = hashUniform(12345, k, 7, 0);
      if (!(u > 0 && u < 1)) outside++;
      s += u;
      bins[Math.floor(u * 10)]++;
    }
    expect(outside).toBe(0);
    expect(s / n).toBeCloseTo(0.5, 2);
    for (const b of bins) expect(Math.abs(b / n - 0.1)).toBeLessThan(0.005);
    const base = hashUniform(1, 2, 3, 4);
    expect(hashUniform(1, 2, 3, 4)).toBe(base);
    expect(hashUniform(9, 2, 3, 4)).not.toBe(base);
    expect(hashUniform(1, 9, 3, 4)).not.toBe(base);
    expect(hashUniform(1, 2, 9, 4)).not.toBe(base);
    expect(hashUniform(1, 2, 3, 9)).not.toBe(base);
  });
});

describe('geometric waits (the next tick of a per-tick Bernoulli(p) event)', () => {
  it('have P(wait ≥ g) = (1 − p)^g, 0 at p = 1 and never at p = 0', () => {
    const n = 200_000;
    for (const p of [0.5, 0.05, 0.0025]) {
      const atLeast = [0, 0, 0, 0];
      const gs = [1, 2, Math.round(0.5 / p), Math.round(2 / p)];
      let sum = 0;
      for (let k = 0; k < n; k++) {
        const w = geometricWait(hashUniform(77, k, 0, 0), p);
        sum += w;
        gs.forEach((g, j) => { if (w >= g) atLeast[j]++; });
      }
      gs.forEach((g, j) => expect(Math.abs(atLeast[j]! / n - (1 - p) ** g)).toBeLessThan(0.005));
      // mean (1 − p) / p, within ~4 standard errors
      const sd = Math.sqrt(1 - p) / p;
      expect(Math.abs(sum / n - (1 - p) / p)).toBeLessThan((4 * sd) / Math.sqrt(n));
    }
    expect(geometricWait(0.3, 1)).toBe(0);
    expect(geometricWait(0.3, 0)).toBe(NEVER);
  });
});
