import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { loadScenario } from '../../sim/scenario/loader';
import { drawCandidates, latinHypercube, optimize } from '../../sim/run/optimize';
import type { RunJob } from '../../sim/run/compare';

const SMALL = 'test/fixtures/optimize/small.yaml';

/** The small fixture with its text edited (constraint keys hold dots, which --set cannot address). */
function variant(edits: [string, string][]): string {
  let text = readFileSync(SMALL, 'utf8');
  for (const [from, to] of edits) {
    expect(text).toContain(from);
    text = text.replace(from, to);
  }
  const file = join(mkdtempSync(join(tmpdir(), 'levsim-opt-')), 'opt.yaml');
  writeFileSync(file, text);
  return file;
}

/**
 * A synthetic model instead of the simulator: the objective is k + maxLeverage / 1000 plus a little
 * per-seed noise, and a run has bad debt exactly when k > 20, so the optimum is known: the
 * candidate with the largest k at most 20.
 */
function synthetic(seen: RunJob[][]) {
  return async (jobs: RunJob[]) => {
    seen.push(jobs);
    // Written in reverse: the result must not depend on the order runs finish.
    for (const j of [...jobs].reverse()) {
      const spec = j.spec as { k: number; maxLeverage: number };
      mkdirSync(j.outDir, { recursive: true });
      const summary = {
        efficiency: { openInterestPerCollateral: spec.k + spec.maxLeverage / 1000 + 1e-6 * (j.seed % 3) },
        ledger: { hasBadDebt: spec.k > 20 },
        cascades: { largestNotional: spec.k * 1000 },
      };
      writeFileSync(join(j.outDir, 'summary.json'), JSON.stringify(summary));
    }
  };
}

describe('policy optimisation: successive halving over a Latin hypercube', () => {
  it('a Latin hypercube puts one point in each stratum of every parameter, the same for the same seed', () => {
    const ranges = { a: { min: 0, max: 10 }, b: { min: -1, max: 1 } };
    const pts = latinHypercube(ranges, 8, 3);
    for (const [name, r] of Object.entries(ranges)) {
      const strata = pts.map((p) => Math.floor(((p[name]! - r.min) / (r.max - r.min)) * 8)).sort((x, y) => x - y);
      expect(strata).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    }
    expect(latinHypercube(ranges, 8, 3)).toEqual(pts);
    expect(latinHypercube(ranges, 8, 4)).not.toEqual(pts);
  });

  it('finds the known optimum of a synthetic case where only part of the box is feasible, on common seeds, within the budget', async () => {
    const s = await loadScenario(variant([['share: { max: 0.5 }', 'share: { max: 0 }']]), { sets: ['optimize.candidates=16', 'optimize.budget=100'] });
    const out = mkdtempSync(join(tmpdir(), 'levsim-opt-'));
    const seen: RunJob[][] = [];
    const r = await optimize(s, out, synthetic(seen));
    const cands = drawCandidates(s.config.optimize!, s.config.seed);
    const feasible = cands.filter((c) => c.params.k! <= 20);
    expect(feasible.length).toBeGreaterThan(1);
    expect(feasible.length).toBeLessThan(cands.length);
    const known = feasible.reduce((a, b) => (b.params.k! + b.params.maxLeverage! / 1000 > a.params.k! + a.params.maxLeverage! / 1000 ? b : a));
    expect(r.best?.name).toBe(known.name);
    expect(r.best?.params).toEqual(known.params);
    // Round r runs its candidates on the first 2·2^r seeds, each seed once per candidate.
    r.rounds.forEach((round, k) => expect(round.seeds).toEqual(Array.from({ length: 2 << k }, (_, j) => s.config.seed + j)));
    expect(r.runs).toBe(seen.flat().length);
    expect(r.runs).toBeLessThanOrEqual(100);
    expect(new Set(seen.flat().map((j) => j.outDir)).size).toBe(r.runs);
    // Each round keeps the better half of the feasible ones.
    expect(r.rounds[0]!.feasible.sort()).toEqual(feasible.map((c) => c.name).sort());
    expect(r.rounds[0]!.kept).toHaveLength(Math.ceil(feasible.length / 2));
    expect(r.rounds[1]!.candidates).toEqual([...r.rounds[0]!.kept].sort());
    expect(r.rounds.at(-1)!.kept).toEqual([]);
    // The frontier against bad debt: the best feasible point, and the best point overall.
    const f = r.frontiers.find((x) => x.metric === 'ledger.hasBadDebt')!;
    expect(f.direction).toBe('min');
    expect(f.points.map((p) => p.name)).toEqual([known.name, cands.reduce((a, b) => (b.params.k! + b.params.maxLeverage! / 1000 > a.params.k! + a.params.maxLeverage! / 1000 ? b : a)).name]);
    expect(r.best!.objective.ci95).not.toBeNull();
    expect(r.best!.metrics['ledger.hasBadDebt']!.mean).toBe(0);
  });

  it('stops before a round that would exceed the budget: round 0 alone when the budget is round 0', async () => {
    const s = await loadScenario(SMALL, { sets: ['optimize.budget=12'] });
    const seen: RunJob[][] = [];
    const r = await optimize(s, mkdtempSync(join(tmpdir(), 'levsim-opt-')), synthetic(seen));
    expect(seen).toHaveLength(1);
    expect(r.runs).toBe(12);
    expect(r.rounds).toHaveLength(1);
    expect(r.rounds[0]!.kept).toEqual([]);
    expect(r.best?.name).toBe(r.rounds[0]!.feasible[0]);
  });

  it('with no feasible candidate there is no best', async () => {
    const s = await loadScenario(variant([['mean: { max: 1.0e+9 }', 'mean: { max: 1 }']]));
    const r = await optimize(s, mkdtempSync(join(tmpdir(), 'levsim-opt-')), synthetic([]));
    expect(r.rounds).toHaveLength(1);
    expect(r.best).toBeNull();
  });
});
