/** Builders of worlds of several venues for tests: one or more assets, venues listing them, scripted books. */
import { FixedPolicy } from '../../sim/exchange/policies/fixed';
import type { ExchangeParams } from '../../sim/exchange/params';
import type { LeveragePolicy } from '../../sim/exchange/policies/types';
import type { PopulationSpec } from '../../sim/exchange/population';
import { createSimulation, type MarketOptions, type World } from '../../sim/run/world';
import type { SpotMarketOptions, VenueOptions } from '../../sim/run/venue-world';
import { exchangeParams, marketOptions } from './world';
import type { AcceptedToken } from '../../sim/world/collateral';

/** One venue of a test world: the assets it lists (by number), market overrides, spot markets. */
export interface TestVenue {
  name: string;
  assets?: number[];
  market?: Partial<MarketOptions>;
  exchange?: Partial<ExchangeParams>;
  spots?: Partial<SpotMarketOptions>[];
  localShocks?: { tick: number; ret: number }[];
  collateral?: AcceptedToken[];
  /** A fresh policy per market (default a fixed 50x cap, MMR 0.5%). */
  policy?: () => LeveragePolicy;
}

/** A world of venues over `assets` (test market defaults, a fixed 50x policy per market). */
export function venuesWorld(o: {
  assets?: { name: string; market?: Partial<MarketOptions> }[];
  venues: TestVenue[];
  populations: PopulationSpec[];
  ticks?: number;
  seed?: number;
}): World {
  const assets = (o.assets ?? [{ name: 'BTC' }]).map((a) => ({ name: a.name, market: marketOptions(a.market), policy: new FixedPolicy(50, 0.005) }));
  const venues: VenueOptions[] = o.venues.map((v) => ({
    name: v.name,
    exchange: exchangeParams(v.exchange),
    markets: (v.assets ?? [0]).map((a) => ({ asset: a, market: marketOptions(v.market), policy: v.policy?.() ?? new FixedPolicy(50, 0.005), localShocks: v.localShocks })),
    spots: (v.spots ?? []).map((s) => ({
      asset: 0, liquidity: marketOptions().liquidity, spillover: 0, premiumHalfLife: 30, volHalfLife: 30, ...s,
    })),
    ...(v.collateral ? { collateral: v.collateral } : {}),
  }));
  return createSimulation({
    seed: o.seed ?? 1, ticks: o.ticks ?? 30, tickSeconds: 60,
    market: assets[0]!.market, policy: assets[0]!.policy, exchange: exchangeParams(),
    populations: o.populations, assets, venues,
  });
}
