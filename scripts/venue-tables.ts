/**
 * The README's "Several venues and protocols" tables from a finished comparison folder (a run of
 * `levsim run scenarios/<name>.yaml --out DIR`): per arm the mean ± 95% half-interval over seeds of
 * each metric, and each arm's paired difference (seed by seed) against the baseline. Besides the
 * summary fields compare.json has, it derives per run, from nodes.csv and summary.json:
 *   - `exhausted.<node>`: the first tick at or after the shock when the node's insurance fund is
 *     empty (runs where it never empties are left out of the mean; `n` says how many had it);
 *   - `adl.<node>`: likewise the first tick with ADL;
 *   - `first.<node>`: 1 when the node's first liquidation after the shock comes first among the
 *     venues (ties count for each), so its mean is the share of seeds where the node failed first;
 *   - `matrix.liq.<A>.<B>` and `matrix.bad.<A>.<B>`: the contagion matrix's entries;
 *   - `low.mark.<venue>-<asset>`: the lowest mark of that perpetual market (ticks-<venue>-<asset>.csv);
 *   - `low.oracle.<protocol>.<asset>`: the lowest price the protocol's oracle reported
 *     (protocol-<name>.csv). Spot markets write no ticks file, so a spot low is read through a
 *     lag-0 spot oracle;
 *   - `firstAfter.<node>`: ticks from `--after=N` (a scenario whose shock moves the index has no
 *     local shock tick in its summary) to the node's first liquidation at or after it.
 * Usage:
 *   node bin/run-ts.js scripts/venue-tables.ts DIR [--after=N] metric[=label] ...
 * e.g. `nodes.binance.liquidatedNotional=liquidated binance` or `matrix.liq.binance.hyper`.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { estimate, pairedDifference, type Estimate } from '../sim/metrics/stats';
import { summaryValue } from '../sim/metrics/summary';
import type { CompareResult } from '../sim/run/compare';

type Values = Record<string, number | null>;

/** A number in engineering style: 1.23M, 45.6k, 0.012. */
function short(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  const a = Math.abs(x);
  if (a >= 1e9) return `${(x / 1e9).toFixed(2)}B`;
  if (a >= 1e6) return `${(x / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${(x / 1e3).toFixed(0)}k`;
  if (a >= 100) return x.toFixed(0);
  if (a === 0) return '0';
  return x.toPrecision(3);
}

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
    const market = /^ticks-(.+-.+)\.csv$/.exec(f), protocol = /^protocol-(.+)\.csv$/.exec(f);
    if (market) out[`low.mark.${market[1]}`] = columnMin(join(dir, f), 'mark');
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
  e.mean === null ? 'n/a' : `${sign && e.mean >= 0 ? '+' : ''}${short(e.mean)} ± ${short(half(e))}${n !== undefined && e.n < n ? ` (n=${e.n})` : ''}`;

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

if (process.argv[1] === __filename) {
  const [dir, ...rest] = process.argv.slice(2);
  const after = rest.find((a) => a.startsWith('--after='));
  process.stdout.write(venueTable(dir!, rest.filter((a) => a !== after), after ? Number(after.slice(8)) : 0));
}
