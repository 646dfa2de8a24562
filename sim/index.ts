/**
 * levsim's public library API. Build a simulation in code with {@link createSimulation}, subscribe
 * to its bus, run it; or load a scenario file (see the CLI).
 */
export { SimBus } from './engine/bus';
export { Clock } from './engine/clock';
export { RandomStream, RandomStreams, hashUniform } from './engine/rng';
export { Simulation, type RunOptions, type TickSteps } from './engine/simulation';
export * from './engine/events';
export { Market, type MarketParams, type MarketView } from './market/market';
export { impactLog, effectiveDepth, type LiquidityParams, type ImpactKind } from './market/liquidity';
export { FundingClock, fundingRate, type FundingParams } from './market/funding';
export { GbmProcess, MertonProcess, GarchProcess, ReplayProcess, parsePriceCsv, loadPriceCsv, type IndexProcess } from './market/processes';
export { ShockSchedule, type ScheduledShock } from './market/shocks';
export { Accounts, AccountState, Treasury, applyFill } from './exchange/accounts';
export { Exchange, type BookStats, type CascadeStats } from './exchange/exchange';
export { LiquidationIndex, IndexedMaxHeap } from './exchange/liq-index';
export {
  deriveCum, compileTiers, bracketOf, maintenanceMargin, initialMargin, maxNotionalForEquity,
  bankruptcyPrice, bybitIsolatedLiquidationPrice, isolatedLiquidationPrice, liquidationPrice,
  type Tier, type TierTable, type Side,
} from './exchange/margin';
export { crossLiquidationPrices, type CrossAccount, type CrossPosition } from './exchange/margin/cross';
export { portfolioMargin, type PortfolioMarginResult, type ScanScenario } from './exchange/margin/portfolio';
export { DEFAULT_EXCHANGE_PARAMS, type ExchangeParams, type LiquidationParams, type LiquidationMode, type DeficitMode } from './exchange/params';
export type { LeveragePolicy, TightenMode, AccountsView, PolicyHeadline } from './exchange/policies/types';
export { TablePolicy } from './exchange/policies/table-policy';
export { FixedPolicy } from './exchange/policies/fixed';
export { TieredPolicy } from './exchange/policies/tiered';
export { PRESETS, PRESET_NAMES, type Preset } from './exchange/policies/presets';
export type { TraderPopulation, PopulationSpec, PopulationContext } from './exchange/population';
export { createSimulation, type SimulationOptions, type MarketOptions, type ProcessSpec, type World } from './run/world';
export { cascadeEpisodes, amplification, MIN_EXOGENOUS_MOVE, type CascadeEpisode } from './metrics/episodes';
export { scripted, ScriptedPopulation, type ScriptedAgent } from '../agents/scripted';
export { VolScaledPolicy, type VolScaledParams } from './exchange/policies/vol-scaled';
export { OpenInterestPolicy, type OpenInterestParams } from './exchange/policies/open-interest';
export { RiskScorePolicy, type RiskScoreParams } from './exchange/policies/risk-score';
export { CircuitBreakerPolicy, type CircuitBreakerParams, REGIMES, type Regime } from './exchange/policies/circuit-breaker';
export { EsMarginPolicy, expectedShortfall, type EsMarginParams } from './exchange/policies/es-margin';
export { scaleLeverage } from './exchange/policies/scale';
export { MarginTerms, tightens } from './exchange/terms';
export { loadScenario, type LoadedScenario } from './scenario/loader';
export { BadInputError, type ScenarioIssue } from './scenario/errors';
export { scenarioJsonSchema, type ScenarioConfig } from './scenario/schema';
export { buildWorld as buildScenarioWorld } from './run/build';
export { runScenario, type RunResult, type ScenarioRunOptions } from './run/run-scenario';
export { comparePlan, aggregate, type ComparePlan, type CompareResult } from './run/compare';
export { runJobsPooled, runPlanPooled } from './run/pool';
export { optimize, latinHypercube, type OptimizeResult, type RunJobs } from './run/optimize';
export { buildPolicy, type PolicyFactory, type PolicyFactoryContext } from './run/policy-factory';
export { computeSummary, SUMMARY_DEFINITIONS, type RunSummary } from './metrics/summary';
export { estimate, pairedDifference, tQuantile, type Estimate } from './metrics/stats';
