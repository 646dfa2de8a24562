/**
 * Assembles a runnable {@link Simulation} from a market, an exchange, a policy and trader
 * populations: the seven steps of a tick (DESIGN.md "One tick") live here.
 */
import { SimBus } from '../engine/bus';
import { Clock } from '../engine/clock';
import type { TickSummary } from '../engine/events';
import { RandomStreams } from '../engine/rng';
import { Simulation, type TickSteps } from '../engine/simulation';
import { Exchange } from '../exchange/exchange';
import type { ExchangeParams } from '../exchange/params';
import type { LeveragePolicy } from '../exchange/policies/types';
import type { PopulationSpec, TraderPopulation } from '../exchange/population';
import { FundingClock, type FundingParams } from '../market/funding';
import type { LiquidityParams } from '../market/liquidity';
import { Market } from '../market/market';
import type { MarkParams } from '../market/mark';
import { createIndexProcesses, makeProcess, type ProcessSpec } from '../market/assets';
import { ShockSchedule, type ScheduledShock } from '../market/shocks';
import type { CorrelationMatrix } from '../market/correlation';
import type { AssetOptions, PortfolioMarginOptions } from '../world/types';
import { Venue } from '../world/venue';
import { runVenueCascade } from '../world/venue-cascade';
import { worldSummary } from '../world/summary';
import { checkedSummary } from '../metrics/ledger-check';
import { marketSummary } from './market-summary';
import { beginMarkets, executeMarkets, settleFunding, updatePolicies } from './market-steps';
import { buildVenueWorld, type VenueOptions, type VenueWorld } from './venue-world';
import type { ProtocolOptions } from '../world/protocol';

export type { ProcessSpec };

/** Market settings of a simulation. */
export interface MarketOptions {
  /** Start price (quote); a replay path starts at its own first price. */
  startPrice: number;
  process: ProcessSpec;
  shocks: ScheduledShock[];
  liquidity: LiquidityParams;
  spillover: number;
  premiumHalfLife: number;
  volHalfLife: number;
  /** Burn-in ticks without price impact (default 0). */
  warmupTicks?: number;
  funding: FundingParams;
  /** Which price margin uses (default: the last price). */
  markPrice?: MarkParams;
}

/** Everything needed to build a simulation in code. */
export interface SimulationOptions {
  seed: number | string;
  ticks: number;
  tickSeconds: number;
  market: MarketOptions;
  exchange: ExchangeParams;
  policy: LeveragePolicy;
  populations: PopulationSpec[];
  /**
   * Several assets, each with its own market and policy instance (sim/world/types.ts); when given,
   * `market` and `policy` are not used. Absent: one asset, from `market` and `policy`.
   */
  assets?: AssetOptions[];
  /** Correlation of the assets' exogenous shocks (identity when absent). */
  correlation?: CorrelationMatrix;
  /** The portfolio-margin model (needed when a population uses `portfolio` margin). */
  margin?: PortfolioMarginOptions;
  /**
   * Several venues over the `assets` (sim/run/venue-world.ts): each lists perpetual and spot
   * markets under its own settings; `exchange`, `margin` and each asset's `policy` are then not used.
   */
  venues?: VenueOptions[];
  /** Lending protocols of a world of venues (sim/world/protocol.ts). */
  protocols?: (ProtocolOptions & { name: string })[];
  /** A world of venues with every link between venues and protocols cut (the contagion matrix's counterfactual). */
  cutLinks?: boolean;
}

/** One market of a built world: its asset, price state, exchange, event bus and funding clock. */
export interface MarketHandle {
  name: string;
  market: Market;
  exchange: Exchange;
  /** The market's own events (the world's bus itself in a one-asset world). */
  bus: SimBus;
  funding: FundingClock;
}

/** A built simulation and its parts, for subscribing and inspecting. */
export interface World {
  simulation: Simulation;
  /** The world's bus: `tick$` carries the world's summary; in a one-asset world, every event. */
  bus: SimBus;
  /** The first (in a one-asset world, the only) market's exchange and price state. */
  exchange: Exchange;
  market: Market;
  /** Every market, in asset order. */
  markets: MarketHandle[];
  /** The venue: shared treasury, margin modes, the cross and portfolio margin engines. */
  venue: Venue;
  populations: TraderPopulation[];
  streams: RandomStreams;
  /** The summary of each market at the last tick (the world's own is on `bus.tick$`). */
  readonly lastMarketSummaries: TickSummary[];
  /** A world of several venues: its venues, wallets and spot markets, and each venue's last summary. */
  readonly multiVenue?: VenueWorld;
}

/** The name of the one asset of a world built from `market` alone. */
export const DEFAULT_ASSET = 'default';

/**
 * Builds a simulation. Populations get consecutive account ranges after the backstop (account 0),
 * in the order given; in a world of several assets an account has the same id in every market.
 * @example
 * const { simulation, bus } = createSimulation(opts);
 * bus.cascade$.subscribe((c) => console.log(c.tick, c.rounds, c.longNotional));
 * simulation.run().subscribe({ error: (e) => console.error(e) }); // errors arrive here, not as a throw
 */
