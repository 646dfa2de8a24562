import { execFileSync, spawnSync } from 'child_process';
import { join } from 'path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');

describe('bin/run-ts.js with sim/run/ts-node-transpiler.js', () => {
  it('loads modules as the levsim command does: exports are data properties, not getters', () => {
    // Getters (swc's emit) made every cross-module call and enum read a function call: warm
    // bench-active runs took 1.5–1.65× as long in the benchmarks as under the command.
    const out = execFileSync(process.execPath, ['bin/run-ts.js', 'test/fixtures/run-ts/export-kinds.ts'], { cwd: ROOT, encoding: 'utf8' });
    expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual({ applyFill: 'value', AccountState: 'value' });
  });

  it('maps stack traces back to TypeScript lines', () => {
    const r = spawnSync(process.execPath, ['bin/run-ts.js', 'test/fixtures/run-ts/throws.ts'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('thrown on purpose');
    expect(r.stderr).toMatch(/throws\.ts:9:7/);
  });
});
