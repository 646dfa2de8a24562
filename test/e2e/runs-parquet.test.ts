import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { cli } from '../helpers/cli';
import { parquetSchema, readParquet } from '../helpers/duckdb';
import { loadScenario } from '../../sim/scenario/loader';
import { comparePlan, planJobs } from '../../sim/run/compare';
import { SUMMARY_PATHS, summaryValue, type RunSummary } from '../../sim/metrics/summary';
import { gridValues, runsTable, SUMMARY_COUNT_PATHS, writeRunsParquet } from '../../reports/runs-parquet';

describe('runs.parquet: one row per run of a sweep', () => {
  it('declares as counts only summary fields that exist', () => {
    for (const p of SUMMARY_COUNT_PATHS) expect(SUMMARY_PATHS, p).toContain(p);
  });

  it('is written by a sweep whose outputs.format includes parquet: policy, seed, grid values and every scalar summary field, typed, equal to each run\'s summary.json (read by DuckDB)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'levsim-runs-'));
    const sets = ['runs.seeds=2', 'outputs.report=false', 'outputs.format=[csv, parquet]'];
    const r = await cli('run', 'test/fixtures/compare/small.yaml', '--out', out, ...sets.flatMap((s) => ['--set', s]));
    expect(r.code, r.err).toBe(0);
    const s = await loadScenario('test/fixtures/compare/small.yaml', { sets });
    const jobs = planJobs(comparePlan(s)!, out);
    const runs = jobs.map((j) => ({
      summary: JSON.parse(readFileSync(join(j.outDir, 'summary.json'), 'utf8')) as RunSummary,
      grid: gridValues(s.config.compare?.grid, j.policy),
    }));
    const file = join(out, 'runs.parquet');
    expect(existsSync(file)).toBe(true);
    expect(readdirSync(out).filter((f) => f.includes('.tmp-'))).toEqual([]);

    const schema = await parquetSchema(file);
    const typeOf = (name: string) => schema.find((c) => c.name === name);
    expect(schema.slice(0, 3).map((c) => c.name)).toEqual(['scenario', 'policy', 'seed']);
    expect(typeOf('policy')).toMatchObject({ type: 'BYTE_ARRAY', converted: 'UTF8' });
    for (const p of ['seed', 'liquidations.count', 'traders.bankrupt', 'populations.crowd.accounts', 'populations.crowd.liquidations']) {
      expect(typeOf(p), p).toMatchObject({ type: 'INT64', converted: null });
    }
    for (const p of ['ledger.badDebt', 'efficiency.openInterestPerCollateral', 'populations.crowd.pnl', 'amplification', 'grid.maxLeverage']) {
      expect(typeOf(p), p).toMatchObject({ type: 'DOUBLE' });
    }
    expect(typeOf('insuranceFund.exhausted')).toMatchObject({ type: 'BOOLEAN' });
    expect(typeOf('warnings')).toBeUndefined(); // a list of sentences: stays in summary.json

    const pq = await readParquet(file);
    expect(pq.columns.policy).toEqual(jobs.map((j) => j.policy));
    expect(pq.columns.seed).toEqual(jobs.map((j) => BigInt(j.seed)));
    // Only the grid's runs carry its value; the named policies have null there.
    expect(pq.columns['grid.maxLeverage']).toEqual(jobs.map((j) => (j.policy === 'cap-10' ? 10 : j.policy === 'cap-50' ? 50 : null)));
    const bad: string[] = [];
    for (const name of pq.names.filter((n) => !n.startsWith('grid.'))) {
      runs.forEach((run, k) => {
        const want = name === 'scenario' || name === 'policy' ? run.summary[name] : summaryValue(run.summary, name) ?? null;
        const got = pq.columns[name]![k];
        const same = typeof got === 'bigint' ? got === BigInt(want as number) : got === want;
        if (!same) bad.push(`${name}[${k}]: ${String(got)} vs ${String(want)}`);
      });
    }
    expect(bad.slice(0, 5)).toEqual([]);
    // every scalar of the summary is a column
    expect(pq.names.length).toBe(runsTable(runs).length);
    expect(pq.names).toContain('ledger.maxRelativeResidual');
  });

  it('is not written when outputs.format is csv only', async () => {
    const out = mkdtempSync(join(tmpdir(), 'levsim-runs-'));
    const r = await cli('run', 'test/fixtures/compare/small.yaml', '--out', out, '--set', 'runs.seeds=1', '--set', 'outputs.report=false', '--set', 'outputs.format=csv');
    expect(r.code, r.err).toBe(0);
    expect(existsSync(join(out, 'compare.json'))).toBe(true);
    expect(existsSync(join(out, 'runs.parquet'))).toBe(false);
  });

  it('refuses a count that is not a whole number, and leaves no file behind', () => {
    const out = mkdtempSync(join(tmpdir(), 'levsim-runs-'));
    const summary = { scenario: 's', policy: 'p', seed: 1, liquidations: { count: 2.5 } } as unknown as RunSummary;
    expect(() => writeRunsParquet(out, [{ summary }])).toThrow(/liquidations\.count: row 0 holds 2\.5/);
    expect(existsSync(join(out, 'runs.parquet')) || existsSync(join(out, `runs.parquet.tmp-${process.pid}`))).toBe(false);
  });
});
