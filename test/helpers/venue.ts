/** Builders of multi-asset worlds for venue tests: baskets of positions held across markets. */
import type { Exchange } from '../../sim/exchange/exchange';
import { FixedPolicy } from '../../sim/exchange/policies/fixed';
import type { LeveragePolicy } from '../../sim/exchange/policies/types';
import type { PopulationSpec, TraderPopulation } from '../../sim/exchange/population';
import type { ExchangeParams } from '../../sim/exchange/params';
import { createSimulation, type MarketOptions, type World } from '../../sim/run/world';
import type { MarginMode, PortfolioMarginOptions, VenueView } from '../../sim/world/types';
import { exchangeParams, marketOptions } from './world';

/** One basket agent: collateral and the notional (quote, signed) it opens in each market at `openTick`. */
export interface BasketAgent {
  collateral: number;
  notionals: number[];
  openTick?: number;
}

/** A population that opens each agent's basket at its tick and holds it. */
export function basket(name: string, marginMode: MarginMode, agents: BasketAgent[]): PopulationSpec {
  return {
    name, count: agents.length, marginMode,
    create(ctx): TraderPopulation {
      const v: VenueView = ctx.venue;
      agents.forEach((a, k) => {
        const i = ctx.first + k;
        ctx.exchange.deposit(i, a.collateral);
        // Isolated: each position gets its own wallet, a share of the collateral by its notional.
        if (marginMode !== 'isolated') return;
        const gross = a.notionals.reduce((s, x) => s + Math.abs(x), 0);
        a.notionals.forEach((x, m) => { if (m > 0 && x !== 0) v.moveCollateral(i, 0, m, (a.collateral * Math.abs(x)) / gross); });
      });
      return {
        name, first: ctx.first, count: agents.length,
        decide(tick: number, _m, _ex: Exchange): void {
          agents.forEach((a, k) => {
            if ((a.openTick ?? 0) !== tick) return;
            a.notionals.forEach((x, m) => { if (x !== 0) v.placeOrder(ctx.first + k, m, x / v.markets[m]!.mark); });
          });
        },
      };
    },
  };
}

/** A world of `assets.length` markets (test defaults per market, overridden per asset). */
export function venueWorld(o: {
  assets: { name: string; market?: Partial<MarketOptions>; policy?: LeveragePolicy }[];
  populations: PopulationSpec[];
  correlation?: number[][];
  margin?: PortfolioMarginOptions;
  exchange?: Partial<ExchangeParams>;
  ticks?: number;
  seed?: number;
}): World {
  const assets = o.assets.map((a) => ({ name: a.name, market: marketOptions(a.market), policy: a.policy ?? new FixedPolicy(50, 0.005) }));
  return createSimulation({
    seed: o.seed ?? 1, ticks: o.ticks ?? 20, tickSeconds: 60,
    market: assets[0]!.market, policy: assets[0]!.policy,
    exchange: exchangeParams(o.exchange), populations: o.populations,
    assets, correlation: o.correlation, margin: o.margin,
  });
}
