/**
 * Reads a finished run's data files (reports never touch the engine). Not manifest.json: it holds
 * wall-clock times and is written after the report, and a rebuilt report must be identical.
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { concreteSummaryPaths, SUMMARY_DEFINITIONS, summaryValue, type RunSummary } from '../../sim/metrics/summary';
import type { VenueSections } from '../../sim/metrics/systemic';

/** A CSV file as named numeric columns. */
export type Columns = Record<string, number[]>;

/**
 * A data file that is not what levsim wrote (damaged, cut short or edited by hand), found while
 * reading it for a report: `levsim report` makes it bad input (exit 2) naming the file and line.
 */
export class DataFileError extends Error {
  /** @param line 1-based line of the file, 0 for the file as a whole. */
  constructor(readonly file: string, readonly line: number, message: string) {
    super(message);
    this.name = 'DataFileError';
  }
}

/** The text columns of the CSV files a report reads (a margin mode, a node and its kind); every other cell is a number. */
const TEXT_COLUMNS: ReadonlySet<string> = new Set(['mode', 'node', 'kind']);

/**
 * Parses a numeric CSV with a header row (text columns, {@link TEXT_COLUMNS}, become NaN). Throws
 * {@link DataFileError} naming `file` and the line when a row has another number of cells than the
 * header (a file cut short) or a cell of a numeric column is not a number (`NaN` is one).
 */
export function parseCsv(text: string, file = '(text)'): Columns {
  const { head, rows } = csvRows(text, file);
  return columnsOf(head, rows);
}

/** The header and the rows' cells of CSV `text` (of `file`), each row checked as {@link parseCsv} says. */
function csvRows(text: string, file: string): { head: string[]; rows: string[][] } {
  const lines = text.trim().split('\n');
  const head = lines[0]!.split(',');
  const rows: string[][] = [];
  for (let k = 1; k < lines.length; k++) {
    const cells = lines[k]!.split(',');
    if (cells.length !== head.length) {
      throw new DataFileError(file, k + 1, `found ${cells.length} cells; allowed: ${head.length}, one per column of the header (${head.join(',')})`);
    }
    head.forEach((h, j) => {
      if (TEXT_COLUMNS.has(h)) return;
      const c = cells[j]!;
      if (c === '' || (Number.isNaN(Number(c)) && c !== 'NaN')) throw new DataFileError(file, k + 1, `column ${h}: found ${JSON.stringify(c)}; allowed: a number`);
    });
    rows.push(cells);
  }
  return { head, rows };
}

/** Rows of cells as named numeric columns. */
function columnsOf(head: readonly string[], rows: readonly string[][]): Columns {
  const cols: Columns = Object.fromEntries(head.map((h) => [h, [] as number[]]));
  for (const cells of rows) head.forEach((h, j) => cols[h]!.push(Number(cells[j])));
  return cols;
}

/**
 * One market's files: a one-asset run's own (`ticks.csv`, ...; `name` ''), or one asset's of a run
 * of several (`ticks-<asset>.csv`, ...). `span` is the run's length in ticks.
 */
export interface MarketData {
  name: string;
  span: number;
  ticks: Columns;
  cascades: Columns;
  book: Columns;
  liqmap: Columns;
}

/** Everything a run report shows, read from the run folder. */
export interface RunData extends MarketData {
  dir: string;
  summary: RunSummary;
  scenario: string;
}

/** Everything the report of a run of several assets shows. */
export interface MultiRunData {
  dir: string;
  /** The world's summary, with its `assets`, `markets`, `modes` and `contagion` sections. */
  summary: RunSummary & Required<Pick<RunSummary, 'assets' | 'markets' | 'modes' | 'contagion'>>;
  /** The world's ticks.csv: tick, the totals over the markets and the ledger. */
  world: Columns;
  /** Each asset's files, in the order of `summary.assets`. */
  markets: MarketData[];
  /** usage.csv split by margin mode: mode → tick, accounts, equity, requirement, usageP10..usageP99. */
  usage: Record<string, Columns>;
  scenario: string;
}

const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');
/** A CSV of the run, or no columns when the run did not write it (`outputs.ticks: false`). */
const csv = (dir: string, f: string): Columns => (existsSync(join(dir, f)) ? parseCsv(read(dir, f), join(dir, f)) : {});
const scenarioOf = (dir: string) => (existsSync(join(dir, 'scenario.yaml')) ? read(dir, 'scenario.yaml') : '');

