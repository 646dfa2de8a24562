/**
 * Reads a finished run's data files (reports never touch the engine). Not manifest.json: it holds
 * wall-clock times and is written after the report, and a rebuilt report must be identical.
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import type { RunSummary } from '../../sim/metrics/summary';
import type { VenueSections } from '../../sim/metrics/systemic';

/** A CSV file as named numeric columns. */
export type Columns = Record<string, number[]>;

/** Parses a numeric CSV with a header row (non-numeric cells become NaN). */
export function parseCsv(text: string): Columns {
  const lines = text.trim().split('\n');
  const head = lines[0]!.split(',');
  const cols: Columns = Object.fromEntries(head.map((h) => [h, [] as number[]]));
  for (let k = 1; k < lines.length; k++) {
    const cells = lines[k]!.split(',');
    head.forEach((h, j) => cols[h]!.push(Number(cells[j])));
  }
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
const csv = (dir: string, f: string): Columns => (existsSync(join(dir, f)) ? parseCsv(read(dir, f)) : {});
const scenarioOf = (dir: string) => (existsSync(join(dir, 'scenario.yaml')) ? read(dir, 'scenario.yaml') : '');

/** A run folder's summary.json. */
export function readSummary(dir: string): RunSummary {
  return JSON.parse(read(dir, 'summary.json')) as RunSummary;
}

/** True for a run of several assets (summary.json lists its `assets`). */
export function isMultiAsset(s: RunSummary): s is MultiRunData['summary'] {
  return Array.isArray(s.assets);
}

/** One market's files in `dir`: the run's own (`name` '') or the asset's (`ticks-<name>.csv`, ...). */
function readMarket(dir: string, name: string, span: number): MarketData {
  const f = (base: string) => csv(dir, `${base}${name ? `-${name}` : ''}.csv`);
  return { name, span, ticks: f('ticks'), cascades: f('cascades'), book: f('book'), liqmap: f('liqmap') };
}

/** Reads a run folder written by `levsim run`; files a run's outputs settings left out read as empty. */
export function readRun(dir: string): RunData {
  const summary = readSummary(dir);
  return { dir, summary, ...readMarket(dir, '', summary.ticks), scenario: scenarioOf(dir) };
}

/** A CSV with a text column `key` as numeric columns per value of that column, in order of first appearance. */
export function parseCsvBy(text: string, key: string): Record<string, Columns> {
  const [head, ...rows] = text.trim().split('\n');
  const at = head!.split(',').indexOf(key);
  const byKey = new Map<string, string[]>();
  for (const row of rows) {
    const k = row.split(',')[at]!;
    const list = byKey.get(k);
    if (list) list.push(row);
    else byKey.set(k, [row]);
  }
  return Object.fromEntries([...byKey].map(([k, lines]) => [k, parseCsv([head, ...lines].join('\n'))]));
}

/** usage.csv (tick,mode,...) as columns per mode; no modes when the run did not write it. */
export function parseUsage(text: string): Record<string, Columns> {
  return parseCsvBy(text, 'mode');
}

/** Reads the folder of a run of several assets (summary.json has `assets`). */
export function readMultiRun(dir: string): MultiRunData {
  const summary = readSummary(dir);
  if (!isMultiAsset(summary)) throw new Error(`${dir}: summary.json lists no assets (a one-asset run: readRun)`);
  return {
    dir, summary, world: csv(dir, 'ticks.csv'),
    markets: summary.assets.map((a) => readMarket(dir, a, summary.ticks)),
    usage: existsSync(join(dir, 'usage.csv')) ? parseUsage(read(dir, 'usage.csv')) : {},
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
    nodes: existsSync(join(dir, 'nodes.csv')) ? parseCsvBy(read(dir, 'nodes.csv'), 'node') : {},
    markets: venueMarkets(readdirSync(dir), summary.venues).map((name) => readMarket(dir, name, summary.ticks)),
    scenario: scenarioOf(dir),
  };
}
