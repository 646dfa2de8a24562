import { describe, expect, it } from 'vitest';
import { lastValueFrom, toArray } from 'rxjs';
import { scripted } from '../../agents/scripted';
import type { PopulationSpec } from '../../sim/exchange/population';
import type { TickSummary } from '../../sim/engine/events';
import { venuesWorld, type TestVenue } from '../helpers/venues';

/** 40 longs at `leverage` on venue `v` (1,000 each). */
function longs(name: string, v: number, leverage: number): PopulationSpec {
  return { ...scripted(name, Array.from({ length: 40 }, () => ({ side: 1 as const, leverage, collateral: 1000 }))), venue: v };
}

/** A book of 1% depth 200k: A's liquidations move its price by several percent. */
const THIN = { depth: 200_000, impact: 'linear' as const, elasticity: 0, referenceVol: 0.001, minDepthFraction: 0.1 };

/**
 * Runs a two-venue world on a still index where venue A's market alone drops 12% at tick 5 (20x
 * longs there; 50x longs on B, liquidated 1.5% down); returns each venue's liquidations.
 */
async function localCrash(spillover: number) {
  const venues: TestVenue[] = [
    // Opening flow has no impact (warm-up); B's premium over the index decays fast (half-life 2 ticks).
    { name: 'A', market: { spillover, liquidity: THIN, warmupTicks: 3 }, localShocks: [{ tick: 5, ret: -0.12 }] },
    { name: 'B', market: { spillover, warmupTicks: 3, premiumHalfLife: 2 } },
  ];
  const w = venuesWorld({
    assets: [{ name: 'BTC', market: { process: { kind: 'gbm', mu: 0, sigma: 0 } } }],
    venues, populations: [longs('a-longs', 0, 20), longs('b-longs', 1, 50)], ticks: 60,
  });
  const perVenue = [0, 0];
  const residuals: number[] = [];
  w.bus.tick$.subscribe(() => {
    const vs = w.multiVenue!.lastVenueSummaries;
    vs.forEach((s, v) => { perVenue[v] += s.liquidations; residuals.push(s.relativeResidual); });
  });
  const ticks: TickSummary[] = await lastValueFrom(w.simulation.run().pipe(toArray()));
  return { perVenue, residuals, ticks, w };
}

describe('a world of venues', () => {
  it('a local crash on one venue with every link cut liquidates nobody on the other', async () => {
    const { perVenue, ticks, residuals } = await localCrash(0);
    expect(perVenue[0]).toBeGreaterThan(0);
    expect(perVenue[1]).toBe(0);
    for (const r of residuals) expect(r).toBeLessThan(1e-9);
    for (const t of ticks) expect(t.relativeResidual).toBeLessThan(1e-9);
  });

  it('through the shared index (A\'s liquidations spill into it), the crash on A drags B down and liquidates there too', async () => {
    const { perVenue, w } = await localCrash(0.5);
    expect(perVenue[0]).toBeGreaterThan(0);
    expect(perVenue[1]).toBeGreaterThan(0);
    // One index: both venues quote against the same asset index object.
    const [a, b] = w.multiVenue!.venues;
    expect(a!.markets[0]!.market.source).toBe(b!.markets[0]!.market.source);
  });
});

describe('a local flow shock', () => {
  it('walks one venue\'s book: its price falls by the impact, and the index by the venue\'s share of it', async () => {
    for (const spillover of [0, 0.5]) {
      const w = venuesWorld({
        assets: [{ name: 'BTC', market: { process: { kind: 'gbm', mu: 0, sigma: 0 } } }],
        venues: [{ name: 'A', market: { spillover, liquidity: THIN } }, { name: 'B', market: { spillover } }],
        populations: [], ticks: 8, // no traders: the flow's impact alone moves the prices
      });
      const [a, b] = w.multiVenue!.venues;
      a!.markets[0]!.market.addLocalFlow({ tick: 4, flow: -1_000_000 });
      const at: number[][] = [];
      w.bus.tick$.subscribe(() => at.push([a!.markets[0]!.market.mark, b!.markets[0]!.market.mark, a!.markets[0]!.market.index]));
      await lastValueFrom(w.simulation.run().pipe(toArray()));
      const moveA = Math.log(at[4]![0]! / at[3]![0]!), moveIndex = Math.log(at[4]![2]! / at[3]![2]!);
      expect(moveA).toBeLessThan(-0.01); // 1M into a 200k-deep book
      expect(moveIndex).toBeCloseTo(spillover * moveA, 12);
    }
  });
});
