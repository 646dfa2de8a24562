/**
 * Comparing policies, and Monte Carlo over seeds, on common random numbers. For a given seed every
 * policy sees the same exogenous path, the same shocks and the same agent parameter draws (streams
 * are keyed by name, and no policy draws randomness), and agents' random decisions are
 * counter-based draws keyed by agent and tick: differences between policies are the policies'.
 *
 * The arms are policies (`compare.policies`, `compare.grid`) or variants of the scenario
 * (`compare.variants`: each overrides fields as `--set` does, and runs the scenario so changed).
 *
 * Each run writes its own folder `DIR/runs/<policy>/<seed>/`. The comparison is aggregated from
 * those folders' summary.json files, so memory does not grow with the number of runs.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { estimate, pairedDifference, type Estimate } from '../metrics/stats';
import { summaryValue, type RunSummary } from '../metrics/summary';
import type { LoadedScenario } from '../scenario/loader';
import type { PolicyConfig, ArmMargin } from '../scenario/schema';
import { writeFileAtomic } from '../../reports/atomic';
import { writeCompareReport } from '../../reports/html/compare-report';
import { outputFormats } from '../../reports/parquet-tables';
import { gridValues, writeRunsParquet } from '../../reports/runs-parquet';
import { policyLabel } from './policy-factory';
import type { PolicyChoice } from './build';
import type { MarginMode } from '../world/types';
import { runScenario, stableJson } from './run-scenario';
import type { PolicyRuns } from './assertions';
import { percentiles, share, summaryFields, type FieldValue, type Percentiles, type Share } from './statistics';
import { runClearingScenario } from './run-clearing';
import { BadInputError } from '../scenario/errors';
import type { ClearingSummary } from '../metrics/clearing-summary';

/** One policy of a comparison. */
export interface PlannedPolicy {
  name: string;
  spec: PolicyConfig;
  /** The arm's default margin mode (populations without their own), when the scenario gives one. */
  marginMode?: MarginMode;
  /** The arm's portfolio-margin model entries, over the scenario's `margin:`. */
  margin?: ArmMargin;
  /** A `compare.variants` arm: it runs the scenario of that name in `LoadedScenario.variants`, not `spec`. */
  variant?: boolean;
}

/** Every run of a comparison: policies × seeds, and the baseline of the paired differences. */
export interface ComparePlan {
  policies: PlannedPolicy[];
  seeds: number[];
  baseline: string;
  /** The paired differences to take: every policy against the baseline unless the scenario lists pairs. */
  pairs: { policy: string; against: string }[];
}

/** One run of a plan. */
export interface RunJob {
  policy: string;
  seed: number;
  /** The run's own output folder. */
  outDir: string;
  /** The run's policy entry when it is not one of the scenario's compared policies (an optimisation candidate). */
  spec?: PolicyConfig;
}

/** The plan of a scenario with `compare:` or `runs:`, or null for a single run. */
export function comparePlan(s: LoadedScenario): ComparePlan | null {
  const c = s.config;
  if (!c.compare && !c.runs) return null;
  const mode = (m: MarginMode | undefined) => (m !== undefined ? { marginMode: m } : {});
  const policies: PlannedPolicy[] = (c.compare?.policies ?? []).map((p) => ({ name: p.name, spec: p.policy, ...mode(p.marginMode), ...(p.margin ? { margin: p.margin } : {}) }));
  const g = c.compare?.grid;
  if (g) {
    for (const v of g.values) {
      const spec = 'module' in g.policy ? { ...g.policy, params: { ...g.policy.params, [g.param]: v } } : { ...g.policy, [g.param]: v };
      policies.push({ name: `${g.name}-${v}`, spec: spec as PolicyConfig, ...mode(g.marginMode) });
    }
  }
  // A variant arm runs its own scenario (s.variants) under that scenario's own policies.
  for (const v of c.compare?.variants ?? []) policies.push({ name: v.name, spec: s.variants!.get(v.name)!.config.exchange.policy, variant: true });
  if (policies.length === 0) policies.push({ name: policyLabel(c.exchange.policy), spec: c.exchange.policy });
  const seeds = c.runs === undefined ? [c.seed] : typeof c.runs.seeds === 'number' ? Array.from({ length: c.runs.seeds }, (_, k) => c.seed + k) : c.runs.seeds;
  const baseline = c.compare?.baseline ?? policies[0]!.name;
  const pairs = c.compare?.pairs ?? policies.filter((p) => p.name !== baseline).map((p) => ({ policy: p.name, against: baseline }));
  return { policies, seeds, baseline, pairs };
}

