import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { levsim } from '../helpers/cli-process';

// Five policies × two seeds of a short, small market: a sweep whose runs can be damaged one by one.
const SCENARIO = 'test/fixtures/compare/small.yaml';
const SETS = ['--ticks', '60', ...['runs.seeds=2', 'outputs.report=false', 'market.shocks[0].tick=40'].flatMap((s) => ['--set', s])];
const tmp = () => mkdtempSync(join(tmpdir(), 'levsim-damage-'));

/** A complete sweep in a new folder, and the bytes of its compare.json. */
function sweep(args: string[] = []): { dir: string; compare: Buffer } {
  const dir = tmp();
  const r = levsim('run', SCENARIO, '--out', dir, ...SETS, '--workers', '2', '--quiet', ...args);
  expect(r.code, r.err).toBe(0);
  return { dir, compare: existsSync(join(dir, 'compare.json')) ? readFileSync(join(dir, 'compare.json')) : Buffer.alloc(0) };
}

describe('a run whose data or summary was damaged after its manifest was written is not complete', () => {
  it('--resume runs it again: ticks.csv cut short or deleted, summary.json replaced by {} (review: all three were kept, and {} averaged with n 1)', () => {
    const { dir, compare } = sweep();
    const run = join(dir, 'runs', 'brake', '41');
    const ticks = readFileSync(join(run, 'ticks.csv'));
    const summary = readFileSync(join(run, 'summary.json'));
    const damage: [string, () => void][] = [
      ['ticks.csv cut short', () => truncateSync(join(run, 'ticks.csv'), 100)],
      ['ticks.csv deleted', () => rmSync(join(run, 'ticks.csv'))],
      ['summary.json {}', () => writeFileSync(join(run, 'summary.json'), '{}\n')],
    ];
    for (const [what, hurt] of damage) {
      hurt();
      const r = levsim('run', SCENARIO, '--out', dir, ...SETS, '--workers', '2', '--resume', '--quiet');
      expect(r.code, `${what}: ${r.err}`).toBe(0);
      expect(readFileSync(join(run, 'ticks.csv')).equals(ticks), what).toBe(true);
      expect(readFileSync(join(run, 'summary.json')).equals(summary), what).toBe(true);
      expect(readFileSync(join(dir, 'compare.json')).equals(compare), what).toBe(true);
    }
  });

  it('levsim aggregate refuses it (exit 2), naming the run folder and what is wrong; nothing written', () => {
    const { dir } = sweep(['--shard', '1/1']);
    const run = join(dir, 'runs', 'brake', '41');
    truncateSync(join(run, 'ticks.csv'), 100);
    const a = levsim('aggregate', dir);
    expect(a.code, a.err).toBe(2);
    expect(a.err).toContain(`${run}: ticks.csv has 100 bytes`);
    expect(a.err).not.toMatch(/internal error|\n\s+at /);
    expect(existsSync(join(dir, 'compare.json'))).toBe(false);
    writeFileSync(join(run, 'summary.json'), '{}\n');
    const b = levsim('aggregate', dir);
    expect(b.code, b.err).toBe(2);
    expect(b.err).toContain(`${run}: summary.json has 3 bytes`);
  });
});

describe('levsim aggregate on a damaged folder: bad input (exit 2), never an internal error', () => {
  it('a first manifest cut short or null, a stray file in runs/: the next readable manifest gives the sweep (review: SyntaxError, ENOTDIR, TypeError with stack traces)', () => {
    const { dir } = sweep(['--shard', '1/1']);
    const runs = join(dir, 'runs');
    writeFileSync(join(runs, 'notes.txt'), 'my notes\n');
    writeFileSync(join(runs, 'brake', 'notes.txt'), 'my notes\n');
    // runs/ in name order: brake comes first, and its seed 40 first of all.
    truncateSync(join(runs, 'brake', '40', 'manifest.json'), 50);
    const a = levsim('aggregate', dir);
    expect(a.code, a.err).toBe(2);
    expect(a.err).toContain(`${join(runs, 'brake', '40')}: manifest.json does not read as a manifest`);
    expect(a.err).not.toMatch(/internal error|\n\s+at /);
    writeFileSync(join(runs, 'brake', '40', 'manifest.json'), 'null\n');
    const b = levsim('aggregate', dir);
    expect(b.code, b.err).toBe(2);
    expect(b.err).toContain(`${join(runs, 'brake', '40')}: manifest.json does not read as a manifest`);
    expect(b.err).not.toMatch(/internal error|\n\s+at /);
  });

  it('no readable manifest at all: exit 2 naming the folder', () => {
    const dir = tmp();
    mkdirSync(join(dir, 'runs', 'a', '1'), { recursive: true });
    writeFileSync(join(dir, 'runs', 'a', '1', 'manifest.json'), '{"scen');
    writeFileSync(join(dir, 'runs', 'stray'), '');
    const a = levsim('aggregate', dir);
    expect(a.code, a.err).toBe(2);
    expect(a.err).toContain(`${dir}: no finished run found`);
  });
});

describe('--out whose runs/ (or a run folder) is a file', () => {
  it('is refused as bad input (exit 2), with or without --resume or --force (review: ENOTDIR exit 1, a stack trace with --resume)', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'runs'), 'not a folder\n');
    for (const flag of [[], ['--resume'], ['--force']]) {
      const r = levsim('run', SCENARIO, '--out', dir, ...SETS, '--workers', '1', '--quiet', ...flag);
      expect(r.code, `${flag.join(' ')}: ${r.err}`).toBe(2);
      expect(r.err).toBe(`--out: ${join(dir, 'runs')} is a file; allowed: a folder\n`);
    }
    expect(readFileSync(join(dir, 'runs'), 'utf8')).toBe('not a folder\n');
  });

  it('a run folder that is a file: --resume replaces it with the run (review: a stack trace from clearPartial); a policy folder that is a file: exit 2', () => {
    const dir = tmp();
    mkdirSync(join(dir, 'runs', 'brake'), { recursive: true });
    writeFileSync(join(dir, 'runs', 'brake', '41'), 'not a folder\n');
    const r = levsim('run', SCENARIO, '--out', dir, ...SETS, '--workers', '1', '--quiet', '--resume');
    expect(r.code, r.err).toBe(0);
    expect(existsSync(join(dir, 'runs', 'brake', '41', 'manifest.json'))).toBe(true);
    const other = tmp();
    mkdirSync(join(other, 'runs'));
    writeFileSync(join(other, 'runs', 'brake'), 'not a folder\n');
    const p = levsim('run', SCENARIO, '--out', other, ...SETS, '--workers', '1', '--quiet', '--resume');
    expect(p.code, p.err).toBe(2);
    expect(p.err).toBe(`--out: ${join(other, 'runs', 'brake')} is a file; allowed: a folder\n`);
  });
});
