import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { spawnSync } from 'child_process';
import { levsim } from '../helpers/cli-process';

const tmp = () => mkdtempSync(join(tmpdir(), 'levsim-bad-'));
const bad = (name: string) => `test/fixtures/bad/${name}.yaml`;
const SMALL = 'test/fixtures/failing-assert.yaml';

/** Exit 2, a message and no stack trace. */
function expectBadInput(r: { code: number | null; err: string }): void {
  expect(r.code).toBe(2);
  expect(r.err).not.toMatch(/\n\s+at /);
}

describe('bad input: exit 2, the field named, no stack trace, nothing written (the real CLI, as a process)', () => {
  it('run folder names: unique (explicit vs grid, 10 vs 10.0) and path-safe', () => {
    const d = levsim('validate', bad('duplicate-names'));
    expectBadInput(d);
    expect(d.err).toMatchInlineSnapshot(`
      "test/fixtures/bad/duplicate-names.yaml:9:104: compare.grid.values[0]: the run name "cap-10" is already the name of compare.policies[0]; allowed: names used once (each names a run folder)
      test/fixtures/bad/duplicate-names.yaml:9:108: compare.grid.values[1]: the run name "cap-10" is already the name of compare.policies[0]; allowed: names used once (each names a run folder)
      "
    `);
    const out = tmp();
    const r = levsim('run', bad('dot-names'), '--out', join(out, 'x'));
    expectBadInput(r);
    expect(r.err).toMatchInlineSnapshot(`
      "test/fixtures/bad/dot-names.yaml:2:7: name: found ".."; allowed: a name that is not only dots (it names an output folder)
      test/fixtures/bad/dot-names.yaml:8:15: compare.policies[0].name: found "."; allowed: a name that is not only dots (it names an output folder)
      test/fixtures/bad/dot-names.yaml:9:15: compare.policies[1].name: found ".."; allowed: a name that is not only dots (it names an output folder)
      "
    `);
    expect(readdirSync(out)).toEqual([]);
  });

  it('an agent name with a dot is refused: it is a key of summary paths (populations.<name>.pnl), which a dot would split (review finding: the run wrote its data files, then its report failed, exit 1)', () => {
    const out = tmp();
    const r = levsim('run', 'scenarios/custom-strategy.yaml', '--out', join(out, 'x'), '--set', 'agents[0].name=chasers.v1');
    expectBadInput(r);
    expect(r.err).toMatchInlineSnapshot(`
      "--set: agents[0].name: letters, digits, _ - only; found "chasers.v1"
      "
    `);
    expect(readdirSync(out)).toEqual([]);
  });

  it('money and leverage: negatives, distributions that can draw negatives, zero leverage, 1e308', () => {
    const r = levsim('validate', bad('bad-money'));
    expectBadInput(r);
    expect(r.err).toMatchInlineSnapshot(`
      "test/fixtures/bad/bad-money.yaml:6:55: agents[0].collateral: found -5; allowed: values 0 ≤ x ≤ 1e+15 (quote)
      test/fixtures/bad/bad-money.yaml:7:55: agents[1].collateral: a normal distribution that can draw any negative value (it has no min); allowed: values 0 ≤ x ≤ 1e+15 (quote)
      test/fixtures/bad/bad-money.yaml:7:104: agents[1].leverage: found 0; allowed: values 0 < x ≤ 10000 (times equity)
      test/fixtures/bad/bad-money.yaml:8:84: agents[2].reserve: found -1; allowed: values 0 ≤ x ≤ 1e+15 (quote)
      test/fixtures/bad/bad-money.yaml:8:71: agents[2].leverage: found -3; allowed: values 0 < x ≤ 10000 (times equity)
      test/fixtures/bad/bad-money.yaml:9:55: agents[3].collateral: found 1e+308; allowed: values 0 ≤ x ≤ 1e+15 (quote)
      test/fixtures/bad/bad-money.yaml:9:74: agents[3].leverage: a lognormal distribution that can draw 2.65e+11; allowed: values 0 < x ≤ 10000 (times equity)
      "
    `);
  });

  it('what the fuzzer found running: a shock of +9e15 broke the ledger, a strategy parameter of 1e308 wrote NaN', () => {
    const r = levsim('run', 'scenarios/flash-crash.yaml', '--out', join(tmp(), 'never'), '--set', 'market.shocks[0].return=9007199254740992', '--set', 'agents[5].params.volSensitivity=1e308');
    expectBadInput(r);
    expect(r.err).toMatchInlineSnapshot(`
      "--set: market.shocks[0].return: found 9007199254740992; allowed: a simple return from −1 (excluded) to 10 (+1,000%)
      --set: agents[5].params.volSensitivity: found 1e+308; allowed: 0 to 1000000000 (per unit of σ̂/σ_ref − 1)
      "
    `);
  });

  it('replay paths: words in the tick column, too few rows; warm-up as long as the run', () => {
    const w = levsim('validate', bad('replay-words'));
    expectBadInput(w);
    expect(w.err).toContain('replay-words.yaml:4:42: market.process.file: replay-words.csv:2: found "zero" in the tick column; allowed: a tick number');
    const s = levsim('validate', bad('replay-short'));
    expectBadInput(s);
    expect(s.err).toMatchInlineSnapshot(`
      "test/fixtures/bad/replay-short.yaml:4:24: market.warmupTicks: found 10; allowed: fewer than ticks (10), so that some ticks run after the warm-up
      test/fixtures/bad/replay-short.yaml:4:59: market.process.file: replay-short.csv has 3 price row(s); allowed: at least ticks + 1 = 11 (the start price and one per tick)
      "
    `);
  });

  it('--set errors name --set (or --ticks), never a line of the file', () => {
    const r = levsim('validate', SMALL);
    expect(r.code).toBe(0);
    const cases: [string[], string][] = [
      [['--set', 'market.startPrice=[1,'], "--set: 'market.startPrice=[1,': the value is not valid YAML (Flow sequence must end with a ])"],
      [['--set', 'ticks.foo=3'], "--set: 'ticks.foo=3': ticks is 50, not a map or list"],
      [['--set', 'agents[5].count=3'], "--set: 'agents[5].count=3': agents has 1 item(s); allowed: an index 0..0"],
      [['--set', 'agents[0].count=-3'], '--set: agents[0].count: found -3; allowed: a number > 0'],
      [['--ticks', '1000000000000'], '--ticks: ticks: found 1000000000000: the run\'s per-tick columns and its agents need about'],
    ];
    for (const [args, message] of cases) {
      const x = levsim('run', SMALL, '--out', join(tmp(), 'never'), ...args);
      expectBadInput(x);
      expect(x.err, args.join(' ')).toContain(message);
    }
  });

  it('custom modules that cannot load say why: a syntax error with its place, a throw at import, a missing package', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'syntax.ts'), "export default { name: 'x', params: {},\n  decide() { return 1 +; } };\n");
    writeFileSync(join(dir, 'throws.ts'), "throw new Error('cannot start: no API key');\n");
    writeFileSync(join(dir, 'missing.ts'), "import pad from 'left-pad-not-installed';\nexport default { name: 'x', params: {}, decide: () => pad };\n");
    writeFileSync(join(dir, 's.yaml'), ['name: modules', 'ticks: 20', 'agents:', ...['syntax', 'throws', 'missing'].map((m) => `  - { name: ${m}, count: 5, strategy: ./${m}.ts, collateral: 1000 }`)].join('\n') + '\n');
    const r = levsim('validate', join(dir, 's.yaml'));
    expectBadInput(r);
    expect(r.err.replaceAll(dir, 'DIR')).toMatchInlineSnapshot(`
      "DIR/s.yaml:4:41: agents[0].strategy: module "./syntax.ts" cannot be loaded: it has a syntax error at 2:24: Expression expected.
      DIR/s.yaml:5:41: agents[1].strategy: module "./throws.ts" cannot be loaded: it threw while loading: Error: cannot start: no API key
      DIR/s.yaml:6:42: agents[2].strategy: module "./missing.ts" cannot be loaded: it imports "left-pad-not-installed", which cannot be found (not installed, or a wrong path)
      "
    `);
  });

  it('--workers 0 or negative is refused for single runs too', () => {
    for (const w of ['0', '-2']) {
      const r = levsim('run', SMALL, '--out', join(tmp(), 'never'), '--workers', w);
      expectBadInput(r);
      expect(r.err).toContain(`--workers: found ${w}; allowed: a whole number ≥ 1`);
    }
  });

  it('`levsim schema | head -1` ends quietly; --version works without a writable cache folder', () => {
    const pipe = spawnSync('sh', ['-c', 'node bin/levsim.js schema | head -1; echo "status ${PIPESTATUS:-0}"'], { encoding: 'utf8' });
    expect(pipe.stdout.split('\n')[0]).toBe('{');
    expect(pipe.stderr).toBe('');
    const file = join(tmp(), 'a-file');
    writeFileSync(file, '');
    // Both cache candidates lie under a file: no cache at all, and it still starts.
    const v = spawnSync(process.execPath, ['bin/levsim.js', '--version'], { encoding: 'utf8', env: { ...process.env, LEVSIM_TS_CACHE: join(file, 'c'), XDG_CACHE_HOME: join(file, 'x') } });
    expect(v.status).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    // The project's cache is unusable: the user's cache folder takes over.
    const home = tmp();
    const u = spawnSync(process.execPath, ['bin/levsim.js', '--version'], { encoding: 'utf8', env: { ...process.env, LEVSIM_TS_CACHE: join(file, 'c'), XDG_CACHE_HOME: home } });
    expect(u.status).toBe(0);
    expect(readdirSync(join(home, 'levsim', 'ts-js')).length).toBeGreaterThan(0);
  });
});

