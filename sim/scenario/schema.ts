/**
 * The scenario file schema (zod 4). Types, validation and the editors' JSON Schema all come from
 * here. Every object is strict: unknown keys are errors. Units: prices and money in quote, sizes in
 * base units, rates as fractions, time in ticks.
 */
import { z } from 'zod';
import { DEFAULTS } from './defaults';
import { TFG_BASELINE } from '../market/clearing/params';
import type { MarginMode } from '../world/types';

const finite = () => z.number().finite();
const positive = () => finite().positive();
const nonNegative = () => finite().nonnegative();
const fraction = () => finite().min(0).max(1);
const ticks = () => z.number().int().nonnegative();

/** A parameter distribution; a bare number is `fixed`. */
export const DistSchema = z.union([
  finite(),
  z.discriminatedUnion('dist', [
    z.strictObject({ dist: z.literal('fixed'), value: finite() }),
    z.strictObject({ dist: z.literal('uniform'), min: finite(), max: finite() }),
    z.strictObject({ dist: z.literal('normal'), mean: finite(), sd: nonNegative(), min: finite().optional(), max: finite().optional() }),
    z.strictObject({ dist: z.literal('lognormal'), median: positive(), sigma: nonNegative() }),
    z.strictObject({ dist: z.literal('pareto'), min: positive(), alpha: positive() }),
    z.strictObject({ dist: z.literal('choice'), values: z.array(finite()).min(1), weights: z.array(nonNegative()).min(1).optional() }),
  ]),
]);

/** The law of a process's unit-variance shocks: normal (when omitted) or Student-t(ν), ν > 2. */
const InnovationsSchema = z.discriminatedUnion('dist', [
  z.strictObject({ dist: z.literal('normal') }),
  z.strictObject({ dist: z.literal('t'), nu: finite().gt(2) }),
]);

export const ProcessSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('gbm'), mu: finite().default(0), sigma: nonNegative(), innovations: InnovationsSchema.optional() }),
  z.strictObject({ type: z.literal('merton'), mu: finite().default(0), sigma: nonNegative(), lambda: nonNegative(), jumpMean: finite(), jumpStd: nonNegative() }),
  z.strictObject({ type: z.literal('garch'), omega: positive(), alpha: nonNegative(), beta: nonNegative(), innovations: InnovationsSchema.optional() }),
  z.strictObject({ type: z.literal('replay'), file: z.string().min(1) }),
]);

/** An asset's symbol (it names per-market output files). */
/** A name that is a key of summary paths (markets.<asset>, nodes.<venue>, populations.<agent>): no dots, which would split the path. */
const KeyNameSchema = z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ - only');

/**
 * A scheduled shock: `return` on the one market, or (with `assets:`) on the assets listed in
 * `assets` (every asset when omitted); `returns` gives each named asset its own. Exactly one of
 * `return` and `returns` (sim/scenario/checks/assets.ts).
 */
export const ShockSchema = z.strictObject({
  tick: ticks(),
  /** Simple return, e.g. -0.12. */
  return: finite().gt(-1).optional(),
  /** Per-asset simple returns, by asset name (needs `assets:`). */
  returns: z.record(z.string(), finite().gt(-1)).optional(),
  /** The assets `return` hits (needs `assets:`; default every asset). */
  assets: z.array(z.string()).min(1).optional(),
  overTicks: z.number().int().positive().default(1),
});

/** The liquidity model's fields, without defaults: the market's take its defaults, an asset's the market's values. */
const liquidityFields = {
  depth: positive(),
  impact: z.enum(['linear', 'sqrt']),
  elasticity: nonNegative(),
  referenceVol: positive(),
  minDepthFraction: fraction(),
  maxImpact: positive(),
  spillover: fraction(),
  premiumHalfLife: nonNegative(),
  volHalfLife: positive(),
};
/** The funding clock's fields, as {@link liquidityFields}. */
const fundingFields = {
  intervalTicks: ticks(),
  interest: finite(),
  band: nonNegative(),
  cap: nonNegative(),
};

/** Each field of `fields` with its default from `d`. */
function withDefaults<T extends Record<string, z.ZodType>>(fields: T, d: { [K in keyof T]: z.output<T[K]> }): { [K in keyof T]: z.ZodDefault<T[K]> } {
  return Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f.default(d[k] as never)])) as { [K in keyof T]: z.ZodDefault<T[K]> };
}

const LiquiditySchema = z.strictObject(withDefaults(liquidityFields, DEFAULTS.market.liquidity));
const FundingSchema = z.strictObject(withDefaults(fundingFields, DEFAULTS.market.funding));

