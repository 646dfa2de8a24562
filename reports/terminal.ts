/** Terminal tables: the key results of a run, and the assertion pass/fail table. */
import type { RunSummary } from '../sim/metrics/summary';
import type { ClearingSummary } from '../sim/metrics/clearing-summary';
import { assertionLabel, type AssertionResult } from '../sim/run/assertions';
import type { CompareResult } from '../sim/run/compare';
import { dustOf, money as formatMoney } from './format';

const n = (x: number | null | undefined, digits = 2): string =>
  x === null || x === undefined ? 'n/a' : x !== 0 && Math.abs(x) < 1e-3 ? x.toExponential(1) : Math.abs(x) >= 1e4 ? Math.round(x).toLocaleString('en-US') : x.toLocaleString('en-US', { maximumFractionDigits: digits });
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Renders rows of [label, value] as an aligned two-column table. */
export function table(rows: [string, string][], title?: string): string {
  const w = Math.max(...rows.map((r) => r[0].length));
  const v = Math.max(...rows.map((r) => r[1].length));
  const line = '─'.repeat(w + v + 3);
  const body = rows.map(([a, b]) => ` ${a.padEnd(w)}  ${b.padStart(v)}`).join('\n');
  return `${title ? ` ${title}\n` : ''}${line}\n${body}\n${line}`;
}

/** The key results of a run; a run of several assets shows each market's price and liquidations. */
export function summaryTable(s: RunSummary): string {
  const dust = dustOf(s);
  const money = (x: number) => formatMoney(x, dust);
  const prices: [string, string][] = s.nodes ? nodeRows(s, money) : s.markets
    ? Object.entries(s.markets).flatMap(([a, m]): [string, string][] => [
      [`${a}: price start → end (min)`, `${money(m.price.start)} → ${money(m.price.end)} (${money(m.price.min)})`],
      [`${a}: max drawdown, market / exogenous`, `${pct(m.price.maxDrawdown)} / ${pct(m.price.exogenousMaxDrawdown)}`],
      [`${a}: liquidated notional`, money(m.liquidations.notional)],
    ])
    : [
      ['price start → end (min)', `${money(s.price.start)} → ${money(s.price.end)} (${money(s.price.min)})`],
      ['max drawdown: market / exogenous', `${pct(s.price.maxDrawdown)} / ${pct(s.price.exogenousMaxDrawdown)}`],
      ['amplification', n(s.amplification)],
    ];
  return table([
    ['agents', n(s.agents)],
    ...prices,
    ['liquidations (long / short notional)', `${n(s.liquidations.count)} (${money(s.liquidations.longNotional)} / ${money(s.liquidations.shortNotional)})`],
    ['traders liquidated', `${n(s.traders.liquidated)} (${pct(s.traders.liquidatedShare)})`],
    ['cascade ticks / episodes / max rounds', `${s.cascades.count} / ${s.cascades.episodes} / ${s.cascades.maxRounds}`],
    ['largest cascade (notional)', money(s.cascades.largestNotional)],
    ['insurance fund start / min / end', `${money(s.insuranceFund.start)} / ${money(s.insuranceFund.min)} / ${money(s.insuranceFund.end)}`],
    ['auto-deleveraged (positions / notional)', `${n(s.adl.count)} / ${money(s.adl.notional)}`],
    ['bad debt / bankrupt closes', `${money(s.ledger.badDebt)} / ${n(s.traders.bankrupt)}`],
    ['house (backstop) PnL', money(s.house.pnl)],
    s.markets ? ['OI per collateral', n(s.efficiency.openInterestPerCollateral)] : ['avg leverage / OI per collateral', `${n(s.efficiency.avgLeverage)} / ${n(s.efficiency.openInterestPerCollateral)}`],
    ['ledger: max relative residual', s.ledger.maxRelativeResidual.toExponential(1)],
  ], `${s.scenario} (seed ${s.seed}, ${s.ticks} ticks)`);
}