/** The runs of a plan, policy by policy, in a fixed order. */
export function planJobs(plan: ComparePlan, outDir: string): RunJob[] {
  return plan.policies.flatMap((p) => plan.seeds.map((seed) => ({ policy: p.name, seed, outDir: join(outDir, 'runs', p.name, String(seed)) })));
}

/**
 * Runs one job (in this thread) and returns its summary: a job carrying its policy entry (an
 * optimisation candidate) runs without a report; otherwise the policy is the plan's.
 */
export function runJob(s: LoadedScenario, plan: ComparePlan | null, job: RunJob): RunSummary | ClearingSummary {
  // The entry, not an instance: the run builds one instance per market (seeded by the job's seed).
  const planned = job.spec ? undefined : plan!.policies.find((x) => x.name === job.policy)!;
  if (planned?.variant) {
    // The variant's own scenario, exactly as `levsim run` with its overrides would run it (no
    // policy choice: that would replace assets' and venues' own policies), labelled by the arm.
    const v = s.variants!.get(job.policy)!;
    if (v.config.market.clearing === 'walrasian') return runClearingScenario(v, { outDir: job.outDir, seed: job.seed, policy: { spec: v.config.exchange.policy, name: job.policy } }).summary;
    return runScenario(v, { outDir: job.outDir, seed: job.seed, arm: job.policy, report: v.config.outputs.report && job.seed === plan!.seeds[0] }).summary;
  }
  const policy: PolicyChoice = {
    spec: job.spec ?? planned!.spec, name: job.policy,
    ...(planned?.marginMode !== undefined ? { marginMode: planned.marginMode } : {}), ...(planned?.margin ? { margin: planned.margin } : {}),
  };
  // Only the first seed's run gets a report (the comparison report links to it): a report is
  // ~5 MB, and any other run can be rendered later with `levsim report <run folder>`.
  if (s.config.market.clearing === 'walrasian') return runClearingScenario(s, { outDir: job.outDir, seed: job.seed, policy }).summary;
  const report = !job.spec && s.config.outputs.report && job.seed === plan!.seeds[0];
  // arm: a venue with its own policy would otherwise label the run by that policy, and resuming
  // (which matches a run's manifest by the arm's name) would never find it complete.
  return runScenario(s, { outDir: job.outDir, seed: job.seed, policy, report, arm: job.policy }).summary;
}

/** One compared numeric metric of one policy: mean, sd and 95% interval, and nearest-rank p5, p50, p95 across seeds. */
export type MetricStats = Estimate & Percentiles;

/** compare.json. */
export interface CompareResult {
  scenario: string;
  seeds: number[];
  baseline: string;
  /** Numeric summary fields compared (identity fields excluded). */
  metrics: string[];
  /** True/false summary fields, compared by the share of seeds where they hold. */
  flags: string[];
  policies: { name: string; runs: number; metrics: Record<string, MetricStats>; flags: Record<string, Share> }[];
  /** policy − baseline, seed by seed (numeric metrics). */
  paired: { name: string; against: string; metrics: Record<string, Estimate> }[];
}

/** The finished runs of one policy, read from their summary.json files, in seed order. */
export function readPolicyRuns(plan: ComparePlan, outDir: string, policy: string): PolicyRuns {
  const summaries = plan.seeds.map((seed) => JSON.parse(readFileSync(join(outDir, 'runs', policy, String(seed), 'summary.json'), 'utf8')) as object);
  return { policy, seeds: plan.seeds, summaries };
}

/**
 * The metrics and flags of a plan's runs: every field any run has, in plan order. The seeds of one
 * arm run one configuration, so their summaries have the same fields: a summary that lacks one its
 * arm's other runs have is damaged, and is bad input naming it (a dropped value would silently
 * lower `n`). Arms may differ (a variant that adds a venue): another arm's field is that arm's.
 */
function comparedFields(plan: ComparePlan, outDir: string): { numeric: string[]; boolean: string[] } {
  const numeric = new Set<string>(), boolean = new Set<string>();
  for (const p of plan.policies) {
    const fields = readPolicyRuns(plan, outDir, p.name).summaries.map((x) => summaryFields(x));
    const all = new Set(fields.flatMap((f) => [...f.numeric, ...f.boolean]));
    fields.forEach((f, k) => {
      const has = new Set([...f.numeric, ...f.boolean]);
      const lacks = [...all].filter((m) => !has.has(m));
      if (lacks.length > 0) {
        const file = join(outDir, 'runs', p.name, String(plan.seeds[k]), 'summary.json');
        throw BadInputError.of(file, `lacks ${lacks.slice(0, 5).join(', ')}${lacks.length > 5 ? `, … (${lacks.length} fields)` : ''}, which the other runs of ${p.name} have; allowed: a summary as the run wrote it (run it again)`);
      }
      for (const m of f.numeric) numeric.add(m);
      for (const m of f.boolean) boolean.add(m);
    });
  }
  return { numeric: [...numeric], boolean: [...boolean] };
}