const W = TFG_BASELINE;
/** The walrasian mode's market and populations (Thurner, Farmer & Geanakoplos 2012); defaults are the paper's baseline. */
const WalrasianSchema = z.strictObject({
  value: positive().default(W.value),
  shares: positive().default(W.shares),
  burnIn: ticks().default(W.burnIn),
  noise: z.strictObject({ rho: finite().min(0).lt(1).default(W.noise.rho), sigma: nonNegative().default(W.noise.sigma) }).default(W.noise),
  funds: z.strictObject({
    beta: z.array(positive()).min(1).default(W.funds.beta), wealth: positive().default(W.funds.wealth),
    minWealth: positive().default(W.funds.minWealth), reentryTicks: ticks().default(W.funds.reentryTicks),
  }).default(W.funds),
  investors: z.strictObject({ a: fraction().default(W.investors.a), b: nonNegative().default(W.investors.b), benchmark: finite().default(W.investors.benchmark) }).default(W.investors),
  tailFraction: finite().gt(0).lt(1).default(W.tailFraction),
  acfLags: z.array(z.number().int().positive()).min(1).default(W.acfLags),
});

const M = DEFAULTS.market;
const MarketSchema = z.strictObject({
  startPrice: positive().default(M.startPrice),
  warmupTicks: ticks().default(M.warmupTicks),
  process: ProcessSchema.default(M.process),
  markPrice: z.enum(['last', 'index-anchored']).default(M.markPrice),
  /** Default: basisWindowSeconds / tickSeconds, at least 1. */
  basisWindowTicks: z.number().int().positive().optional(),
  shocks: z.array(ShockSchema).default([]),
  liquidity: LiquiditySchema.default(LiquiditySchema.parse({})),
  funding: FundingSchema.default(FundingSchema.parse({})),
  /** impact: prices move by order flow through the liquidity model; walrasian: each tick clears at the price where demand equals a fixed supply. */
  clearing: z.enum(['impact', 'walrasian']).default('impact'),
  walrasian: WalrasianSchema.default(WalrasianSchema.parse({})),
});

/** One asset of a multi-asset world: its index process and perpetual market (unset keys: the `market:` values). */
const AssetSchema = z.strictObject({
  name: KeyNameSchema,
  startPrice: positive().default(M.startPrice),
  process: ProcessSchema.default(M.process),
  /** Each key defaults to market.liquidity's. */
  liquidity: z.strictObject(liquidityFields).partial().optional(),
  /** Each key defaults to market.funding's. */
  funding: z.strictObject(fundingFields).partial().optional(),
  /** Default: market.markPrice. */
  markPrice: z.enum(['last', 'index-anchored']).optional(),
  /** Default: exchange.policy (a fresh instance per asset either way). */
  policy: z.lazy(() => PolicySchema).optional(),
  /** A token (e.g. a stablecoin) that venues may accept as collateral: no perpetual market unless a venue lists one (needs `venues:`). */
  token: z.boolean().default(false),
});

/** A correlation matrix as written: rows of numbers (checked for size, symmetry, unit diagonal and PSD in checks/assets.ts). */
const MatrixSchema = z.array(z.array(finite()).min(1)).min(1);

/** Correlation of the assets' exogenous shocks: a matrix, or a one-factor model (per-asset beta and idiosyncratic vol). */
const CorrelationSchema = z.union([
  z.strictObject({ matrix: MatrixSchema }),
  z.strictObject({
    oneFactor: z.strictObject({
      marketVol: nonNegative(),
      /** Every asset, by name. */
      assets: z.record(z.string(), z.strictObject({ beta: finite(), idiosyncraticVol: nonNegative() })),
    }),
  }),
]);

/** sim/world/types.ts's MarginMode. */
const MarginModeSchema = z.enum(['isolated', 'cross', 'portfolio'] satisfies MarginMode[]);

/** A scan range: a bare fraction of price, or k × realized vol per tick × √horizonTicks, between floor and cap. */
const ScanRangeSchema = z.union([
  finite().gt(0).max(1),
  z.strictObject({ k: positive(), horizonTicks: z.number().int().positive(), floor: fraction().default(0), cap: fraction().default(1) }),
]);

const G = DEFAULTS.margin;
/** The portfolio-margin model, and the scenario's default margin mode. */
const MarginSchema = z.strictObject({
  /** The populations' margin mode unless they (or their compared arm) set one. */
  mode: MarginModeSchema.default(G.mode),
  /** The model's correlation matrix (default: the assets' true one). */
  correlation: MatrixSchema.optional(),
  /** Scan ranges by asset name; `default` for the assets not named (itself defaulting to a fixed range). */
  scan: z.record(z.string(), ScanRangeSchema).default({}),
  initialFactor: finite().min(1).default(G.initialFactor),
});

