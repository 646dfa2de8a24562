/**
 * The run summary (`summary.json`): every field, its definition, and how it is computed from the
 * tick columns, the cascade records and the liquidated-account flags.
 */
import type { CascadeRecord } from '../engine/events';
import type { PopulationOutcome } from './populations';
import { MIN_EXOGENOUS_MOVE, amplification, type CascadeEpisode } from './episodes';
import type { TickColumns } from './tick-columns';
import type { MultiAssetSections } from '../run/multi-summary';
import type { VenueSections } from './systemic';
import { MARGIN_MODES } from '../world/types';

/** summary.json; a run of several assets adds its per-market, per-mode and contagion sections (sim/run/multi-summary.ts). */
export interface RunSummary extends Partial<MultiAssetSections>, Partial<VenueSections> {
  scenario: string;
  policy: string;
  seed: number;
  ticks: number;
  agents: number;
  ledger: { deposits: number; withdrawals: number; equity: number; houseEquity: number; insuranceFund: number; feeRevenue: number; badDebt: number; hasBadDebt: boolean; residual: number; maxRelativeResidual: number };
  house: { pnl: number };
  liquidations: { count: number; notional: number; longNotional: number; shortNotional: number };
  cascades: { count: number; maxRounds: number; largestNotional: number; episodes: number; roundCapHits: number };
  price: { start: number; end: number; min: number; maxDrawdown: number; exogenousMaxDrawdown: number };
  amplification: number | null;
  insuranceFund: { start: number; min: number; end: number; exhausted: boolean };
  adl: { count: number; notional: number };
  traders: { total: number; liquidated: number; liquidatedShare: number; bankrupt: number };
  efficiency: { avgOpenInterest: number; avgLeverage: number; openInterestPerCollateral: number };
  leverage: { p50: number; p90: number; p99: number };
  populations: Record<string, PopulationOutcome>;
  warnings: string[];
}

