import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const tmp = () => mkdtempSync(join(tmpdir(), 'levsim-signals-'));
const manifests = (dir: string) => (existsSync(join(dir, 'runs')) ? readdirSync(join(dir, 'runs')).flatMap((p) => readdirSync(join(dir, 'runs', p)).filter((s) => existsSync(join(dir, 'runs', p, s, 'manifest.json')))).length : 0);
/** Every file under `dir`, as relative paths. */
const files = (dir: string): string[] => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));

describe('interrupting a comparison', () => {
  for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${sig}: exits ${code}, removes the runs' temporary files, keeps complete runs, writes no compare.json`, async () => {
      const out = tmp();
      const child = spawn(process.execPath, ['bin/levsim.js', 'run', 'test/fixtures/compare/small.yaml', '--out', out, '--quiet', '--workers', '2', '--set', 'runs.seeds=10', '--set', 'outputs.report=false'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      await new Promise<void>((res, rej) => {
        const t = setInterval(() => {
          if (manifests(out) >= 2) { clearInterval(t); child.kill(sig); res(); }
        }, 20);
        child.on('exit', () => { clearInterval(t); rej(new Error('the comparison finished before it could be interrupted')); });
      });
      const exit = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
      expect(exit).toBe(code);
      expect(err).toContain(`levsim: interrupted (${sig}); complete runs are kept, --resume continues`);
      expect(files(out).filter((f) => /\.tmp-\d+/.test(f))).toEqual([]);
      expect(existsSync(join(out, 'compare.json'))).toBe(false);
      expect(manifests(out)).toBeGreaterThanOrEqual(2);
    });
  }
});

describe('interrupting an optimisation', () => {
  it('SIGINT: exits 130, removes the runs\' temporary files, keeps complete runs, writes no optimize.json; --resume then ends as a clean run does', async () => {
    const out = tmp();
    const child = spawn(process.execPath, ['bin/levsim.js', 'run', 'test/fixtures/optimize/small.yaml', '--out', out, '--quiet', '--workers', '2', '--set', 'optimize.candidates=10', '--set', 'optimize.seeds=4', '--set', 'optimize.budget=40'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    await new Promise<void>((res, rej) => {
      const t = setInterval(() => {
        if (manifests(out) >= 2) { clearInterval(t); child.kill('SIGINT'); res(); }
      }, 20);
      child.on('exit', () => { clearInterval(t); rej(new Error('the optimisation finished before it could be interrupted')); });
    });
    const exit = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
    expect(exit).toBe(130);
    expect(err).toContain('levsim: interrupted (SIGINT); complete runs are kept, --resume continues');
    expect(files(out).filter((f) => /\.tmp-\d+/.test(f))).toEqual([]);
    expect(existsSync(join(out, 'optimize.json'))).toBe(false);
    expect(manifests(out)).toBeGreaterThanOrEqual(2);
    const sets = ['--set', 'optimize.candidates=10', '--set', 'optimize.seeds=4', '--set', 'optimize.budget=40'];
    const clean = tmp();
    expect(spawnSync(process.execPath, ['bin/levsim.js', 'run', 'test/fixtures/optimize/small.yaml', '--out', out, '--quiet', '--resume', ...sets]).status).toBe(0);
    expect(spawnSync(process.execPath, ['bin/levsim.js', 'run', 'test/fixtures/optimize/small.yaml', '--out', clean, '--quiet', ...sets]).status).toBe(0);
    expect(readFileSync(join(out, 'optimize.json'), 'utf8')).toBe(readFileSync(join(clean, 'optimize.json'), 'utf8'));
  });
});
