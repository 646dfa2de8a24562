import { execFileSync } from 'child_process';
import { join } from 'path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');

describe('bin/run-ts.js with sim/run/ts-node-transpiler.js', () => {
  it('loads modules as the levsim command does: exports are data properties, not getters', () => {
    // Getters (swc's emit) made every cross-module call and enum read a function call: bench-active
    // ran ~35% slower in the benchmarks than under the command.
    const out = execFileSync(process.execPath, ['bin/run-ts.js', 'test/fixtures/run-ts/export-kinds.ts'], { cwd: ROOT, encoding: 'utf8' });
    expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual({ applyFill: 'value', AccountState: 'value' });
  });

  it('gives the command\'s transpiled text for a file', () => {
    const { transpileCached } = require('../../sim/run/ts-cache.js') as { transpileCached(src: string, file: string): string };
    const { create } = require('../../sim/run/ts-node-transpiler.js') as { create(): { transpile(src: string, o: { fileName: string }): { outputText: string; sourceMapText: string } } };
    const src = 'export const enum Side { Long = 1 }\nexport function f(x: number): number { return x * Side.Long; }\n';
    const file = join(ROOT, 'test/fixtures/run-ts/inline.ts');
    const out = create().transpile(src, { fileName: file });
    expect(out.outputText).toBe(transpileCached(src, file));
    expect(out.outputText).toContain('exports.f = f');
    expect(JSON.parse(out.sourceMapText).version).toBe(3);
  });
});
