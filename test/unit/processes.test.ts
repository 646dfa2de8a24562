import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../sim/engine/rng';
import { GarchProcess, GbmProcess, MertonProcess, ReplayProcess, innovations, parsePriceCsv, PriceCsvError } from '../../sim/market/processes';
import { ShockSchedule } from '../../sim/market/shocks';

function moments(xs: number[]): { mean: number; variance: number } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
  return { mean, variance };
}

describe('index processes', () => {
  it('GBM log-returns have mean (μ − σ²/2)dt and variance σ²dt', () => {
    const dt = 1 / 365;
    const p = new GbmProcess(0.1, 0.8, dt, new RandomStream(1, 'gbm'));
    const m = moments(Array.from({ length: 100_000 }, (_, t) => p.logReturn(t)));
    expect(m.variance / (0.64 * dt)).toBeCloseTo(1, 1);
    expect(Math.abs(m.mean - (0.1 - 0.32) * dt)).toBeLessThan(4 * Math.sqrt(0.64 * dt / 100_000));
  });

  it('Merton adds jumps at rate λ·dt with the jump-size moments', () => {
    const dt = 1 / 365;
    const p = new MertonProcess(0, 0.0001, 36.5, -0.05, 0.01, dt, new RandomStream(1, 'merton'));
    const jumps: number[] = [];
    for (let t = 0; t < 100_000; t++) {
      p.logReturn(t);
      if (p.lastJump !== 0) jumps.push(p.lastJump);
    }
    expect(jumps.length / 100_000).toBeCloseTo(0.1, 1.5);
    expect(moments(jumps).mean).toBeCloseTo(-0.05, 2);
  });

  it('GARCH(1,1) has the unconditional variance ω/(1−α−β) and clustered volatility', () => {
    const g = new GarchProcess(1e-6, 0.1, 0.85, new RandomStream(1, 'garch'));
    const rs = Array.from({ length: 200_000 }, (_, t) => g.logReturn(t));
    expect(moments(rs).variance / (1e-6 / 0.05)).toBeCloseTo(1, 1);
    // volatility clustering: squared returns are positively autocorrelated
    const sq = rs.map((r) => r * r);
    const m = moments(sq).mean;
    let c = 0, v = 0;
    for (let k = 1; k < sq.length; k++) { c += (sq[k]! - m) * (sq[k - 1]! - m); v += (sq[k]! - m) ** 2; }
    expect(c / v).toBeGreaterThan(0.05);
    expect(() => new GarchProcess(1e-6, 0.5, 0.6, new RandomStream(1, 'g'))).toThrow(/alpha \+ beta < 1/);
  });

  it('Student-t innovations have unit variance and the t excess kurtosis 6/(ν − 4)', () => {
    const excessKurtosis = (xs: number[]) => {
      const { mean, variance } = moments(xs);
      return xs.reduce((s, x) => s + (x - mean) ** 4, 0) / xs.length / variance ** 2 - 3;
    };
    for (const nu of [6, 10]) {
      const z = innovations(new RandomStream(3, `t${nu}`), { dist: 't', nu });
      const xs = Array.from({ length: 400_000 }, () => z());
      expect(moments(xs).variance, `ν ${nu}`).toBeCloseTo(1, 1);
      expect(Math.abs(moments(xs).mean)).toBeLessThan(0.01);
      // ν = 10: excess kurtosis 1; ν = 6: 3 (its sample estimate converges slowly: 8th moment infinite)
      expect(excessKurtosis(xs), `ν ${nu}`).toBeGreaterThan(nu === 10 ? 0.85 : 2.2);
      expect(excessKurtosis(xs), `ν ${nu}`).toBeLessThan(nu === 10 ? 1.15 : 4);
    }
    // P(|Z| > 4): normal 6.3e-5; unit-variance t(6) ≈ 2.2e-3
    const z6 = innovations(new RandomStream(4, 't'), { dist: 't', nu: 6 });
    let tail = 0;
    for (let k = 0; k < 200_000; k++) if (Math.abs(z6()) > 4) tail++;
    expect(tail / 200_000).toBeGreaterThan(1e-3);
  });

  it('GBM and GARCH with t innovations keep their variance; without, they draw the normal stream unchanged', () => {
    const dt = 1 / 365;
    const p = new GbmProcess(0, 0.8, dt, new RandomStream(1, 'gbm'), { dist: 't', nu: 6 });
    expect(moments(Array.from({ length: 200_000 }, (_, t) => p.logReturn(t))).variance / (0.64 * dt)).toBeCloseTo(1, 1);
    const g = new GarchProcess(1e-6, 0.1, 0.85, new RandomStream(1, 'garch'), { dist: 't', nu: 8 });
    expect(moments(Array.from({ length: 200_000 }, (_, t) => g.logReturn(t))).variance / (1e-6 / 0.05)).toBeCloseTo(1, 1);
    const a = new GbmProcess(0.1, 0.5, dt, new RandomStream(9, 'x'));
    const b = new GbmProcess(0.1, 0.5, dt, new RandomStream(9, 'x'), { dist: 'normal' });
    const rng = new RandomStream(9, 'x');
    for (let t = 0; t < 100; t++) {
      const want = (0.1 - 0.125) * dt + 0.5 * Math.sqrt(dt) * rng.normal();
      expect(a.logReturn(t)).toBe(want);
      expect(b.logReturn(t)).toBe(want);
    }
  });

  it('replay reproduces the recorded path and stays flat past its end', () => {
    const prices = parsePriceCsv('tick,price\n0,100\n1,110\n2,99\n', 'p.csv');
    const r = new ReplayProcess(prices);
    let p = r.startPrice;
    for (let t = 0; t < 4; t++) p *= Math.exp(r.logReturn(t));
    expect(p).toBeCloseTo(99, 9);
    expect(parsePriceCsv('time,price\n0,5\n60,6', 'x.csv')).toEqual(Float64Array.from([5, 6]));
  });

  it('replay CSV errors name the file and line', () => {
    expect(() => parsePriceCsv('t,p\n0,1', 'bad.csv')).toThrow(PriceCsvError);
    expect(() => parsePriceCsv('t,p\n0,1', 'bad.csv')).toThrow(/bad\.csv:1: header/);
    expect(() => parsePriceCsv('tick,price\n0,100\n1,abc\n', 'bad.csv')).toThrow(/bad\.csv:3: expected/);
    expect(() => parsePriceCsv('tick,price\n0,-5\n', 'bad.csv')).toThrow(/bad\.csv:2/);
  });
});

describe('scheduled shocks', () => {
  it('apply the simple return at the tick, or spread it in equal log steps', () => {
    const s = new ShockSchedule([{ tick: 10, ret: -0.12 }, { tick: 20, ret: -0.2, overTicks: 4 }]);
    expect(s.at(10)).toBeCloseTo(Math.log(0.88), 12);
    expect(s.at(9)).toBe(0);
    let total = 0;
    for (let t = 20; t < 24; t++) total += s.at(t);
    expect(Math.exp(total)).toBeCloseTo(0.8, 12);
    expect(s.at(24)).toBe(0);
    expect(() => s.add({ tick: 1, ret: -1 })).toThrow(/> -1/);
  });
});