/** A run of several venues: each venue's and protocol's liquidations, fund and bad debt, and the systemic measures. */
function nodeRows(s: RunSummary, money: (x: number) => string): [string, string][] {
  const sys = s.systemic!;
  return [
    ...Object.entries(s.nodes!).flatMap(([name, x]): [string, string][] => [
      [`${name}: liquidated notional (first after shock)`, `${money(x.liquidatedNotional)} (${x.firstLiquidationAfterShock === null ? 'none' : `+${x.firstLiquidationAfterShock} ticks`})`],
      x.kind === 'venue'
        ? [`${name}: fund min / bad debt${x.insolvent ? ' (INSOLVENT)' : ''}`, `${money(x.insuranceFund.min)} / ${money(x.badDebt)}`]
        : [`${name}: bad debt${x.insolvent ? ' (INSOLVENT)' : ''}`, money(x.badDebt)],
    ]),
    ['insolvent venues and protocols', sys.insolvent.length > 0 ? sys.insolvent.join(', ') : 'none'],
    ['largest cross-venue cascade (notional)', money(sys.largestCrossVenueCascade)],
    ['loss outside the shocked venue', sys.lossOutsideShare === null ? 'n/a' : pct(sys.lossOutsideShare)],
  ];
}

/** The key results of a walrasian-mode run. */
export function clearingTable(s: ClearingSummary): string {
  return table([
    ['cap: nominal / mean', `${n(s.leverage.nominalCap)} / ${n(s.leverage.meanCap, 3)}`],
    ['ticks with a fund at its cap', pct(s.leverage.atCapShare)],
    ['price mean (min – max)', `${n(s.price.mean, 4)} (${n(s.price.min, 4)} – ${n(s.price.max, 4)})`],
    ['log returns: sd / excess kurtosis', `${n(s.returns.sd, 4)} / ${n(s.returns.excessKurtosis, 3)}`],
    ['Hill tail exponent of |r|', n(s.returns.hillAlpha, 3)],
    ...Object.entries(s.returns.acfAbs).map(([k, v]): [string, string] => [`ACF of |r|, ${k.replace('lag', 'lag ')}`, n(v, 3)]),
    ['defaults (per 10⁴ ticks)', `${s.defaults.count} (${n(s.defaults.per10kTicks, 3)})`],
    ['bad debt', n(s.ledger.badDebt)],
    ['ledger: max share / cash residual', `${s.ledger.maxShareResidual.toExponential(1)} / ${s.ledger.maxCashResidual.toExponential(1)}`],
  ], `${s.scenario}, walrasian (seed ${s.seed}, ${s.measuredTicks} ticks after ${s.burnIn} of burn-in)`);
}

/** `min 0, max 5`, `min 0`, `max 5`: an assertion's bounds. */
function boundsText(r: { min?: number; max?: number }): string {
  return [r.min !== undefined ? `min ${r.min}` : '', r.max !== undefined ? `max ${r.max}` : ''].filter(Boolean).join(', ');
}

/** The pass/fail table of assertions: label, checked value (the failing seed's for per-run bounds), bounds. */
export function assertionTable(results: AssertionResult[]): string {
  return table(results.map((r) => [
    `${r.pass ? 'PASS' : 'FAIL'}  ${assertionLabel(r)}`,
    `${n(r.value, 6)}${r.statistic === 'each' && r.policy && r.seed !== undefined ? ` (seed ${r.seed})` : ''}  (${boundsText(r)})${r.note ? `  ${r.note}` : ''}`,
  ]), 'assertions');
}

/** Metrics shown in the comparison table, with short headers. */
const COMPARE_COLUMNS: [string, string][] = [
  ['cascades.largestNotional', 'largest cascade'],
  ['liquidations.notional', 'liquidated'],
  ['ledger.badDebt', 'bad debt'],
  ['price.maxDrawdown', 'drawdown'],
  ['amplification', 'amplif.'],
  ['efficiency.avgLeverage', 'avg lev'],
  ['efficiency.openInterestPerCollateral', 'OI/coll'],
];

