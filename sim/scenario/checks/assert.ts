/**
 * Checks of `assert`: each key is a summary metric, each assertion bounds something (a bare
 * `{ min, max }` bounds every run; `mean`, `p5`, `p50`, `p95`, `share` bound the value across
 * seeds), and a named `policy` is one the scenario runs.
 */
import { concreteSummaryPaths, SUMMARY_PATHS } from '../../metrics/summary';
import { CLEARING_SUMMARY_PATHS, isClearingSummaryPath } from '../../metrics/clearing-summary';
import { didYouMean, show } from '../errors';
import { policyLabel } from '../../run/policy-factory';
import { DEFAULTS } from '../defaults';
import { ASSERT_STATISTICS, PolicySchema } from '../schema';
import { get, namesIn, type CheckContext, type Issues } from './context';

/** Checks the assert section against the summary's metrics and the scenario's policies. */
export function checkAssert(c: CheckContext, policyNames: readonly string[]): Issues {
  return checkAssertionBlock(c, get(c.raw, 'assert'), ['assert'], policyNames.length > 0 ? policyNames : defaultPolicyName(c.raw));
}

/**
 * Checks a block in the assertion syntax at `at` (`assert`, or `optimize.constraints`): its keys
 * are summary metrics, each assertion bounds something with min ≤ max, a named `policy` is in `names`.
 */
export function checkAssertionBlock(c: CheckContext, asserts: unknown, at: string[], names: readonly string[]): Issues {
  const out: Issues = [];
  if (!asserts || typeof asserts !== 'object' || Array.isArray(asserts)) return out;
  // A walrasian run has its own summary (sim/metrics/clearing-summary.ts).
  const walrasian = get(get(c.raw, 'market'), 'clearing') === 'walrasian';
  const paths = walrasian ? CLEARING_SUMMARY_PATHS : SUMMARY_PATHS;
  // `populations.<name>.x` stands for each population's name.
  const protocols = namesIn(c.raw.protocols);
  const concrete = new Set(concreteSummaryPaths(SUMMARY_PATHS, namesIn(c.raw.agents), namesIn(c.raw.assets), [...namesIn(c.raw.venues), ...protocols], protocols));
  for (const [key, value] of Object.entries(asserts as Record<string, unknown>)) {
    if (walrasian ? !isClearingSummaryPath(key) : !concrete.has(key)) {
      out.push({ path: [...at, key], key, message: `unknown summary metric${didYouMean(key, paths)}; allowed: ${paths.join(', ')}` });
      continue;
    }
    const list = Array.isArray(value) ? value : [value];
    list.forEach((b, j) => {
      const path = Array.isArray(value) ? [...at, key, j] : [...at, key];
      if (!b || typeof b !== 'object') return;
      const keys = ['min', 'max', 'policy', ...ASSERT_STATISTICS] as string[];
      const bounded = keys.some((s) => s !== 'policy' && get(b, s) !== undefined);
      // An unknown key is the schema's to report; "bounds nothing" would only repeat it.
      if (!bounded && Object.keys(b).every((k) => keys.includes(k))) out.push({ path, message: `found an assertion that bounds nothing; allowed: { min, max } (every run), or ${ASSERT_STATISTICS.map((s) => `{ ${s}: { min, max } }`).join(', ')} (across seeds)` });
      for (const s of ['', ...ASSERT_STATISTICS]) {
        const r = s ? get(b, s) : b;
        const min = get(r, 'min'), max = get(r, 'max');
        if (typeof min === 'number' && typeof max === 'number' && min > max) out.push({ path: [...path, ...(s ? [s] : []), 'max'], message: `found ${max}; allowed: a number ≥ min (${min})` });
      }
      const policy = get(b, 'policy');
      if (typeof policy === 'string' && names.length > 0 && !names.includes(policy)) {
        out.push({ path: [...path, 'policy'], message: `found ${show(policy)}; allowed: a policy this scenario runs (${names.join(', ')})${didYouMean(policy, [...names])}` });
      }
    });
  }
  return out;
}

/** The label of the scenario's own policy, when it is valid (a run without compare: runs under it). */
function defaultPolicyName(raw: Record<string, unknown>): string[] {
  const p = PolicySchema.safeParse(get(get(raw, 'exchange'), 'policy') ?? DEFAULTS.exchange.policy);
  return p.success ? [policyLabel(p.data)] : [];
}
