/**
 * runs.parquet: a sweep (comparison, grid, Monte Carlo) as one table with one row per run, for
 * `pd.read_parquet('runs.parquet')`. Columns: every field of summary.json flattened by dotted path
 * (`ledger.badDebt`, `populations.crowd.pnl`), then the run's grid values as `grid.<param>`.
 * Counts are INT64, flags BOOLEAN, names UTF8, the rest DOUBLE; `warnings` (a list of sentences)
 * stays in summary.json.
 */
import { join } from 'path';
import type { RunSummary } from '../sim/metrics/summary';
import { writeParquet, type ParquetColumn, type ParquetType } from './parquet';

/** One run of a sweep: its summary (as computed, or as read back from summary.json) and its grid values. */
export interface SweepRun {
  summary: RunSummary;
  /** Grid parameter → value this run's policy was built with; absent for runs outside the grid. */
  grid?: Readonly<Record<string, number>>;
}

/**
 * Summary paths that count things (runs, accounts, events): INT64 columns. Declared rather than
 * guessed from the values, so a column's type never depends on the sweep (a notional that happens
 * to be 0 in every run stays DOUBLE). `<name>` stands for any population.
 */
export const SUMMARY_COUNT_PATHS: readonly string[] = [
  'seed', 'ticks', 'agents', 'liquidations.count', 'cascades.count', 'cascades.maxRounds', 'cascades.episodes',
  'cascades.roundCapHits', 'adl.count', 'traders.total', 'traders.liquidated', 'traders.bankrupt',
  'populations.<name>.accounts', 'populations.<name>.liquidatedAccounts', 'populations.<name>.liquidations', 'populations.<name>.bankrupt',
];
const COUNTS: ReadonlySet<string> = new Set(SUMMARY_COUNT_PATHS);

type Scalar = number | boolean | string | null;

/** The summary's scalar fields by dotted path, in the summary's order (arrays are left out). */
function flatten(o: object, prefix = '', out = new Map<string, Scalar>()): Map<string, Scalar> {
  for (const [k, v] of Object.entries(o)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (Array.isArray(v)) continue;
    if (v !== null && typeof v === 'object') flatten(v as object, path, out);
    // Non-finite numbers become null, as in summary.json: the table is then the same whether the
    // caller passes summaries from memory or read back from disk.
    else out.set(path, typeof v === 'number' && !Number.isFinite(v) ? null : (v as Scalar));
  }
  return out;
}

/** The declared or observed type of a column. */
function typeOf(path: string, values: readonly Scalar[]): ParquetType {
  if (COUNTS.has(path.replace(/^populations\.[^.]+\./, 'populations.<name>.'))) return 'INT64';
  const kinds = new Set(values.filter((v) => v !== null).map((v) => typeof v));
  if (kinds.size > 1) throw new Error(`runs.parquet: ${path} holds ${[...kinds].join(' and ')} values across runs`);
  return kinds.has('boolean') ? 'BOOLEAN' : kinds.has('string') ? 'STRING' : 'DOUBLE';
}

/**
 * runs.parquet's columns, one row per run in the given order. Columns are the union over runs
 * (first appearance first) and nullable: a population or grid parameter a run lacks is null.
 */
export function runsTable(runs: readonly SweepRun[]): ParquetColumn[] {
  const rows = runs.map((r) => {
    const m = flatten(r.summary);
    for (const [p, v] of Object.entries(r.grid ?? {})) m.set(`grid.${p}`, v);
    return m;
  });
  const paths = [...new Set(rows.flatMap((m) => [...m.keys()]))];
  return paths.map((name) => {
    const data = rows.map((m) => m.get(name) ?? null);
    return { name, type: typeOf(name, data), nullable: true, data };
  });
}

/** Writes `<outDir>/runs.parquet` atomically. */
export function writeRunsParquet(outDir: string, runs: readonly SweepRun[]): void {
  writeParquet(join(outDir, 'runs.parquet'), runsTable(runs));
}

/**
 * The grid values of the run named `policy`: `{ [param]: value }` when it is one of the grid's
 * `<name>-<value>` policies, else undefined. `grid` is the scenario's `compare.grid`.
 */
export function gridValues(grid: { name: string; param: string; values: readonly number[] } | undefined, policy: string): Record<string, number> | undefined {
  const v = grid?.values.find((x) => `${grid.name}-${x}` === policy);
  return v === undefined ? undefined : { [grid!.param]: v };
}
