/**
 * Scenario assertions (`assert:`), for single runs, comparisons and Monte Carlo runs alike (a
 * single run is one policy × one seed). A bare `{ min, max }` bounds every run; a statistic
 * (`mean`, `p5`, `p50`, `p95`, `share`) bounds the value across seeds; an assertion applies to every
 * policy unless it names one. True/false metrics count as 1/0 in bounds, means and percentiles;
 * `share` is the fraction of seeds where they hold. A failure exits 3.
 */
import { estimate } from '../metrics/stats';
import type { AssertionConfig, ScenarioConfig } from '../scenario/schema';
import { ASSERT_STATISTICS } from '../scenario/schema';
import { summaryValue } from '../metrics/summary';
import { percentiles, share, type FieldValue } from './statistics';

/** What a bound applies to: each run, or a statistic across seeds. */
export type Statistic = 'each' | (typeof ASSERT_STATISTICS)[number];

/** One checked bound. */
export interface AssertionResult {
  metric: string;
  /** The policy it was checked on; undefined for a single run. */
  policy?: string;
  statistic: Statistic;
  /** The checked value: the statistic, or for `each` the failing run's value (else the one nearest a bound). */
  value: number | null | undefined;
  /** For `each`: the seed of the value shown. */
  seed?: number;
  min?: number;
  max?: number;
  pass: boolean;
  /** Why a value could not be checked (a missing metric, `share` of a numeric metric). */
  note?: string;
}

/** The runs of one policy: its name, and each seed's summary. */
export interface PolicyRuns {
  policy: string;
  seeds: number[];
  summaries: object[];
}

/** The label of a result in tables and JUnit: `metric`, `metric p95`, `metric p95 [policy]`. */
export function assertionLabel(r: AssertionResult): string {
  return `${r.metric}${r.statistic === 'each' ? '' : ` ${r.statistic}`}${r.policy ? ` [${r.policy}]` : ''}`;
}

const asNumber = (v: FieldValue): number | null | undefined => (typeof v === 'boolean' ? (v ? 1 : 0) : v);
const within = (x: number, b: { min?: number; max?: number }) => (b.min === undefined || x >= b.min) && (b.max === undefined || x <= b.max);

/** The value of a statistic across seeds, or a note saying why there is none. */
function statistic(s: Exclude<Statistic, 'each'>, values: readonly FieldValue[]): { value: number | null; note?: string } {
  if (s === 'share') {
    if (values.some((v) => typeof v === 'number')) return { value: null, note: 'share applies to true/false metrics; use mean, p5, p50 or p95' };
    return { value: share(values).share };
  }
  const nums = values.map(asNumber);
  return { value: s === 'mean' ? estimate(nums).mean : percentiles(nums)[s] };
}

/** Checks one assertion on one policy's runs. */
function checkOne(metric: string, a: AssertionConfig, runs: PolicyRuns, label: string | undefined): AssertionResult[] {
  const values = runs.summaries.map((x) => summaryValue(x, metric));
  const out: AssertionResult[] = [];
  if (a.min !== undefined || a.max !== undefined) {
    const nums = values.map(asNumber);
    const failing = nums.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v) || !within(v, a));
    // Shown when all pass: the value nearest the lower bound if there is one, else the upper.
    const finite = nums.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    const shown = failing >= 0 ? failing : nums.indexOf(a.min !== undefined ? Math.min(...finite) : Math.max(...finite));
    out.push({
      metric, policy: label, statistic: 'each', value: nums[shown], seed: runs.seeds[shown], min: a.min, max: a.max, pass: failing < 0,
      note: failing >= 0 && typeof nums[failing] !== 'number' ? 'the metric has no value in this run' : undefined,
    });
  }
  for (const s of ASSERT_STATISTICS) {
    const b = a[s];
    if (!b) continue;
    const { value, note } = statistic(s, values);
    out.push({ metric, policy: label, statistic: s, value, min: b.min, max: b.max, pass: value !== null && within(value, b), note: note ?? (value === null ? 'no run has a value for this metric' : undefined) });
  }
  return out;
}

/**
 * Checks every assertion of `asserts` against the runs of each policy, in the order written.
 * `named` says whether results carry the policy's name (comparisons and Monte Carlo runs).
 */
export function checkAssertions(asserts: ScenarioConfig['assert'], policies: readonly PolicyRuns[], named = policies.length > 1 || policies.some((p) => p.seeds.length > 1)): AssertionResult[] {
  const out: AssertionResult[] = [];
  for (const [metric, spec] of Object.entries(asserts ?? {})) {
    for (const a of Array.isArray(spec) ? spec : [spec]) {
      for (const p of policies) {
        if (a.policy !== undefined && a.policy !== p.policy) continue;
        out.push(...checkOne(metric, a, p, named ? p.policy : undefined));
      }
    }
  }
  return out;
}