/**
 * A compared arm's portfolio-margin model: what it sets replaces the scenario's `margin:` entry of
 * the same name (the scan table as a whole), so arms can compare scan ranges or margin correlations
 * on common random numbers.
 */
const ArmMarginSchema = z.strictObject({
  correlation: MatrixSchema.optional(),
  scan: z.record(z.string(), ScanRangeSchema).optional(),
  initialFactor: finite().min(1).optional(),
});

const TierSchema = z.strictObject({ floor: nonNegative(), cap: positive(), maxLeverage: positive(), mmr: finite().gt(0).lt(1), cum: nonNegative().optional() });

const tighten = { onTighten: z.enum(['grandfather', 'reduce-only', 'enforce']).optional(), graceTicks: ticks().optional() };

const PresetPolicy = z.strictObject({ preset: z.string().min(1), ...tighten });
const FixedPolicy = z.strictObject({ type: z.literal('fixed'), maxLeverage: positive(), mmr: finite().gt(0).lt(1), ...tighten });
const TieredPolicy = z.strictObject({ type: z.literal('tiered'), tiers: z.array(TierSchema).min(1), ...tighten });

/** A static schedule that dynamic policies scale: a preset, a fixed cap or a tier list. */
const BaseSchema = z.union([
  z.strictObject({ preset: z.string().min(1) }),
  z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('fixed'), maxLeverage: positive(), mmr: finite().gt(0).lt(1) }),
    z.strictObject({ type: z.literal('tiered'), tiers: z.array(TierSchema).min(1) }),
  ]),
]);

const P = DEFAULTS.policies;
/** `vol-scaled` without its `base` (any policy entry, added in {@link PolicySchema}). */
const VolScaledPolicy = z.strictObject({
  type: z.literal('vol-scaled'), k: positive().default(P.volScaled.k),
  minLeverage: positive().default(P.volScaled.minLeverage), maxLeverage: positive().default(P.volScaled.maxLeverage),
  halfLife: positive().default(P.volScaled.halfLife), maxStep: finite().gt(0).max(1).default(P.volScaled.maxStep),
  hysteresis: nonNegative().default(P.volScaled.hysteresis), ...tighten,
});
/** `open-interest`. */
const OpenInterestPolicy = z.strictObject({
  type: z.literal('open-interest'), baseImf: finite().gt(0).max(1).default(P.openInterest.baseImf),
  maintenanceFraction: finite().gt(0).lt(1).default(P.openInterest.maintenanceFraction),
  driver: z.enum(['open-interest', 'insurance-fund']).default(P.openInterest.driver),
  lowerCap: nonNegative().default(P.openInterest.lowerCap), upperCap: positive().default(P.openInterest.upperCap),
  fundFloor: finite().min(0).lt(1).default(P.openInterest.fundFloor), step: positive().default(P.openInterest.step), ...tighten,
});
/** `risk-score`. */
const RiskScorePolicy = z.strictObject({
  type: z.literal('risk-score'), base: BaseSchema.default(P.riskScore.base),
  weights: z.strictObject({ leverage: nonNegative(), concentration: nonNegative(), distance: nonNegative(), pnlVol: nonNegative() }).default(P.riskScore.weights),
  refs: z.strictObject({ leverage: positive(), concentration: positive(), distance: positive(), pnlVol: positive() }).default(P.riskScore.refs),
  minFactor: finite().gt(0).max(1).default(P.riskScore.minFactor), buckets: z.number().int().min(1).max(100).default(P.riskScore.buckets),
  halfLife: positive().default(P.riskScore.halfLife), ...tighten,
});
/** `circuit-breaker` without its `base` (any policy entry, added in {@link PolicySchema}). */
const CircuitBreakerPolicy = z.strictObject({
  type: z.literal('circuit-breaker'),
  soft: positive().default(P.circuitBreaker.soft), hard: positive().default(P.circuitBreaker.hard),
  exitRatio: finite().gt(0).lt(1).default(P.circuitBreaker.exitRatio), minDwell: ticks().default(P.circuitBreaker.minDwell),
  softMultiplier: finite().min(1).default(P.circuitBreaker.softMultiplier), hardMultiplier: finite().min(1).default(P.circuitBreaker.hardMultiplier),
  hardReduceOnly: z.boolean().default(P.circuitBreaker.hardReduceOnly), halfLife: positive().default(P.circuitBreaker.halfLife),
  liqWeight: nonNegative().default(P.circuitBreaker.liqWeight), liqRef: positive().default(P.circuitBreaker.liqRef), ...tighten,
});
/** `es-margin`. */
const EsMarginPolicy = z.strictObject({
  type: z.literal('es-margin'), window: z.number().int().min(10).default(P.esMargin.window), horizon: z.number().int().positive().default(P.esMargin.horizon),
  q: finite().gt(0).lt(1).default(P.esMargin.q), maintenanceFraction: finite().gt(0).lt(1).default(P.esMargin.maintenanceFraction),
  minImr: finite().gt(0).max(1).default(P.esMargin.minImr), initialImr: finite().gt(0).max(1).default(P.esMargin.initialImr),
  updateEvery: z.number().int().positive().default(P.esMargin.updateEvery), hysteresis: nonNegative().default(P.esMargin.hysteresis), ...tighten,
});
/** `basel-ii` (Poledna et al. 2014). */
const BaselIIPolicy = z.strictObject({
  type: z.literal('basel-ii'), maxLeverage: positive(), sigmaB: positive().default(P.baselII.sigmaB), tau: z.number().int().min(2).default(P.baselII.tau),
  kappa: positive().default(P.baselII.kappa), maintenanceFraction: finite().gt(0).lt(1).default(P.baselII.maintenanceFraction), ...tighten,
});
/** A module of your own. */
const ModulePolicy = z.strictObject({ module: z.string().min(1), params: z.record(z.string(), z.unknown()).default({}), ...tighten });