describe('the output folder', () => {
  it('--out that is a file, or under a file: exit 2, nothing written', () => {
    const file = join(tmp(), 'f');
    writeFileSync(file, 'mine');
    const a = levsim('run', SMALL, '--out', file);
    expectBadInput(a);
    expect(a.err).toBe(`--out: ${file} is a file; allowed: a folder (new, empty, or levsim's own)\n`);
    const b = levsim('run', SMALL, '--out', join(file, 'sub'));
    expectBadInput(b);
    expect(b.err).toBe(`--out: ${join(file, 'sub')} is under a file; allowed: a folder path\n`);
    expect(readFileSync(file, 'utf8')).toBe('mine');
  });

  it('--junit and schema --out that are a folder or under a file: exit 2 before anything runs, nothing written', () => {
    // They were written after the run, and failed there as internal errors with a stack trace,
    // leaving their temporary file behind.
    const dir = tmp();
    const file = join(dir, 'f');
    writeFileSync(file, 'mine');
    const out = join(dir, 'out');
    for (const [path, found] of [[dir, 'is a folder'], [join(file, 'j.xml'), `is under a file (${file})`]] as const) {
      for (const args of [['run', SMALL, '--out', out, '--junit', path], ['test', SMALL, '--out', out, '--junit', path], ['schema', '--out', path]]) {
        const r = levsim(...args);
        expectBadInput(r);
        const flag = args[0] === 'schema' ? '--out' : '--junit';
        expect(r.err).toBe(`${flag}: ${path} ${found}; allowed: a file path whose folder exists or can be made\n`);
      }
    }
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['f']);
    expect(readFileSync(file, 'utf8')).toBe('mine');
    // The --out folder itself, not yet made: refused before the run, not after it.
    const same = levsim('run', SMALL, '--out', out, '--junit', out);
    expectBadInput(same);
    expect(same.err).toBe(`--junit: ${out} is the --out folder; allowed: a file path outside it or in it\n`);
    expect(existsSync(out)).toBe(false);
  });

  it('levsim report on a damaged result file: exit 2 naming the file', () => {
    // JSON.parse and the report's reads of the file failed as internal errors with a stack trace.
    const dir = tmp();
    for (const [name, text, found] of [
      ['summary.json', '{"ticks": 1', 'found no JSON'],
      ['compare.json', '{"policies": 3, "seeds": [], "metrics": [], "paired": []}', 'found no list at policies'],
      ['compare.json', '{"policies": [], "seeds": [], "paired": []}', 'found no list at metrics'],
      ['optimize.json', '{}', 'found no list at rounds'],
      ['summary.json', '[1, 2]', 'found no object'],
    ] as const) {
      const d = join(dir, `${name}-${found.length}`);
      mkdirSync(d);
      writeFileSync(join(d, name), text);
      const r = levsim('report', d);
      expectBadInput(r);
      expect(r.err).toContain(`${join(d, name)}: ${found}`);
      expect(readdirSync(d)).toEqual([name]);
    }
  });

  it('levsim report on a run whose data files are damaged, cut short or lack a field: exit 2 naming file, line and what was found; report.html untouched', () => {
    // parseCsv read a cut or edited cell as NaN and the report was written as if whole (exit 0); a
    // summary.json without a field the report reads crashed it with a stack trace (exit 1).
    const src = tmp();
    expect(levsim('run', SMALL, '--out', src, '--quiet').code).toBe(3); // its assertion fails by design; the files are whole
    const ticks = readFileSync(join(src, 'ticks.csv'), 'utf8').trimEnd().split('\n');
    const summary = JSON.parse(readFileSync(join(src, 'summary.json'), 'utf8')) as { price: Record<string, unknown>; populations: Record<string, Record<string, unknown>> };
    const pop = Object.keys(summary.populations)[0]!;
    const cut = [...ticks.slice(0, 40), ticks[40]!.slice(0, 25)];
    const edited = ticks.map((l, k) => (k === 7 ? l.replace(/^(\d+),[^,]+,/, '$1,oops,') : l));
    const noMaxDrawdown = { ...summary, price: { ...summary.price, maxDrawdown: undefined } };
    const noPnl = { ...summary, populations: { ...summary.populations, [pop]: { ...summary.populations[pop], pnl: undefined } } };
    for (const [file, text, found] of [
      ['ticks.csv', cut.join('\n') + '\n', /ticks\.csv:41:1: found \d+ cells; allowed: \d+, one per column of the header \(tick,index,mark,/],
      ['ticks.csv', edited.join('\n') + '\n', /ticks\.csv:8:1: column index: found "oops"; allowed: a number\n$/],
      ['ticks.csv', ticks.slice(0, 30).join('\n') + '\n', /ticks\.csv: found 29 rows; allowed: one per tick of the run \(\d+, summary\.json's ticks\)\n$/],
      ['summary.json', JSON.stringify(noMaxDrawdown), /summary\.json: found no price\.maxDrawdown; allowed: the summary\.json levsim wrote, with every field of its run\n$/],
      ['summary.json', JSON.stringify(noPnl), new RegExp(`summary\\.json: found no populations\\.${pop}\\.pnl; allowed`)],
    ] as const) {
      const d = tmp();
      for (const f of readdirSync(src)) writeFileSync(join(d, f), readFileSync(join(src, f)));
      writeFileSync(join(d, file), text);
      const before = readFileSync(join(d, 'report.html'), 'utf8');
      const r = levsim('report', d);
      expectBadInput(r);
      expect(r.err.startsWith(join(d, file))).toBe(true);
      expect(r.err).toMatch(found);
      expect(readFileSync(join(d, 'report.html'), 'utf8')).toBe(before);
    }
    // The files as the run wrote them still make a report.
    expect(levsim('report', src).code).toBe(0);
  });

  it('levsim report on a run folder without manifest.json (a run stopped before it finished): exit 2, no report.html', () => {
    // A run stopped by a failure elsewhere in its sweep can keep summary.json and its CSVs; the
    // report was built from them as if the run had finished (exit 0).
    const src = tmp();
    expect(levsim('run', SMALL, '--out', src, '--quiet').code).toBe(3); // its assertion fails by design; the files are whole
    const d = tmp();
    for (const f of readdirSync(src)) if (f !== 'manifest.json' && f !== 'report.html') writeFileSync(join(d, f), readFileSync(join(src, f)));
    const r = levsim('report', d);
    expectBadInput(r);
    expect(r.err).toBe(`${d}: incomplete run: no manifest.json; allowed: the folder of a finished run\n`);
    expect(existsSync(join(d, 'report.html'))).toBe(false);
    writeFileSync(join(d, 'manifest.json'), '{"scenario":');
    const damaged = levsim('report', d);
    expectBadInput(damaged);
    expect(damaged.err).toContain(`${join(d, 'manifest.json')}: found no JSON`);
    expect(existsSync(join(d, 'report.html'))).toBe(false);
  });

  it('levsim report on a comparison one of whose read runs has no manifest.json: exit 2 naming that run', () => {
    const out = tmp();
    expect(levsim('run', 'test/fixtures/compare/small.yaml', '--out', out, '--quiet', '--workers', '1').code).toBe(0);
    const compare = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8')) as { seeds: number[]; policies: { name: string }[] };
    const run = join(out, 'runs', compare.policies[1]!.name, String(compare.seeds[0]));
    rmSync(join(run, 'manifest.json'));
    const before = readFileSync(join(out, 'report.html'), 'utf8');
    const r = levsim('report', out);
    expectBadInput(r);
    expect(r.err).toBe(`${run}: incomplete run: no manifest.json; allowed: the folder of a finished run\n`);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toBe(before);
  });

  it('levsim test refuses two scenarios that would write one folder, before either runs; --resume with --force is refused', () => {
    // Both map to out/<name>: the second was refused (or, with --force, replaced the first's
    // outputs) only after the first had run.
    const dir = tmp();
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    for (const d of ['a', 'b']) writeFileSync(join(dir, d, 'x.yaml'), readFileSync(SMALL, 'utf8'));
    const r = levsim('test', join(dir, 'a', 'x.yaml'), join(dir, 'b', 'x.yaml'), '--out', join(dir, 'out'), '--force');
    expectBadInput(r);
    expect(r.err).toContain(`${join(dir, 'b', 'x.yaml')}: writes into ${join(dir, 'out', 'x')}, as ${join(dir, 'a', 'x.yaml')} does`);
    expect(existsSync(join(dir, 'out'))).toBe(false);
    const both = levsim('run', SMALL, '--out', join(dir, 'out'), '--resume', '--force');
    expectBadInput(both);
    expect(both.err).toContain('--force: with --resume');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('levsim test checks every scenario before it runs any', () => {
    // A bad file after a good one used to stop the command only once the good one had run and
    // written its outputs.
    const dir = tmp();
    const r = levsim('test', SMALL, bad('replay-short'), '--out', join(dir, 'out'), '--junit', join(dir, 'j.xml'));
    expectBadInput(r);
    expect(r.err).toContain('replay-short.yaml:4:24: market.warmupTicks');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a second run into a used folder is refused; --force replaces levsim\'s files only; stale temporaries go', () => {
    const out = tmp();
    expect(levsim('run', SMALL, '--out', out, '--quiet').code).toBe(3);
    expect(existsSync(join(out, 'ticks.csv'))).toBe(true);
    const again = levsim('run', SMALL, '--out', out, '--quiet', '--set', 'outputs.ticks=false');
    expectBadInput(again);
    expect(again.err).toContain(`--out: ${out} holds another run's files (`);
    writeFileSync(join(out, 'notes.txt'), 'my notes');
    mkdirSync(join(out, 'mine'));
    writeFileSync(join(out, 'summary.json.tmp-999999'), 'left by a SIGKILL');
    const forced = levsim('run', SMALL, '--out', out, '--quiet', '--force', '--set', 'outputs.ticks=false');
    expect(forced.code).toBe(3);
    // the first run's ticks.csv is gone (report.html is the new run's), the user's files stay, the temporary went
    expect(readdirSync(out).sort()).toEqual(['cascades.csv', 'liquidations.csv', 'manifest.json', 'mine', 'notes.txt', 'report.html', 'scenario.yaml', 'summary.json']);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('my notes');
  });

  it('--force also removes the files a run writes under other names (Parquet, per market), and no file of the user\'s', () => {
    // The list of levsim's files had only the single-asset CSV names: a Parquet or multi-asset run's
    // files stayed beside the next run's. A per-market table is levsim's when the run that wrote
    // the folder recorded that market; a user's ticks-clean.csv is not.
    const out = tmp();
    expect(levsim('run', SMALL, '--out', out, '--quiet', '--set', 'outputs.format=[csv, parquet]').code).toBe(3);
    expect(existsSync(join(out, 'ticks.parquet'))).toBe(true);
    writeFileSync(join(out, 'ticks-clean.csv'), 'the user\'s');
    expect(levsim('run', SMALL, '--out', out, '--quiet', '--force').code).toBe(3);
    expect(readdirSync(out).filter((f) => f.endsWith('.parquet'))).toEqual([]);
    expect(readFileSync(join(out, 'ticks-clean.csv'), 'utf8')).toBe('the user\'s');
    const multi = tmp();
    expect(levsim('run', 'test/fixtures/multi-asset.yaml', '--out', multi, '--quiet', '--ticks', '300').code).toBe(0);
    expect(existsSync(join(multi, 'ticks-BTC.csv'))).toBe(true);
    writeFileSync(join(multi, 'ticks-clean.csv'), 'the user\'s');
    expect(levsim('run', SMALL, '--out', multi, '--quiet', '--force').code).toBe(3);
    expect(readdirSync(multi).filter((f) => /-(BTC|ETH|SOL)\.csv$/.test(f) || f === 'usage.csv')).toEqual([]);
    expect(existsSync(join(multi, 'ticks-clean.csv'))).toBe(true);
  });
});
