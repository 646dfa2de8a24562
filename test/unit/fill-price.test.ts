import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { averageFillFactor, impactLog, type ImpactKind } from '../../sim/market/liquidity';

/** The same average by brute force: composite Simpson over the impact curve, 20,000 panels. */
function simpson(s0: number, flow: number, depth: number, kind: ImpactKind, band: number): number {
  const n = 20_000, h = flow / n, g0 = impactLog(s0, depth, kind, band);
  let acc = 0;
  for (let k = 0; k <= n; k++) {
    const w = k === 0 || k === n ? 1 : k % 2 === 1 ? 4 : 2;
    acc += w * Math.exp(impactLog(s0 + k * h, depth, kind, band) - g0);
  }
  return (acc * h) / 3 / flow;
}

describe('average fill price along the impact curve', () => {
  it('matches the closed form of linear impact: (e^k − 1)/k for an end move k', () => {
    expect(averageFillFactor(0, 1e6, 1e6, 'linear')).toBeCloseTo(Math.expm1(0.01) / 0.01, 14);
    expect(averageFillFactor(0, -5e6, 1e6, 'linear')).toBeCloseTo(Math.expm1(-0.05) / -0.05, 14);
  });

  it('lies between the price before and the end price, and is 1 for no flow or an infinite book', () => {
    const end = Math.exp(impactLog(4e6, 1e6, 'sqrt'));
    const f = averageFillFactor(0, 4e6, 1e6, 'sqrt');
    expect(f).toBeGreaterThan(1);
    expect(f).toBeLessThan(end);
    expect(averageFillFactor(123, 0, 1e6, 'sqrt')).toBe(1);
    expect(averageFillFactor(0, 1e9, Infinity, 'linear')).toBe(1);
  });

  it('agrees with a brute-force quadrature across signs, offsets and the band (property)', () => {
    fc.assert(fc.property(
      fc.double({ min: -3e7, max: 3e7, noNaN: true }), fc.double({ min: -3e7, max: 3e7, noNaN: true }),
      fc.double({ min: 1e5, max: 1e7, noNaN: true }), fc.constantFrom('linear' as const, 'sqrt' as const),
      fc.constantFrom(0.02, 0.25, Infinity),
      (s0, flow, depth, kind, band) => {
        if (Math.abs(flow) < 1) return;
        const exact = averageFillFactor(s0, flow, depth, kind, band);
        expect(Math.abs(exact - simpson(s0, flow, depth, kind, band))).toBeLessThan(2e-6 * exact);
      },
    ), { numRuns: 300, seed: 7 });
  });

  it('stays accurate for a tiny batch deep in a book (no cancellation)', () => {
    const g = (s: number) => Math.exp(impactLog(s, 2e7, 'sqrt', 0.25) - impactLog(5e6, 2e7, 'sqrt', 0.25));
    // A 1-quote batch fills at the marginal price to ~1e-13.
    expect(averageFillFactor(5e6, 1, 2e7, 'sqrt', 0.25)).toBeCloseTo(0.5 * (1 + g(5e6 + 1)), 13);
    expect(averageFillFactor(5e6, 1, 2e7, 'linear', 0.25)).toBeCloseTo(1 + 0.5 * 0.01 / 2e7, 15);
  });
});

describe('fills at the average price', () => {
  it('a voluntary batch fills at the average along the curve, and the mark ends at the end price', async () => {
    const { scripted } = await import('../../agents/scripted');
    const { FixedPolicy } = await import('../../sim/exchange/policies/fixed');
    const { buildWorld } = await import('../helpers/world');
    // Two longs buy 2 BTC each at tick 1 into a linear book of 1M per 1%: flow 80,000 quote.
    const w = buildWorld({
      policy: new FixedPolicy(20, 0.025), ticks: 3,
      populations: [scripted('buyers', [{ side: 1, leverage: 10, collateral: 4_000, openTick: 1 }, { side: 1, leverage: 10, collateral: 4_000, openTick: 1 }])],
      market: { process: { kind: 'replay', prices: Float64Array.from([20_000]) }, premiumHalfLife: 0, liquidity: { depth: 1e6, impact: 'linear', elasticity: 0, referenceVol: 0.001, minDepthFraction: 0.1 } },
      exchange: { takerFee: 0, makerFee: 0 },
    });
    const fills: { tick: number; price: number }[] = [];
    w.bus.fills$.subscribe((f) => fills.push(f));
    const marks: number[] = [];
    w.simulation.run().subscribe((s) => marks.push(s.mark));
    const k = 0.01 * 80_000 / 1e6;
    const f = fills.find((x) => x.tick === 1)!;
    expect(f.price).toBeCloseTo(20_000 * Math.expm1(k) / k, 8);
    expect(marks[1]).toBeCloseTo(20_000 * Math.exp(k), 8);
    expect(w.exchange.accounts.entry[1]).toBeCloseTo(f.price, 8);
  });
});