export function createSimulation(o: SimulationOptions): World {
  const streams = new RandomStreams(o.seed);
  const clock = new Clock(o.tickSeconds);
  const bus = new SimBus();
  if (o.venues) return venueSimulation(o, streams, clock, bus);
  const multi = o.assets !== undefined;
  const assets: AssetOptions[] = o.assets ?? [{ name: DEFAULT_ASSET, market: o.market, policy: o.policy }];
  if (assets.length === 0) throw new RangeError('assets: found an empty list; allowed: at least one asset');
  const processes = multi
    ? createIndexProcesses(assets.map((a) => ({ name: a.name, process: a.market.process })), o.correlation, clock.dtYears, streams)
    : [makeProcess(o.market.process, clock.dtYears, streams)];
  const capacity = 1 + o.populations.reduce((s, p) => s + p.count, 0);
  const portfolio = o.margin ? { ...o.margin, correlation: o.margin.correlation ?? o.correlation ?? identity(assets.length) } : undefined;
  const venue = new Venue(capacity, assets.map((a) => a.name), portfolio);
  const markets: MarketHandle[] = assets.map((a, k) => {
    const startPrice = a.market.process.kind === 'replay' ? a.market.process.prices[0]! : a.market.startPrice;
    const market = new Market({ ...a.market, startPrice }, processes[k]!, new ShockSchedule(a.market.shocks));
    const mbus = multi ? new SimBus() : bus;
    const exchange = new Exchange(capacity, o.exchange, a.policy, market, mbus, { treasury: venue.treasury, groups: venue.groups, first: k === 0 });
    venue.addMarket(exchange);
    return { name: a.name, market, exchange, bus: mbus, funding: new FundingClock(a.market.funding) };
  });
  const populations: TraderPopulation[] = [];
  const popMarket: number[] = [];
  for (const [k, spec] of o.populations.entries()) {
    const m = spec.asset ?? 0;
    if (!(m >= 0 && m < markets.length)) throw new RangeError(`population ${spec.name}: asset ${m} does not exist (the world has ${markets.length})`);
    const first = venue.openAccounts(spec.count, k + 1, spec.marginMode ?? 'isolated', m);
    const h = markets[m]!;
    populations.push(spec.create({ first, count: spec.count, exchange: h.exchange, streams, startPrice: h.market.p.startPrice, venue }));
    popMarket.push(m);
  }
  // One market and no account for the venue's engines: the single-market cascade, exactly as before.
  const venueCascade = markets.length > 1 || venue.managed.includes(1);
  const lastMarketSummaries: TickSummary[] = [];
  if (multi) bus.tick$.subscribe({ complete: () => { for (const h of markets) h.bus.complete(); } });

  /** Each market's depth factor from its populations, for one tick (see decide). */
  const depth = new Float64Array(markets.length);
  const steps: TickSteps = {
    market(t) {
      beginMarkets(t, markets);
    },
    policy(t) {
      updatePolicies(t, markets);
      venue.updateScan();
    },
    funding(t) {
      settleFunding(t, markets);
    },
    // The per-tick steps loop by index over arrays allocated once: iterating `entries()` allocated an
    // iterator and a pair per population and market, every tick (~1 kB a tick on bench-active).
    decide(t) {
      depth.fill(1);
      for (let k = 0; k < populations.length; k++) {
        const p = populations[k]!, h = markets[popMarket[k]!]!;
        p.decide(t, h.market, h.exchange);
        if (p.depthFactor) depth[popMarket[k]!] *= p.depthFactor(h.market);
      }
      for (let m = 0; m < markets.length; m++) markets[m]!.market.setProvidedDepth(depth[m]!);
    },
    execute(t) {
      executeMarkets(t, markets);
    },
    liquidate(t) {
      if (venueCascade) runVenueCascade(venue, t);
      else markets[0]!.exchange.liquidate(t);
    },
    after(t) {
      for (let k = 0; k < populations.length; k++) {
        const h = markets[popMarket[k]!]!;
        populations[k]!.after?.(t, h.market, h.exchange);
      }
      for (let m = 0; m < markets.length; m++) markets[m]!.market.endTick();
    },
    summarize(t): TickSummary {
      if (!multi) return checkedSummary('the book', marketSummary(t, markets[0]!));
      for (let m = 0; m < markets.length; m++) {
        lastMarketSummaries[m] = marketSummary(t, markets[m]!);
        markets[m]!.bus.tick$.next(lastMarketSummaries[m]!);
      }
      // The markets share one insurance fund and treasury: only the venue as a whole balances.
      return checkedSummary('the venue', worldSummary(t, venue, lastMarketSummaries));
    },
    injectShock(shock, currentTick) {
      // A shock for a tick already run applies at the next one: the past is never rewritten.
      const tick = Math.max(shock.tick ?? currentTick + 1, currentTick + 1);
      for (const { market } of markets) market.external.add({ tick, ret: shock.ret, overTicks: shock.overTicks ?? 1 });
    },
  };
  const simulation = new Simulation(clock, bus, o.ticks, steps);
  return { simulation, bus, exchange: markets[0]!.exchange, market: markets[0]!.market, markets, venue, populations, streams, lastMarketSummaries };
}

/** A world of several venues ({@link buildVenueWorld}). */
function venueSimulation(o: SimulationOptions, streams: RandomStreams, clock: Clock, bus: SimBus): World {
  if (!o.assets || o.assets.length === 0) throw new RangeError('venues: a world of venues needs assets');
  const w = buildVenueWorld({
    seed: o.seed, assets: o.assets, correlation: o.correlation, venues: o.venues!, populations: o.populations,
    ...(o.protocols ? { protocols: o.protocols } : {}), ...(o.cutLinks ? { cutLinks: true } : {}),
  }, clock, bus, streams);
  const simulation = new Simulation(clock, bus, o.ticks, w.steps);
  const first = w.venues[0]!;
  return {
    simulation, bus, exchange: first.markets[0]!.exchange, market: first.markets[0]!.market, markets: w.markets, venue: first.venue,
    populations: w.populations, streams, lastMarketSummaries: w.lastMarketSummaries, multiVenue: w,
  };
}

/** The identity matrix of size n (independent assets). */
function identity(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}
