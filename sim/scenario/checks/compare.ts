/**
 * Checks of `compare` and `name`: every run folder name is unique and path-safe (an explicit
 * policy, each grid value's `<grid>-<value>`, the scenario's own name), the grid's parameter is a
 * numeric one of its policy, the baseline and `pairs` name compared arms, and `variants` stand alone
 * (not beside policies or a grid) with well-formed paths outside the comparison's own fields.
 */
import { didYouMean, show } from '../errors';
import { PolicySchema } from '../schema';
import { parsePath } from '../read';
import { get, unsafeName, type CheckContext, type Issues } from './context';

/** Top-level fields a variant may not set: they define the comparison itself, not one arm. */
export const VARIANT_FIXED = ['name', 'seed', 'compare', 'runs', 'optimize', 'assert'];

/** Checks the compare section and the scenario name; returns the compared policies' names too (explicit, then grid). */
export function checkCompare(c: CheckContext): { issues: Issues; names: string[] } {
  const out: Issues = [];
  const name = get(c.raw, 'name');
  if (typeof name === 'string' && unsafeName(name)) out.push({ path: ['name'], message: unsafeName(name)! });
  const compare = get(c.raw, 'compare');
  // Every run folder name, with where it came from.
  const names = new Map<string, string>();
  const claim = (nm: string, path: (string | number)[], where: string) => {
    const bad = unsafeName(nm);
    if (bad) out.push({ path, message: bad });
    else if (names.has(nm)) out.push({ path, message: `the run name ${show(nm)} is already the name of ${names.get(nm)}; allowed: names used once (each names a run folder)` });
    else names.set(nm, where);
  };
  const list = get(compare, 'policies');
  if (Array.isArray(list)) {
    list.forEach((p, k) => {
      const nm = get(p, 'name');
      if (typeof nm === 'string') claim(nm, ['compare', 'policies', k, 'name'], `compare.policies[${k}]`);
    });
  }
  const grid = get(compare, 'grid');
  if (grid) {
    const gp = PolicySchema.safeParse(get(grid, 'policy'));
    const param = get(grid, 'param');
    if (gp.success && typeof param === 'string') {
      const holder = 'module' in gp.data ? gp.data.params : (gp.data as Record<string, unknown>);
      const numeric = Object.keys(holder).filter((key) => typeof holder[key] === 'number');
      if (!numeric.includes(param)) out.push({ path: ['compare', 'grid', 'param'], message: `found ${show(param)}; allowed: a numeric parameter of the grid's policy (${numeric.join(', ') || 'none'})${didYouMean(param, numeric)}` });
    }
    const gname = get(grid, 'name'), values = get(grid, 'values');
    if (typeof gname === 'string' && Array.isArray(values)) {
      values.forEach((v, k) => claim(`${gname}-${String(v)}`, ['compare', 'grid', 'values', k], `compare.grid.values[${k}]`));
    }
  }
  const variants = get(compare, 'variants');
  if (Array.isArray(variants)) {
    // One kind of arm per comparison: a variant runs the scenario's own policies, so a policy arm
    // beside it would leave each run's policy ambiguous.
    const beside = [Array.isArray(list) && list.length > 0 ? 'compare.policies' : '', grid ? 'compare.grid' : ''].filter(Boolean);
    if (beside.length > 0) out.push({ path: ['compare', 'variants'], message: `found variants beside ${beside.join(' and ')}; allowed: one kind of arm: variants (scenario fields), or policies and grid (policies)` });
    variants.forEach((v, k) => {
      const nm = get(v, 'name');
      if (typeof nm === 'string') claim(nm, ['compare', 'variants', k, 'name'], `compare.variants[${k}]`);
      const set = get(v, 'set');
      for (const key of set && typeof set === 'object' && !Array.isArray(set) ? Object.keys(set) : []) {
        const path = parsePath(key);
        const at = { path: ['compare', 'variants', k, 'set', key], key };
        if (!path) out.push({ ...at, message: `found ${show(key)}; allowed: a field path as in --set path=value (e.g. protocols[0].oracle.lagTicks)` });
        else if (typeof path[0] === 'string' && VARIANT_FIXED.includes(path[0])) out.push({ ...at, message: `found ${show(key)}; allowed: a field outside ${VARIANT_FIXED.join(', ')} (every arm shares the comparison's seeds and sweep settings)` });
      }
    });
  }
  const baseline = get(compare, 'baseline');
  if (typeof baseline === 'string' && !names.has(baseline)) {
    out.push({ path: ['compare', 'baseline'], message: `found ${show(baseline)}; allowed: the name of a compared policy or variant (${[...names.keys()].join(', ')})${didYouMean(baseline, [...names.keys()])}` });
  }
  const pairs = get(compare, 'pairs');
  if (Array.isArray(pairs)) {
    pairs.forEach((q, k) => {
      for (const f of ['policy', 'against']) {
        const nm = get(q, f);
        if (typeof nm === 'string' && !names.has(nm)) out.push({ path: ['compare', 'pairs', k, f], message: `found ${show(nm)}; allowed: the name of a compared policy or variant (${[...names.keys()].join(', ')})${didYouMean(nm, [...names.keys()])}` });
      }
    });
  }
  return { issues: out, names: [...names.keys()] };
}
