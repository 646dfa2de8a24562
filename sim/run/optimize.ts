/**
 * Policy optimisation (`optimize:`): successive halving over a seeded Latin hypercube.
 *
 * Round 0 draws `candidates` points of the searched box, one per stratum of every parameter
 * (a Latin hypercube from the stream `optimize` of the scenario's seed), and runs each on the first
 * `seeds` seeds. A round is judged once all its runs are done: the candidates that meet the
 * constraints over their seeds are ranked by the objective (ties by name), the better half is kept,
 * and the next round runs the kept ones on twice the seeds (the first ones again: common random
 * numbers, and a kept candidate's earlier runs are reused). It stops when at most one candidate is
 * feasible or the next round would exceed the budget. Every input of a judgement is read from the
 * runs' summary.json files in a fixed order, so the result never depends on the order runs finish.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { estimate } from '../metrics/stats';
import { summaryValue } from '../metrics/summary';
import { RandomStreams } from '../engine/rng';
import type { LoadedScenario } from '../scenario/loader';
import type { OptimizeConfig, PolicyConfig } from '../scenario/schema';
import { checkAssertions, type AssertionResult } from './assertions';
import type { MetricStats, RunJob } from './compare';
import { percentiles, type FieldValue } from './statistics';

/** One point of the search: its run-folder name, parameter values and policy entry. */
export interface Candidate {
  name: string;
  params: Record<string, number>;
  spec: PolicyConfig;
}

/** One candidate judged in one round. */
export interface Evaluation {
  round: number;
  seeds: number[];
  /** The objective metric across the seeds; `value` is the statistic maximised. */
  objective: MetricStats & { value: number | null };
  constraints: AssertionResult[];
  /** The mean over the seeds of each constrained metric (true/false as 1/0): the frontiers' risk axis. */
  means: Record<string, number | null>;
  feasible: boolean;
}

/** One candidate of optimize.json with every round it took part in. */
export interface CandidateResult {
  name: string;
  params: Record<string, number>;
  evaluations: Evaluation[];
}

/** One point of a Pareto frontier: a candidate's last evaluation. */
export interface FrontierPoint {
  name: string;
  objective: number;
  risk: number;
  feasible: boolean;
}

/** optimize.json. */
export interface OptimizeResult {
  scenario: string;
  method: 'successive halving over a Latin hypercube';
  objective: { maximize: string; stat: OptimizeConfig['objective']['stat'] };
  budget: number;
  /** Runs made (a kept candidate's earlier seeds are not rerun). */
  runs: number;
  /** Each round: its seeds, candidates, the feasible ones (best first), and those kept for the next round (none after the last). */
  rounds: { round: number; seeds: number[]; candidates: string[]; feasible: string[]; kept: string[] }[];
  candidates: CandidateResult[];
  /**
   * For each constrained metric, the candidates no other beats on both the objective and the
   * metric's mean over seeds (lower is better when a constraint bounds it from above), from each
   * candidate's last evaluation, by increasing risk.
   */
  frontiers: { metric: string; direction: 'min' | 'max'; points: FrontierPoint[] }[];
  /** The top feasible candidate of the last round, with its statistics over that round's seeds; null when none met the constraints. */
  best: { name: string; params: Record<string, number>; seeds: number[]; objective: MetricStats; metrics: Record<string, MetricStats> } | null;
}

/** Runs a list of jobs (each carrying its candidate's policy entry) and resolves when all are complete. */
export type RunJobs = (jobs: RunJob[]) => Promise<void>;

/** The policy entry with `values` set (a module's go into its `params`). */
export function withParams(p: PolicyConfig, values: Record<string, number>): PolicyConfig {
  return ('module' in p ? { ...p, params: { ...p.params, ...values } } : { ...p, ...values }) as PolicyConfig;
}

/**
 * `n` points of the box, a Latin hypercube: each parameter's range is cut into `n` equal strata and
 * every stratum holds one point, at a uniform position within it; strata are paired across
 * parameters by seeded shuffles. Values are rounded to 6 significant digits.
 */
export function latinHypercube(ranges: Readonly<Record<string, { min: number; max: number }>>, n: number, seed: number): Record<string, number>[] {
  const rng = new RandomStreams(seed).stream('optimize');
  const points: Record<string, number>[] = Array.from({ length: n }, () => ({}));
  for (const [name, r] of Object.entries(ranges)) {
    const strata = Array.from({ length: n }, (_, k) => k);
    for (let k = n - 1; k > 0; k--) {
      const j = Math.floor(rng.next() * (k + 1));
      [strata[k], strata[j]] = [strata[j]!, strata[k]!];
    }
    for (let k = 0; k < n; k++) points[k]![name] = Number((r.min + ((strata[k]! + rng.next()) / n) * (r.max - r.min)).toPrecision(6));
  }
  return points;
}

/** The candidates of round 0, named `c000`, `c001`, … in draw order. */
export function drawCandidates(o: OptimizeConfig, seed: number): Candidate[] {
  const width = Math.max(3, String(o.candidates - 1).length);
  return latinHypercube(o.params, o.candidates, seed).map((params, k) => ({ name: `c${String(k).padStart(width, '0')}`, params, spec: withParams(o.policy, params) }));
}

