import { describe, expect, it } from 'vitest';
import { createHash } from 'crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { cli } from '../helpers/cli';
import { stableJson } from '../../sim/run/run-scenario';
import { OUTPUT_FORMAT } from '../../reports/manifest';
import { scenarioJsonSchema } from '../../sim/scenario/schema';
import { loadScenario } from '../../sim/scenario/loader';
import { buildWorld } from '../../sim/run/build';

const tmp = () => mkdtempSync(join(tmpdir(), 'levsim-'));
const readJson = (f: string) => JSON.parse(readFileSync(f, 'utf8'));
const all = readdirSync('scenarios').filter((f) => f.endsWith('.yaml')).map((f) => `scenarios/${f}`);
/** The walrasian scenarios run at paper length (a minute each); test/e2e/clearing.heavy.test.ts runs them shortened. */
const isWalrasian = (f: string) => /^\s*clearing:\s*walrasian/m.test(readFileSync(f, 'utf8'));
/** The benchmark scenarios (bench-*.yaml) are run by `npm run bench` and bench:check; here they are validated. */
const examples = all.filter((f) => !f.includes('/bench-') && !isWalrasian(f));

/** Comparison examples (compare: or runs:) write a folder per run and compare.json. */
const isComparison = (f: string) => /^(compare|runs):/m.test(readFileSync(f, 'utf8'));
/** Optimisation examples (optimize:) write a folder per candidate and seed, and optimize.json. */
const isOptimisation = (f: string) => /^optimize:/m.test(readFileSync(f, 'utf8'));

describe('every example scenario through the CLI', () => {
  for (const file of examples) {
    it(`${file} runs, writes its outputs, and its ledger residual stays ≤ 1e-9 relative`, async () => {
      const out = tmp();
      // Comparisons run 2 seeds here; the heavy suite runs them in full.
      // Optimisations run one round of 6 candidates × 2 seeds here.
      const extra = isComparison(file) ? ['--set', 'runs.seeds=2'] : isOptimisation(file) ? ['--set', 'optimize.candidates=6', '--set', 'optimize.seeds=2', '--set', 'optimize.budget=12'] : [];
      const r = await cli('run', file, '--out', out, '--quiet', ...extra);
      expect(r.err).toBe('');
      expect(r.code).toBe(0); // and every example's own assert: block passes
      const runDirs = isComparison(file) || isOptimisation(file)
        ? readdirSync(join(out, 'runs')).flatMap((p) => readdirSync(join(out, 'runs', p)).map((seed) => join(out, 'runs', p, seed)))
        : [out];
      if (isComparison(file)) expect(existsSync(join(out, 'compare.json'))).toBe(true);
      if (isOptimisation(file)) expect(existsSync(join(out, 'optimize.json'))).toBe(true);
      for (const dir of runDirs) {
        const s = readJson(join(dir, 'summary.json'));
        // A run of several assets: the world's ticks.csv, and each market's files named by its asset.
        // A run of several venues: each market named <venue>-<asset> (the manifest lists them), and nodes.csv.
        const markets = s.venues ? (readJson(join(dir, 'manifest.json')).assets as string[]) : s.assets ? (s.assets as string[]) : null;
        const suffixes = markets ? markets.map((x) => `-${x}`) : [''];
        const files = ['summary.json', 'ticks.csv', 'manifest.json', ...(s.venues ? ['nodes.csv'] : []), ...suffixes.flatMap((x) => [`cascades${x}.csv`, `liquidations${x}.csv`, ...(markets ? [`ticks${x}.csv`] : [])])];
        for (const f of files) expect(existsSync(join(dir, f)), `${dir}/${f}`).toBe(true);
        expect(s.ledger.maxRelativeResidual).toBeLessThanOrEqual(1e-9);
        expect(Math.abs(s.ledger.residual) / s.ledger.deposits).toBeLessThanOrEqual(1e-9);
        expect(readFileSync(join(dir, `ticks${suffixes[0]}.csv`), 'utf8').startsWith('tick,index,mark,')).toBe(true);
        expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
      }
    }, 120_000);
  }
});

describe('the benchmark scenarios', () => {
  it('validate', async () => {
    const benches = all.filter((f) => f.includes('/bench-'));
    expect(benches.length).toBe(4);
    const r = await cli('validate', ...benches);
    expect(r.code).toBe(0);
  });
});