type Leaf = typeof PresetPolicy | typeof FixedPolicy | typeof TieredPolicy | typeof OpenInterestPolicy | typeof RiskScorePolicy | typeof EsMarginPolicy | typeof BaselIIPolicy | typeof ModulePolicy;
/** A policy entry after parsing: `vol-scaled` and `circuit-breaker` nest another as their `base`. */
type PolicyOut = z.output<Leaf> | (z.output<typeof VolScaledPolicy> & { base: PolicyOut }) | (z.output<typeof CircuitBreakerPolicy> & { base: PolicyOut });
/** A policy entry as written. */
type PolicyIn = z.input<Leaf> | (z.input<typeof VolScaledPolicy> & { base?: PolicyIn }) | (z.input<typeof CircuitBreakerPolicy> & { base?: PolicyIn });
/** The `base` of a scaling policy: any policy entry, dynamic ones included (`{ preset }` by default). */
const nestedPolicy = (d: PolicyOut) => z.lazy(() => PolicySchema).default(d);

/** A leverage policy: a preset by name, a type with its parameters, or a module of your own. */
export const PolicySchema: z.ZodType<PolicyOut, PolicyIn> = z.union([
  PresetPolicy,
  z.discriminatedUnion('type', [
    FixedPolicy,
    TieredPolicy,
    VolScaledPolicy.extend({ base: nestedPolicy(P.volScaled.base) }),
    OpenInterestPolicy,
    RiskScorePolicy,
    CircuitBreakerPolicy.extend({ base: nestedPolicy(P.circuitBreaker.base) }),
    BaselIIPolicy,
    EsMarginPolicy,
  ]),
  ModulePolicy,
]).meta({ id: 'policy' });

const X = DEFAULTS.exchange;
const LiquidationSchema = z.strictObject({
  mode: z.enum(['full', 'partial', 'fraction', 'module']).default(X.liquidation.mode),
  /** mode module: the sizing module (a path, like a custom policy's) and its parameters. */
  module: z.string().min(1).optional(),
  params: z.record(z.string(), z.unknown()).default({}),
  partialTarget: z.enum(['maintenance', 'initial']).default(X.liquidation.partialTarget),
  fraction: finite().gt(0).max(1).default(X.liquidation.fraction),
  cooldownTicks: ticks().default(X.liquidation.cooldownTicks),
  fractionMinNotional: nonNegative().default(X.liquidation.fractionMinNotional),
  backstopRatio: fraction().default(X.liquidation.backstopRatio),
  feeRate: fraction().default(X.liquidation.feeRate),
  surplus: z.enum(['trader', 'insurance-fund']).default(X.liquidation.surplus),
  roundCap: z.number().int().positive().default(X.liquidation.roundCap),
  /** Which positions of a cross or portfolio account close first (default largest-requirement-first; unset keeps one-asset runs as they were). */
  crossOrder: z.enum(['largest-requirement-first', 'pro-rata', 'all']).optional(),
});

