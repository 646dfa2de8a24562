/**
 * The strategy contract. A strategy is a kernel over a whole population (never a callback per
 * agent) plus a declaration of its parameters, which scenario files set as distributions.
 */
import type { Exchange } from '../sim/exchange/exchange';
import type { MarketView } from '../sim/market/market';
import type { DistSpec } from './distributions';
import type { AgentPopulation } from './population';

/** One strategy parameter: its default distribution, bounds on drawn values, unit and meaning. */
export interface ParamSpec {
  default: DistSpec;
  min?: number;
  max?: number;
  integer?: boolean;
  /** One value for the whole population (the strategy reads agent 0's): a scenario gives a number, not a distribution. */
  population?: boolean;
  unit: string;
  doc: string;
}

/** A trading strategy: built-in (agents/*.ts) or a user module named by a scenario file. */
export interface StrategyDefinition {
  readonly name: string;
  /** One line: the rule. */
  readonly summary: string;
  readonly params: Readonly<Record<string, ParamSpec>>;
  /** Fewest assets (markets of the venue) the strategy trades; building it in a smaller world fails (default 1). */
  readonly minAssets?: number;
  /** Longest look-back (ticks) the strategy reads from `pop.history`; default 1. */
  historyLength?(pop: AgentPopulation): number;
  /** Called once, after parameters are drawn and collateral deposited. */
  init?(pop: AgentPopulation, market: MarketView): void;
  /**
   * Step 4: write desired position changes for the population into `exchange.orders`. Synchronous,
   * and with no state outside the population (its columns): a worker thread loads a module once
   * and runs many runs with it, so module-level state would carry from run to run and make results
   * depend on the number of workers.
   */
  decide(pop: AgentPopulation, tick: number, market: MarketView, exchange: Exchange): void;
  /** Depth multiplier the population provides to the liquidity model (market makers). */
  depthFactor?(pop: AgentPopulation, market: MarketView): number;
}
