/**
 * The README's "Several venues and protocols compared" tables from a finished comparison folder (a
 * run of `levsim run scenarios/<name>.yaml --out DIR`): per arm the mean ± 95% half-interval over seeds of
 * each metric, and each arm's paired difference (seed by seed) against the baseline. Besides the
 * summary fields compare.json has, it derives per run, from nodes.csv and summary.json:
 *   - `exhausted.<node>`: the first tick at or after the shock when the node's insurance fund is
 *     empty (runs where it never empties are left out of the mean; `n` says how many had it,
 *     `never` that none did);
 *   - `adl.<node>`: likewise the first tick with ADL;
 *   - `first.<node>`: 1 when the node's first liquidation after the shock comes first among the
 *     venues (ties count for each), so its mean is the share of seeds where the node failed first;
 *   - `matrix.liq.<A>.<B>` and `matrix.bad.<A>.<B>`: the contagion matrix's entries;
 *   - `low.mark.<venue>-<asset>`: the lowest mark of that perpetual market (ticks-<venue>-<asset>.csv);
 *   - `low.oracle.<protocol>.<asset>`: the lowest price the protocol's oracle reported
 *     (protocol-<name>.csv);
 *   - `low.spot.<venue>-<asset>`: the lowest price of that spot market (spot-<venue>-<asset>.csv);
 *   - `firstAfter.<node>`: ticks from `--after=N` (a scenario whose shock moves the index has no
 *     local shock tick in its summary) to the node's first liquidation at or after it.
 * Usage:
 *   node bin/run-ts.js scripts/venue-tables.ts DIR [--after=N] [metric[=label] ...]
 * e.g. `nodes.binance.liquidatedNotional=liquidated binance` or `matrix.liq.binance.hyper`. Without
 * metrics, the README's table of the comparison's scenario ({@link README_TABLES}).
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { estimate, pairedDifference, type Estimate } from '../sim/metrics/stats';
import { summaryValue } from '../sim/metrics/summary';
import type { CompareResult } from '../sim/run/compare';
import { short } from './short-number';

type Values = Record<string, number | null>;

/** The venue tables' style: two decimals of millions, a plain 0. */
const fmt = (x: number | null | undefined): string => short(x, 2, true);

