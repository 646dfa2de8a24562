import { execFileSync } from 'child_process';
import { existsSync, writeFileSync } from 'fs';
import { join } from 'path';
import { describe, expect, it } from 'vitest';
import { inTempDir } from '../../bench/timing';

describe('bench/timing inTempDir', () => {
  it('returns what the function returns and removes the folder, files and all', () => {
    let dir = '';
    const r = inTempDir('levsim-timing-', (d) => {
      dir = d;
      writeFileSync(join(d, 'x'), '1');
      return 42;
    });
    expect(r).toBe(42);
    expect(existsSync(dir)).toBe(false);
  });

  it('removes the folder when the function throws, and passes the error on', () => {
    let dir = '';
    expect(() => inTempDir('levsim-timing-', (d) => {
      dir = d;
      throw new Error('boom');
    })).toThrow('boom');
    expect(existsSync(dir)).toBe(false);
  });

  it('removes the folder once a promise settles, fulfilled or rejected', async () => {
    let kept = '', gone = '';
    const p = inTempDir('levsim-timing-', async (d) => {
      kept = d;
      await new Promise((res) => setTimeout(res, 10));
      // Still there while the function runs.
      return existsSync(d);
    });
    await expect(p).resolves.toBe(true);
    expect(existsSync(kept)).toBe(false);
    await expect(inTempDir('levsim-timing-', async (d) => {
      gone = d;
      throw new Error('async boom');
    })).rejects.toThrow('async boom');
    expect(existsSync(gone)).toBe(false);
  });
});

describe('bench/timing peakRssBytes', () => {
  it("is the process's own peak, not its parent's at the fork (getrusage's maxRSS carries that over exec)", () => {
    // 512 MB touched in this process before the child starts; the child itself needs ~100 MB.
    const ballast = new Float64Array(64e6).fill(1);
    const out = execFileSync(process.execPath, ['bin/run-ts.js', 'test/fixtures/run-ts/peak-rss.ts'], { encoding: 'utf8' });
    const { peak, rss } = JSON.parse(out.trim().split('\n').pop()!) as { peak: number; rss: number };
    expect(ballast[0]).toBe(1);
    expect(peak).toBeGreaterThanOrEqual(rss);
    expect(peak).toBeLessThan(400e6);
  });
});
