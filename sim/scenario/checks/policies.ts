/** Checks of every policy entry (`exchange.policy`, `assets[k].policy`, `venues[k].policy`, `venues[k].exchange.policy`, `venues[k].markets[j].policy`, `compare.policies[k].policy`, `compare.grid.policy`, `optimize.policy`): presets exist, rates are ordered, tiers compile, modules load. */
import { compileTiers, TierError } from '../../exchange/margin';
import { PRESETS, PRESET_NAMES } from '../../exchange/policies/presets';
import type { PolicyFactory } from '../../run/policy-factory';
import { didYouMean, pathString, show } from '../errors';
import { resolvePolicyModule } from '../modules';
import { withParams } from '../../run/optimize';
import { flattenIssues } from '../zod-issues';
import { PolicySchema, type PolicyConfig } from '../schema';
import { get, type CheckContext, type Issues } from './context';

/** What the policy checks find, and the custom policy modules they load (by the path written). */
export interface PolicyCheck {
  issues: Issues;
  policyModules: Map<string, PolicyFactory>;
}

/** Checks every policy entry of the scenario. */
export async function checkPolicies(c: CheckContext): Promise<PolicyCheck> {
  const issues: Issues = [];
  const policyModules = new Map<string, PolicyFactory>();
  const at = async (v: unknown, path: (string | number)[]) => {
    const r = PolicySchema.safeParse(v);
    if (r.success) issues.push(...(await policyIssues(r.data, path, c.dir, policyModules)));
  };
  await at(get(get(c.raw, 'exchange'), 'policy'), ['exchange', 'policy']);
  const assets = get(c.raw, 'assets');
  if (Array.isArray(assets)) for (let k = 0; k < assets.length; k++) if (get(assets[k], 'policy') !== undefined) await at(get(assets[k], 'policy'), ['assets', k, 'policy']);
  // A venue's policies (its own, its exchange block's, each market's) are built like the others: an unknown preset there crashed the build.
  const venues = get(c.raw, 'venues');
  if (Array.isArray(venues)) {
    for (let k = 0; k < venues.length; k++) {
      if (get(venues[k], 'policy') !== undefined) await at(get(venues[k], 'policy'), ['venues', k, 'policy']);
      const vx = get(get(venues[k], 'exchange'), 'policy');
      if (vx !== undefined) await at(vx, ['venues', k, 'exchange', 'policy']);
      const ms = get(venues[k], 'markets');
      if (Array.isArray(ms)) for (let j = 0; j < ms.length; j++) if (get(ms[j], 'policy') !== undefined) await at(get(ms[j], 'policy'), ['venues', k, 'markets', j, 'policy']);
    }
  }
  const compare = get(c.raw, 'compare');
  const list = get(compare, 'policies');
  if (Array.isArray(list)) for (let k = 0; k < list.length; k++) await at(get(list[k], 'policy'), ['compare', 'policies', k, 'policy']);
  const grid = get(compare, 'grid');
  if (grid) {
    await at(get(grid, 'policy'), ['compare', 'grid', 'policy']);
    issues.push(...(await gridValueIssues(grid, c.dir, policyModules)));
  }
  if (get(c.raw, 'optimize')) await at(get(get(c.raw, 'optimize'), 'policy'), ['optimize', 'policy']);
  return { issues, policyModules };
}

/**
 * Checks the policy each `compare.grid.values[k]` makes (the grid's policy with `param` set to it),
 * as the schema and {@link policyIssues} check a policy written out: each is run as one, and a
 * value no policy takes (a negative cap) failed inside the run, after the runs before it.
 */
