/** Builders of multi-asset worlds for venue tests: baskets of positions held across markets. */
import type { Exchange } from '../../sim/exchange/exchange';
import { FixedPolicy } from '../../sim/exchange/policies/fixed';
import type { LeveragePolicy } from '../../sim/exchange/policies/types';
import type { PopulationSpec, TraderPopulation } from '../../sim/exchange/population';
import type { ExchangeParams } from '../../sim/exchange/params';
import { createSimulation, type MarketOptions, type World } from '../../sim/run/world';
import type { MarginMode, PortfolioMarginOptions, VenueView } from '../../sim/world/types';
import { exchangeParams, marketOptions } from './world';
import type { AgentPopulation } from '../../agents/population';
import type { TickSummary } from '../../sim/engine/events';
import { initPopulations, populationSpec } from '../../sim/run/build';
import type { PopSettings } from './agents';

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

/** One strategy population of a venue world: {@link PopSettings} plus its margin mode and asset. */
export type VenuePopSettings = PopSettings & { marginMode?: MarginMode; asset?: number };

/**
 * A venue world of strategy populations (AgentPopulation, as scenarios build them) on scripted
 * paths: each asset replays `prices` exactly (no impact, no fees, no funding), so tick t's mark is
 * prices[t + 1]. Returns the world, its populations and the world's tick summaries.
 */
export function venueAgents(o: {
  assets: { name: string; prices: number[]; policy?: LeveragePolicy }[];
  pops: VenuePopSettings[];
  margin?: PortfolioMarginOptions;
  exchange?: Partial<ExchangeParams>;
  seed?: number;
}): { world: World; pops: AgentPopulation[]; ticks: TickSummary[] } {
  const created: AgentPopulation[] = [];
  const world = venueWorld({
    assets: o.assets.map((a) => ({
      name: a.name, policy: a.policy,
      market: {
        process: { kind: 'replay', prices: Float64Array.from(a.prices) }, premiumHalfLife: 0,
        liquidity: { depth: Infinity, impact: 'linear', elasticity: 0, referenceVol: 0.001, minDepthFraction: 0.01 },
        funding: { intervalTicks: 0, interest: 0, band: 0, cap: 0 },
      },
    })),
    ticks: Math.min(...o.assets.map((a) => a.prices.length)) - 1,
    exchange: { takerFee: 0, makerFee: 0, ...o.exchange },
    margin: o.margin, seed: o.seed,
    populations: o.pops.map((p, k) => ({
      ...populationSpec({
        name: p.name ?? `pop${k}`, count: p.count ?? 1, strategy: p.strategy, collateral: p.collateral ?? 1_000,
        leverage: p.leverage ?? 5, reserve: p.reserve ?? 0, longBias: p.longBias ?? 0.5, activity: p.activity ?? 1,
        startOpen: p.startOpen ?? 0, params: p.params ?? {}, behaviours: p.behaviours ?? {},
      }, 60, created),
      marginMode: p.marginMode, asset: p.asset,
    })),
  });
  initPopulations(world, created);
  const ticks: TickSummary[] = [];
  world.bus.tick$.subscribe((t) => ticks.push(t));
  return { world, pops: created, ticks };
}

/** Runs a world, rethrowing a run error. */
export function runWorld(w: World): void {
  let err: unknown;
  w.simulation.run().subscribe({ error: (e: unknown) => (err = e) });
  if (err) throw err;
}
