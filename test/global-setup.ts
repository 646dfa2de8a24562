/**
 * One temporary folder for a whole test run (vitest's globalSetup): every test, and every process a
 * test starts, makes its temporary files under it, since os.tmpdir() reads TMPDIR; the folder goes
 * when the run ends, failed or not. Why: tests make their scratch folders where they need them (a
 * run's outputs, a bad scenario, a fuzz case), and a run used to leave ~800 of them behind.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/**
 * Points TMPDIR at a new folder for the run; returns the teardown that removes it. Each vitest
 * project runs its global setup in the same process: the first makes and owns the folder, the
 * others find it (LEVSIM_TEST_TMP) and leave it to the first.
 */
export default function setup(): () => void {
  if (process.env.LEVSIM_TEST_TMP) return () => {};
  const previous = process.env.TMPDIR;
  const root = mkdtempSync(join(tmpdir(), 'levsim-test-'));
  process.env.TMPDIR = process.env.LEVSIM_TEST_TMP = root;
  return () => {
    rmSync(root, { recursive: true, force: true });
    delete process.env.LEVSIM_TEST_TMP;
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  };
}