describe('determinism', () => {
  it('two runs of the same scenario and seed give byte-identical data files', async () => {
    const a = tmp(), b = tmp();
    await cli('run', 'scenarios/flash-crash.yaml', '--out', a, '--quiet');
    await cli('run', 'scenarios/flash-crash.yaml', '--out', b, '--quiet');
    for (const f of ['summary.json', 'ticks.csv', 'cascades.csv', 'liquidations.csv']) {
      expect(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f).toBe(true);
    }
    const c = tmp();
    await cli('run', 'scenarios/flash-crash.yaml', '--out', c, '--quiet', '--seed', '8');
    expect(readFileSync(join(a, 'ticks.csv')).equals(readFileSync(join(c, 'ticks.csv')))).toBe(false);
  }, 120_000);
});

describe('flash-crash.yaml, the default demo', () => {
  it('keeps showing a multi-round cascade with amplification > 1', async () => {
    const out = tmp();
    const r = await cli('run', 'scenarios/flash-crash.yaml', '--out', out, '--quiet');
    expect(r.code).toBe(0);
    const s = readJson(join(out, 'summary.json'));
    expect(s.cascades.maxRounds).toBeGreaterThan(1);
    expect(s.amplification).toBeGreaterThan(1);
    expect(s.price.maxDrawdown).toBeGreaterThan(s.price.exogenousMaxDrawdown);
    // the shock tick's own cascade: several rounds, and the mark fell further than the shock
    const rows = readFileSync(join(out, 'cascades.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
    const shock = rows.find((r) => r[0] === 900)!;
    expect(shock[1]).toBeGreaterThan(1);
    expect(Math.log(shock[7]! / shock[5]!) / shock[8]!).toBeGreaterThan(1);
  }, 120_000);
});

describe('outputs', () => {
  it('summary.json has every documented key; manifest records version, output format, scenario hash and seed; liquidations.csv can be switched off', async () => {
    const out = tmp();
    await cli('run', 'scenarios/custom-strategy.yaml', '--out', out, '--quiet', '--set', 'outputs.liquidations=false', '--ticks', '400');
    const s = readJson(join(out, 'summary.json'));
    for (const k of ['scenario', 'seed', 'ticks', 'agents', 'ledger', 'liquidations', 'cascades', 'price', 'amplification', 'insuranceFund', 'adl', 'traders', 'efficiency']) expect(s, k).toHaveProperty(k);
    for (const k of ['deposits', 'withdrawals', 'equity', 'insuranceFund', 'feeRevenue', 'badDebt', 'residual']) expect(s.ledger).toHaveProperty(k);
    expect(s.ticks).toBe(400);
    expect(existsSync(join(out, 'liquidations.csv'))).toBe(false);
    const m = readJson(join(out, 'manifest.json'));
    expect(m.levsim).toBe(readJson('package.json').version);
    expect(m.outputFormat).toBe(OUTPUT_FORMAT);
    expect(Object.keys(m)).toEqual(['levsim', 'outputFormat', 'scenario', 'scenarioSha256', 'overrides', 'seed', 'policy', 'startedAt', 'finishedAt', 'node', 'files', 'executedOrders']);
    // Every file the run wrote before its manifest, as written; not the report (levsim report rebuilds it).
    const files = m.files as Record<string, { bytes: number; sha256: string }>;
    expect(Object.keys(files)).toEqual(readdirSync(out).filter((f) => f !== 'manifest.json' && f !== 'report.html').sort());
    for (const [f, rec] of Object.entries(files)) {
      const bytes = readFileSync(join(out, f));
      expect(rec, f).toEqual({ bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    }
    expect(m.scenarioSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(m.seed).toBe(5);
    expect(m.overrides).toEqual(['outputs.liquidations=false', 'ticks=400']);
    expect(Date.parse(m.finishedAt)).toBeGreaterThanOrEqual(Date.parse(m.startedAt));
  }, 60_000);

  it('the default output folder is out/<scenario name>/', async () => {
    const r = await cli('run', 'test/fixtures/failing-assert.yaml', '--quiet', '--force');
    expect(existsSync('out/failing-assert/summary.json')).toBe(true);
    expect(r.code).toBe(3);
  });
});

describe('scenario assertions', () => {
  it('a failing bound exits 3 with a pass/fail table and JUnit XML', async () => {
    const out = tmp();
    const junit = join(out, 'junit.xml');
    const r = await cli('test', 'test/fixtures/failing-assert.yaml', '--out', out, '--junit', junit);
    expect(r.code).toBe(3);
    expect(r.out).toContain('PASS  ledger.maxRelativeResidual');
    expect(r.out).toContain('FAIL  traders.total');
    expect(r.out).toContain('assertions failed: failing-assert: traders.total');
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('<testsuites name="levsim" tests="2" failures="1">');
    expect(xml).toContain('<testcase classname="failing-assert" name="traders.total"><failure message="traders.total = 50, expected ≥ 1000"/></testcase>');
  });

  it('a passing example exits 0 from levsim test', async () => {
    const r = await cli('test', 'scenarios/baseline.yaml', '--out', tmp(), '--ticks', '300');
    expect(r.code).toBe(0);
    expect(r.out).toContain('all assertions passed (1 scenario(s))');
    // and --ticks is checked like any field: a shock beyond the shortened run is bad input
    const bad = await cli('test', 'scenarios/custom-strategy.yaml', '--out', tmp(), '--ticks', '200');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('market.shocks[0].tick: found 300; allowed: a tick before the end of the run (ticks = 200');
  }, 60_000);
});

describe('custom strategies by path', () => {
  it('scenarios/strategies/breakout-chaser.ts is loaded and chases the break', async () => {
    const s = await loadScenario('scenarios/custom-strategy.yaml');
    expect(s.strategies[0]!.name).toBe('breakout-chaser');
    const w = buildWorld(s);
    const chasers = w.populations[0]!;
    const a = w.exchange.accounts;
    const shorts: number[] = [];
    w.bus.tick$.subscribe((t) => {
      if (t.tick !== 301) return;
      for (let k = 0; k < chasers.count; k++) if (a.size[chasers.first + k]! < 0) shorts.push(k);
    });
    w.simulation.run().subscribe();
    // the −6% shock at tick 300 is a break of more than 1% over 5 ticks: most chasers went short
    expect(shorts.length).toBeGreaterThan(chasers.count / 2);
  }, 60_000);
});

describe('levsim schema', () => {
  it('prints the JSON Schema generated from the same schema, and the committed copy is current', async () => {
    const r = await cli('schema');
    expect(r.code).toBe(0);
    expect(r.out).toBe(stableJson(scenarioJsonSchema()));
    expect(readFileSync('scenarios/levsim.schema.json', 'utf8')).toBe(r.out);
    const schema = JSON.parse(r.out);
    expect(schema.properties.agents.items.properties.strategy.type).toBe('string');
    for (const f of all) expect(readFileSync(f, 'utf8')).toContain('$schema=./levsim.schema.json');
  });

  it('--help and --version', async () => {
    const h = await cli('--help');
    expect(h.code).toBe(0);
    expect(h.out).toContain('run [options] <scenario>');
    expect(h.out).toContain('validate <scenarios...>');
    const v = await cli('--version');
    expect(v.out.trim()).toBe(readJson('package.json').version);
  });
});

describe('partial liquidation under the default fee', () => {
  it('differs from full liquidation on flash-crash (it was a no-op: fee 0.005 ≥ the first bracket\'s MMR 0.004)', async () => {
    const run = async (mode: string) => {
      const out = tmp();
      const r = await cli('run', 'scenarios/flash-crash.yaml', '--out', out, '--quiet', '--set', `exchange.liquidation.mode=${mode}`, '--set', 'outputs.report=false');
      expect(r.code).toBe(0);
      return readJson(join(out, 'summary.json'));
    };
    const full = await run('full'), partial = await run('partial');
    // Partial closes leave positions open: more liquidation events, and less left for the fund and
    // bad debt to cover. (Before the fee rule, the two runs were identical.)
    expect(partial.liquidations.count).toBeGreaterThan(full.liquidations.count);
    expect(partial.ledger.badDebt).toBeLessThan(full.ledger.badDebt);
  }, 120_000);
});
