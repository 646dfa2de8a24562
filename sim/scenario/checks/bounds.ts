/**
 * Magnitude bounds on money, price, size and rate inputs, so that no product of them can overflow
 * or divide to infinity during a run (`collateral: 1.0e308`, `depth: 5e-324`). The schema checks
 * signs and types; these are the ranges a run can compute with. One table, so that a new input
 * gets its bound in one place.
 */
import type { DistSpec } from '../../../agents/distributions';
import { get, type CheckContext, type Issues } from './context';

/** The largest money amount of one input (quote): a quadrillion. */
export const MAX_MONEY = 1e15;

/** [lowest, highest] allowed, with the unit for the message. */
type Range = readonly [number, number, string];

/** Scalar fields and their ranges, by path. */
const FIELD_RANGES: readonly [readonly string[], Range][] = [
  [['tickSeconds'], [1e-3, 1e7, 'seconds']],
  [['market', 'startPrice'], [1e-6, 1e12, 'quote']],
  [['market', 'liquidity', 'depth'], [1, MAX_MONEY, 'quote']],
  [['market', 'liquidity', 'referenceVol'], [1e-9, 1, 'per tick']],
  [['market', 'liquidity', 'premiumHalfLife'], [0, 1e9, 'ticks']],
  [['market', 'liquidity', 'volHalfLife'], [1e-3, 1e9, 'ticks']],
  [['market', 'liquidity', 'elasticity'], [0, 100, '']],
  [['market', 'process', 'mu'], [-100, 100, 'a year']],
  [['market', 'process', 'sigma'], [0, 100, 'a year']],
  [['market', 'process', 'lambda'], [0, 1e6, 'jumps a year']],
  [['market', 'process', 'jumpMean'], [-10, 10, 'log']],
  [['market', 'process', 'jumpStd'], [0, 10, 'log']],
  [['market', 'process', 'omega'], [1e-300, 1, 'per tick']],
  [['market', 'funding', 'interest'], [-1, 1, 'per interval']],
  [['market', 'funding', 'band'], [0, 1, 'fraction']],
  [['market', 'funding', 'cap'], [0, 1, 'fraction']],
  [['exchange', 'insuranceFund'], [0, MAX_MONEY, 'quote']],
  [['exchange', 'backstopCollateral'], [1, MAX_MONEY, 'quote']],
];

/** Per-population distributions and the range every value they can draw must lie in. */
const AGENT_RANGES: readonly [string, Range][] = [
  ['collateral', [0, MAX_MONEY, 'quote']],
  ['reserve', [0, MAX_MONEY, 'quote']],
  ['leverage', [Number.MIN_VALUE, 1e4, 'times equity']],
];

const fmt = (x: number) => (Math.abs(x) >= 1e5 || (x !== 0 && Math.abs(x) < 1e-3) ? Number(x.toPrecision(3)).toExponential() : String(x));
const allowed = ([lo, hi, unit]: Range) => `${lo === Number.MIN_VALUE ? '0 <' : `${fmt(lo)} ≤`} x ≤ ${fmt(hi)}${unit ? ` (${unit})` : ''}`;

/** Checks every bounded scalar field that holds a number (an asset's market fields too). */
export function checkBounds(c: CheckContext): Issues {
  const out: Issues = [];
  const check = (root: unknown, at: (string | number)[], path: readonly string[], range: Range) => {
    let v: unknown = root;
    for (const p of path) v = get(v, p);
    if (typeof v === 'number' && Number.isFinite(v) && !(v >= range[0] && v <= range[1])) out.push({ path: [...at, ...path], message: `found ${fmt(v)}; allowed: ${allowed(range)}` });
  };
  for (const [path, range] of FIELD_RANGES) check(c.raw, [], path, range);
  // An asset's market fields have the market's ranges.
  const assets = get(c.raw, 'assets');
  if (Array.isArray(assets)) {
    assets.forEach((a, k) => {
      for (const [path, range] of FIELD_RANGES) if (path[0] === 'market') check(a, ['assets', k], path.slice(1), range);
    });
  }
  return out;
}

/**
 * The values a distribution can draw, as [low, high]. Unbounded tails are cut where a draw is
 * practically impossible (8 sd of a lognormal, the 1 − 1e-12 quantile of a Pareto).
 */
export function drawRange(spec: DistSpec): [number, number] {
  if (typeof spec === 'number') return [spec, spec];
  switch (spec.dist) {
    case 'fixed': return [spec.value, spec.value];
    case 'uniform': return [spec.min, spec.max];
    case 'normal': return [spec.min ?? (spec.sd > 0 ? -Infinity : spec.mean), spec.max ?? (spec.sd > 0 ? Infinity : spec.mean)];
    case 'lognormal': return [spec.median * Math.exp(-8 * spec.sigma), spec.median * Math.exp(8 * spec.sigma)];
    case 'pareto': return [spec.min, spec.min * Math.pow(1e-12, -1 / spec.alpha)];
    case 'choice': return [Math.min(...spec.values), Math.max(...spec.values)];
  }
}

/** Checks that population k's money and leverage distributions only draw values in range. */
export function agentBoundIssues(a: Record<string, DistSpec>, k: number): Issues {
  const out: Issues = [];
  for (const [field, range] of AGENT_RANGES) {
    const spec = a[field];
    if (spec === undefined) continue;
    const [lo, hi] = drawRange(spec);
    if (lo >= range[0] && hi <= range[1]) continue;
    const bad = lo < range[0] ? lo : hi;
    const what = typeof spec === 'number' || spec.dist === 'fixed' ? `found ${fmt(bad)}`
      : `a ${spec.dist} distribution that can draw ${Number.isFinite(bad) ? fmt(bad) : `any ${bad < 0 ? 'negative' : 'large'} value (it has no ${bad < 0 ? 'min' : 'max'})`}`;
    out.push({ path: ['agents', k, field], message: `${what}; allowed: values ${allowed(range)}` });
  }
  return out;
}
