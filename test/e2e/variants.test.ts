import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { cli } from '../helpers/cli';
import { comparePlan, type CompareResult } from '../../sim/run/compare';
import { loadScenario } from '../../sim/scenario/loader';

const tmp = () => mkdtempSync(join(tmpdir(), 'levsim-var-'));
const FIXTURE = 'test/fixtures/variants/lending.yaml';
const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');

describe('compare.variants: arms that override scenario fields', () => {
  it('runs every variant on the same seeds: a no-op override gives byte-identical data files, a changed field changes the results', async () => {
    const out = tmp();
    const r = await cli('run', FIXTURE, '--out', out, '--workers', '1');
    expect(r.code).toBe(0);
    expect(r.out).toContain('lending-variants: 3 policies × 2 seeds');
    const c = JSON.parse(read(out, 'compare.json')) as CompareResult;
    expect(c.policies.map((p) => p.name)).toEqual(['base', 'same', 'lagged']);
    expect(c.paired.map((p) => [p.name, p.against])).toEqual([['same', 'base'], ['lagged', 'base']]);
    for (const seed of c.seeds) {
      const a = join(out, 'runs', 'base', String(seed)), b = join(out, 'runs', 'same', String(seed));
      // Every data file: the summary differs only in the arm's name, the echo in its variant line.
      for (const f of readdirSync(a).filter((x) => x.endsWith('.csv'))) expect(read(b, f), `${seed}/${f}`).toBe(read(a, f));
      expect(read(b, 'summary.json')).toBe(read(a, 'summary.json').replace('"policy": "base"', '"policy": "same"'));
      expect(read(b, 'scenario.yaml')).toContain('# variant same: protocols[0].oracle.lagTicks=0');
      expect(JSON.parse(read(join(out, 'runs', 'lagged', String(seed)), 'manifest.json')).policy).toBe('lagged');
    }
    const same = c.paired[0]!.metrics, lagged = c.paired[1]!.metrics;
    expect(same['protocols.pool.seizedValue']!.mean).toBe(0);
    // The lagged oracle liquidates on stale prices: the protocol's figures move on the same seeds.
    expect(lagged['protocols.pool.seizedValue']!.mean).not.toBe(0);
    expect(read(out, 'compare.csv')).toMatch(/^lagged,protocols\.pool\.seizedValue,2,/m);
    // Resuming recognises every variant's runs as complete (the manifest carries the arm's name).
    const manifest = read(join(out, 'runs', 'lagged', String(c.seeds[0])), 'manifest.json');
    const again = await cli('run', FIXTURE, '--out', out, '--workers', '1', '--resume');
    expect(again.code).toBe(0);
    expect(read(join(out, 'runs', 'lagged', String(c.seeds[0])), 'manifest.json')).toBe(manifest); // not rerun: same wall-clock times
  }, 120_000);

  it("builds each variant from the file, the command line's overrides, then its own set; every arm keeps the file's hash", async () => {
    const s = await loadScenario(FIXTURE, { sets: ['protocols[0].closeFactor=1', 'protocols[0].oracle.lagTicks=3'] });
    const lagged = s.variants!.get('lagged')!, base = s.variants!.get('base')!;
    expect(base.config.protocols[0]!.oracle.lagTicks).toBe(3); // the command line's
    expect(lagged.config.protocols[0]!.oracle.lagTicks).toBe(10); // the variant's, over the command line's
    expect(lagged.config.protocols[0]!.closeFactor).toBe(1);
    expect([lagged.sha256, lagged.overrides]).toEqual([s.sha256, s.overrides]);
    expect(lagged.variant).toEqual({ name: 'lagged', sets: ['protocols[0].oracle.lagTicks=10'] });
    expect(comparePlan(s)!.policies.map((p) => [p.name, p.variant])).toEqual([['base', true], ['same', true], ['lagged', true]]);
  });

  it('reports a bad path or value at the variant line (exit 2), and refuses variants beside policies', async () => {
    const dir = tmp();
    const text = readFileSync(FIXTURE, 'utf8');
    const file = join(dir, 'bad.yaml');
    const line = text.split('\n').findIndex((l) => l.includes('"protocols[0].oracle.lagTicks": 10')) + 1;
    // Fields the schema refuses: every one reported, at the variant's line.
    writeFileSync(file, text.replace('set: { "protocols[0].oracle.lagTicks": 10 }', 'set: { "protocols[0].oracle.lagTiks": 10, "protocols[0].closeFactor": 2 }'));
    const r = await cli('run', file, '--out', join(dir, 'o'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`bad\\.yaml:${line}:\\d+: protocols\\[0\\]\\.oracle\\.lagTiks: set by variant lagged \\(compare\\.variants\\[2\\]\\): unknown key \\(did you mean "lagTicks"\\?\\)`));
    expect(r.err).toMatch(new RegExp(`bad\\.yaml:${line}:\\d+: protocols\\[0\\]\\.closeFactor: set by variant lagged .*found 2; allowed`));
    // A path the file does not have (as --set refuses it).
    writeFileSync(file, text.replace('set: { "protocols[0].oracle.lagTicks": 10 }', 'set: { "protocols[3].supply": 1 }'));
    const missing = await cli('run', file, '--out', join(dir, 'o'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(new RegExp(`bad\\.yaml:${line}:\\d+: protocols\\[3\\]\\.supply: .*protocols has 1 item\\(s\\)`));
    writeFileSync(file, text.replace('compare:\n', 'compare:\n  policies: [{ name: p, policy: { type: fixed, maxLeverage: 10 } }]\n'));
    const both = await cli('run', file, '--out', join(dir, 'o'));
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/bad\.yaml:\d+:\d+: compare\.variants: found variants beside compare\.policies/);
  });
});