/** Aggregates the finished runs of a plan from their summary.json files. */
export function aggregate(s: LoadedScenario, plan: ComparePlan, outDir: string): CompareResult {
  const { numeric: metrics, boolean: flags } = comparedFields(plan, outDir);
  const valuesOf = (runs: PolicyRuns, m: string) => runs.summaries.map((x) => summaryValue(x, m));
  const numbers = (xs: FieldValue[]) => xs.map((x) => (typeof x === 'number' ? x : null));
  // One policy's runs at a time: memory is seeds × metrics, whatever the number of policies.
  const policies: CompareResult['policies'] = plan.policies.map((p) => {
    const runs = readPolicyRuns(plan, outDir, p.name);
    return {
      name: p.name, runs: plan.seeds.length,
      metrics: Object.fromEntries(metrics.map((m) => { const v = valuesOf(runs, m); return [m, { ...estimate(numbers(v)), ...percentiles(v) }]; })),
      flags: Object.fromEntries(flags.map((m) => [m, share(valuesOf(runs, m))])),
    };
  });
  // Two policies' runs at a time, as above.
  const paired: CompareResult['paired'] = plan.pairs.map((q) => {
    const a = readPolicyRuns(plan, outDir, q.policy), b = readPolicyRuns(plan, outDir, q.against);
    return { name: q.policy, against: q.against, metrics: Object.fromEntries(metrics.map((m) => [m, pairedDifference(numbers(valuesOf(a, m)), numbers(valuesOf(b, m)))])) };
  });
  return { scenario: s.config.name, seeds: plan.seeds, baseline: plan.baseline, metrics, flags, policies, paired };
}

/** compare.csv: one row per policy and metric, with the paired difference against the baseline; true/false metrics fill `share` only. */
export function compareCsv(r: CompareResult): string {
  const rows = ['policy,metric,n,mean,sd,ci_low,ci_high,p5,p50,p95,share,diff_n,diff_mean,diff_sd,diff_ci_low,diff_ci_high'];
  const f = (x: number | null | undefined) => (x === null || x === undefined ? '' : String(x));
  for (const p of r.policies) {
    const d = r.paired.find((x) => x.name === p.name);
    for (const m of r.metrics) {
      const e = p.metrics[m]!;
      const pd = d?.metrics[m];
      rows.push([p.name, m, e.n, f(e.mean), f(e.sd), f(e.ci95?.[0]), f(e.ci95?.[1]), f(e.p5), f(e.p50), f(e.p95), '', pd ? pd.n : '', f(pd?.mean), f(pd?.sd), f(pd?.ci95?.[0]), f(pd?.ci95?.[1])].join(','));
    }
    for (const m of r.flags) rows.push([p.name, m, p.flags[m]!.n, '', '', '', '', '', '', '', f(p.flags[m]!.share), '', '', '', '', ''].join(','));
  }
  return rows.join('\n') + '\n';
}

/** Writes compare.json and compare.csv into `outDir`. */
export function writeComparison(r: CompareResult, outDir: string): void {
  writeFileAtomic(join(outDir, 'compare.json'), stableJson(r));
  writeFileAtomic(join(outDir, 'compare.csv'), compareCsv(r));
}

/**
 * runs.parquet from the plan's finished runs, one row per run in plan order (policy by policy,
 * seed by seed), with the grid value of the grid's policies.
 */
export function writeSweepParquet(s: LoadedScenario, plan: ComparePlan, outDir: string): void {
  writeRunsParquet(outDir, plan.policies.flatMap((p) => {
    const grid = gridValues(s.config.compare?.grid, p.name);
    return readPolicyRuns(plan, outDir, p.name).summaries.map((summary) => ({ summary: summary as RunSummary, grid }));
  }));
}

/**
 * The comparison's own outputs from its finished runs: compare.json and compare.csv, runs.parquet
 * when `outputs.format` includes parquet, and the comparison report when `outputs.report` is on.
 * `result` is the aggregate of the runs, when it was made elsewhere (a queued sweep's parent job).
 */
export function finishComparison(s: LoadedScenario, plan: ComparePlan, outDir: string, result: CompareResult = aggregate(s, plan, outDir)): CompareResult {
  writeComparison(result, outDir);
  if (outputFormats(s.config.outputs.format).parquet) writeSweepParquet(s, plan, outDir);
  if (s.config.outputs.report) writeCompareReport(outDir);
  return result;
}
