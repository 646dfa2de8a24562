import { describe, expect, it } from 'vitest';
import { spawn } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { cli } from '../helpers/cli';

const tmp = () => mkdtempSync(join(tmpdir(), 'levsim-pool-'));
const SCENARIO = 'test/fixtures/compare/small.yaml';
const files = (dir: string) => ['compare.json', 'compare.csv'].map((f) => readFileSync(join(dir, f)));
const manifests = (dir: string) => (existsSync(join(dir, 'runs')) ? readdirSync(join(dir, 'runs')).flatMap((p) => readdirSync(join(dir, 'runs', p)).filter((s) => existsSync(join(dir, 'runs', p, s, 'manifest.json')))).length : 0);

describe('the worker pool', () => {
  it('gives byte-identical results with 1 and with 2 workers', async () => {
    const a = tmp(), b = tmp();
    expect((await cli('run', SCENARIO, '--out', a, '--quiet', '--workers', '1')).code).toBe(0);
    expect((await cli('run', SCENARIO, '--out', b, '--quiet', '--workers', '2')).code).toBe(0);
    const [ja, ca] = files(a), [jb, cb] = files(b);
    expect(ja!.equals(jb!)).toBe(true);
    expect(ca!.equals(cb!)).toBe(true);
    for (const p of ['fixed-20x', 'cap-50']) for (const seed of [40, 43]) {
      for (const f of ['summary.json', 'ticks.csv', 'cascades.csv', 'liquidations.csv']) {
        expect(readFileSync(join(a, 'runs', p, String(seed), f)).equals(readFileSync(join(b, 'runs', p, String(seed), f))), `${p}/${seed}/${f}`).toBe(true);
      }
    }
  }, 300_000);

  it('survives SIGKILL midway: --resume skips the finished runs and ends with the same compare.json', async () => {
    const ref = tmp(), out = tmp();
    const sets = ['--set', 'runs.seeds=10', '--set', 'outputs.report=false'];
    expect((await cli('run', SCENARIO, '--out', ref, '--quiet', '--workers', '2', ...sets)).code).toBe(0);
    const child = spawn(process.execPath, ['bin/levsim.js', 'run', SCENARIO, '--out', out, '--quiet', '--workers', '2', ...sets], { stdio: 'ignore' });
    // Kill it once some runs, not all, are complete.
    await new Promise<void>((res, rej) => {
      const t = setInterval(() => {
        const n = manifests(out);
        if (n >= 8) { clearInterval(t); child.kill('SIGKILL'); res(); }
      }, 20);
      child.on('exit', () => { clearInterval(t); rej(new Error('the sweep finished before it could be killed')); });
    });
    await new Promise((res) => child.on('exit', res));
    const before = manifests(out);
    expect(before).toBeGreaterThanOrEqual(8);
    expect(before).toBeLessThan(50);
    expect(existsSync(join(out, 'compare.json'))).toBe(false);
    const r = await cli('run', SCENARIO, '--out', out, '--quiet', '--workers', '2', '--resume', ...sets);
    expect(r.code).toBe(0);
    const [jr, cr] = files(ref), [jo, co] = files(out);
    expect(jo!.equals(jr!)).toBe(true);
    expect(co!.equals(cr!)).toBe(true);
  }, 300_000);

  it('--resume re-runs a run whose manifest does not match this scenario', async () => {
    const out = tmp();
    const sets = ['--set', 'outputs.report=false'];
    expect((await cli('run', SCENARIO, '--out', out, '--quiet', '--workers', '1', ...sets)).code).toBe(0);
    const dir = join(out, 'runs', 'brake', '41');
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...m, scenarioSha256: '0'.repeat(64), finishedAt: 'stale' }));
    writeFileSync(join(dir, 'summary.json'), '{"tampered": true}');
    const other = readFileSync(join(out, 'runs', 'brake', '40', 'manifest.json'), 'utf8');
    expect((await cli('run', SCENARIO, '--out', out, '--quiet', '--workers', '1', '--resume', ...sets)).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).finishedAt).not.toBe('stale'); // re-run
    expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).policy).toBe('brake');
    expect(readFileSync(join(out, 'runs', 'brake', '40', 'manifest.json'), 'utf8')).toBe(other); // skipped: untouched
  }, 300_000);
});
