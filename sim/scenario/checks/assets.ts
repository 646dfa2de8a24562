/**
 * Checks of the multi-asset keys: `assets` (unique names, each process like market.process),
 * `correlation` and `margin.correlation` (size, symmetry, unit diagonal, positive semi-definite),
 * `margin.scan` keys, and every place that names an asset (`market.shocks[k].assets` and `.returns`,
 * `agents[k].asset`, `correlation.oneFactor.assets`). Without `assets:` none of these may name an
 * asset: there is no list to name one from. With `assets:`, `market.process` and
 * `market.startPrice` belong to each asset. The walrasian clearing mode (one asset, no margin
 * accounts) refuses `assets:`, `margin:` and a compared arm's `marginMode`.
 */
import { oneFactorCorrelation, validateCorrelation } from '../../market/correlation';
import { didYouMean, show } from '../errors';
import { get, type CheckContext, type Issues } from './context';
import { processIssues } from './market';

/** What the assets check finds, and each asset's replay path (when its process is `replay`). */
export interface AssetsCheck {
  issues: Issues;
  replayPrices: (Float64Array | undefined)[];
}

/** The key of `margin.scan` that applies to the assets it does not name. */
export const SCAN_DEFAULT_KEY = 'default';

type Path = (string | number)[];

/** Checks the multi-asset keys; see the file comment. */
export function checkAssets(c: CheckContext): AssetsCheck {
  const out: Issues = [];
  const replayPrices: (Float64Array | undefined)[] = [];
  const list = get(c.raw, 'assets');
  const market = get(c.raw, 'market');
  const multi = Array.isArray(list);
  // The names of the assets, in order (a malformed name is the schema's to report).
  const names: string[] = [];
  if (multi) {
    const seen = new Map<string, number>();
    list.forEach((a, k) => {
      const name = get(a, 'name');
      if (typeof name !== 'string') return;
      if (seen.has(name)) out.push({ path: ['assets', k, 'name'], message: `found ${show(name)}, already the name of assets[${seen.get(name)}]; allowed: a name used once` });
      else if (name === SCAN_DEFAULT_KEY) out.push({ path: ['assets', k, 'name'], message: `found ${show(name)}; allowed: any other name (margin.scan.${SCAN_DEFAULT_KEY} is the scan range of the assets not named)` });
      else seen.set(name, k);
      names.push(name);
      const p = processIssues(c, get(a, 'process'), ['assets', k, 'process']);
      out.push(...p.issues);
      replayPrices[k] = p.replayPrices;
    });
    for (const key of ['process', 'startPrice']) {
      const v = get(market, key);
      if (v !== undefined) out.push({ path: ['market', key], key, message: `market.${key} is per asset when assets: is given; found ${show(v)}; allowed: move it to assets[k].${key}` });
    }
  }
  // The walrasian mode clears one asset for funds of its own: no markets to list, no accounts to margin.
  if (get(market, 'clearing') === 'walrasian') {
    if (multi) out.push({ path: ['assets'], message: 'found assets: under market.clearing: walrasian; allowed: assets: with the impact market (the walrasian mode clears one asset)' });
    if (get(c.raw, 'margin') !== undefined) out.push({ path: ['margin'], message: 'found margin: under market.clearing: walrasian; allowed: margin: with the impact market (the walrasian funds have no margin accounts)' });
    const compare = get(c.raw, 'compare');
    const arms: [unknown, Path][] = [[get(compare, 'grid'), ['compare', 'grid']]];
    const list = get(compare, 'policies');
    if (Array.isArray(list)) list.forEach((p, k) => arms.push([p, ['compare', 'policies', k]]));
    for (const [arm, at] of arms) if (get(arm, 'marginMode') !== undefined) out.push({ path: [...at, 'marginMode'], message: 'found marginMode: under market.clearing: walrasian; allowed: marginMode: with the impact market (the walrasian funds have no margin accounts)' });
  }
  const listed = [...new Set(names)].join(', ');
  /** `what` names assets, and there is no asset list to name them from. */
  const without = (path: Path, what: string, allowed: string, key?: string): void => {
    out.push({ path, ...(key !== undefined ? { key } : {}), message: `found ${what} but the scenario has no assets: list to name assets from; allowed: ${allowed}` });
  };
  /** `name` is one of the assets (pushes an issue when not). */
  const known = (name: unknown, path: Path, key?: string): boolean => {
    if (typeof name !== 'string' || names.includes(name)) return true;
    out.push({ path, ...(key !== undefined ? { key } : {}), message: `unknown asset ${show(name)}${didYouMean(name, names)}; allowed: ${listed}` });
    return false;
  };
  /** A correlation matrix at `path`: one row and column per asset, and a valid correlation. */
  const matrix = (m: unknown, path: Path): void => {
    if (!Array.isArray(m) || !m.every((row) => Array.isArray(row) && row.every((x) => typeof x === 'number'))) return; // the schema's
    const n = Math.max(1, names.length);
    if (m.length !== n) {
      out.push({ path, message: `found a ${m.length} × ${(m[0] as unknown[] | undefined)?.length ?? 0} matrix; allowed: ${n} × ${n}, one row and column per asset (${names.join(', ') || 'the one market'})` });
      return;
    }
    const bad = m.findIndex((row: unknown[]) => row.length !== n);
    if (bad >= 0) {
      out.push({ path: [...path, bad], message: `found ${(m[bad] as unknown[]).length} entries; allowed: ${n}, one per asset (${names.join(', ')})` });
      return;
    }
    try {
      validateCorrelation(m as number[][]);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      // An entry's problem points at the entry.
      const at = /^correlation\[(\d+)\]\[(\d+)\]/.exec(e.message);
      out.push({ path: at ? [...path, Number(at[1]), Number(at[2])] : path, message: `${e.message}; allowed: a symmetric matrix with 1 on the diagonal, entries in [-1, 1], no negative eigenvalue` });
    }
  };

  // correlation
  const corr = get(c.raw, 'correlation');
  if (corr !== undefined && !multi) without(['correlation'], 'correlation:', 'correlation: only beside assets: (one market has nothing to correlate)', 'correlation');
  else if (corr !== undefined) {
    matrix(get(corr, 'matrix'), ['correlation', 'matrix']);
    const of = get(corr, 'oneFactor');
    const byName = get(of, 'assets');
    if (byName && typeof byName === 'object' && !Array.isArray(byName)) {
      const at: Path = ['correlation', 'oneFactor', 'assets'];
      let ok = true;
      for (const name of Object.keys(byName)) ok = known(name, [...at, name], name) && ok;
      const missing = names.filter((nm) => !(nm in byName));
      if (missing.length > 0) {
        ok = false;
        out.push({ path: at, message: `found no entry for ${missing.join(', ')}; allowed: one { beta, idiosyncraticVol } per asset (${listed})` });
      }
      const marketVol = get(of, 'marketVol');
      const entries = names.map((nm) => (byName as Record<string, unknown>)[nm]);
      if (ok && typeof marketVol === 'number' && entries.every((e) => typeof get(e, 'beta') === 'number' && typeof get(e, 'idiosyncraticVol') === 'number')) {
        try {
          oneFactorCorrelation({ marketVol, assets: entries as { beta: number; idiosyncraticVol: number }[] });
        } catch (e) {
          if (!(e instanceof RangeError)) throw e;
          out.push({ path: ['correlation', 'oneFactor'], message: `${e.message.replace(/^asset (\d+)/, (_, i: string) => `asset ${names[Number(i)]}`)}; allowed: every asset with some volatility` });
        }
      }
    }
  }

  // margin, and each compared arm's margin entries
  const checkMargin = (margin: unknown, at: Path): void => {
    const mc = get(margin, 'correlation');
    if (mc !== undefined && !multi) without([...at, 'correlation'], 'margin.correlation', 'margin.correlation only beside assets: (one market has nothing to correlate)', 'correlation');
    else if (mc !== undefined) matrix(mc, [...at, 'correlation']);
    const scan = get(margin, 'scan');
    if (scan && typeof scan === 'object' && !Array.isArray(scan)) {
      for (const key of Object.keys(scan)) {
        if (key === SCAN_DEFAULT_KEY) continue;
        if (!multi) without([...at, 'scan', key], `a scan range for ${show(key)}`, `margin.scan.${SCAN_DEFAULT_KEY} (the one market's scan range)`, key);
        else if (!names.includes(key)) out.push({ path: [...at, 'scan', key], key, message: `unknown asset ${show(key)}${didYouMean(key, [SCAN_DEFAULT_KEY, ...names])}; allowed: ${SCAN_DEFAULT_KEY}, ${listed}` });
      }
    }
  };
  checkMargin(get(c.raw, 'margin'), ['margin']);
  const compared = get(get(c.raw, 'compare'), 'policies');
  if (Array.isArray(compared)) compared.forEach((arm, k) => { if (get(arm, 'margin') !== undefined) checkMargin(get(arm, 'margin'), ['compare', 'policies', k, 'margin']); });

  // market.shocks
  const shocks = get(market, 'shocks');
  if (Array.isArray(shocks)) {
    shocks.forEach((sh, k) => {
      if (!sh || typeof sh !== 'object' || Array.isArray(sh)) return;
      const at: Path = ['market', 'shocks', k];
      const ret = get(sh, 'return'), returns = get(sh, 'returns'), targets = get(sh, 'assets');
      if (ret === undefined && returns === undefined) out.push({ path: [...at, 'return'], message: `is required: a simple return (e.g. -0.1)${multi ? ', or returns: { <asset>: <return>, ... }' : ''}` });
      if (ret !== undefined && returns !== undefined) out.push({ path: [...at, 'returns'], key: 'returns', message: 'found both return: and returns:; allowed: one of them (return: for the same return on every targeted asset, returns: for one per asset)' });
      if (!multi) {
        if (returns !== undefined) without([...at, 'returns'], 'returns: (per-asset returns)', 'return: (the one market\'s)', 'returns');
        if (targets !== undefined) without([...at, 'assets'], 'assets: (the assets the shock hits)', 'a shock without assets: (it hits the one market)', 'assets');
        return;
      }
      if (returns !== undefined && targets !== undefined) out.push({ path: [...at, 'assets'], key: 'assets', message: 'found assets: beside returns:; allowed: one of them (returns: names its assets)' });
      if (Array.isArray(targets)) targets.forEach((nm, j) => known(nm, [...at, 'assets', j]));
      if (returns && typeof returns === 'object' && !Array.isArray(returns)) for (const nm of Object.keys(returns)) known(nm, [...at, 'returns', nm], nm);
    });
  }

  // agents[k].asset
  const agents = get(c.raw, 'agents');
  if (Array.isArray(agents)) {
    agents.forEach((a, k) => {
      const asset = get(a, 'asset');
      if (asset === undefined) return;
      if (!multi) without(['agents', k, 'asset'], `asset: ${show(asset)}`, 'no asset: (every population trades the one market)');
      else known(asset, ['agents', k, 'asset']);
    });
  }
  return { issues: out, replayPrices };
}