const ExchangeSchema = z.strictObject({
  policy: PolicySchema.default(X.policy),
  liquidation: LiquidationSchema.default(LiquidationSchema.parse({})),
  insuranceFund: nonNegative().default(X.insuranceFund),
  deficit: z.enum(['adl', 'socialized', 'none']).default(X.deficit),
  fees: z.strictObject({ taker: finite().min(-0.01).max(0.1).default(X.fees.taker), maker: finite().min(-0.01).max(0.1).default(X.fees.maker) }).default(X.fees),
  backstopCollateral: positive().default(X.backstopCollateral),
});

const BehavioursSchema = z.strictObject({
  topUp: z.strictObject({ threshold: positive(), probability: fraction(), amount: positive() }).optional(),
  stopLoss: positive().optional(),
  takeProfit: positive().optional(),
  deleverage: z.strictObject({ buffer: fraction().default(0.1) }).optional(),
  reentry: z.strictObject({ cooldownTicks: ticks(), probability: fraction() }).optional(),
});

const A = DEFAULTS.agent;
export const AgentSchema = z.strictObject({
  name: KeyNameSchema,
  count: z.number().int().positive(),
  /** A built-in strategy name, or a path (relative to the scenario file) to a .ts/.js module. */
  strategy: z.string().min(1),
  collateral: DistSchema,
  leverage: DistSchema.default(A.leverage),
  reserve: DistSchema.default(A.reserve),
  longBias: fraction().default(A.longBias),
  activity: fraction().default(A.activity),
  startOpen: fraction().default(A.startOpen),
  params: z.record(z.string(), DistSchema).default({}),
  behaviours: BehavioursSchema.default({}),
  /** The asset whose market a single-market strategy trades (needs `assets:`; default the first). */
  asset: z.string().optional(),
  /** Default: the compared arm's marginMode, else margin.mode. */
  marginMode: MarginModeSchema.optional(),
  /** The venue the population trades on (needs `venues:`; default the first). */
  venue: KeyNameSchema.optional(),
  /** Hold `share` of the initial collateral as units of a token its venue accepts (cross or portfolio accounts). */
  tokenCollateral: z.strictObject({ token: KeyNameSchema, share: fraction() }).optional(),
  /**
   * The reserve lives in the world's wallets and reaches the venue through a transfer of
   * `transferTicks`; `wallet` names an earlier population (same count) whose wallets agent k shares.
   */
  sharedReserve: z.strictObject({ transferTicks: z.number().int().nonnegative(), wallet: z.string().optional() }).optional(),
  /** With strategy `cross-venue-arb`: the other venue and the arbitrage rule (agents/cross-venue-arb.ts). */
  arbitrage: z.strictObject({
    counterVenue: KeyNameSchema,
    /** Smallest |ln(price_b / price_a)| they act on. */
    threshold: positive(),
    /** They act on the gap seen this many ticks ago. */
    latencyTicks: z.number().int().nonnegative().default(1),
    /** Largest share of their capacity added in one tick. */
    maxStep: finite().gt(0).max(1).default(0.5),
  }).optional(),
});

/** A local move of one venue's market price alone (a mark shock: the index does not move), or a local flow through its book (its impact spills into the index). */
const LocalShockSchema = z.strictObject({
  tick: z.number().int().nonnegative(),
  /** Simple return of that market's price (> −1): a local mark move. Exactly one of `return` and `flow`. */
  return: finite().gt(-1).optional(),
  /** Signed quote flow pushed through that market's book (− = selling), spread over `overTicks`: its impact moves the price and spills into the index by the venue's share of price discovery. */
  flow: finite().optional(),
  overTicks: z.number().int().positive().default(1),
  /** The asset whose market on this venue moves (default every market of the venue). */
  asset: KeyNameSchema.optional(),
  /** `perp` (default), `spot`, or `both` of the venue's markets of that asset. */
  market: z.enum(['perp', 'spot', 'both']).default('perp'),
});

/** One perpetual market of a venue (unset keys: the asset's, then market:'s). */
const VenueMarketSchema = z.strictObject({
  asset: KeyNameSchema,
  liquidity: z.strictObject(liquidityFields).partial().optional(),
  funding: z.strictObject(fundingFields).partial().optional(),
  markPrice: z.enum(['last', 'index-anchored']).optional(),
  /** Default: the venue's policy, else the run's (exchange.policy or the compared arm's). */
  policy: z.lazy(() => PolicySchema).optional(),
});

/** One spot market of a venue (asset against quote). */
const SpotSchema = z.strictObject({
  asset: KeyNameSchema,
  /** Each key defaults to market.liquidity's (spillover: the venue's priceDiscovery when set). */
  liquidity: z.strictObject(liquidityFields).partial().optional(),
});

