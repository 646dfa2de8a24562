import { describe, expect, it } from 'vitest';
import { createHash } from 'crypto';
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { loadScenario } from '../../sim/scenario/loader';
import { makeBundle } from '../../sim/run/bundle';

describe("the scenario hash covers the modules and data files it names", () => {
  it('equals the sha256 of the file alone when it names none', async () => {
    const s = await loadScenario('test/fixtures/parquet.yaml');
    expect(s.files).toEqual([]);
    expect(s.sha256).toBe(createHash('sha256').update(readFileSync('test/fixtures/parquet.yaml')).digest('hex'));
  });

  it('changes when a named module changes, and the job bundle carries the module', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'levsim-hash-'));
    copyFileSync('test/fixtures/faulty/throws-at-20.ts', join(dir, 'throws-at-20.ts'));
    writeFileSync(join(dir, 's.yaml'), readFileSync('test/fixtures/faulty/throws-compare.yaml', 'utf8'));
    const before = await loadScenario(join(dir, 's.yaml'));
    expect(before.files).toEqual(['./throws-at-20.ts']);
    const bundle = makeBundle(before);
    expect(bundle.files.map((f) => f.path)).toEqual(['s.yaml', 'throws-at-20.ts']);
    expect(bundle.hash).toBe(before.sha256);
    expect(bundle.inLevsim).toBe(false);
    appendFileSync(join(dir, 'throws-at-20.ts'), '\n// edited\n');
    const after = await loadScenario(join(dir, 's.yaml'));
    expect(after.sha256).not.toBe(before.sha256);
  });
});
