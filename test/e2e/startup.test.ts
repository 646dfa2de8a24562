import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');

/** The packages a `levsim` command loads (test/fixtures/startup/loaded-packages.js lists them at exit). */
function packagesLoadedBy(args: string[]): string[] {
  const r = spawnSync(process.execPath, ['-r', './test/fixtures/startup/loaded-packages.js', 'bin/levsim.js', ...args], { cwd: ROOT, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return /^loaded packages: (.*)$/m.exec(r.stderr)![1]!.split(' ');
}

describe('start-up of the levsim command', () => {
  it('a sweep that does not use the queue loads neither BullMQ nor ioredis', () => {
    const out = mkdtempSync(join(tmpdir(), 'levsim-startup-'));
    try {
      const loaded = packagesLoadedBy(['run', 'scenarios/bench-active.yaml', '--ticks', '5', '--set', 'runs.seeds=1', '--workers', '1', '--quiet', '--force', '--out', out]);
      expect(loaded).toContain('rxjs'); // not vacuous: the fixture sees the packages a run loads
      expect(loaded).not.toContain('bullmq');
      expect(loaded).not.toContain('ioredis');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
