import { describe, expect, it } from 'vitest';
import { lastValueFrom, toArray } from 'rxjs';
import { scripted } from '../../agents/scripted';
import type { PopulationSpec } from '../../sim/exchange/population';
import { unitsResidual } from '../../sim/world/venues-summary';
import type { World } from '../../sim/run/world';
import { venuesWorld } from '../helpers/venues';
import { FixedPolicy } from '../../sim/exchange/policies/fixed';

/**
 * 30 cross-margined longs of BTC on venue `v` (10,000 each), holding `share` of it as USDe (asset
 * 1); each opens 24 × its quote collateral: with share 0.6 that is 96,000, whose 8% MM (7,680) the
 * 4,000 quote + 6,000 USDe × 0.95 cover, and a 50% depeg (4,000 + 2,850) does not.
 */
function holders(name: string, v: number, share: number): PopulationSpec {
  return {
    ...scripted(name, Array.from({ length: 30 }, () => ({ side: 1 as const, leverage: 24, collateral: 10_000 }))),
    venue: v, marginMode: 'cross', ...(share > 0 ? { tokenCollateral: { token: 1, share } } : {}),
  };
}

/** A thin USDe spot book on each venue; the depeg: venue A's USDe spot price alone −50% at tick 10. */
function depegWorld(shareA: number, depeg: number, priceSourceA: 'venue' | 'index' = 'venue'): World {
  const still = { process: { kind: 'gbm' as const, mu: 0, sigma: 0 } };
  const policy = () => new FixedPolicy(10, 0.08);
  const usde = { asset: 1, premiumHalfLife: 60 };
  return venuesWorld({
    assets: [{ name: 'BTC', market: { ...still, startPrice: 60_000 } }, { name: 'USDe', market: { ...still, startPrice: 1 } }],
    venues: [
      { name: 'A', assets: [0], policy, spots: [{ ...usde, localShocks: depeg !== 0 ? [{ tick: 10, ret: depeg }] : [] }], collateral: [{ asset: 1, haircut: 0.05, priceSource: priceSourceA }] },
      { name: 'B', assets: [0], policy, spots: [usde], collateral: [{ asset: 1, haircut: 0.05, priceSource: 'venue' }] },
    ],
    populations: [holders('a-holders', 0, shareA), holders('b-holders', 1, 0.6)],
    ticks: 40,
  });
}

async function run(w: World) {
  const liq = [0, 0];
  let worst = 0, worstUnits = 0;
  w.bus.tick$.subscribe((t) => {
    w.multiVenue!.lastVenueSummaries.forEach((s, v) => { liq[v] += s.liquidations; worst = Math.max(worst, s.relativeResidual); });
    worst = Math.max(worst, t.relativeResidual);
    const mv = w.multiVenue!;
    worstUnits = Math.max(worstUnits, Math.abs(unitsResidual(1, mv.wallets, mv.spotDesks, mv.venues.map((h) => h.venue))));
  });
  await lastValueFrom(w.simulation.run().pipe(toArray()));
  return { liq, worst, worstUnits };
}

describe('collateral tokens', () => {
  it('a depeg of the token on one venue liquidates its holders there and nowhere else; ledgers and units close every tick', async () => {
    const r = await run(depegWorld(0.6, -0.5));
    expect(r.liq[0]).toBeGreaterThan(0);
    expect(r.liq[1]).toBe(0);
    expect(r.worst).toBeLessThan(1e-9);
    expect(r.worstUnits).toBeLessThan(1e-6);
  });

  it('the same depeg hurts nobody who holds no token, nor a venue that values the token at its index', async () => {
    expect((await run(depegWorld(0, -0.5))).liq[0]).toBe(0);
    expect((await run(depegWorld(0.6, -0.5, 'index'))).liq[0]).toBe(0);
  });

  it('without the depeg nobody is liquidated (cross longs on a still index)', async () => {
    expect((await run(depegWorld(0.6, 0))).liq).toEqual([0, 0]);
  });
});

describe('a flat account with tokens and a negative wallet', () => {
  it('pays its loss with its tokens, not with the insurance fund', async () => {
    // 10 cross longs of BTC holding 90% of 10,000 in USDe open 20 × their 1,000 of quote (20,000),
    // BTC falls 10% at tick 5 (a loss of 2,000: covered by the tokens, so no liquidation), and they
    // close at tick 8: their quote wallet is then about −1,000 while they hold 9,000 of USDe.
    const still = { process: { kind: 'gbm' as const, mu: 0, sigma: 0 } };
    const pop: PopulationSpec = {
      ...scripted('holders', Array.from({ length: 10 }, () => ({ side: 1 as const, leverage: 20, collateral: 10_000, closeTick: 8 }))),
      venue: 0, marginMode: 'cross', tokenCollateral: { token: 1, share: 0.9 },
    };
    const w = venuesWorld({
      assets: [{ name: 'BTC', market: { ...still, startPrice: 60_000, shocks: [{ tick: 5, ret: -0.1 }] } }, { name: 'USDe', market: { ...still, startPrice: 1 } }],
      venues: [{ name: 'A', assets: [0], spots: [{ asset: 1 }], collateral: [{ asset: 1, haircut: 0.05, priceSource: 'venue' }] }],
      populations: [pop], ticks: 12,
    });
    const fund0 = w.venue.treasury.insuranceFund;
    const r = await run(w);
    expect(r.liq[0]).toBe(0);
    expect(w.venue.treasury.insuranceFund).toBe(fund0);
    expect(w.venue.treasury.badDebt).toBe(0);
    for (let i = 1; i <= 10; i++) expect(w.venue.margin.wallet(i)).toBeGreaterThan(0);
    expect(r.worst).toBeLessThan(1e-9);
  });
});