/** The derived values of one run (see the file's comment). */
function derived(dir: string, after: number): Values {
  const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as {
    nodes?: Record<string, { kind: string; firstLiquidationAfterShock: number | null; insuranceFund: { start: number } }>;
    systemic?: { shockTick: number | null };
    contagionMatrix?: { nodes: string[]; liquidated: number[][]; badDebt: number[][] };
  };
  const out: Values = {};
  const shock = s.systemic?.shockTick ?? 0;
  const rows = readFileSync(join(dir, 'nodes.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  for (const [name, node] of Object.entries(s.nodes ?? {})) {
    const mine = rows.filter((r) => r[1] === name && Number(r[0]) >= shock);
    const empty = node.kind === 'venue' ? mine.find((r) => Number(r[4]) <= 1e-9 * node.insuranceFund.start) : undefined;
    const adl = mine.find((r) => Number(r[6]) > 0);
    out[`exhausted.${name}`] = empty ? Number(empty[0]) - shock : null;
    out[`adl.${name}`] = adl ? Number(adl[0]) - shock : null;
  }
  for (const name of Object.keys(s.nodes ?? {})) {
    const hit = rows.find((r) => r[1] === name && Number(r[0]) >= after && Number(r[3]) > 0);
    out[`firstAfter.${name}`] = hit ? Number(hit[0]) - after : null;
  }
  for (const f of readdirSync(dir)) {
    const market = /^ticks-(.+-.+)\.csv$/.exec(f), protocol = /^protocol-(.+)\.csv$/.exec(f), spot = /^spot-(.+-.+)\.csv$/.exec(f);
    if (market) out[`low.mark.${market[1]}`] = columnMin(join(dir, f), 'mark');
    if (spot) out[`low.spot.${spot[1]}`] = columnMin(join(dir, f), 'price');
    if (protocol) {
      const head = readFileSync(join(dir, f), 'utf8').split('\n', 1)[0]!.split(',');
      for (const c of head.filter((h) => h.startsWith('oracle_'))) out[`low.oracle.${protocol[1]}.${c.slice(7)}`] = columnMin(join(dir, f), c);
    }
  }
  const venues = Object.entries(s.nodes ?? {}).filter(([, n]) => n.kind === 'venue');
  const firsts = venues.map(([, n]) => n.firstLiquidationAfterShock).filter((x): x is number => x !== null);
  const earliest = firsts.length > 0 ? Math.min(...firsts) : null;
  for (const [name, n] of venues) out[`first.${name}`] = earliest === null ? null : n.firstLiquidationAfterShock === earliest ? 1 : 0;
  const m = s.contagionMatrix;
  if (m) {
    m.nodes.forEach((a, i) => m.nodes.forEach((b, j) => {
      out[`matrix.liq.${a}.${b}`] = m.liquidated[i]![j]!;
      out[`matrix.bad.${a}.${b}`] = m.badDebt[i]![j]!;
    }));
  }
  return out;
}

/** The smallest value of column `name` of a CSV file (null when it has none). */
function columnMin(file: string, name: string): number | null {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const j = lines[0]!.split(',').indexOf(name);
  if (j < 0) return null;
  let min = Infinity;
  for (const l of lines.slice(1)) { const x = Number(l.split(',')[j]); if (l.split(',')[j] !== '' && Number.isFinite(x)) min = Math.min(min, x); }
  return Number.isFinite(min) ? min : null;
}

/** One metric's value in one run: a derived one, else the summary's field. */
function valueOf(dir: string, metric: string, cache: Map<string, { d: Values; s: object }>, after: number): number | null {
  let c = cache.get(dir);
  if (!c) {
    c = { d: derived(dir, after), s: JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as object };
    cache.set(dir, c);
  }
  if (metric in c.d) return c.d[metric]!;
  const v = summaryValue(c.s as never, metric);
  return typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : null;
}

const half = (e: Estimate) => (e.ci95 ? (e.ci95[1] - e.ci95[0]) / 2 : null);
const cell = (e: Estimate, sign = false, n?: number) =>
  e.n === 0 ? 'never' : e.mean === null ? 'n/a' : `${sign && e.mean >= 0 ? '+' : ''}${fmt(e.mean)} ± ${fmt(half(e))}${n !== undefined && e.n < n ? ` (n=${e.n})` : ''}`;

/** The Markdown table of `metrics` over the arms of the comparison in `dir`. */
export function venueTable(dir: string, metrics: readonly string[], after = 0): string {
  const r = JSON.parse(readFileSync(join(dir, 'compare.json'), 'utf8')) as CompareResult;
  const cache = new Map<string, { d: Values; s: object }>();
  const col = (arm: string, m: string) => r.seeds.map((seed) => valueOf(join(dir, 'runs', arm, String(seed)), m, cache, after));
  const head = `| metric (${r.seeds.length} seeds) | ${r.policies.map((p) => `\`${p.name}\``).join(' | ')} | ${r.paired.map((d) => `${d.name} − ${d.against}`).join(' | ')} |`;
  const rule = `|---|${r.policies.map(() => '---|').join('')}${r.paired.map(() => '---|').join('')}`;
  const rows = metrics.map((spec) => {
    const [m, label] = spec.split('=') as [string, string | undefined];
    const arms = r.policies.map((p) => cell(estimate(col(p.name, m)), false, r.seeds.length));
    const diffs = r.paired.map((d) => cell(pairedDifference(col(d.name, m), col(d.against, m)), true, r.seeds.length));
    return `| ${label ?? m} | ${arms.join(' | ')} | ${diffs.join(' | ')} |`;
  });
  return [head, rule, ...rows].join('\n') + '\n';
}

/** The README's tables: per scenario name, the metrics (with labels) and the tick `--after` counts from. */
export const README_TABLES: Record<string, { after?: number; metrics: string[] }> = {
  'oct-2025-venues': { metrics: [
    'first.binance=binance liquidates first (share)',
    'first.hyper=hyper liquidates first (share)',
    'first.dydx=dydx liquidates first (share)',
    'nodes.binance.firstLiquidationAfterShock=binance first liquidation (ticks after shock)',
    'nodes.hyper.firstLiquidationAfterShock=hyper first liquidation (ticks after shock)',
    'nodes.dydx.firstLiquidationAfterShock=dydx first liquidation (ticks after shock)',
    'nodes.binance.insuranceFund.exhausted=binance fund exhausted (share of seeds)',
    'nodes.hyper.insuranceFund.exhausted=hyper fund exhausted (share of seeds)',
    'nodes.dydx.insuranceFund.exhausted=dydx fund exhausted (share of seeds)',
    'exhausted.binance=binance fund empty (ticks after shock)',
    'exhausted.hyper=hyper fund empty (ticks after shock)',
    'exhausted.dydx=dydx fund empty (ticks after shock)',
    'adl.binance=binance first ADL (ticks after shock)',
    'adl.hyper=hyper first ADL (ticks after shock)',
    'adl.dydx=dydx first ADL (ticks after shock)',
    'nodes.binance.liquidatedNotional=liquidated binance',
    'nodes.hyper.liquidatedNotional=liquidated hyper',
    'nodes.dydx.liquidatedNotional=liquidated dydx',
    'nodes.binance.adlNotional=ADL binance',
    'nodes.hyper.adlNotional=ADL hyper',
    'nodes.dydx.adlNotional=ADL dydx',
    'systemic.totalBadDebt=bad debt (all venues)',
    'systemic.lossOutsideShare=share of liquidations outside binance',
    'matrix.liq.binance.binance=matrix binance → binance',
    'matrix.liq.binance.hyper=matrix binance → hyper',
    'matrix.liq.binance.dydx=matrix binance → dydx',
    'matrix.liq.hyper.binance=matrix hyper → binance',
    'matrix.liq.hyper.dydx=matrix hyper → dydx',
    'matrix.liq.dydx.binance=matrix dydx → binance',
    'matrix.liq.dydx.hyper=matrix dydx → hyper',
  ] },
  'lending-loop': { after: 120, metrics: [
    'protocols.aave.liquidations=protocol liquidations',
    'protocols.aave.seizedValue=seized value',
    'protocols.aave.badDebt=protocol bad debt',
    'firstAfter.aave=protocol first liquidation (ticks after tick 120)',
    'nodes.dex.liquidatedNotional=venue liquidated notional',
    'nodes.dex.badDebt=venue bad debt',
    'nodes.dex.adlNotional=venue ADL',
    'low.oracle.aave.ETH=oracle low',
    'low.mark.dex-ETH=perp mark low',
    "protocols.aave.proceeds=liquidators' sale proceeds",
  ] },
  'policy-contagion': { after: 150, metrics: [
    'nodes.prudent.liquidatedNotional=liquidated prudent',
    'nodes.fixed-a.liquidatedNotional=liquidated fixed-a',
    'nodes.fixed-b.liquidatedNotional=liquidated fixed-b',
    'liquidations.notional=liquidated, all venues',
    'nodes.prudent.adlNotional=ADL prudent',
    'nodes.fixed-a.adlNotional=ADL fixed-a',
    'nodes.fixed-b.adlNotional=ADL fixed-b',
    'nodes.prudent.insuranceFund.drawdown=fund drawdown prudent',
    'nodes.fixed-a.insuranceFund.drawdown=fund drawdown fixed-a',
    'nodes.fixed-b.insuranceFund.drawdown=fund drawdown fixed-b',
    'systemic.totalBadDebt=bad debt, all venues',
    'firstAfter.prudent=prudent first liquidation (ticks after 150)',
    'firstAfter.fixed-a=fixed-a first liquidation (ticks after 150)',
    'low.mark.prudent-BTC=mark low prudent',
    'low.mark.fixed-a-BTC=mark low fixed-a',
  ] },
};

if (process.argv[1] === __filename) {
  const [dir, ...rest] = process.argv.slice(2);
  const after = rest.find((a) => a.startsWith('--after='));
  const metrics = rest.filter((a) => a !== after);
  const preset = README_TABLES[(JSON.parse(readFileSync(join(dir!, 'compare.json'), 'utf8')) as CompareResult).scenario];
  if (metrics.length === 0 && !preset) throw new Error(`no metrics given and no README table for ${dir}`);
  process.stdout.write(venueTable(dir!, metrics.length > 0 ? metrics : preset!.metrics, after ? Number(after.slice(8)) : preset?.after ?? 0));
}
