/** Reading a run folder's files in tests. */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

/** Every data file of a run folder (not the manifest, whose times differ), by name. */
export function dataFiles(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).filter((f) => f !== 'manifest.json').map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}
