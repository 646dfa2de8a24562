import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Oracle } from '../../sim/protocols/oracle';

const oracle = (lagTicks: number) => new Oracle({ source: { kind: 'index' }, lagTicks });

describe('oracle', () => {
  it('reports NaN before any observation', () => {
    expect(oracle(3).price).toBeNaN();
  });

  it('reports the source lagTicks ago, the oldest observation before enough history', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 6 }), fc.array(fc.double({ min: 1, max: 1e5, noNaN: true }), { minLength: 1, maxLength: 30 }), (lag, path) => {
      const o = oracle(lag);
      path.forEach((p, t) => {
        o.observe(t, p);
        expect(o.price).toBe(path[Math.max(0, t - lag)]);
      });
    }), { numRuns: 200, seed: 20261202 });
  });

  it('replaces the observation of a tick observed twice (a source re-read within a tick)', () => {
    const o0 = oracle(0);
    o0.observe(5, 100);
    o0.observe(5, 90);
    expect(o0.price).toBe(90);
    const o1 = oracle(1);
    o1.observe(0, 100);
    o1.observe(1, 110);
    o1.observe(1, 80);
    expect(o1.price).toBe(100);
    o1.observe(2, 70);
    expect(o1.price).toBe(80);
  });

  it('fills skipped ticks with the last price, so the lag counts ticks', () => {
    const o = oracle(2);
    o.observe(0, 100);
    o.observe(1, 90);
    o.observe(4, 50); // ticks 2 and 3 held 90
    expect(o.price).toBe(90);
    o.observe(5, 40);
    expect(o.price).toBe(90); // tick 3
    o.observe(6, 30);
    expect(o.price).toBe(50);
    expect(() => o.observe(5, 1)).toThrow(/after tick 6/);
  });

  it('shocks add a persistent log offset to what it reports', () => {
    const o = oracle(1);
    o.observe(0, 100);
    o.observe(1, 200);
    o.shock(Math.log(0.65));
    expect(o.offset).toBeCloseTo(Math.log(0.65), 15);
    expect(o.price).toBeCloseTo(65, 10);
    expect(o.unshocked).toBe(100);
    o.observe(2, 300);
    expect(o.price).toBeCloseTo(130, 10);
    o.shock(-o.offset);
    expect(o.price).toBe(200);
  });

  it('refuses a negative or fractional lag', () => {
    expect(() => oracle(-1)).toThrow();
    expect(() => oracle(1.5)).toThrow();
  });
});
