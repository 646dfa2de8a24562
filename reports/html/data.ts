/**
 * Reads a finished run's data files (reports never touch the engine). Not manifest.json: it holds
 * wall-clock times and is written after the report, and a rebuilt report must be identical.
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import type { RunSummary } from '../../sim/metrics/summary';

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

/** Everything a run report shows, read from the run folder. */
export interface RunData {
  dir: string;
  summary: RunSummary;
  ticks: Columns;
  cascades: Columns;
  book: Columns;
  liqmap: Columns;
  scenario: string;
}

const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');
/** A CSV of the run, or no columns when the run did not write it (`outputs.ticks: false`). */
const csv = (dir: string, f: string): Columns => (existsSync(join(dir, f)) ? parseCsv(read(dir, f)) : {});

/** Reads a run folder written by `levsim run`; files a run's outputs settings left out read as empty. */
export function readRun(dir: string): RunData {
  return {
    dir,
    summary: JSON.parse(read(dir, 'summary.json')) as RunSummary,
    ticks: csv(dir, 'ticks.csv'),
    cascades: csv(dir, 'cascades.csv'),
    book: csv(dir, 'book.csv'),
    liqmap: csv(dir, 'liqmap.csv'),
    scenario: existsSync(join(dir, 'scenario.yaml')) ? read(dir, 'scenario.yaml') : '',
  };
}