/** Definition of every summary field, by dotted path (README and the HTML report show these). */
export const SUMMARY_DEFINITIONS: Readonly<Record<string, string>> = {
  scenario: 'scenario name',
  policy: 'name of the leverage policy the run used',
  seed: 'random seed of the run',
  ticks: 'number of ticks run',
  agents: 'number of trader accounts (the backstop excluded)',
  'ledger.deposits': 'all money put in: initial collateral, top-ups, re-entries, the insurance fund seed and the house (backstop) collateral (quote)',
  'ledger.withdrawals': 'money taken out by agents who left (quote)',
  'ledger.equity': 'Σ trader account equity at the final mark, the house excluded (quote)',
  'ledger.houseEquity': 'equity of the house (backstop) account at the final mark: it takes the other side of net flow and of liquidations (quote)',
  'ledger.insuranceFund': 'insurance fund at the end (quote)',
  'ledger.feeRevenue': 'trading fees collected by the exchange (quote)',
  'ledger.badDebt': 'negative equity that nothing covered, cumulative (quote)',
  'ledger.hasBadDebt': 'true when badDebt exceeds 1e-9 of what the traders deposited (deposits without the house collateral and the insurance fund seed): bad debt beyond rounding dust',
  'ledger.residual': 'equity + houseEquity + insuranceFund + feeRevenue − badDebt − (deposits − withdrawals) at the end (quote; ≈ 0)',
  'ledger.maxRelativeResidual': 'largest |residual| / (deposits − the house collateral) over all ticks: relative to what traders and the insurance fund put in',
  'house.pnl': 'the house\'s equity change over the run (quote): what the backstop won (+) or lost (−) taking the other side',
  'liquidations.count': 'liquidation events (an account liquidated in a round counts once per round)',
  'liquidations.notional': 'notional closed by liquidations, longs plus shorts (quote)',
  'liquidations.longNotional': 'notional of long positions liquidated (quote)',
  'liquidations.shortNotional': 'notional of short positions liquidated (quote)',
  'cascades.count': 'ticks with at least one liquidation',
  'cascades.maxRounds': 'most liquidation rounds within one tick',
  'cascades.largestNotional': 'largest notional liquidated within one tick (quote)',
  'cascades.episodes': 'runs of consecutive cascade ticks',
  'cascades.roundCapHits': 'ticks whose cascade stopped at the round cap',
  'price.start': 'mark at the end of tick 0 (quote)',
  'price.end': 'final mark (quote)',
  'price.min': 'lowest end-of-tick mark (quote)',
  'price.maxDrawdown': 'largest peak-to-trough fall of the mark, as a fraction',
  'price.exogenousMaxDrawdown': 'the same for the exogenous path alone (process + shocks, no impact), as a fraction',
  amplification: `ln(1 − maxDrawdown) / ln(1 − exogenousMaxDrawdown): how much the market amplified the exogenous move (null when the exogenous drawdown is below ${MIN_EXOGENOUS_MOVE * 100}%)`,
  'insuranceFund.start': 'insurance fund seed (quote)',
  'insuranceFund.min': 'lowest end-of-tick insurance fund (quote)',
  'insuranceFund.end': 'final insurance fund (quote)',
  'insuranceFund.exhausted': 'true when the fund fell to ≤ 1e-9 of its seed at the end of some tick (an empty seed counts as exhausted)',
  'adl.count': 'positions auto-deleveraged',
  'adl.notional': 'notional auto-deleveraged (quote)',
  'traders.total': 'trader accounts',
  'traders.liquidated': 'trader accounts liquidated at least once',
  'traders.liquidatedShare': 'traders.liquidated / traders.total',
  'traders.bankrupt': 'liquidation closes that left a trader account bankrupt (negative equity once flat)',
  'efficiency.avgOpenInterest': 'time-average open interest (quote notional, one side)',
  'efficiency.avgLeverage': 'time-average of the mean effective leverage (notional / equity) of open isolated positions, over the ticks that had any (null when none had; in a run of several assets or venues, see each market\'s)',
  'efficiency.openInterestPerCollateral': 'avgOpenInterest / time-average Σ trader equity: open interest carried per unit of collateral',
  'leverage.p50': 'median effective leverage (notional / equity) of open positions with positive equity, per book snapshot, averaged over the run\'s snapshots (to ±1.2%, the histogram\'s bins); null in a run of several assets or venues, whose markets each have their own',
  'leverage.p90': 'the same for the 90th percentile',
  'leverage.p99': 'the same for the 99th percentile',
  'populations.<name>.accounts': 'accounts of the population',
  'populations.<name>.liquidatedAccounts': 'its accounts liquidated at least once',
  'populations.<name>.liquidations': 'its liquidation closes (an account liquidated in a round counts once per round)',
  'populations.<name>.liquidatedNotional': 'notional of its positions closed by liquidations, at the fill price (quote)',
  'populations.<name>.bankrupt': 'its liquidation closes that left the account bankrupt',
  'populations.<name>.pnl': 'Σ (final equity + withdrawals − deposits) over its accounts (quote)',
  'populations.<name>.adlLoss': 'what auto-deleveraging cost its accounts: Σ |closed| × |round fill price − bankruptcy price| (quote)',
  'populations.<name>.socializedLoss': 'unrealized profit taken from its accounts by socialised loss (quote)',
  warnings: 'settings that cannot do what they say, and states of the run that made a setting moot (also printed to stderr once each)',
  // A run of several assets (sim/run/multi-summary.ts): the fields above are the world's (price fields null).
  assets: 'a run of several assets: the asset symbols, in market order',
  'markets.<asset>.price.maxDrawdown': 'largest peak-to-trough fall of the market\'s mark, as a fraction (`price.start`, `end`, `min` and `exogenousMaxDrawdown` likewise)',
  'markets.<asset>.amplification': 'the market\'s amplification, as `amplification` over its own prices',
  'markets.<asset>.liquidations.notional': 'notional closed by liquidations in the market (quote; `count`, `longNotional`, `shortNotional` likewise)',
  'markets.<asset>.cascades.largestNotional': 'largest notional liquidated in the market within one tick (quote; `count`, `maxRounds`, `episodes`, `roundCapHits` likewise)',
  'markets.<asset>.adl.notional': 'notional auto-deleveraged in the market (quote; `count` likewise)',
  'markets.<asset>.efficiency.avgOpenInterest': 'time-average open interest of the market (quote; `avgLeverage` of its isolated positions likewise, null when it had none; `openInterestPerCollateral` is null: collateral is the venue\'s)',
  'markets.<asset>.leverage.p50': 'median effective leverage of the market\'s isolated positions, averaged over its book snapshots (`p90`, `p99` likewise)',
  'markets.<asset>.traders.liquidated': 'accounts liquidated at least once in the market',
  'markets.<asset>.managedBadDebt': 'bad debt of cross and portfolio accounts attributed to the market, pro rata to the loss its closes realized (quote)',
  'modes.<mode>.accounts': 'accounts of the populations in margin mode `<mode>` (isolated, cross, portfolio; 0 when none)',
  'modes.<mode>.liquidations': 'their liquidation closes, over every market (an account liquidated in a round counts once per round and market)',
  'modes.<mode>.liquidatedNotional': 'notional of their positions closed by liquidations (quote)',
  'modes.<mode>.bankrupt': 'their liquidation closes that left an account bankrupt',
  'modes.<mode>.pnl': 'Σ (final equity + withdrawals − deposits) over their accounts (quote)',
  'modes.<mode>.usage.usageP50': 'median margin usage (maintenance requirement / equity) of their accounts with positions, averaged over the samples of usage.csv (`usageP90`, `usageP99`, `accounts`, `equity`, `requirement` likewise; null when the mode has no accounts)',
  'contagion.matrix.<asset>.<asset>': 'notional liquidated in the second market within `contagion.windowTicks` ticks of a shock to the first (quote)',
  'contagion.byMode.<mode>.<asset>.<asset>': 'the same, liquidations of accounts in margin mode `<mode>` only (quote)',
  'nodes.<node>.liquidatedNotional': 'a run of several venues: notional liquidated on venue `<node>` over the run, or collateral value a protocol\'s liquidators seized at its oracle prices (quote)',
  'nodes.<node>.cascadeTicks': 'ticks with a liquidation on the node',
  'nodes.<node>.insuranceFund.drawdown': 'the venue\'s insurance fund seed minus its lowest end-of-tick value (quote; `start`, `min`, `end` likewise; a protocol has none: 0)',
  'nodes.<node>.adlNotional': 'notional auto-deleveraged on the venue (quote)',
  'nodes.<node>.badDebt': 'bad debt written off on the node by the end (quote)',
  'nodes.<node>.firstLiquidationTick': 'first tick with a liquidation on the node (null: none)',
  'nodes.<node>.firstLiquidationAfterShock': 'ticks from the scenario\'s first local shock to the node\'s first liquidation at or after it (null: no local shock, or none after it)',
  'systemic.insolventCount': 'venues whose insurance fund was exhausted or that wrote off bad debt, and protocols with bad debt, beyond 1e-9 of their deposits (`systemic.insolvent` names them)',
  'systemic.totalBadDebt': 'bad debt over every venue and protocol (quote)',
  'systemic.largestCrossVenueCascade': 'most notional liquidated in one world cascade episode (consecutive ticks with a liquidation anywhere) that touched two nodes or more (quote)',
  'systemic.lossOutsideShare': 'liquidated notional outside the node the first local shock hit, over all liquidated notional (null without a local shock or liquidations)',
  unitsMaxRelativeResidual: 'a run of several venues: largest |units held − units that entered| of any asset over the ticks (wallets, spot providers, venue tokens, lending pools), relative to the units that entered (≈ 0)',
  'protocols.<protocol>.liquidations': 'liquidations by the protocol\'s liquidators (a loan liquidated in a round counts once per round)',
  'protocols.<protocol>.repaid': 'debt the liquidators repaid (quote)',
  'protocols.<protocol>.seizedValue': 'collateral they seized, at the oracle prices of its round (quote)',
  'protocols.<protocol>.proceeds': 'what they got selling it on the sell venue\'s spot market (quote)',
  'protocols.<protocol>.badDebt': 'debt written off: loans whose collateral ran out (quote)',
  'protocols.<protocol>.debtEnd': 'debt outstanding at the end (quote; `cashEnd`: the pool\'s cash)',
  'protocols.<protocol>.maxRelativeResidual': 'largest |cash + Σ debt + bad debt − supplied| / supplied over the ticks (≈ 0)',
};

