/** manifest.json: run metadata. The only output with wall-clock times, so data files stay byte-identical. */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { FileRecord } from './atomic';

/**
 * The layout version of a run's data files (their names, columns and column order): it goes up by
 * one whenever a data file's layout changes, so that a reader can tell which layout a folder holds.
 * 1: the files before the multi-asset work (no `outputFormat` in the manifest); 2: the manifest
 * records `outputFormat`. README "Changes" lists what each version changed.
 */
export const OUTPUT_FORMAT = 2;

/** What manifest.json records. */
export interface Manifest {
  levsim: string;
  /** {@link OUTPUT_FORMAT} of the files beside it. */
  outputFormat: number;
  scenario: string;
  scenarioSha256: string;
  overrides: string[];
  seed: number;
  policy: string;
  startedAt: string;
  finishedAt: string;
  node: string;
  /**
   * Every file the run wrote into its folder before the manifest, by name, with its size and
   * sha256: a run is complete only while they are all there as written (`--resume`, `levsim
   * aggregate`). Not report.html, which `levsim report` rebuilds. A queued sweep's submitter keeps
   * only summary.json, the one file it writes.
   */
  files: Record<string, FileRecord>;
  /** Voluntary orders executed over the run (fills after the initial-margin cut; the clearing mode has none): a measure of the work done, for benchmarks. */
  executedOrders?: number;
  /** A run of several assets: their symbols, in market order (the suffixes of the per-market files). */
  assets?: string[];
  /** A run of several venues: their names, in order (the suffixes of ticks-<venue>.csv; markets are named <venue>-<asset>). */
  venues?: string[];
}

/** levsim's version, from package.json. */
export function levsimVersion(): string {
  return (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
}

/** The current time as ISO 8601 (manifest only). */
export function now(): string {
  return new Date().toISOString();
}
