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
import { GarchProcess, GbmProcess, MertonProcess, ReplayProcess, type IndexProcess, type Innovations } from '../market/processes';
import { ShockSchedule, type ScheduledShock } from '../market/shocks';
import { tickSummary } from '../metrics/reporters';
import type { CorrelationMatrix } from '../market/correlation';
import type { AssetOptions, PortfolioMarginOptions } from '../world/types';

/** The exogenous index process and its parameters (annualised unless noted). */
export type ProcessSpec =
  | { kind: 'gbm'; mu: number; sigma: number; innovations?: Innovations }
  | { kind: 'merton'; mu: number; sigma: number; lambda: number; jumpMean: number; jumpStd: number }
  | { kind: 'garch'; omega: number; alpha: number; beta: number; innovations?: Innovations }
  | { kind: 'replay'; prices: Float64Array };

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
}

/** A built simulation and its parts, for subscribing and inspecting. */
export interface World {
  simulation: Simulation;
  bus: SimBus;
  exchange: Exchange;
  market: Market;
  populations: TraderPopulation[];
  streams: RandomStreams;
}

function makeProcess(spec: ProcessSpec, dt: number, streams: RandomStreams): IndexProcess {
  const rng = streams.stream('market/index');
  switch (spec.kind) {
    case 'gbm': return new GbmProcess(spec.mu, spec.sigma, dt, rng, spec.innovations);
    case 'merton': return new MertonProcess(spec.mu, spec.sigma, spec.lambda, spec.jumpMean, spec.jumpStd, dt, rng);
    case 'garch': return new GarchProcess(spec.omega, spec.alpha, spec.beta, rng, spec.innovations);
    case 'replay': return new ReplayProcess(spec.prices);
  }
}

/**
 * Builds a simulation. Populations get consecutive account ranges after the backstop (account 0),
 * in the order given.
 * @example
 * const { simulation, bus } = createSimulation(opts);
 * bus.cascade$.subscribe((c) => console.log(c.tick, c.rounds, c.longNotional));
 * simulation.run().subscribe({ error: (e) => console.error(e) }); // errors arrive here, not as a throw
 */
export function createSimulation(o: SimulationOptions): World {
  const streams = new RandomStreams(o.seed);
  const clock = new Clock(o.tickSeconds);
  const bus = new SimBus();
  const process = makeProcess(o.market.process, clock.dtYears, streams);
  const startPrice = o.market.process.kind === 'replay' ? o.market.process.prices[0]! : o.market.startPrice;
  const market = new Market({ ...o.market, startPrice }, process, new ShockSchedule(o.market.shocks));
  const capacity = 1 + o.populations.reduce((s, p) => s + p.count, 0);
  const exchange = new Exchange(capacity, o.exchange, o.policy, market, bus);
  const populations: TraderPopulation[] = [];
  for (const [k, spec] of o.populations.entries()) {
    const first = exchange.openAccounts(spec.count, k + 1);
    populations.push(spec.create({ first, count: spec.count, exchange, streams, startPrice }));
  }
  const funding = new FundingClock(o.market.funding);
  const policy = o.policy;

  const steps: TickSteps = {
    market(t) {
      market.setFundingBasis(funding.lastRate, funding.toNextFraction(t));
      market.beginTick(t);
      if (market.lastScheduled !== 0) bus.shock$.next({ tick: t, logReturn: market.lastScheduled, source: 'scheduled' });
      if (market.lastExternal !== 0) bus.shock$.next({ tick: t, logReturn: market.lastExternal, source: 'external' });
      if (market.lastJump !== 0) bus.shock$.next({ tick: t, logReturn: market.lastJump, source: 'jump' });
    },
    policy(t) {
      exchange.beginTick(t);
      if (policy.onTick(market, exchange.accounts, exchange)) {
        exchange.onPolicyChange();
        const h = policy.headline();
        bus.policy$.next({ tick: t, policy: policy.name, ...h });
      }
    },
    funding(t) {
      if (funding.sample(t, market.premium)) {
        const transferred = exchange.settleFunding(funding.lastRate, market.markPrice);
        bus.funding$.next({ tick: t, rate: funding.lastRate, premium: funding.lastPremium, transferred });
      }
    },
    decide(t) {
      let depth = 1;
      for (const p of populations) {
        p.decide(t, market, exchange);
        if (p.depthFactor) depth *= p.depthFactor(market);
      }
      market.setProvidedDepth(depth);
    },
    execute(t) {
      exchange.tickVolume = 0;
      exchange.execute(t);
    },
    liquidate(t) {
      exchange.liquidate(t);
    },
    after(t) {
      for (const p of populations) p.after?.(t, market, exchange);
      market.endTick();
    },
    summarize(t): TickSummary {
      return tickSummary({
        // The book pass first: it sets exchange.openInterestNotional, which a policy's headline may read.
        tick: t, market, exchange, book: exchange.bookStats(market.markPrice), fundingRate: funding.lastRate,
        headline: policy.headline(), treasury: exchange.treasury, cascade: exchange.lastCascade,
      });
    },
    injectShock(shock, currentTick) {
      // A shock for a tick already run applies at the next one: the past is never rewritten.
      const tick = Math.max(shock.tick ?? currentTick + 1, currentTick + 1);
      market.external.add({ tick, ret: shock.ret, overTicks: shock.overTicks ?? 1 });
    },
  };
  const simulation = new Simulation(clock, bus, o.ticks, steps);
  return { simulation, bus, exchange, market, populations, streams };
}