/** A run folder's summary.json; {@link DataFileError} when it is not JSON or lacks a field of its run ({@link summaryFields}). */
export function readSummary(dir: string): RunSummary {
  const file = join(dir, 'summary.json');
  let s: RunSummary;
  try {
    s = JSON.parse(read(dir, 'summary.json')) as RunSummary;
  } catch (e) {
    throw new DataFileError(file, 0, `found no JSON (${e instanceof Error ? e.message : String(e)}); allowed: the summary.json levsim wrote`);
  }
  if (typeof s !== 'object' || s === null || Array.isArray(s)) throw new DataFileError(file, 0, 'found no object; allowed: the summary.json levsim wrote');
  const missing = summaryFields(s).find(([path]) => summaryField(s, path) === undefined);
  if (missing) throw new DataFileError(file, 0, `found no ${missing[0]}; allowed: the summary.json levsim wrote, with every field of its run`);
  return s;
}

/** The sections summary.json has only in a run of several assets. */
const MULTI_ASSET_SECTIONS: ReadonlySet<string> = new Set(['assets', 'markets', 'modes', 'contagion']);
/** The sections a run of several venues adds (only in such a run). */
const VENUE_SECTIONS: ReadonlySet<string> = new Set(['nodes', 'systemic', 'protocols', 'unitsMaxRelativeResidual']);

/**
 * Every field summary.json holds for its run, by dotted path with its definition: `populations.<name>.x`
 * stands for one per population of the run, `markets.<asset>.x` for one per asset and
 * `modes.<mode>.x` for one per margin mode; the sections of a run of several assets or venues only in such a run.
 */
export function summaryFields(s: RunSummary): [string, string][] {
  const nodes = Object.keys(s.nodes ?? {}), protocols = Object.keys(s.protocols ?? {});
  return Object.entries(SUMMARY_DEFINITIONS).flatMap(([path, def]): [string, string][] =>
    concreteSummaryPaths([path], Object.keys(s.populations ?? {}), s.assets ?? [], nodes, protocols)
      .filter((p) => s.assets !== undefined || !MULTI_ASSET_SECTIONS.has(p.split('.')[0]!))
      .filter((p) => s.venues !== undefined || !VENUE_SECTIONS.has(p.split('.')[0]!)).map((p) => [p, def]));
}

/**
 * Field `path` of summary `s`: a number, true/false or null (also when a section above it is null, as
 * a margin mode's `usage` with no samples), a name (`scenario`, `policy`), a list (`warnings`,
 * `assets`), or undefined when it has none of these.
 */
export function summaryField(s: RunSummary, path: string): number | boolean | null | string | string[] | undefined {
  if (path === 'scenario' || path === 'policy') return typeof s[path] === 'string' ? s[path] : undefined;
  if (path === 'warnings' || path === 'assets') return Array.isArray(s[path]) ? s[path] : undefined;
  const parts = path.split('.');
  for (let k = 1; k < parts.length; k++) if (summaryValue(s, parts.slice(0, k).join('.')) === null) return null;
  return summaryValue(s, path);
}

/** True for a run of several assets (summary.json lists its `assets`). */
export function isMultiAsset(s: RunSummary): s is MultiRunData['summary'] {
  return Array.isArray(s.assets);
}

/** One market's files in `dir`: the run's own (`name` '') or the asset's (`ticks-<name>.csv`, ...). */
function readMarket(dir: string, name: string, span: number): MarketData {
  const file = (base: string) => `${base}${name ? `-${name}` : ''}.csv`;
  const ticks = fullTicks(dir, file('ticks'), span);
  return { name, span, ticks, cascades: csv(dir, file('cascades')), book: csv(dir, file('book')), liqmap: csv(dir, file('liqmap')) };
}

/** Ticks file `f` of `dir` (none when the run wrote none); {@link DataFileError} unless it has a row for each of the run's `span` ticks. */
function fullTicks(dir: string, f: string, span: number): Columns {
  const cols = csv(dir, f);
  const rows = cols.tick?.length;
  if (rows !== undefined && rows !== span) throw new DataFileError(join(dir, f), 0, `found ${rows} rows; allowed: one per tick of the run (${span}, summary.json's ticks)`);
  return cols;
}