/** One venue of a world of several. */
export const VenueSchema = z.strictObject({
  name: KeyNameSchema,
  /** Share of each of its markets' log impact passed into the asset's index (0 cuts the channel; default: each market's liquidity.spillover). */
  priceDiscovery: fraction().optional(),
  /** Perpetual markets, by asset (default: one per asset). */
  markets: z.array(VenueMarketSchema).min(1).optional(),
  spot: z.array(SpotSchema).default([]),
  /** The venue's default policy for its markets (default: the run's). */
  policy: z.lazy(() => PolicySchema).optional(),
  /** Fees, liquidation, insurance fund and deficit handling (absent: the top-level exchange:; present: its own block, unset keys at their defaults). */
  exchange: z.lazy(() => ExchangeSchema).optional(),
  /** Local moves of this venue's prices. */
  shocks: z.array(LocalShockSchema).default([]),
  /** Tokens the venue accepts as collateral of cross and portfolio accounts (each one of its spot markets). */
  collateral: z.array(z.strictObject({
    token: KeyNameSchema,
    /** Fraction of the token's value margin does not count. */
    haircut: fraction().default(0),
    /** `venue`: the venue's own spot price of the token; `index`: the token's index. */
    priceSource: z.enum(['venue', 'index']).default('venue'),
  })).default([]),
});

/** Where a lending protocol's oracle reads: the asset's index, or one venue's spot or perpetual price. */
const OracleSchema = z.strictObject({
  source: z.enum(['index', 'spot', 'perp']).default('index'),
  /** The venue read (needs source spot or perp). */
  venue: KeyNameSchema.optional(),
  /** The oracle reports the source's price this many ticks ago. */
  lagTicks: z.number().int().nonnegative().default(0),
});

/** A lending collateral's liquidation bonus when the scenario gives none (the checks need it to judge LT × (1 + bonus) on raw input). */
export const DEFAULT_LIQUIDATION_BONUS = 0.05;

/** A lending protocol (Aave v3 rules: reference/exchange-margin.md "Lending protocols"). */
export const ProtocolSchema = z.strictObject({
  name: KeyNameSchema,
  type: z.literal('lending').default('lending'),
  collateral: z.array(z.strictObject({
    asset: KeyNameSchema,
    /** Borrowing limit: debt ≤ Σ units × price × ltv. */
    ltv: fraction(),
    /** HF = Σ units × price × liquidationThreshold / debt. */
    liquidationThreshold: fraction(),
    /** The liquidator seizes collateral worth repaid × (1 + bonus). */
    bonus: fraction().default(DEFAULT_LIQUIDATION_BONUS),
    /** This collateral's oracle (default: the protocol's). */
    oracle: OracleSchema.optional(),
  })).min(1),
  oracle: OracleSchema.default(OracleSchema.parse({})),
  closeFactor: finite().gt(0).max(1).default(0.5),
  fullCloseHealth: positive().default(0.95),
  smallPositionValue: nonNegative().default(2000),
  /** Quote supplied by lenders at the start. */
  supply: positive(),
  /** The venue on whose spot market liquidators sell seized collateral. */
  sellVenue: KeyNameSchema,
  /** Looping borrowers: deposit, borrow, buy more on a venue's spot market, deposit again. */
  borrowers: z.strictObject({
    count: z.number().int().positive(),
    /** Units of the first collateral asset each starts with (in its wallet). */
    units: DistSchema,
    /** Target loan-to-value, as a fraction of the collateral's ltv. */
    targetLtv: DistSchema,
    /** The venue whose spot market they buy on (default sellVenue). */
    venue: KeyNameSchema.optional(),
    loopsPerTick: z.number().int().positive().default(3),
    /** Below this health factor a borrower repays toward its target (default: never). */
    deleverageBelowHealth: positive().optional(),
  }).optional(),
  /** Moves of the oracle's reported price (a mis-reporting or manipulated oracle), persistent from their tick. */
  shocks: z.array(z.strictObject({ tick: z.number().int().nonnegative(), return: finite().gt(-1) })).default([]),
});

const OutputFormat = z.enum(['csv', 'parquet']);

