import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../sim/engine/rng';
import { GarchProcess, GbmProcess, MertonProcess, ReplayProcess, parsePriceCsv, PriceCsvError } from '../../sim/market/processes';
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
