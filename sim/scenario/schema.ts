/**
 * The scenario file schema (zod 4). Types, validation and the editors' JSON Schema all come from
 * here. Every object is strict: unknown keys are errors. Units: prices and money in quote, sizes in
 * base units, rates as fractions, time in ticks.
 */
import { z } from 'zod';
import { DEFAULTS } from './defaults';

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

export const ProcessSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('gbm'), mu: finite().default(0), sigma: nonNegative() }),
  z.strictObject({ type: z.literal('merton'), mu: finite().default(0), sigma: nonNegative(), lambda: nonNegative(), jumpMean: finite(), jumpStd: nonNegative() }),
  z.strictObject({ type: z.literal('garch'), omega: positive(), alpha: nonNegative(), beta: nonNegative() }),
  z.strictObject({ type: z.literal('replay'), file: z.string().min(1) }),
]);

export const ShockSchema = z.strictObject({
  tick: ticks(),
  /** Simple return, e.g. -0.12. */
  return: finite().gt(-1),
  overTicks: z.number().int().positive().default(1),
});

const L = DEFAULTS.market.liquidity;
const LiquiditySchema = z.strictObject({
  depth: positive().default(L.depth),
  impact: z.enum(['linear', 'sqrt']).default(L.impact),
  elasticity: nonNegative().default(L.elasticity),
  referenceVol: positive().default(L.referenceVol),
  minDepthFraction: fraction().default(L.minDepthFraction),
  maxImpact: positive().default(L.maxImpact),
  spillover: fraction().default(L.spillover),
  premiumHalfLife: nonNegative().default(L.premiumHalfLife),
  volHalfLife: positive().default(L.volHalfLife),
});

const F = DEFAULTS.market.funding;
const FundingSchema = z.strictObject({
  intervalTicks: ticks().default(F.intervalTicks),
  interest: finite().default(F.interest),
  band: nonNegative().default(F.band),
  cap: nonNegative().default(F.cap),
});

const M = DEFAULTS.market;
const MarketSchema = z.strictObject({
  startPrice: positive().default(M.startPrice),
  warmupTicks: ticks().default(M.warmupTicks),
  process: ProcessSchema.default(M.process),
  shocks: z.array(ShockSchema).default([]),
  liquidity: LiquiditySchema.default(LiquiditySchema.parse({})),
  funding: FundingSchema.default(FundingSchema.parse({})),
});

const TierSchema = z.strictObject({ floor: nonNegative(), cap: positive(), maxLeverage: positive(), mmr: finite().gt(0).lt(1), cum: nonNegative().optional() });

const tighten = { onTighten: z.enum(['grandfather', 'reduce-only', 'enforce']).optional(), graceTicks: ticks().optional() };

/** A leverage policy: a preset by name, or a type with its parameters. */
export const PolicySchema = z.union([
  z.strictObject({ preset: z.string().min(1), ...tighten }),
  z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('fixed'), maxLeverage: positive(), mmr: finite().gt(0).lt(1), ...tighten }),
    z.strictObject({ type: z.literal('tiered'), tiers: z.array(TierSchema).min(1), ...tighten }),
  ]),
]);

const X = DEFAULTS.exchange;
const LiquidationSchema = z.strictObject({
  mode: z.enum(['full', 'partial', 'fraction']).default(X.liquidation.mode),
  partialTarget: z.enum(['maintenance', 'initial']).default(X.liquidation.partialTarget),
  fraction: finite().gt(0).max(1).default(X.liquidation.fraction),
  cooldownTicks: ticks().default(X.liquidation.cooldownTicks),
  fractionMinNotional: nonNegative().default(X.liquidation.fractionMinNotional),
  backstopRatio: fraction().default(X.liquidation.backstopRatio),
  feeRate: fraction().default(X.liquidation.feeRate),
  roundCap: z.number().int().positive().default(X.liquidation.roundCap),
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
  name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only'),
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
});

const OutputsSchema = z.strictObject({
  liquidations: z.boolean().default(DEFAULTS.outputs.liquidations),
  report: z.boolean().default(DEFAULTS.outputs.report),
});

const BoundSchema = z.strictObject({ min: finite().optional(), max: finite().optional() });

/** The whole scenario file. */
export const ScenarioSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only'),
  description: z.string().optional(),
  seed: z.number().int().default(DEFAULTS.seed),
  ticks: z.number().int().positive(),
  tickSeconds: positive().default(DEFAULTS.tickSeconds),
  market: MarketSchema.default(MarketSchema.parse({})),
  exchange: ExchangeSchema.default(ExchangeSchema.parse({})),
  agents: z.array(AgentSchema).min(1),
  outputs: OutputsSchema.default(OutputsSchema.parse({})),
  /** Bounds on summary metrics, checked after the run: `ledger.badDebt: { max: 0 }`. */
  assert: z.record(z.string(), BoundSchema).optional(),
});

/** A validated scenario with every default filled in. */
export type ScenarioConfig = z.output<typeof ScenarioSchema>;
/** One population entry of a scenario. */
export type AgentConfig = ScenarioConfig['agents'][number];
/** A policy entry of a scenario. */
export type PolicyConfig = z.output<typeof PolicySchema>;

/** The JSON Schema editors use to complete and check scenario files (`levsim schema`). */
export function scenarioJsonSchema(): object {
  return {
    ...z.toJSONSchema(ScenarioSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'levsim scenario',
    description: 'A levsim scenario file. See the README, section "Scenario files".',
  };
}