const OutputsSchema = z.strictObject({
  /** ticks.csv, book.csv and liqmap.csv (needed by the run report). */
  ticks: z.boolean().default(DEFAULTS.outputs.ticks),
  liquidations: z.boolean().default(DEFAULTS.outputs.liquidations),
  report: z.boolean().default(DEFAULTS.outputs.report),
  /** Tables as CSV, Parquet (typed columns for pandas, polars, DuckDB), or both: `[csv, parquet]`. */
  format: z.union([OutputFormat, z.array(OutputFormat).min(1)]).default(DEFAULTS.outputs.format),
  /** A run of several assets: ticks after a shock whose liquidations the contagion matrix counts (default 60). */
  contagionWindowTicks: z.number().int().positive().optional(),
  /** A run of several venues: measure the contagion matrix (two more runs per venue and protocol: links, and every link cut). */
  contagionMatrix: z.boolean().default(false),
});

const BoundSchema = z.strictObject({ min: finite().optional(), max: finite().optional() });

/** Statistics across seeds an assertion can bound (nearest-rank percentiles; share of seeds where a true/false metric holds). */
export const ASSERT_STATISTICS = ['mean', 'p5', 'p50', 'p95', 'share'] as const;

/**
 * One assertion on a summary metric: a bare `{ min, max }` bounds every run; a statistic bounds the
 * value across seeds; `policy` limits it to one compared policy (default: every policy).
 */
const AssertionSchema = z.strictObject({
  min: finite().optional(), max: finite().optional(),
  ...Object.fromEntries(ASSERT_STATISTICS.map((s) => [s, BoundSchema.optional()])) as Record<(typeof ASSERT_STATISTICS)[number], z.ZodOptional<typeof BoundSchema>>,
  policy: z.string().optional(),
});

const NameSchema = z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only');

/** Policies to compare on common random numbers. */
const CompareSchema = z.strictObject({
  /** `marginMode`: the arm's default margin mode (populations without their own). */
  policies: z.array(z.strictObject({ name: NameSchema, policy: PolicySchema, marginMode: MarginModeSchema.optional(), margin: ArmMarginSchema.optional() })).default([]),
  /** One parameter of one policy over a list of values: runs named `<name>-<value>`. */
  grid: z.strictObject({ name: NameSchema, policy: PolicySchema, param: z.string().min(1), values: z.array(finite()).min(1), marginMode: MarginModeSchema.optional() }).optional(),
  /**
   * Arms that each override scenario fields (`path: value`, paths as in `--set path=value`), run on
   * the same seeds as policy arms are; an empty `set` is the scenario as written. Not beside
   * `policies` or `grid`.
   */
  variants: z.array(z.strictObject({ name: NameSchema, set: z.record(z.string(), z.unknown()).default({}) })).optional(),
  /** The policy the paired differences are taken against (default: the first). */
  baseline: z.string().optional(),
  /** Explicit paired differences (policy − against, seed by seed), taken instead of every policy against the baseline. */
  pairs: z.array(z.strictObject({ policy: NameSchema, against: NameSchema })).optional(),
});

/** Monte Carlo: seeds to run (a count from the scenario's seed on, or an explicit list). */
const RunsSchema = z.strictObject({
  seeds: z.union([z.number().int().positive(), z.array(z.number().int()).min(1)]),
});

/** The numeric summary statistics an optimisation objective can maximise across seeds. */
export const OBJECTIVE_STATISTICS = ['mean', 'p5', 'p50', 'p95'] as const;

/**
 * Policy optimisation: successive halving over a seeded Latin hypercube of the named parameters'
 * ranges (see sim/run/optimize.ts). `candidates` are drawn for round 0 and run on the first `seeds`
 * seeds; each round keeps the better half of the feasible ones and doubles their seeds, while the
 * runs fit in `budget`.
 */
const OptimizeSchema = z.strictObject({
  policy: PolicySchema,
  /** The numeric parameters searched (a module's are its `params`), each over [min, max]. */
  params: z.record(z.string(), z.strictObject({ min: finite(), max: finite() })),
  objective: z.strictObject({ maximize: z.string().min(1), stat: z.enum(OBJECTIVE_STATISTICS).default('mean') }),
  /** Bounds every candidate must meet over its seeds, in the `assert:` syntax (`policy` aside). */
  constraints: z.record(z.string(), z.union([AssertionSchema, z.array(AssertionSchema).min(1)])).default({}),
  /** Candidates of round 0 (the Latin hypercube's size). */
  candidates: z.number().int().min(2).default(16),
  /** Seeds of round 0: the scenario's seed and the next ones. */
  seeds: z.number().int().positive().default(2),
  /** The most runs in all. */
  budget: z.number().int().positive(),
});