/** The columns of a comparison of runs of several assets. */
const MULTI_COLUMNS: [string, string][] = [
  ['cascades.largestNotional', 'largest cascade'],
  ['liquidations.notional', 'liquidated'],
  ['ledger.badDebt', 'bad debt'],
  ['insuranceFund.min', 'fund low'],
  ['efficiency.openInterestPerCollateral', 'OI/coll'],
];

/** Comparison columns in quote money. */
const MONEY_COLUMNS = new Set(['cascades.largestNotional', 'liquidations.notional', 'ledger.badDebt', 'insuranceFund.min']);
/** The same for walrasian-mode comparisons (ranked by defaults). */
const CLEARING_COLUMNS: [string, string][] = [
  ['defaults.per10kTicks', 'defaults/1e4'],
  ['returns.excessKurtosis', 'exc. kurt'],
  ['returns.hillAlpha', 'Hill α'],
  ['returns.acfAbs.lag1', 'ACF|r| 1'],
  ['returns.acfAbs.lag10', 'ACF|r| 10'],
  ['leverage.atCapShare', 'at cap'],
  ['leverage.meanCap', 'mean cap'],
];

/**
 * The ranked comparison: policies by mean largest cascade (smallest first), each metric as mean
 * ± 95% CI half-width, and the paired difference of the largest cascade against the baseline. A
 * walrasian comparison shows its own columns in the scenario's order, with the paired difference
 * of defaults per 10⁴ ticks.
 */
export function compareTable(r: CompareResult): string {
  const clearing = r.metrics.includes('defaults.per10kTicks');
  const key = clearing ? 'defaults.per10kTicks' : 'cascades.largestNotional';
  // Runs of several assets have no world price: their columns are the venue's.
  const multi = r.metrics.some((m) => m.startsWith('markets.'));
  const columns = clearing ? CLEARING_COLUMNS.filter(([m]) => r.metrics.includes(m)) : multi ? MULTI_COLUMNS : COMPARE_COLUMNS;
  // A walrasian comparison is a grid over λ_max: kept in the scenario's order, not ranked.
  const ranked = clearing ? r.policies : [...r.policies].sort((a, b) => (a.metrics[key]!.mean ?? Infinity) - (b.metrics[key]!.mean ?? Infinity));
  // Money columns (and the paired difference of the largest cascade) as money, the same as the report.
  const cell = (e: { mean: number | null; ci95: [number, number] | null } | undefined, m: string) => {
    const f = (x: number) => (MONEY_COLUMNS.has(m) ? formatMoney(x) : n(x, 3));
    return !e || e.mean === null ? 'n/a' : `${f(e.mean)}${e.ci95 ? ` ±${f((e.ci95[1] - e.ci95[0]) / 2)}` : ''}`;
  };
  // A scenario's own `pairs` (e.g. basel-ii-5 against fixed-5) name their reference in each cell.
  const ownPairs = r.paired.some((d) => d.against !== r.baseline);
  const header = ['#', 'policy', ...columns.map((c) => c[1]), `Δ ${clearing ? 'defaults' : 'largest'} ${ownPairs ? '(paired)' : `vs ${r.baseline}`}`];
  const rows = ranked.map((p, k) => {
    const d = r.paired.find((x) => x.name === p.name);
    const delta = d ? `${cell(d.metrics[key], key)}${ownPairs ? ` vs ${d.against}` : ''}` : p.name === r.baseline && !ownPairs ? '(baseline)' : '';
    return [String(k + 1), p.name, ...columns.map(([m]) => cell(p.metrics[m], m)), delta];
  });
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((row) => row[j]!.length)));
  const fmt = (row: string[]) => ' ' + row.map((c, j) => (j < 2 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ');
  const line = '─'.repeat(widths.reduce((s, w) => s + w + 2, 1));
  return ` ${r.scenario}: ${r.policies.length} policies × ${r.seeds.length} seeds (mean ±95% CI; Δ paired by seed)\n${line}\n${fmt(header)}\n${line}\n${rows.map(fmt).join('\n')}\n${line}`;
}
