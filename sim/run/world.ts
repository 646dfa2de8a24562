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
import { makeProcess, type ProcessSpec } from '../market/assets';
import { ShockSchedule, type ScheduledShock } from '../market/shocks';
import type { CorrelationMatrix } from '../market/correlation';
import type { AssetOptions, PortfolioMarginOptions } from '../world/types';

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
      const s = exchange.bookStats(market.markPrice);
      const tr = exchange.treasury;
      const c = exchange.lastCascade;
      // Summed without the house's deposit on either side, so that its size does not drown the rest.
      const residual = s.equity + s.housePnl + tr.insuranceFund + tr.feeRevenue - tr.badDebt - (tr.deposits - tr.withdrawals);
      return {
        tick: t, index: market.index, mark: market.mark, markPrice: market.markPrice, exogenousReturn: market.exogenousReturn,
        premium: market.premium, depth: market.depth, realizedVol: market.realizedVol,
        fundingRate: funding.lastRate, openInterest: s.openInterest, openInterestNotional: s.openInterest * market.markPrice,
        volume: exchange.tickVolume, liquidations: c.accounts, liqLongNotional: c.longNotional,
        liqShortNotional: c.shortNotional, cascadeRounds: c.rounds, roundCapHit: c.roundCapHit ? 1 : 0,
        adlCount: c.adlCount, adlNotional: c.adlNotional, positions: s.positions, activeAccounts: s.activeAccounts,
        avgLeverage: s.avgLeverage, nearLiq5: s.nearLiq5, nearLiq10: s.nearLiq10,
        policyMaxLeverage: policy.headline().maxLeverage, equity: s.equity, houseEquity: tr.houseDeposits + s.housePnl,
        housePnl: s.housePnl, insuranceFund: tr.insuranceFund, feeRevenue: tr.feeRevenue,
        badDebt: tr.badDebt, deposits: tr.deposits + tr.houseDeposits, withdrawals: tr.withdrawals, residual,
        // At least 1 quote below the fraction, so that a book with no trader money divides by something.
        relativeResidual: Math.abs(residual) / Math.max(1, tr.deposits),
      };
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