/**
 * Every concrete summary path of `paths` for a run with populations `names` and assets `assets`
 * (and, in a run of several venues, venues and protocols `nodes`, protocols `protocols`): `<name>`,
 * `<asset>`, `<mode>`, `<node>` and `<protocol>` stand for each of them.
 */
export function concreteSummaryPaths(paths: readonly string[], names: readonly string[], assets: readonly string[], nodes: readonly string[] = [], protocols: readonly string[] = []): string[] {
  const expand = (p: string, key: string, values: readonly string[]): string[] => (p.includes(key) ? values.flatMap((v) => expand(p.replace(key, v), key, values)) : [p]);
  return paths.flatMap((p) => expand(p, '<name>', names)).flatMap((p) => expand(p, '<asset>', assets)).flatMap((p) => expand(p, '<mode>', MARGIN_MODES))
    .flatMap((p) => expand(p, '<node>', nodes)).flatMap((p) => expand(p, '<protocol>', protocols));
}

/** Every dotted path of a summary field (for `assert:` validation); `<name>` stands for a population's name. */
export const SUMMARY_PATHS = Object.keys(SUMMARY_DEFINITIONS);

/** The true/false summary fields (bounded by `share` across seeds; never an objective). */
export const BOOLEAN_SUMMARY_PATHS: readonly string[] = ['ledger.hasBadDebt', 'insuranceFund.exhausted'];

