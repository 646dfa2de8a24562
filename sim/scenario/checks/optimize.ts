/**
 * Checks of `optimize`: it is a sweep of its own (no `compare:`, `runs:` or `assert:` beside it, the
 * impact market only); each searched parameter is a numeric one of its policy with min < max, and
 * the policy is valid at every corner of the ranges; the objective is a numeric summary metric; the
 * constraints are in the assertion syntax; round 0 fits in the budget.
 */
import { BOOLEAN_SUMMARY_PATHS, SUMMARY_PATHS } from '../../metrics/summary';
import { didYouMean, show } from '../errors';
import { PolicySchema, type PolicyConfig } from '../schema';
import { checkAssertionBlock } from './assert';
import { get, type CheckContext, type Issues } from './context';
import { policyIssues } from './policies';
import { withParams } from '../../run/optimize';

/** Checks the optimize section. */
export async function checkOptimize(c: CheckContext): Promise<Issues> {
  const o = get(c.raw, 'optimize');
  if (!o || typeof o !== 'object') return [];
  const out: Issues = [];
  for (const k of ['compare', 'runs', 'assert']) {
    if (get(c.raw, k) !== undefined) out.push({ path: [k], message: `found ${k}: beside optimize:; allowed: one of them (optimize: runs its own candidates and seeds${k === 'assert' ? '; bound them with optimize.constraints' : ''})` });
  }
  if (get(get(c.raw, 'market'), 'clearing') === 'walrasian') out.push({ path: ['optimize'], message: 'under market.clearing: walrasian; allowed: optimize: with the impact market' });
  const policy = PolicySchema.safeParse(get(o, 'policy'));
  const params = get(o, 'params');
  if (params && typeof params === 'object' && !Array.isArray(params)) {
    const names = Object.keys(params);
    if (names.length === 0) out.push({ path: ['optimize', 'params'], message: 'found no parameter; allowed: at least one, as name: { min, max }' });
    const ranges: Record<string, { min: number; max: number }> = {};
    for (const name of names) {
      const r = (params as Record<string, unknown>)[name];
      const min = get(r, 'min'), max = get(r, 'max');
      if (typeof min === 'number' && typeof max === 'number') {
        if (!(min < max)) out.push({ path: ['optimize', 'params', name, 'max'], message: `found ${max}; allowed: a number > min (${min})` });
        else ranges[name] = { min, max };
      }
      if (policy.success && typeof min === 'number' && typeof max === 'number' && min < max && !realValued(policy.data, name, min, max)) {
        out.push({ path: ['optimize', 'params', name], message: `found ${show(name)}, a whole-number parameter; allowed: a real-valued parameter (candidates take any value in the range)` });
      }
      if (policy.success) {
        const numeric = numericParams(policy.data);
        if (!numeric.includes(name)) out.push({ path: ['optimize', 'params', name], key: name, message: `found ${show(name)}; allowed: a numeric parameter of optimize.policy (${numeric.join(', ') || 'none'})${didYouMean(name, numeric)}` });
      }
    }
    if (policy.success && out.length === 0 && Object.keys(ranges).length === names.length) out.push(...(await cornerIssues(policy.data, ranges, c.dir)));
  }
  const maximize = get(get(o, 'objective'), 'maximize');
  // Identity fields and the warnings list are not outcomes; populations' paths name no population.
  const identity = ['scenario', 'policy', 'seed', 'ticks', 'agents', 'warnings'];
  const numericPaths = SUMMARY_PATHS.filter((p) => !BOOLEAN_SUMMARY_PATHS.includes(p) && !identity.includes(p) && !p.includes('<name>'));
  if (typeof maximize === 'string' && !numericPaths.includes(maximize)) {
    out.push({ path: ['optimize', 'objective', 'maximize'], message: `found ${show(maximize)}; allowed: a numeric summary metric${didYouMean(maximize, numericPaths)} (${numericPaths.join(', ')})` });
  }
  const constraints = get(o, 'constraints');
  out.push(...checkAssertionBlock(c, constraints, ['optimize', 'constraints'], []));
  // Every constraint bounds every candidate: naming a policy would bound none.
  for (const [key, value] of Object.entries(constraints && typeof constraints === 'object' ? constraints : {})) {
    (Array.isArray(value) ? value : [value]).forEach((a, j) => {
      if (get(a, 'policy') !== undefined) out.push({ path: ['optimize', 'constraints', key, ...(Array.isArray(value) ? [j] : []), 'policy'], message: 'found policy:; allowed: constraints without it (each bounds every candidate)' });
    });
  }
  const candidates = get(o, 'candidates') ?? 16, seeds = get(o, 'seeds') ?? 2, budget = get(o, 'budget');
  if (typeof candidates === 'number' && typeof seeds === 'number' && typeof budget === 'number' && candidates * seeds > budget) {
    out.push({ path: ['optimize', 'budget'], message: `found ${budget}; allowed: at least candidates × seeds (${candidates} × ${seeds} = ${candidates * seeds}), the runs of round 0` });
  }
  return out;
}

/** False when the policy's schema takes only whole numbers for `name` (a value between two whole numbers of the range fails). */
function realValued(p: PolicyConfig, name: string, min: number, max: number): boolean {
  if ('module' in p || !(name in p)) return true;
  const mid = (min + max) / 2;
  const probe = Number.isInteger(mid) ? mid + Math.min(0.5, (max - min) / 4) : mid;
  const whole = PolicySchema.safeParse(withParams(p, { [name]: Math.round(probe) }));
  return !whole.success || PolicySchema.safeParse(withParams(p, { [name]: probe })).success;
}

/** The numeric parameters of a policy entry (a module's: its numeric `params`). */
function numericParams(p: PolicyConfig): string[] {
  const holder = 'module' in p ? p.params : (p as Record<string, unknown>);
  return Object.keys(holder).filter((k) => typeof holder[k] === 'number');
}

/** A built-in policy must be valid at every corner of the searched box (so at every candidate inside it, for the order rules such as minLeverage ≤ maxLeverage). */
async function cornerIssues(p: PolicyConfig, ranges: Record<string, { min: number; max: number }>, dir: string): Promise<Issues> {
  if ('module' in p) return []; // a module's parameters have no schema here
  const names = Object.keys(ranges);
  for (let mask = 0; mask < 1 << names.length; mask++) {
    const values = Object.fromEntries(names.map((n, k) => [n, mask & (1 << k) ? ranges[n]!.max : ranges[n]!.min]));
    const corner = withParams(p, values);
    const parsed = PolicySchema.safeParse(corner);
    const problems = parsed.success ? await policyIssues(parsed.data, ['optimize', 'policy'], dir, new Map()) : parsed.error.issues.map((i) => ({ path: i.path as (string | number)[], message: i.message }));
    if (problems.length > 0) {
      const at = names.map((n) => `${n} = ${values[n]}`).join(', ');
      return [{ path: ['optimize', 'params'], message: `the policy is invalid at the corner ${at} (${problems.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}); allowed: ranges where every candidate is a valid policy` }];
    }
  }
  return [];
}