const numeric = (v: FieldValue): number | null => (typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Mean, sd, 95% interval and percentiles of a metric across summaries (true/false as 1/0). */
function stats(summaries: readonly object[], metric: string): MetricStats {
  const values = summaries.map((x) => numeric(summaryValue(x, metric)));
  return { ...estimate(values), ...percentiles(values) };
}

/** The summaries of a candidate's runs, in seed order. */
function readSummaries(outDir: string, candidate: string, seeds: readonly number[]): object[] {
  return seeds.map((seed) => JSON.parse(readFileSync(join(outDir, 'runs', candidate, String(seed), 'summary.json'), 'utf8')) as object);
}

/** Judges one candidate on `seeds`: the objective's statistics and the constraints. */
function evaluate(o: OptimizeConfig, c: Candidate, seeds: number[], round: number, outDir: string): Evaluation {
  const summaries = readSummaries(outDir, c.name, seeds);
  const objective = stats(summaries, o.objective.maximize);
  const constraints = checkAssertions(o.constraints, [{ policy: c.name, seeds, summaries }], false);
  const means = Object.fromEntries(Object.keys(o.constraints).map((m) => [m, stats(summaries, m).mean]));
  return { round, seeds, objective: { ...objective, value: objective[o.objective.stat] }, constraints, means, feasible: constraints.every((r) => r.pass) };
}

/** Higher objective first, a missing value last, then by name. */
function byObjective(a: { name: string; e: Evaluation }, b: { name: string; e: Evaluation }): number {
  const x = a.e.objective.value, y = b.e.objective.value;
  if (x !== y) return x === null ? 1 : y === null ? -1 : y - x;
  return a.name < b.name ? -1 : 1;
}

/** The Pareto frontier of the objective against the mean of `metric`. */
function frontier(points: FrontierPoint[], direction: 'min' | 'max'): FrontierPoint[] {
  const better = (a: number, b: number) => (direction === 'min' ? a <= b : a >= b);
  const dominates = (p: FrontierPoint, q: FrontierPoint) => p.objective >= q.objective && better(p.risk, q.risk) && (p.objective > q.objective || p.risk !== q.risk);
  return points.filter((q) => !points.some((p) => dominates(p, q))).sort((a, b) => (a.risk - b.risk) * (direction === 'min' ? 1 : -1) || (a.name < b.name ? -1 : 1));
}

/** Runs the optimisation of `s.config.optimize` into `outDir/runs/<candidate>/<seed>/` through `run`, and returns optimize.json. */
export async function optimize(s: LoadedScenario, outDir: string, run: RunJobs): Promise<OptimizeResult> {
  const o = s.config.optimize!;
  const all = drawCandidates(o, s.config.seed);
  const seedList = (n: number) => Array.from({ length: n }, (_, k) => s.config.seed + k);
  const history = new Map<string, Evaluation[]>(all.map((c) => [c.name, []]));
  const rounds: OptimizeResult['rounds'] = [];
  let alive = all, seeds = o.seeds, done = 0, runs = 0, last: { name: string; e: Evaluation }[] = [];
  for (let round = 0; ; round++) {
    const jobs = alive.flatMap((c) => seedList(seeds).slice(done).map((seed): RunJob => ({ policy: c.name, seed, outDir: join(outDir, 'runs', c.name, String(seed)), spec: c.spec })));
    await run(jobs);
    runs += jobs.length;
    const judged = alive.map((c) => ({ name: c.name, e: evaluate(o, c, seedList(seeds), round, outDir) }));
    for (const j of judged) history.get(j.name)!.push(j.e);
    last = judged.filter((j) => j.e.feasible).sort(byObjective);
    // The next round runs the kept ones on `seeds` more seeds each: only while that fits the budget.
    const next = Math.ceil(last.length / 2);
    const kept = last.length > 1 && runs + next * seeds <= o.budget ? last.slice(0, next).map((j) => j.name) : [];
    rounds.push({ round, seeds: seedList(seeds), candidates: alive.map((c) => c.name), feasible: last.map((j) => j.name), kept });
    if (kept.length === 0) break;
    alive = all.filter((c) => kept.includes(c.name));
    done = seeds;
    seeds *= 2;
  }
  const candidates = all.filter((c) => history.get(c.name)!.length > 0).map((c) => ({ name: c.name, params: c.params, evaluations: history.get(c.name)! }));
  const metrics = Object.keys(o.constraints);
  const frontiers = metrics.map((metric) => {
    const specs = [o.constraints[metric]!].flat();
    const direction: 'min' | 'max' = specs.some((a) => a.max !== undefined || [a.mean, a.p5, a.p50, a.p95, a.share].some((b) => b?.max !== undefined)) ? 'min' : 'max';
    const points = candidates.flatMap((c) => {
      const e = c.evaluations.at(-1)!;
      const risk = e.means[metric]!;
      return e.objective.value === null || risk === null ? [] : [{ name: c.name, objective: e.objective.value, risk, feasible: e.feasible }];
    });
    return { metric, direction, points: frontier(points, direction) };
  });
  const top = last[0];
  let best: OptimizeResult['best'] = null;
  if (top) {
    const c = all.find((x) => x.name === top.name)!;
    const summaries = readSummaries(outDir, c.name, top.e.seeds);
    best = { name: c.name, params: c.params, seeds: top.e.seeds, objective: stats(summaries, o.objective.maximize), metrics: Object.fromEntries(metrics.map((m) => [m, stats(summaries, m)])) };
  }
  return { scenario: s.config.name, method: 'successive halving over a Latin hypercube', objective: { maximize: o.objective.maximize, stat: o.objective.stat }, budget: o.budget, runs, rounds, candidates, frontiers, best };
}

