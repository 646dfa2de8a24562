import { describe, expect, it } from 'vitest';
import { lastValueFrom } from 'rxjs';
import { crossVenueArbitrage, type CrossVenueArbOptions } from '../../agents/cross-venue-arb';
import { scripted } from '../../agents/scripted';
import type { PopulationSpec } from '../../sim/exchange/population';
import { venuesWorld, type TestVenue } from '../helpers/venues';
import { sizeBalance } from '../helpers/size-balance';

/** A book of 1% depth 200k on A: the crash and the arbitrageurs' buying move it by percents. */
const THIN = { depth: 200_000, impact: 'linear' as const, elasticity: 0, referenceVol: 0.001, minDepthFraction: 0.1 };
const SHOCK_TICK = 5;

const ARB: CrossVenueArbOptions = { venues: [0, 1], asset: 0, collateral: 20_000, leverage: 5, threshold: 0.001, latencyTicks: 0, maxStep: 1 };

/**
 * Two venues on one BTC index (GBM, σ 0.5), every other link cut (spillover 0): A's market alone
 * drops 12% at tick 5. `count` arbitrageurs (0: none) with `opts`; `longs`: 40 20x longs on A.
 * Per tick: both venues' last prices, the arbitrageurs' size on A, and every ledger check.
 */
async function run(count: number, opts: Partial<CrossVenueArbOptions> = {}, longs = true) {
  const venues: TestVenue[] = [
    { name: 'A', market: { liquidity: THIN, warmupTicks: 3 }, localShocks: [{ tick: SHOCK_TICK, ret: -0.12 }] },
    { name: 'B', market: { warmupTicks: 3 } },
  ];
  const pops: PopulationSpec[] = [];
  if (longs) pops.push({ ...scripted('a-longs', Array.from({ length: 40 }, () => ({ side: 1 as const, leverage: 20, collateral: 1000 }))), venue: 0 });
  pops.push(crossVenueArbitrage('arb', count, { ...ARB, ...opts }));
  const w = venuesWorld({ venues, populations: pops, ticks: 40, seed: 7 });
  const mv = w.multiVenue!;
  const [va, vb] = [mv.venues[0]!, mv.venues[1]!];
  const arb = mv.populations[pops.length - 1]!;
  const priceA: number[] = [], priceB: number[] = [], arbSize: number[] = [], residuals: number[] = [], imbalance: number[] = [];
  w.bus.tick$.subscribe((s) => {
    priceA.push(va.markets[0]!.market.mark);
    priceB.push(vb.markets[0]!.market.mark);
    let q = 0;
    for (let i = arb.first; i < arb.first + arb.count; i++) q += va.markets[0]!.exchange.accounts.size[i]!;
    arbSize.push(q);
    residuals.push(s.relativeResidual, ...mv.lastVenueSummaries.map((v) => v.relativeResidual));
    for (const h of mv.markets) {
      const { net, gross } = sizeBalance(h.exchange.accounts);
      imbalance.push(Math.abs(net) / Math.max(1, gross));
    }
  });
  await lastValueFrom(w.simulation.run());
  return { priceA, priceB, arbSize, residuals, imbalance, w };
}

describe('cross-venue arbitrageurs', () => {
  it('carry a local crash on A to B: they buy on A, sell on B, and B ends below the same run without them', async () => {
    const none = await run(0);
    const some = await run(20);
    // Same seed, same draws: before the shock the two runs are the same world.
    for (let t = 0; t < SHOCK_TICK; t++) expect(some.priceB[t]).toBe(none.priceB[t]);
    expect(some.arbSize[SHOCK_TICK]).toBeGreaterThan(0);
    expect(some.priceB[SHOCK_TICK]!).toBeLessThan(none.priceB[SHOCK_TICK]!);
    expect(some.priceA[SHOCK_TICK]!).toBeGreaterThan(none.priceA[SHOCK_TICK]!);
    // Without them B never hears of the crash: its price does not move off the index on its own.
    const gapNone = Math.log(none.priceB[SHOCK_TICK]! / none.priceA[SHOCK_TICK]!);
    const gapSome = Math.log(some.priceB[SHOCK_TICK]! / some.priceA[SHOCK_TICK]!);
    expect(gapSome).toBeLessThan(gapNone);
  });

  it('with latencyTicks L, their first trade after the shock comes exactly L ticks after it', async () => {
    for (const L of [0, 3]) {
      const { arbSize } = await run(10, { latencyTicks: L });
      const first = arbSize.findIndex((q) => q !== 0);
      expect(first).toBe(SHOCK_TICK + L);
    }
  });

  it('capital binds: more collateral closes more of the gap in their first tick (monotone)', async () => {
    const none = await run(0, {}, false);
    const gap = (r: { priceA: number[]; priceB: number[] }) => Math.log(r.priceB[SHOCK_TICK]! / r.priceA[SHOCK_TICK]!);
    const closed = [];
    for (const c of [5_000, 10_000, 20_000]) closed.push(gap(none) - gap(await run(10, { collateral: c }, false)));
    expect(closed[0]).toBeGreaterThan(0);
    expect(closed[1]).toBeGreaterThan(closed[0]!);
    expect(closed[2]).toBeGreaterThan(closed[1]!);
    // Roughly proportional while the gap is far from closed (linear impact): doubling adds most of a doubling.
    expect(closed[1]! / closed[0]!).toBeGreaterThan(1.5);
  });

  it('every venue and the world balance every tick, and every market nets to zero size (backstop included)', async () => {
    const { residuals, imbalance, arbSize } = await run(20, { latencyTicks: 1, maxStep: 0.3 });
    expect(arbSize.some((q) => q !== 0)).toBe(true);
    for (const r of residuals) expect(r).toBeLessThanOrEqual(1e-9);
    for (const x of imbalance) expect(x).toBeLessThanOrEqual(1e-12);
  });

  it('keeps each agent\'s legs equal and opposite across the venues', async () => {
    const { w } = await run(20, { maxStep: 0.4 });
    const [va, vb] = w.multiVenue!.venues;
    const arb = w.multiVenue!.populations[1]!;
    for (let i = arb.first; i < arb.first + arb.count; i++) {
      expect(va!.markets[0]!.exchange.accounts.size[i]).toBe(-vb!.markets[0]!.exchange.accounts.size[i]!);
    }
  });
});

describe('cross-venue arbitrageurs, a leg liquidated', () => {
  it('do not keep the other leg open, naked, once one leg is liquidated', async () => {
    const w = venuesWorld({
      venues: [
        { name: 'A', market: { liquidity: THIN, warmupTicks: 3 }, localShocks: [{ tick: 5, ret: -0.12 }, { tick: 8, ret: -0.1 }] },
        { name: 'B', market: { warmupTicks: 3 } },
      ],
      populations: [crossVenueArbitrage('arb', 10, { ...ARB, leverage: 40 })],
      ticks: 30, seed: 7,
    });
    await lastValueFrom(w.simulation.run());
    const [va, vb] = w.multiVenue!.venues;
    const arb = w.multiVenue!.populations[0]!;
    const A = va!.markets[0]!.exchange.accounts, B = vb!.markets[0]!.exchange.accounts;
    let liquidatedA = 0, naked = 0;
    for (let i = arb.first; i < arb.first + arb.count; i++) {
      if (A.state[i] !== 0) liquidatedA++;
      if (A.size[i] !== -B.size[i]!) naked += Math.abs(A.size[i]! + B.size[i]!);
    }
    expect(liquidatedA).toBeGreaterThan(0);
    expect(naked).toBe(0);
  });
});
