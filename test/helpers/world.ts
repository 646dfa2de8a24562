/** Shared builders for tests: a calm default market and exchange that each test overrides. */
import { DEFAULT_EXCHANGE_PARAMS, type ExchangeParams } from '../../sim/exchange/params';
import type { LeveragePolicy } from '../../sim/exchange/policies/types';
import type { PopulationSpec } from '../../sim/exchange/population';
import { createSimulation, type MarketOptions, type World } from '../../sim/run/world';

/** A quiet GBM market at 20,000 with 1% depth of 2M, funding every 480 ticks. */
export function marketOptions(over: Partial<MarketOptions> = {}): MarketOptions {
  return {
    startPrice: 20_000,
    process: { kind: 'gbm', mu: 0, sigma: 0.5 },
    shocks: [],
    liquidity: { depth: 2_000_000, impact: 'linear', elasticity: 0, referenceVol: 0.001, minDepthFraction: 0.1 },
    spillover: 0,
    premiumHalfLife: 30,
    volHalfLife: 30,
    funding: { intervalTicks: 480, interest: 0.0001, band: 0.0005, cap: 0.0075 },
    ...over,
  };
}

/** Exchange parameters with overrides (liquidation merged one level deep). */
export function exchangeParams(over: Partial<ExchangeParams> = {}): ExchangeParams {
  return {
    ...DEFAULT_EXCHANGE_PARAMS,
    ...over,
    liquidation: { ...DEFAULT_EXCHANGE_PARAMS.liquidation, ...(over.liquidation ?? {}) },
  };
}

/** Builds a world with test defaults. */
export function buildWorld(args: {
  policy: LeveragePolicy;
  populations: PopulationSpec[];
  ticks?: number;
  seed?: number;
  market?: Partial<MarketOptions>;
  exchange?: Partial<ExchangeParams>;
}): World {
  return createSimulation({
    seed: args.seed ?? 1,
    ticks: args.ticks ?? 50,
    tickSeconds: 60,
    market: marketOptions(args.market),
    exchange: exchangeParams(args.exchange),
    policy: args.policy,
    populations: args.populations,
  });
}
