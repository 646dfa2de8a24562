/**
 * The output folder: refused when it is a file, under a file or not writable; refused when it
 * holds another run's files unless `--force` (which removes levsim's own files, nothing else) or
 * `--resume`; cleared of the stale temporary files a killed run left.
 */
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync } from 'fs';
import { dirname, join } from 'path';
import { BadInputError } from '../scenario/errors';

/**
 * levsim's own file names in an output folder or a run's folder that carry no market's name: a
 * run's summary, manifest, scenario and report and its one-per-run tables (CSV or Parquet); a
 * walrasian comparison's tables; a comparison's or optimisation's results.
 */
const OWN_FILE = /^(?:summary\.json|manifest\.json|scenario\.yaml|report\.html|compare\.(?:json|csv)|optimize\.json|runs\.parquet|tables\.md|(?:ticks|book|liqmap|cascades|liquidations|usage|nodes|contagion)\.(?:csv|parquet))$/;

/** A table of one market, venue, protocol or spot market: `ticks-BTC.csv`, `protocol-aave.parquet`. */
const NAMED_TABLE = /^(ticks|book|liqmap|cascades|liquidations|protocol|spot)-(.+)\.(?:csv|parquet)$/;

/**
 * Which files of `dir` are levsim's: {@link OWN_FILE}, and the per-market tables whose names the
 * run that wrote the folder recorded (its manifest's `assets` and `venues`, its summary's
 * `protocols`). Why not any `ticks-*.csv`: a user's `ticks-clean.csv` beside a run is not levsim's
 * to remove.
 */
function ownFiles(dir: string): (name: string) => boolean {
  const read = (f: string): Record<string, unknown> => {
    try {
      const v: unknown = JSON.parse(readFileSync(join(dir, f), 'utf8'));
      return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  };
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const manifest = read('manifest.json');
  const markets = new Set([...list(manifest.assets), ...list(manifest.venues)]);
  const venues = list(manifest.venues);
  const protocols = new Set(Object.keys((read('summary.json').protocols ?? {}) as object));
  return (name) => {
    if (OWN_FILE.test(name)) return true;
    const m = NAMED_TABLE.exec(name);
    if (!m) return false;
    if (m[1] === 'protocol') return protocols.has(m[2]!);
    if (m[1] === 'spot') return venues.some((v) => m[2]!.startsWith(`${v}-`));
    return markets.has(m[2]!);
  };
}

/** What a comparison writes at its top level, besides the runs/ folder. */
export const COMPARISON_FILES = ['compare.json', 'compare.csv', 'runs.parquet', 'report.html'] as const;

/** What an optimisation writes at its top level, besides the runs/ folder. */
export const OPTIMIZATION_FILES = ['optimize.json', 'report.html'] as const;

/** A temporary file of an atomic write (`<file>.tmp-<pid>[-<thread>]`). */
const TMP = /\.tmp-\d+(-\d+)?$/;

/** How the user allowed a used folder to be written into. */
export interface OutDirOptions {
  force: boolean;
  resume: boolean;
}

const refuse = (message: string) => BadInputError.of('--out', message);

/** True when `path` exists and is a folder. */
export function isFolder(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/**
 * Refuses (bad input at `--out`, exit 2) a plain file at `path` where a run's folder must go (runs/,
 * runs/<policy>/): every run there would fail on it (ENOTDIR), and levsim does not remove a file
 * that may be the user's.
 */
export function refuseFileAt(path: string): void {
  if (existsSync(path) && !isFolder(path)) throw refuse(`${path} is a file; allowed: a folder`);
}

/** Checks and prepares `dir` for a run or comparison; throws {@link BadInputError} (exit 2) before anything is written. */
export function prepareOutDir(dir: string, o: OutDirOptions): void {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw refuse(`${dir} is a file; allowed: a folder (new, empty, or levsim's own)`);
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw refuse(code === 'ENOTDIR' || code === 'EEXIST' ? `${dir} is under a file; allowed: a folder path` : `${dir} cannot be written (${code ?? 'error'}); allowed: a writable folder`);
  }
  // runs/ is where a sweep writes its runs (--force, which removes only levsim's files, would not
  // remove a file there).
  refuseFileAt(join(dir, 'runs'));
  removeStaleTemporaries(dir);
  const ours = levsimEntries(dir);
  if (ours.length === 0 || o.resume) return;
  if (!o.force) {
    throw refuse(`${dir} holds another run's files (${ours.join(', ')}); allowed: a new or empty folder, --force to replace levsim's files there, or --resume to continue a comparison`);
  }
  for (const f of ours) {
    if (f === 'runs/') removeRunsTree(join(dir, 'runs'));
    else rmSync(join(dir, f), { force: true });
  }
}

/**
 * Checks, before anything runs, that the file `file` named by option `flag` (`--junit`, `schema
 * --out`) can be written: not a folder, and under a folder that exists or can be made (its nearest
 * existing ancestor a writable folder). Throws {@link BadInputError} (exit 2) otherwise; returns `file`.
 */
export function checkOutputFile(flag: string, file: string): string {
  const bad = (found: string) => BadInputError.of(flag, `${file} ${found}; allowed: a file path whose folder exists or can be made`);
  if (existsSync(file) && statSync(file).isDirectory()) throw bad('is a folder');
  let dir = dirname(file);
  while (!existsSync(dir)) dir = dirname(dir);
  if (!statSync(dir).isDirectory()) throw bad(`is under a file (${dir})`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw bad(`cannot be written (${dir} is not writable)`);
  }
  return file;
}

/** levsim's own entries in `dir` (a runs/ folder shown as `runs/`). */
function levsimEntries(dir: string): string[] {
  const own = ownFiles(dir);
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => (e.isFile() && own(e.name)) || (e.isDirectory() && e.name === 'runs'))
    .map((e) => (e.isDirectory() ? 'runs/' : e.name));
}

/** Removes levsim's files from runs/<policy>/<seed>/ and then the folders left empty; anything else stays. */
function removeRunsTree(runs: string): void {
  for (const p of readdirSync(runs, { withFileTypes: true }).filter((e) => e.isDirectory())) {
    const pd = join(runs, p.name);
    for (const s of readdirSync(pd, { withFileTypes: true }).filter((e) => e.isDirectory())) {
      const sd = join(pd, s.name);
      const own = ownFiles(sd);
      for (const f of readdirSync(sd, { withFileTypes: true })) if (f.isFile() && own(f.name)) rmSync(join(sd, f.name));
      removeIfEmpty(sd);
    }
    removeIfEmpty(pd);
  }
  removeIfEmpty(runs);
}

function removeIfEmpty(dir: string): void {
  if (readdirSync(dir).length === 0) rmdirSync(dir);
}

/** Deletes `*.tmp-<pid>` files in `dir` and its runs/<policy>/<seed>/ folders: what a killed run left. */
export function removeStaleTemporaries(dir: string): void {
  const sweep = (d: string, depth: number) => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isFile() && TMP.test(e.name)) rmSync(join(d, e.name), { force: true });
      else if (e.isDirectory() && depth > 0 && (depth < 3 || e.name === 'runs')) sweep(join(d, e.name), depth - 1);
    }
  };
  sweep(dir, 3);
}