async function gridValueIssues(grid: unknown, dir: string, modules: Map<string, PolicyFactory>): Promise<Issues> {
  const out: Issues = [];
  const policy = PolicySchema.safeParse(get(grid, 'policy'));
  const param = get(grid, 'param'), values = get(grid, 'values');
  // A policy or a parameter that is wrong itself is reported at its own place (here and in checks/compare.ts).
  if (!policy.success || typeof param !== 'string' || !Array.isArray(values)) return out;
  const holder = 'module' in policy.data ? policy.data.params : (policy.data as Record<string, unknown>);
  if (typeof holder[param] !== 'number') return out;
  for (const [k, v] of values.entries()) {
    if (typeof v !== 'number') continue;
    const spec = withParams(policy.data, { [param]: v });
    const r = PolicySchema.safeParse(spec, { reportInput: true });
    const problems = r.success ? await policyIssues(r.data, [], dir, modules) : flattenIssues(r.error.issues, PolicySchema, spec);
    for (const p of problems) out.push({ path: ['compare', 'grid', 'values', k], message: `with ${param} = ${show(v)}, the policy${p.path.length > 0 ? `'s ${pathString(p.path)}` : ''}: ${p.message}` });
  }
  return out;
}

/** Checks one policy entry: presets exist, a fixed MMR is below its IMR, tiers compile, ramps are ordered, modules load. */
export async function policyIssues(p: PolicyConfig, path: (string | number)[], dir: string, modules: Map<string, PolicyFactory>): Promise<Issues> {
  const out: Issues = [];
  const preset = (name: string, at: (string | number)[]) => {
    if (!(name in PRESETS)) out.push({ path: at, message: `unknown preset ${show(name)}${didYouMean(name, PRESET_NAMES)}; allowed: ${PRESET_NAMES.join(', ')}` });
  };
  const fixedMmr = (maxLeverage: number, mmr: number, at: (string | number)[]) => {
    if (!(mmr < 1 / maxLeverage)) out.push({ path: at, message: `found ${mmr}; allowed: below the initial margin rate 1/maxLeverage = ${1 / maxLeverage}` });
  };
  const tiers = (t: Parameters<typeof compileTiers>[0], at: (string | number)[]) => {
    try {
      compileTiers(t);
    } catch (e) {
      if (e instanceof TierError) out.push({ path: [...at, e.bracket, e.field], message: e.detail });
      else out.push({ path: at, message: (e as Error).message });
    }
  };
  if ('preset' in p) preset(p.preset, [...path, 'preset']);
  else if ('module' in p) {
    if (!modules.has(p.module)) {
      const r = await resolvePolicyModule(p.module, [...path, 'module'], dir);
      out.push(...r.issues);
      if (r.factory) modules.set(p.module, r.factory);
    }
  } else if (p.type === 'fixed') fixedMmr(p.maxLeverage, p.mmr, [...path, 'mmr']);
  else if (p.type === 'tiered') tiers(p.tiers, [...path, 'tiers']);
  else {
    if (p.type === 'open-interest' && !(p.upperCap > p.lowerCap)) out.push({ path: [...path, 'upperCap'], message: `found ${p.upperCap}; allowed: a cap above lowerCap (${p.lowerCap})` });
    if (p.type === 'circuit-breaker' && !(p.hard > p.soft)) out.push({ path: [...path, 'hard'], message: `found ${p.hard}; allowed: a threshold above soft (${p.soft})` });
    if (p.type === 'vol-scaled' && !(p.maxLeverage >= p.minLeverage)) out.push({ path: [...path, 'maxLeverage'], message: `found ${p.maxLeverage}; allowed: at least minLeverage (${p.minLeverage})` });
    if (p.type === 'risk-score') {
      const b = p.base;
      if ('preset' in b) preset(b.preset, [...path, 'base', 'preset']);
      else if (b.type === 'fixed') fixedMmr(b.maxLeverage, b.mmr, [...path, 'base', 'mmr']);
      else tiers(b.tiers, [...path, 'base', 'tiers']);
    } else if ('base' in p) out.push(...(await policyIssues(p.base, [...path, 'base'], dir, modules)));
  }
  return out;
}
