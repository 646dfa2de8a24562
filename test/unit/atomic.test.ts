import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { describe, expect, it } from 'vitest';
import { AtomicWriter, writeFileAtomic } from '../../reports/atomic';

describe('atomic output files', () => {
  it('writes under a temporary name and renames into place', () => {
    const dir = mkdtempSync(join(tmpdir(), 'levsim-atomic-'));
    const w = new AtomicWriter(join(dir, 'a.txt'), 4);
    w.write('hello ');
    w.write(Buffer.from('world'));
    expect(readdirSync(dir)).toEqual([`a.txt.tmp-${process.pid}`]);
    w.commit();
    expect(readdirSync(dir)).toEqual(['a.txt']);
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('hello world');
  });

  it('leaves no temporary file when the rename fails', () => {
    const dir = mkdtempSync(join(tmpdir(), 'levsim-atomic-'));
    mkdirSync(join(dir, 'taken'));
    mkdirSync(join(dir, 'taken', 'inside'));
    // A non-empty folder where the file should go: the rename fails.
    expect(() => writeFileAtomic(join(dir, 'taken'), 'x')).toThrow();
    expect(readdirSync(dir)).toEqual(['taken']);
  });
});
