/**
 * Checks of the `venues:` keys: they need `assets:`; venue names are unique; every asset a venue
 * lists (perpetual or spot markets, local shocks) is one of the assets, listed once per kind; a
 * local shock's asset is one the venue lists; `agents[k].venue` names a venue (and needs
 * `venues:`), and the population's asset is one its venue lists as a perpetual market.
 */
import { didYouMean, show } from '../errors';
import { get, type CheckContext, type Issues } from './context';

type Path = (string | number)[];

/** Checks the venue keys; see the file comment. */
export function checkVenues(c: CheckContext): Issues {
  const out: Issues = [];
  const venues = get(c.raw, 'venues');
  const agents = get(c.raw, 'agents');
  const assetList = get(c.raw, 'assets');
  const assets = Array.isArray(assetList) ? assetList.map((a) => get(a, 'name')).filter((n): n is string => typeof n === 'string') : [];
  if (!Array.isArray(venues)) {
    if (Array.isArray(agents)) agents.forEach((a, k) => {
      const v = get(a, 'venue');
      if (v !== undefined) out.push({ path: ['agents', k, 'venue'], message: `found venue: ${show(v)} but the scenario has no venues: list; allowed: no venue: (every population trades the one venue)` });
    });
    return out;
  }
  if (!Array.isArray(assetList)) out.push({ path: ['venues'], message: 'found venues: without assets:; allowed: venues: beside an assets: list (venues list markets of the assets)' });
  const known = (name: unknown, path: Path, allowed: readonly string[] = assets, what = 'asset'): boolean => {
    if (typeof name !== 'string' || allowed.includes(name)) return true;
    out.push({ path, message: `unknown ${what} ${show(name)}${didYouMean(name, allowed)}; allowed: ${allowed.join(', ') || '(none)'}` });
    return false;
  };
  const names: string[] = [];
  const perps: string[][] = [];
  venues.forEach((v, k) => {
    const name = get(v, 'name');
    if (typeof name === 'string') {
      const prev = names.indexOf(name);
      if (prev >= 0) out.push({ path: ['venues', k, 'name'], message: `found ${show(name)}, already the name of venues[${prev}]; allowed: a name used once` });
    }
    names.push(typeof name === 'string' ? name : '');
    const listed = (key: string): string[] => {
      const ms = get(v, key);
      const seen: string[] = [];
      if (!Array.isArray(ms)) return key === 'markets' && ms === undefined ? [...assets] : seen;
      ms.forEach((m, j) => {
        const a = get(m, 'asset');
        if (!known(a, ['venues', k, key, j, 'asset']) || typeof a !== 'string') return;
        if (seen.includes(a)) out.push({ path: ['venues', k, key, j, 'asset'], message: `found ${show(a)} twice in venues[${k}].${key}; allowed: one ${key === 'spot' ? 'spot' : 'perpetual'} market per asset` });
        seen.push(a);
      });
      return seen;
    };
    const perp = listed('markets');
    const spot = listed('spot');
    perps.push(perp);
    const shocks = get(v, 'shocks');
    if (Array.isArray(shocks)) shocks.forEach((sh, j) => {
      const a = get(sh, 'asset');
      const kind = get(sh, 'market') ?? 'perp';
      const has = kind === 'spot' ? spot : kind === 'both' ? perp.filter((x) => spot.includes(x)) : perp;
      if (a !== undefined) known(a, ['venues', k, 'shocks', j, 'asset'], has, `asset of a ${kind} market of venue ${show(name)}:`);
      else if (kind !== 'perp' && spot.length === 0) out.push({ path: ['venues', k, 'shocks', j, 'market'], message: `found market: ${show(kind)} but venue ${show(name)} lists no spot market; allowed: perp, or a spot: list on the venue` });
    });
    for (const [p, at] of [[get(v, 'policy'), ['venues', k, 'policy']], ...(Array.isArray(get(v, 'markets')) ? (get(v, 'markets') as unknown[]).map((m, j) => [get(m, 'policy'), ['venues', k, 'markets', j, 'policy']]) : [])] as [unknown, Path][]) {
      const type = get(p, 'type');
      if (typeof type === 'string' && (type.includes('/') || /\.(ts|js)$/.test(type))) out.push({ path: [...at, 'type'], message: `found a policy module ${show(type)} on a venue; allowed: a built-in policy type on venues (a module policy goes in exchange.policy or a compared arm)` });
    }
  });
  if (Array.isArray(agents)) agents.forEach((a, k) => {
    const v = get(a, 'venue');
    const at = v === undefined ? 0 : names.indexOf(v as string);
    if (v !== undefined && !known(v, ['agents', k, 'venue'], names, 'venue')) return;
    const asset = get(a, 'asset') ?? assets[0];
    const list = perps[at];
    if (typeof asset === 'string' && list && assets.includes(asset) && !list.includes(asset)) {
      out.push({ path: ['agents', k, v !== undefined ? 'venue' : 'asset'], message: `venue ${show(names[at])} lists no perpetual market for ${show(asset)}; allowed: a venue that lists ${show(asset)} (${names.filter((_, j) => perps[j]!.includes(asset)).join(', ') || 'none does'})` });
    }
  });
  return out;
}