/**
 * max(0, xs…) by Math.max, so a NaN anywhere makes it NaN (a residual that is not a number shows).
 * Why the loops over a run's columns are functions of their own, here and in minOf and
 * maxDrawdown: a loop inside computeSummary, which runs once per run, would make the whole
 * function hot enough for V8's optimizing compiler (~0.15 s of compiler-thread CPU a compile).
 */
function maxOf(xs: Float64Array): number {
  let m = 0;
  for (let k = 0; k < xs.length; k++) m = Math.max(m, xs[k]!);
  return m;
}

/** Smallest value of a column (a loop: spreading a long run's column would overflow the stack). */
function minOf(xs: Float64Array): number {
  let m = Infinity;
  for (let k = 0; k < xs.length; k++) if (xs[k]! < m) m = xs[k]!;
  return m;
}

/** Largest peak-to-trough fall of a positive series, as a fraction. */
export function maxDrawdown(xs: ArrayLike<number>): number {
  let peak = -Infinity, dd = 0;
  for (let k = 0; k < xs.length; k++) {
    const x = xs[k]!;
    if (x > peak) peak = x;
    else dd = Math.max(dd, 1 - x / peak);
  }
  return dd;
}

/**
 * Time-average of a tick's mean leverage over the ticks that had isolated positions (> 0): a tick
 * without any has no mean leverage, which ticks.csv writes as 0; NaN (null) when no tick had one.
 */
function meanWhereHeld(xs: ArrayLike<number>): number {
  let s = 0, n = 0;
  for (let t = 0; t < xs.length; t++) if (xs[t]! > 0) { s += xs[t]!; n++; }
  return n > 0 ? s / n : NaN;
}

/**
 * The leverage percentiles of a world of several markets: none (null in summary.json), as for its
 * efficiency.avgLeverage; each market's are in its own section.
 */
export function noLeverage(): { p50: number; p90: number; p99: number } {
  return { p50: NaN, p90: NaN, p99: NaN };
}

/** Inputs of {@link computeSummary}. */
export interface SummaryInputs {
  scenario: string;
  policy: string;
  seed: number;
  agents: number;
  cols: TickColumns;
  cascades: readonly CascadeRecord[];
  episodes: readonly CascadeEpisode[];
  liquidatedAccounts: number;
  liquidationEvents: number;
  insuranceFundStart: number;
  /** Exogenous index path (start price × exp(cumulative exogenous log-return)) at each tick's end; empty: none (price.exogenousMaxDrawdown null). */
  exogenousPath: Float64Array;
  /** Leverage percentiles averaged over the book snapshots. */
  leverage: { p50: number; p90: number; p99: number };
  populations: Record<string, PopulationOutcome>;
  /** Liquidation closes that left an account bankrupt. */
  bankrupt: number;
  warnings: string[];
}

