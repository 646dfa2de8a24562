/** manifest.json: run metadata. The only output with wall-clock times, so data files stay byte-identical. */
import { readFileSync } from 'fs';
import { join } from 'path';

/** What manifest.json records. */
export interface Manifest {
  levsim: string;
  scenario: string;
  scenarioSha256: string;
  overrides: string[];
  seed: number;
  policy: string;
  startedAt: string;
  finishedAt: string;
  node: string;
  /** Voluntary orders executed over the run (fills after the initial-margin cut; the clearing mode has none): a measure of the work done, for benchmarks. */
  executedOrders?: number;
}

/** levsim's version, from package.json. */
export function levsimVersion(): string {
  return (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
}

/** The current time as ISO 8601 (manifest only). */
export function now(): string {
  return new Date().toISOString();
}
