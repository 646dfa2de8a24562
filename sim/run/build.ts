/**
 * Turns a validated scenario into a runnable world: market, exchange, policy and the agent
 * populations, with the seeded streams of `seed`.
 */
import { AgentPopulation, type PopulationConfig } from '../../agents/population';
import type { PopulationSpec } from '../exchange/population';
import { buildPolicy } from './policy-factory';
import type { LeveragePolicy } from '../exchange/policies/types';
import type { ExchangeParams, LiquidationSizer } from '../exchange/params';
import type { LoadedScenario } from '../scenario/loader';
import { DEFAULTS } from '../scenario/defaults';
import { createSimulation, type ProcessSpec, type World } from './world';
import { RandomStreams } from '../engine/rng';

/**
 * The spec of an agent population; each population built is also pushed to `created`, so the
 * caller can run {@link initPopulations} once the world exists.
 */
export function populationSpec(cfg: PopulationConfig, tickSeconds: number, created: AgentPopulation[]): PopulationSpec {
  return {
    name: cfg.name,
    count: cfg.count,
    create: (ctx) => {
      const pop = new AgentPopulation(cfg, ctx.first, ctx.exchange, ctx.streams, tickSeconds, ctx.venue);
      created.push(pop);
      return pop;
    },
  };
}

/** Seeds the starting book and lets each strategy set up, before the first tick. */
export function initPopulations(world: World, pops: readonly AgentPopulation[]): void {
  for (const p of pops) p.init(world.market, world.exchange);
}

/**
 * The sizing rule of liquidation mode `module`, built from the scenario's `params`; its `ctx.rng`
 * is the run's stream `${seed}/liquidation/${stream}`, keyed by the name the module asks for.
 */
function liquidationSizer(s: LoadedScenario, seed: number): { sizer?: LiquidationSizer; sizerName?: string } {
  const m = s.liquidationModule;
  if (!m) return {};
  const streams = new RandomStreams(seed);
  const sizer = m.factory(s.config.exchange.liquidation.params, { tickSeconds: s.config.tickSeconds, rng: (name) => streams.stream(`liquidation/${name}`) });
  return { sizer, sizerName: m.path };
}

/** Builds the world of a scenario (optionally under another policy, for comparisons). */
export function buildWorld(s: LoadedScenario, opts: { seed?: number; policy?: LeveragePolicy } = {}): World {
  const c = s.config;
  const m = c.market;
  const pr = m.process;
  const process: ProcessSpec = pr.type === 'replay' ? { kind: 'replay', prices: s.replayPrices! } : pr.type === 'gbm'
    ? { kind: 'gbm', mu: pr.mu, sigma: pr.sigma, innovations: pr.innovations }
    : pr.type === 'merton' ? { kind: 'merton', mu: pr.mu, sigma: pr.sigma, lambda: pr.lambda, jumpMean: pr.jumpMean, jumpStd: pr.jumpStd }
      : { kind: 'garch', omega: pr.omega, alpha: pr.alpha, beta: pr.beta, innovations: pr.innovations };
  const x = c.exchange;
  const exchange: ExchangeParams = {
    takerFee: x.fees.taker, makerFee: x.fees.maker, liquidation: { ...x.liquidation, ...liquidationSizer(s, opts.seed ?? c.seed) },
    insuranceFund: x.insuranceFund, deficit: x.deficit, backstopCollateral: x.backstopCollateral,
  };
  const pops: AgentPopulation[] = [];
  const world = createSimulation({
    seed: opts.seed ?? c.seed,
    ticks: c.ticks,
    tickSeconds: c.tickSeconds,
    market: {
      startPrice: m.startPrice,
      process,
      shocks: m.shocks.map((sh) => ({ tick: sh.tick, ret: sh.return, overTicks: sh.overTicks })),
      liquidity: {
        depth: m.liquidity.depth, impact: m.liquidity.impact, elasticity: m.liquidity.elasticity,
        referenceVol: m.liquidity.referenceVol, minDepthFraction: m.liquidity.minDepthFraction, maxImpact: m.liquidity.maxImpact,
      },
      spillover: m.liquidity.spillover,
      premiumHalfLife: m.liquidity.premiumHalfLife,
      volHalfLife: m.liquidity.volHalfLife,
      warmupTicks: m.warmupTicks,
      funding: m.funding,
      markPrice: {
        rule: m.markPrice,
        basisWindowTicks: m.basisWindowTicks ?? Math.max(1, Math.round(DEFAULTS.market.basisWindowSeconds / c.tickSeconds)),
      },
    },
    exchange,
    policy: opts.policy ?? buildPolicy(x.policy, { tickSeconds: c.tickSeconds, modules: s.policyModules, streams: new RandomStreams(opts.seed ?? c.seed) }),
    populations: c.agents.map((a, k) => populationSpec({
      name: a.name, count: a.count, strategy: s.strategies[k]!, collateral: a.collateral, leverage: a.leverage,
      reserve: a.reserve, longBias: a.longBias, activity: a.activity, startOpen: a.startOpen, params: a.params, behaviours: a.behaviours,
    }, c.tickSeconds, pops)),
  });
  initPopulations(world, pops);
  return world;
}
