import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { levsim } from '../helpers/cli-process';

const SCENARIO = 'test/fixtures/compare/small.yaml';
const SETS = ['runs.seeds=2', 'outputs.report=false', 'outputs.format=[csv, parquet]'].flatMap((s) => ['--set', s]);

describe('--shard I/N and levsim aggregate DIR', () => {
  it('three slices into one folder, then aggregate: the same compare.json, compare.csv and runs.parquet as a local run', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'levsim-shard-'));
    const local = join(tmp, 'local'), sliced = join(tmp, 'sliced');
    expect(levsim('run', SCENARIO, '--out', local, ...SETS, '--quiet').code).toBe(0);
    for (const i of [3, 1, 2]) {
      const r = levsim('run', SCENARIO, '--out', sliced, ...SETS, '--shard', `${i}/3`, '--workers', '1');
      expect(r.code, r.err).toBe(0);
      expect(r.out).toMatch(new RegExp(`slice ${i}/3: [34] run\\(s\\) written`));
      expect(existsSync(join(sliced, 'compare.json'))).toBe(false);
    }
    const a = levsim('aggregate', sliced);
    expect(a.code, a.err).toBe(0);
    expect(a.out).toContain('wrote');
    for (const f of ['compare.json', 'compare.csv', 'runs.parquet']) expect(readFileSync(join(sliced, f)), f).toEqual(readFileSync(join(local, f)));
  });

  it('refuses to aggregate while a run is missing, naming it (exit 2), and refuses a bad slice', () => {
    const dir = mkdtempSync(join(tmpdir(), 'levsim-shard-'));
    expect(levsim('run', SCENARIO, '--out', dir, ...SETS, '--set', 'runs.seeds=1', '--shard', '1/1', '--quiet').code).toBe(0);
    rmSync(join(dir, 'runs', 'brake', '40', 'manifest.json'));
    const a = levsim('aggregate', dir);
    expect(a.code).toBe(2);
    expect(a.err).toContain(`1 run(s) of 5 missing, damaged or not of this scenario (${join(dir, 'runs', 'brake', '40')}: no manifest.json (the run did not finish))`);
    expect(existsSync(join(dir, 'compare.json'))).toBe(false);
    for (const bad of ['0/3', '4/3', '2', 'a/b']) {
      const r = levsim('run', SCENARIO, '--out', dir, '--shard', bad);
      expect(r.code, bad).toBe(2);
      expect(r.err).toContain('--shard: found');
    }
    expect(levsim('run', SCENARIO, '--out', dir, '--shard', '1/2', '--force').err).toContain('--force: with --shard');
    expect(levsim('aggregate', join(dir, 'nothing')).code).toBe(2);
  });

  it('a run whose summary.json is damaged is not complete: aggregate names it, --resume runs it again', () => {
    // Its manifest said complete, so both read the summary and failed on it as an internal error
    // (exit 1, a stack trace), --resume after removing the old compare.json.
    const dir = mkdtempSync(join(tmpdir(), 'levsim-shard-'));
    expect(levsim('run', SCENARIO, '--out', dir, ...SETS, '--set', 'runs.seeds=1', '--shard', '1/1', '--quiet').code).toBe(0);
    const summary = join(dir, 'runs', 'brake', '40', 'summary.json');
    const whole = readFileSync(summary, 'utf8');
    writeFileSync(summary, whole.slice(0, 100));
    const a = levsim('aggregate', dir);
    expect(a.code).toBe(2);
    expect(a.err).toContain(`1 run(s) of 5 missing, damaged or not of this scenario (${join(dir, 'runs', 'brake', '40')}: summary.json has 100 bytes, its manifest recorded`);
    const r = levsim('run', SCENARIO, '--out', dir, ...SETS, '--set', 'runs.seeds=1', '--resume', '--quiet');
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(summary, 'utf8')).toBe(whole);
    expect(existsSync(join(dir, 'compare.json'))).toBe(true);
  });
});
