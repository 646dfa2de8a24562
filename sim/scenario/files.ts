/**
 * The files a scenario names besides itself: custom strategy and policy modules and the replay
 * price CSVs (the market's, or each asset's). Their bytes enter the scenario's hash (so `--resume`
 * notices a changed module) and travel with a queued job (so a worker runs exactly what the submitter loaded).
 */
import { createHash } from 'crypto';
import { readFileSync } from 'fs';
import { resolve } from 'path';
import { STRATEGIES } from '../../agents/registry';
import { isModulePath } from './modules';
import type { ScenarioConfig } from './schema';

/** One named file: its path as the scenario writes it (relative to the scenario's folder, or absolute) and its bytes. */
export interface NamedFile {
  path: string;
  bytes: Buffer;
}

/** The paths the scenario names, as written, without repeats, sorted. */
export function namedPaths(config: ScenarioConfig, policyModules: Iterable<string>): string[] {
  const paths = new Set<string>(policyModules);
  for (const a of config.agents) if (!(a.strategy in STRATEGIES) && isModulePath(a.strategy)) paths.add(a.strategy);
  // With assets:, market.process is not used (the check refuses one written there).
  if (!config.assets && config.market.process.type === 'replay') paths.add(config.market.process.file);
  for (const a of config.assets ?? []) if (a.process.type === 'replay') paths.add(a.process.file);
  return [...paths].sort();
}

/** Reads the named files, relative to the scenario's folder `dir`. */
export function readNamedFiles(dir: string, paths: readonly string[]): NamedFile[] {
  return paths.map((path) => ({ path, bytes: readFileSync(resolve(dir, path)) }));
}

/**
 * sha256 over the scenario's bytes and then each named file's path and bytes, in path order. A
 * scenario that names no file hashes to the sha256 of its own bytes.
 */
export function scenarioHash(scenario: Buffer, files: readonly NamedFile[]): string {
  const h = createHash('sha256').update(scenario);
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    h.update(`\0${f.path}\0${f.bytes.length}\0`).update(f.bytes);
  }
  return h.digest('hex');
}
