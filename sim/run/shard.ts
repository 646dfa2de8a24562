/**
 * Slices of a sweep for batch clusters (Slurm and Kubernetes array jobs): `--shard I/N` runs every
 * N-th run of the plan starting at the I-th, into the same `runs/<policy>/<seed>/` layout, and
 * `levsim aggregate DIR` builds the comparison from the slices once they are all complete.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { BadInputError } from '../scenario/errors';
import type { RunJob } from './compare';
import { isFolder } from './out-dir';
import type { Manifest } from '../../reports/manifest';

/** The I-th (1-based) of N slices. */
export interface Shard {
  index: number;
  count: number;
}

/** Parses `--shard I/N` (1 ≤ I ≤ N); bad input (exit 2) naming the flag otherwise. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = m ? Number(m[1]) : NaN, count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw BadInputError.of('--shard', `found ${JSON.stringify(text)}; allowed: I/N with whole numbers 1 ≤ I ≤ N (the I-th of N slices), e.g. 1/4`);
  }
  return { index, count };
}

/**
 * The runs of slice `shard`: every N-th run of the plan order, starting at the I-th, so that each
 * slice holds a similar mix of policies and seeds and the slices together hold every run once.
 */
export function sliceJobs<T>(jobs: readonly T[], shard: Shard): T[] {
  return jobs.filter((_, k) => k % shard.count === shard.index - 1);
}

/**
 * How the runs in `dir` were made: the scenario file and overrides of the first run (in plan order)
 * whose manifest reads, for `levsim aggregate`. Entries of runs/ that are not folders are skipped,
 * and a manifest that does not read as one is a run not finished (the aggregate names it). Bad
 * input when `dir` holds no readable manifest.
 */
export function sweepOrigin(dir: string): Pick<Manifest, 'scenario' | 'overrides' | 'scenarioSha256'> {
  const runs = join(dir, 'runs');
  const folders = (d: string) => (isFolder(d) ? readdirSync(d, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name) : []);
  for (const p of folders(runs).sort()) {
    for (const seed of folders(join(runs, p)).sort((a, b) => Number(a) - Number(b))) {
      const origin = readOrigin(join(runs, p, seed, 'manifest.json'));
      if (origin) return origin;
    }
  }
  throw BadInputError.of(dir, 'no finished run found (runs/<policy>/<seed>/manifest.json); allowed: the --out folder of `levsim run --shard I/N`');
}

/** The origin fields of the manifest `file`, or null when it is missing or does not read as a manifest. */
function readOrigin(file: string): Pick<Manifest, 'scenario' | 'overrides' | 'scenarioSha256'> | null {
  let m: unknown;
  try {
    m = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  if (typeof m !== 'object' || m === null) return null;
  const { scenario, overrides, scenarioSha256 } = m as Record<string, unknown>;
  const ok = typeof scenario === 'string' && typeof scenarioSha256 === 'string' && Array.isArray(overrides) && overrides.every((x) => typeof x === 'string');
  return ok ? { scenario, overrides: overrides as string[], scenarioSha256 } : null;
}

/** The runs of `jobs` that are not complete, as `<run folder>: <what is wrong>`, for the error of an incomplete aggregate. */
export function missingRuns(jobs: readonly RunJob[], problem: (j: RunJob) => string | null): string[] {
  return jobs.flatMap((j) => {
    const why = problem(j);
    return why === null ? [] : [`${j.outDir}: ${why}`];
  });
}
