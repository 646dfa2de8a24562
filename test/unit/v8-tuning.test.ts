import { spawnSync } from 'child_process';
import { join } from 'path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const { FLAGS, tuneV8 } = require('../../sim/run/v8-tuning') as { FLAGS: string[]; tuneV8: (set?: (f: string) => void) => string[] };

/** The V8 flags a process started as `node -r log-flags.js ...args` set at run time (test/fixtures/v8-flags/log-flags.js reports them). */
function flagsSetBy(args: string[]): string[] {
  const r = spawnSync(process.execPath, ['-r', './test/fixtures/v8-flags/log-flags.js', ...args], { cwd: ROOT, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return [...r.stderr.matchAll(/^v8 flag: (.*)$/gm)].map((m) => m[1]!);
}

describe('V8 tuning (sim/run/v8-tuning.js)', () => {
  it('raises the inlining budget above V8\'s default of 920 bytecodes', () => {
    const set: string[] = [];
    expect(tuneV8((f) => set.push(f))).toEqual(FLAGS);
    expect(set).toEqual(FLAGS);
    const budget = Number(/^--max-inlined-bytecode-size-cumulative=(\d+)$/.exec(FLAGS[0]!)?.[1]);
    expect(budget).toBeGreaterThan(920);
  });

  it('is applied by the levsim command, the run queue\'s child processes and the benchmarks\' loader', () => {
    expect(flagsSetBy(['bin/levsim.js', '--help'])).toEqual(FLAGS);
    expect(flagsSetBy(['-e', 'require("./sim/run/queue-processor.js")'])).toEqual(FLAGS);
    expect(flagsSetBy(['bin/run-ts.js', 'test/fixtures/run-ts/export-kinds.ts'])).toEqual(FLAGS);
  });
});
