/** Runs the real `levsim` command (bin/levsim.js) as a child process. */
import { spawnSync } from 'child_process';
import { join } from 'path';

/** Output and exit code of one `levsim` process. */
export interface ProcessResult { code: number | null; out: string; err: string }

const BIN = join(__dirname, '..', '..', 'bin', 'levsim.js');

/** Runs `levsim ...args` as a process in the repository folder and waits for it. */
export function levsim(...args: string[]): ProcessResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: join(__dirname, '..', '..'), encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
