/**
 * Slices of a sweep for batch clusters (Slurm and Kubernetes array jobs): `--shard I/N` runs every
 * N-th run of the plan starting at the I-th, into the same `runs/<policy>/<seed>/` layout, and
 * `levsim aggregate DIR` builds the comparison from the slices once they are all complete.
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { BadInputError } from '../scenario/errors';
import type { RunJob } from './compare';
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
 * How the runs in `dir` were made: the scenario file and overrides of the first run's manifest
 * (runs in plan order), for `levsim aggregate`. Bad input when `dir` holds no finished run.
 */
export function sweepOrigin(dir: string): Pick<Manifest, 'scenario' | 'overrides' | 'scenarioSha256'> {
  const runs = join(dir, 'runs');
  const manifests = existsSync(runs)
    ? readdirSync(runs).sort().flatMap((p) => readdirSync(join(runs, p)).sort((a, b) => Number(a) - Number(b)).map((seed) => join(runs, p, seed, 'manifest.json')))
    : [];
  const first = manifests.find((f) => existsSync(f));
  if (!first) throw BadInputError.of(dir, 'no finished run found (runs/<policy>/<seed>/manifest.json); allowed: the --out folder of `levsim run --shard I/N`');
  return JSON.parse(readFileSync(first, 'utf8')) as Manifest;
}

/** The runs of `jobs` that are not complete, as `policy/seed`, for the error of an incomplete aggregate. */
export function missingRuns(jobs: readonly RunJob[], complete: (j: RunJob) => boolean): string[] {
  return jobs.filter((j) => !complete(j)).map((j) => `${j.policy}/${j.seed}`);
}