/** Computes summary.json from a finished run's columns and records. */
export function computeSummary(x: SummaryInputs): RunSummary {
  const c = x.cols;
  const n = c.length;
  const last = n - 1;
  const col = (f: Parameters<TickColumns['get']>[0]) => c.get(f);
  const sum = (a: Float64Array) => a.reduce((s, v) => s + v, 0);
  const mark = col('mark');
  const dd = maxDrawdown(mark);
  // No exogenous path (a world of several markets, whose price fields are each market's): no drawdown, rather than 0.
  const exoDd = x.exogenousPath.length > 0 ? maxDrawdown(x.exogenousPath) : NaN;
  const res = col('residual'), dep = col('deposits');
  const maxRel = maxOf(col('relativeResidual'));
  const longN = sum(col('liqLongNotional')), shortN = sum(col('liqShortNotional'));
  const oiN = col('openInterestNotional');
  const avgOi = sum(oiN) / n;
  const avgEq = sum(col('equity')) / n;
  const houseCollateral = col('houseEquity')[last]! - col('housePnl')[last]!;
  const traderDeposits = dep[last]! - houseCollateral - x.insuranceFundStart;
  return {
    scenario: x.scenario,
    policy: x.policy,
    seed: x.seed,
    ticks: n,
    agents: x.agents,
    ledger: {
      deposits: dep[last]!, withdrawals: col('withdrawals')[last]!, equity: col('equity')[last]!,
      houseEquity: col('houseEquity')[last]!, insuranceFund: col('insuranceFund')[last]!, feeRevenue: col('feeRevenue')[last]!, badDebt: col('badDebt')[last]!,
      hasBadDebt: col('badDebt')[last]! > 1e-9 * traderDeposits, residual: res[last]!, maxRelativeResidual: maxRel,
    },
    house: { pnl: col('housePnl')[last]! },
    liquidations: { count: x.liquidationEvents, notional: longN + shortN, longNotional: longN, shortNotional: shortN },
    cascades: {
      count: x.cascades.length,
      maxRounds: x.cascades.reduce((m, r) => Math.max(m, r.rounds), 0),
      largestNotional: x.cascades.reduce((m, r) => Math.max(m, r.longNotional + r.shortNotional), 0),
      episodes: x.episodes.length,
      roundCapHits: x.cascades.filter((r) => r.roundCapHit).length,
    },
    price: { start: mark[0]!, end: mark[last]!, min: minOf(mark), maxDrawdown: dd, exogenousMaxDrawdown: exoDd },
    // The bar is on the drawdown as a fraction, as defined (its log move passes 0.5% from a 0.499%
    // drawdown), so amplification() is given no bar of its own on the log move.
    amplification: dd > 0 && exoDd >= MIN_EXOGENOUS_MOVE && exoDd < 1 && dd < 1 ? amplification(Math.log(1 - dd), Math.log(1 - exoDd), 0) : null,
    insuranceFund: {
      start: x.insuranceFundStart, min: minOf(col('insuranceFund')), end: col('insuranceFund')[last]!,
      exhausted: minOf(col('insuranceFund')) <= 1e-9 * x.insuranceFundStart,
    },
    adl: { count: sum(col('adlCount')), notional: sum(col('adlNotional')) },
    traders: { total: x.agents, liquidated: x.liquidatedAccounts, liquidatedShare: x.agents > 0 ? x.liquidatedAccounts / x.agents : 0, bankrupt: x.bankrupt },
    efficiency: { avgOpenInterest: avgOi, avgLeverage: meanWhereHeld(col('avgLeverage')), openInterestPerCollateral: avgEq > 0 ? avgOi / avgEq : 0 },
    leverage: x.leverage,
    populations: x.populations,
    warnings: x.warnings,
  };
}

/** Reads a dotted path of a summary (`ledger.badDebt`). */
export function summaryValue(s: object, path: string): number | boolean | null | undefined {
  let v: unknown = s;
  for (const p of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
  return typeof v === 'number' || typeof v === 'boolean' || v === null ? v : undefined;
}