/** Reads a run folder written by `levsim run`; files a run's outputs settings left out read as empty. */
export function readRun(dir: string): RunData {
  const summary = readSummary(dir);
  return { dir, summary, ...readMarket(dir, '', summary.ticks), scenario: scenarioOf(dir) };
}

/** A CSV with a text column `key` as numeric columns per value of that column, in order of first appearance (checked as {@link parseCsv}). */
export function parseCsvBy(text: string, key: string, file = '(text)'): Record<string, Columns> {
  const { head, rows } = csvRows(text, file);
  const at = head.indexOf(key);
  const byKey = new Map<string, string[][]>();
  for (const row of rows) {
    const k = row[at]!;
    const list = byKey.get(k);
    if (list) list.push(row);
    else byKey.set(k, [row]);
  }
  return Object.fromEntries([...byKey].map(([k, list]) => [k, columnsOf(head, list)]));
}

/** usage.csv (tick,mode,...) as columns per mode; no modes when the run did not write it. */
export function parseUsage(text: string, file = '(text)'): Record<string, Columns> {
  return parseCsvBy(text, 'mode', file);
}

/** Reads the folder of a run of several assets (summary.json has `assets`). */
export function readMultiRun(dir: string): MultiRunData {
  const summary = readSummary(dir);
  if (!isMultiAsset(summary)) throw new Error(`${dir}: summary.json lists no assets (a one-asset run: readRun)`);
  return {
    dir, summary, world: fullTicks(dir, 'ticks.csv', summary.ticks),
    markets: summary.assets.map((a) => readMarket(dir, a, summary.ticks)),
    usage: existsSync(join(dir, 'usage.csv')) ? parseUsage(read(dir, 'usage.csv'), join(dir, 'usage.csv')) : {},
    scenario: scenarioOf(dir),
  };
}

/** Everything the report of a run of several venues shows. */
export interface VenueRunData {
  dir: string;
  /** The world's summary, with its `venues`, `nodes` and `systemic` sections. */
  summary: RunSummary & VenueSections;
  /** nodes.csv split by node: node name → tick,liquidatedNotional,insuranceFund,badDebt,adlNotional (none without ticks). */
  nodes: Record<string, Columns>;
  /** Every market's files (named `<venue>-<asset>`), venue by venue in the order of `summary.venues`, assets by name. */
  markets: MarketData[];
  scenario: string;
}

/** True for a run of several venues (summary.json lists its `venues`). */
export function isVenueRun(s: RunSummary): s is VenueRunData['summary'] {
  return Array.isArray(s.venues);
}

/**
 * The markets of a run of several venues, from its cascades-<venue>-<asset>.csv files (written with
 * any CSV output or a report, with or without ticks): summary.json does not list them, and the
 * manifest, which does, is written after the report. A file goes to the longest venue name it starts
 * with, since a venue's name may itself hold a '-'.
 */
export function venueMarkets(files: readonly string[], venues: readonly string[]): string[] {
  const byLength = [...venues].sort((a, b) => b.length - a.length);
  const found = new Map<string, string[]>(venues.map((v) => [v, []]));
  for (const f of files) {
    const m = /^cascades-(.+)\.csv$/.exec(f);
    const v = m && byLength.find((name) => m[1]!.startsWith(`${name}-`));
    if (v) found.get(v)!.push(m[1]!);
  }
  return venues.flatMap((v) => found.get(v)!.sort());
}

/** Reads the folder of a run of several venues (summary.json has `venues`). */
export function readVenueRun(dir: string): VenueRunData {
  const summary = readSummary(dir);
  if (!isVenueRun(summary)) throw new Error(`${dir}: summary.json lists no venues (a run of one venue: readRun or readMultiRun)`);
  return {
    dir, summary,
    nodes: existsSync(join(dir, 'nodes.csv')) ? parseCsvBy(read(dir, 'nodes.csv'), 'node', join(dir, 'nodes.csv')) : {},
    markets: venueMarkets(readdirSync(dir), summary.venues).map((name) => readMarket(dir, name, summary.ticks)),
    scenario: scenarioOf(dir),
  };
}