/** The whole scenario file. */
export const ScenarioSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only'),
  description: z.string().optional(),
  seed: z.number().int().default(DEFAULTS.seed),
  ticks: z.number().int().positive(),
  tickSeconds: positive().default(DEFAULTS.tickSeconds),
  market: MarketSchema.default(MarketSchema.parse({})),
  /** Several assets, each with its own index process and perpetual market (absent: one, from `market:`). */
  assets: z.array(AssetSchema).min(1).optional(),
  /** Correlation of the assets' exogenous shocks (default: independent). */
  correlation: CorrelationSchema.optional(),
  /** Margin modes and the portfolio-margin model. */
  margin: MarginSchema.optional(),
  exchange: ExchangeSchema.default(ExchangeSchema.parse({})),
  /** Several venues over the assets (needs `assets:`; absent: one venue, from `exchange:`). */
  venues: z.array(VenueSchema).min(1).optional(),
  /** Lending protocols (need `venues:`). */
  protocols: z.array(ProtocolSchema).default([]),
  /** Populations of the impact mode (the walrasian mode's are in market.walrasian). */
  agents: z.array(AgentSchema).default([]),
  outputs: OutputsSchema.default(OutputsSchema.parse({})),
  compare: CompareSchema.optional(),
  runs: RunsSchema.optional(),
  optimize: OptimizeSchema.optional(),
  /** Bounds on summary metrics, checked after the run: `ledger.badDebt: { max: 0 }`, `insuranceFund.min: { p5: { min: 0 } }`; a list for several. */
  assert: z.record(z.string(), z.union([AssertionSchema, z.array(AssertionSchema).min(1)])).optional(),
}).superRefine((c, ctx) => {
  if (c.market.clearing === 'impact' && c.agents.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['agents'], message: 'found no population; allowed: a list of at least 1 item(s) (only market.clearing: walrasian runs without agents)' });
  }
  if (c.market.clearing === 'walrasian') {
    if (c.market.walrasian.burnIn >= c.ticks) ctx.addIssue({ code: 'custom', path: ['market', 'walrasian', 'burnIn'], message: `found ${c.market.walrasian.burnIn}; allowed: fewer than ticks (${c.ticks})` });
    // The clearing mode has no order book: only policies that set a leverage cap apply.
    const entries: [(string | number)[], PolicyConfig][] = [[['exchange', 'policy'], c.exchange.policy], ...(c.compare?.policies ?? []).map((p, k): [(string | number)[], PolicyConfig] => [['compare', 'policies', k, 'policy'], p.policy])];
    if (c.compare?.grid) entries.push([['compare', 'grid', 'policy'], c.compare.grid.policy]);
    for (const [path, p] of entries) {
      if (!('type' in p) || (p.type !== 'fixed' && p.type !== 'basel-ii')) {
        const found = 'type' in p ? `type ${p.type}` : 'preset' in p ? `preset ${p.preset}` : `module ${p.module}`;
        ctx.addIssue({ code: 'custom', path, message: `found ${found}; allowed under market.clearing: walrasian: a policy of type fixed or basel-ii` });
      }
    }
  }
});

/** A validated scenario with every default filled in. */
export type ScenarioConfig = z.output<typeof ScenarioSchema>;
/** One population entry of a scenario. */
export type AgentConfig = ScenarioConfig['agents'][number];
/** One protocol entry of a scenario. */
export type ProtocolConfig = ScenarioConfig['protocols'][number];
/** One venue entry of a scenario. */
export type VenueConfig = NonNullable<ScenarioConfig['venues']>[number];
/** One asset entry of a scenario. */
export type AssetConfig = NonNullable<ScenarioConfig['assets']>[number];
/** The `margin:` block of a scenario. */
export type MarginConfig = z.output<typeof MarginSchema>;
/** A compared arm's `margin:` entries. */
export type ArmMargin = z.output<typeof ArmMarginSchema>;
/** One scan range as written (a bare fraction, or the vol form). */
export type ScanRangeConfig = z.output<typeof ScanRangeSchema>;
/** A policy entry of a scenario. */
export type PolicyConfig = z.output<typeof PolicySchema>;
/** One assertion of a scenario's `assert:` block. */
export type AssertionConfig = z.output<typeof AssertionSchema>;
/** The `optimize:` block of a scenario. */
export type OptimizeConfig = z.output<typeof OptimizeSchema>;
/** A static base schedule of a dynamic policy. */
export type BaseConfig = z.output<typeof BaseSchema>;

/** The JSON Schema editors use to complete and check scenario files (`levsim schema`). */
export function scenarioJsonSchema(): object {
  return {
    ...z.toJSONSchema(ScenarioSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'levsim scenario',
    description: 'A levsim scenario file. See the README, section "Scenario files".',
  };
}
