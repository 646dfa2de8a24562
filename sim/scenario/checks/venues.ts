/**
 * Checks of the `venues:` keys: they need `assets:`; venue names are unique; every asset a venue
 * lists (perpetual or spot markets, local shocks) is one of the assets, listed once per kind; a
 * local shock's asset is one the venue lists; `agents[k].venue` names a venue (and needs
 * `venues:`), and the population's asset is one its venue lists as a perpetual market. Tokens
 * (`assets[k].token`) need `venues:`; a venue's accepted collateral token is one of its spot
 * markets; a population holding a token (`tokenCollateral`) trades on a venue that accepts it, in
 * cross or portfolio margin.
 */
import { didYouMean, show } from '../errors';
import { get, namesIn, type CheckContext, type Issues } from './context';
import { MAX_SHOCK } from './market';
import { drawRange, MAX_MONEY } from './bounds';
import { DEFAULT_LIQUIDATION_BONUS, DistSchema } from '../schema';
import type { DistSpec } from '../../../agents/distributions';

/** The most units of an asset one borrower can start with. */
const MAX_UNITS = 1e12;

/** A local or oracle shock's return above {@link MAX_SHOCK}, bounded like a market shock's (a return of 1e308 made every ledger figure NaN). */
function bigShock(r: unknown, path: Path, out: Issues): void {
  if (typeof r === 'number' && Number.isFinite(r) && r > MAX_SHOCK) out.push({ path, message: `found ${r}; allowed: a simple return from −1 (excluded) to ${MAX_SHOCK} (+1,000%)` });
}

type Path = (string | number)[];

/** Checks the venue keys; see the file comment. */
export function checkVenues(c: CheckContext): Issues {
  const out: Issues = [];
  const venues = get(c.raw, 'venues');
  const agents = get(c.raw, 'agents');
  const assetList = get(c.raw, 'assets');
  const assets = namesIn(assetList);
  const tokens = namesIn(assetList, (a) => get(a, 'token') === true);
  if (!Array.isArray(venues)) {
    if (Array.isArray(assetList)) assetList.forEach((a, k) => {
      if (get(a, 'token') === true) out.push({ path: ['assets', k, 'token'], message: 'found token: true but the scenario has no venues: list; allowed: token: true beside venues: (a token is collateral some venue accepts)' });
    });
    const protocols = get(c.raw, 'protocols');
    if (Array.isArray(protocols) && protocols.length > 0) out.push({ path: ['protocols'], message: 'found protocols: but the scenario has no venues: list; allowed: protocols: beside venues: (a protocol\'s oracle and liquidators use venues)' });
    if (Array.isArray(agents)) agents.forEach((a, k) => {
      for (const key of ['venue', 'tokenCollateral', 'sharedReserve', 'arbitrage']) {
        const v = get(a, key);
        if (v !== undefined) out.push({ path: ['agents', k, key], message: `found ${key}: ${show(v)} but the scenario has no venues: list; allowed: no ${key}: (every population trades the one venue)` });
      }
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
  const acceptedBy: string[][] = [];
  const acceptedSpots: string[][] = [];
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
      if (!Array.isArray(ms)) return key === 'markets' && ms === undefined ? assets.filter((a) => !tokens.includes(a)) : seen;
      ms.forEach((m, j) => {
        const a = get(m, 'asset');
        if (!known(a, ['venues', k, key, j, 'asset']) || typeof a !== 'string') return;
        if (seen.includes(a)) out.push({ path: ['venues', k, key, j, 'asset'], message: `found ${show(a)} twice in venues[${k}].${key}; allowed: one ${key === 'spot' ? 'spot' : 'perpetual'} market per asset` });
        seen.push(a);
      });
      return seen;
    };
    if (get(get(get(v, 'exchange'), 'liquidation'), 'mode') === 'module') out.push({ path: ['venues', k, 'exchange', 'liquidation', 'mode'], message: 'found module on a venue\'s own exchange block; allowed: full, partial or fraction (a liquidation module is loaded from the top-level exchange.liquidation, which venues without an exchange block use, each with its own instance)' });
    const perp = listed('markets');
    if (perp.length === 0 && Array.isArray(assetList) && (get(v, 'markets') === undefined)) out.push({ path: ['venues', k], message: `venue ${show(name)} lists no perpetual market: every asset is a token; allowed: a venue with at least one perpetual market (an asset without token: true, or a markets: list)` });
    const spot = listed('spot');
    perps.push(perp);
    const accepted: string[] = [];
    const coll = get(v, 'collateral');
    if (Array.isArray(coll)) coll.forEach((t, j) => {
      const tok = get(t, 'token');
      if (!known(tok, ['venues', k, 'collateral', j, 'token']) || typeof tok !== 'string') return;
      if (accepted.includes(tok)) out.push({ path: ['venues', k, 'collateral', j, 'token'], message: `found ${show(tok)} twice in venues[${k}].collateral; allowed: each token once` });
      else if (!spot.includes(tok)) out.push({ path: ['venues', k, 'collateral', j, 'token'], message: `found ${show(tok)}, which venue ${show(name)} lists no spot market for; allowed: a token among its spot: markets (${spot.join(', ') || 'none'}), where the venue sells it when it liquidates a holder` });
      accepted.push(tok);
    });
    acceptedBy.push(accepted);
    acceptedSpots.push(spot);
    const shocks = get(v, 'shocks');
    if (Array.isArray(shocks)) shocks.forEach((sh, j) => {
      const ret = get(sh, 'return'), flow = get(sh, 'flow');
      if ((ret === undefined) === (flow === undefined)) out.push({ path: ['venues', k, 'shocks', j, ret === undefined ? 'return' : 'flow'], message: ret === undefined ? 'is required: a simple return (a local mark move, e.g. -0.1), or flow: a signed quote flow through the book' : 'found both return: and flow:; allowed: one of them' });
      const a = get(sh, 'asset');
      const kind = get(sh, 'market') ?? 'perp';
      const has = kind === 'spot' ? spot : kind === 'both' ? perp.filter((x) => spot.includes(x)) : perp;
      if (a !== undefined) known(a, ['venues', k, 'shocks', j, 'asset'], has, `asset of a ${kind} market of venue ${show(name)}:`);
      else if (kind !== 'perp' && spot.length === 0) out.push({ path: ['venues', k, 'shocks', j, 'market'], message: `found market: ${show(kind)} but venue ${show(name)} lists no spot market; allowed: perp, or a spot: list on the venue` });
      bigShock(get(sh, 'return'), ['venues', k, 'shocks', j, 'return'], out);
      // A local shock is spread over one scheduled entry per tick: 1e15 ticks overflowed the schedule (exit 1).
      const over = get(sh, 'overTicks');
      if (c.ticks !== undefined && typeof over === 'number' && over > c.ticks) out.push({ path: ['venues', k, 'shocks', j, 'overTicks'], message: `found ${over}; allowed: at most ticks (${c.ticks})` });
    });
    for (const [p, at] of [[get(v, 'policy'), ['venues', k, 'policy']], ...(Array.isArray(get(v, 'markets')) ? (get(v, 'markets') as unknown[]).map((m, j) => [get(m, 'policy'), ['venues', k, 'markets', j, 'policy']]) : [])] as [unknown, Path][]) {
      const type = get(p, 'type');
      if (typeof type === 'string' && (type.includes('/') || /\.(ts|js)$/.test(type))) out.push({ path: [...at, 'type'], message: `found a policy module ${show(type)} on a venue; allowed: a built-in policy type on venues (a module policy goes in exchange.policy or a compared arm)` });
    }
  });
  checkProtocols(c, names, acceptedSpots, known, out);
  if (Array.isArray(agents)) agents.forEach((a, k) => {
    const v = get(a, 'venue');
    const at = v === undefined ? 0 : names.indexOf(v as string);
    if (v !== undefined && !known(v, ['agents', k, 'venue'], names, 'venue')) return;
    const arb = get(a, 'arbitrage');
    const cv = get(arb, 'counterVenue');
    if (cv !== undefined && known(cv, ['agents', k, 'arbitrage', 'counterVenue'], names, 'venue')) {
      const other = names.indexOf(cv as string);
      if (other === at) out.push({ path: ['agents', k, 'arbitrage', 'counterVenue'], message: `found ${show(cv)}, the population's own venue; allowed: another venue (${names.filter((_, j) => j !== at).join(', ') || 'none'})` });
      const asset0 = get(a, 'asset') ?? assets.find((x) => !tokens.includes(x));
      if (typeof asset0 === 'string' && perps[other] && !perps[other]!.includes(asset0)) out.push({ path: ['agents', k, 'arbitrage', 'counterVenue'], message: `venue ${show(cv)} lists no perpetual market for ${show(asset0)}; allowed: a venue that does` });
    }
    const lat = get(arb, 'latencyTicks');
    if (typeof lat === 'number' && c.ticks !== undefined && lat > c.ticks) out.push({ path: ['agents', k, 'arbitrage', 'latencyTicks'], message: `found ${lat}; allowed: at most ticks (${c.ticks}): a gap seen longer ago than the run never arrives` });
    const wallet = get(get(a, 'sharedReserve'), 'wallet');
    if (wallet !== undefined) {
      const before = agents.slice(0, k);
      const j = before.findIndex((b) => get(b, 'name') === wallet);
      if (j < 0) out.push({ path: ['agents', k, 'sharedReserve', 'wallet'], message: `found ${show(wallet)}; allowed: the name of a population listed before this one (${before.map((b) => get(b, 'name')).join(', ') || 'none'})` });
      else if (get(before[j], 'count') !== get(a, 'count')) out.push({ path: ['agents', k, 'sharedReserve', 'wallet'], message: `population ${show(wallet)} has ${String(get(before[j], 'count'))} agents and this one ${String(get(a, 'count'))}; allowed: as many (agent k shares agent k's wallet)` });
      else if (get(before[j], 'sharedReserve') === undefined) out.push({ path: ['agents', k, 'sharedReserve', 'wallet'], message: `population ${show(wallet)} has no sharedReserve: its reserve stays in its own column and no wallet holds it; allowed: a population with a sharedReserve (give ${show(wallet)} one)` });
    }
    const tc = get(a, 'tokenCollateral');
    const tok = get(tc, 'token');
    if (typeof tok === 'string' && acceptedBy[at] && !acceptedBy[at]!.includes(tok)) {
      out.push({ path: ['agents', k, 'tokenCollateral', 'token'], message: `found ${show(tok)}, which venue ${show(names[at])} does not accept as collateral; allowed: ${acceptedBy[at]!.join(', ') || 'none (add it to the venue\'s collateral:)'}` });
    }
    const mode = get(a, 'marginMode') ?? get(get(c.raw, 'margin'), 'mode');
    if (tc !== undefined && (mode === undefined || mode === 'isolated')) {
      out.push({ path: ['agents', k, 'tokenCollateral'], message: `found tokenCollateral with ${mode === undefined ? 'no margin mode (isolated by default)' : 'marginMode: isolated'}; allowed: tokenCollateral with marginMode cross or portfolio (the population's or margin.mode): an isolated position's wallet holds quote` });
    }
    const asset = get(a, 'asset') ?? assets.find((x) => !tokens.includes(x));
    const list = perps[at];
    if (typeof asset === 'string' && list && assets.includes(asset) && !list.includes(asset)) {
      out.push({ path: ['agents', k, v !== undefined ? 'venue' : 'asset'], message: `venue ${show(names[at])} lists no perpetual market for ${show(asset)}; allowed: a venue that lists ${show(asset)} (${names.filter((_, j) => perps[j]!.includes(asset)).join(', ') || 'none does'})` });
    }
  });
  return out;
}

/**
 * Checks of `protocols:`: names unique among venues and protocols (both are nodes of the contagion
 * matrix); collateral assets known, each with liquidationThreshold ≥ ltv and liquidationThreshold ×
 * (1 + bonus) < 1; an oracle reading `spot` or `perp` names a venue listing that market for every
 * collateral it prices; `sellVenue` (and the borrowers' venue) lists a spot market for every
 * collateral.
 */
function checkProtocols(
  c: CheckContext, venues: readonly string[], spots: readonly string[][],
  known: (name: unknown, path: Path, allowed?: readonly string[], what?: string) => boolean, out: Issues,
): void {
  const list = get(c.raw, 'protocols');
  if (!Array.isArray(list)) return;
  const seen = [...venues];
  const perps = (v: number): string[] => {
    const ms = get((get(c.raw, 'venues') as unknown[])[v], 'markets');
    const assets = get(c.raw, 'assets');
    if (Array.isArray(ms)) return ms.map((m) => get(m, 'asset')).filter((a): a is string => typeof a === 'string');
    return Array.isArray(assets) ? assets.filter((a) => get(a, 'token') !== true).map((a) => get(a, 'name') as string) : [];
  };
  list.forEach((p, k) => {
    const at: Path = ['protocols', k];
    const name = get(p, 'name');
    if (typeof name === 'string') {
      if (seen.includes(name)) out.push({ path: [...at, 'name'], message: `found ${show(name)}, already the name of a venue or protocol; allowed: a name no venue or protocol uses (each is a node of the contagion matrix)` });
      seen.push(name);
    }
    // The oracle keeps lagTicks + 1 prices: a lag of 1e15 failed to allocate them (exit 1). A lag of
    // the whole run or more would report the start price throughout.
    const lagAt = (o: unknown, path: Path) => {
      const lag = get(o, 'lagTicks');
      if (c.ticks !== undefined && typeof lag === 'number' && lag >= c.ticks) out.push({ path: [...path, 'lagTicks'], message: `found ${lag}; allowed: fewer than ticks (${c.ticks})` });
    };
    lagAt(get(p, 'oracle'), [...at, 'oracle']);
    const collList = get(p, 'collateral');
    if (Array.isArray(collList)) collList.forEach((x, j) => lagAt(get(x, 'oracle'), [...at, 'collateral', j, 'oracle']));
    // Money and units bounded like a population's (checks/bounds.ts): a supply of 5e-324 or 1e308 units per borrower made the pool's figures NaN.
    const supply = get(p, 'supply');
    if (typeof supply === 'number' && Number.isFinite(supply) && !(supply >= 1 && supply <= MAX_MONEY)) out.push({ path: [...at, 'supply'], message: `found ${supply}; allowed: 1 ≤ x ≤ ${MAX_MONEY} (quote)` });
    const units = DistSchema.safeParse(get(get(p, 'borrowers'), 'units'));
    if (units.success) {
      const [lo, hi] = drawRange(units.data as DistSpec);
      if (!(lo >= 0 && hi <= MAX_UNITS)) out.push({ path: [...at, 'borrowers', 'units'], message: `can draw ${lo < 0 ? lo : hi}; allowed: values 0 ≤ x ≤ ${MAX_UNITS} (units)` });
    }
    const oracleShocks = get(p, 'shocks');
    if (Array.isArray(oracleShocks)) oracleShocks.forEach((sh, j) => bigShock(get(sh, 'return'), [...at, 'shocks', j, 'return'], out));
    const colls = get(p, 'collateral');
    const assets: string[] = [];
    if (Array.isArray(colls)) colls.forEach((x, j) => {
      const a = get(x, 'asset');
      if (known(a, [...at, 'collateral', j, 'asset']) && typeof a === 'string') assets.push(a);
      const ltv = get(x, 'ltv'), lt = get(x, 'liquidationThreshold');
      if (typeof ltv === 'number' && typeof lt === 'number' && lt < ltv) out.push({ path: [...at, 'collateral', j, 'liquidationThreshold'], message: `found ${lt}, below the ltv ${ltv}; allowed: a threshold ≥ ltv (else a loan at its borrowing limit is liquidatable at once)` });
      // A liquidation repays r of debt and takes r × (1 + bonus) of collateral, which lowers the threshold
      // value by r × LT × (1 + bonus): at a product ≥ 1 that is at least r, so a loan below HF 1 only
      // sinks, and every liquidation ends in bad debt.
      const bonus = get(x, 'bonus');
      const b = bonus === undefined ? DEFAULT_LIQUIDATION_BONUS : bonus;
      if (typeof lt === 'number' && typeof b === 'number' && !(lt * (1 + b) < 1)) {
        out.push({
          path: [...at, 'collateral', j, bonus === undefined ? 'liquidationThreshold' : 'bonus'],
          message: `found liquidationThreshold ${lt} × (1 + bonus ${b}${bonus === undefined ? ', the default' : ''}) = ${+(lt * (1 + b)).toPrecision(12)}; allowed: a product below 1 (else a liquidation lowers the health factor it should raise, and every liquidation ends in bad debt)`,
        });
      }
    });
    const venueAt = (v: unknown, path: Path): number => {
      if (v === undefined || !known(v, path, venues, 'venue')) return -1;
      return venues.indexOf(v as string);
    };
    const oracles: [unknown, Path, string[]][] = [[get(p, 'oracle'), [...at, 'oracle'], assets]];
    if (Array.isArray(colls)) colls.forEach((x, j) => { if (get(x, 'oracle') !== undefined) oracles.push([get(x, 'oracle'), [...at, 'collateral', j, 'oracle'], [get(x, 'asset') as string]]); });
    for (const [o, path, priced] of oracles) {
      const source = get(o, 'source') ?? 'index';
      const lag = get(o, 'lagTicks');
      if (typeof lag === 'number' && c.ticks !== undefined && lag > c.ticks) out.push({ path: [...path, 'lagTicks'], message: `found ${lag}; allowed: at most ticks (${c.ticks}): the oracle keeps that many prices` });
      const v = get(o, 'venue');
      if (source === 'index') {
        if (v !== undefined) out.push({ path: [...path, 'venue'], message: `found venue: ${show(v)} with source index; allowed: a venue with source spot or perp` });
        continue;
      }
      if (v === undefined) {
        out.push({ path: [...path, 'venue'], message: `is required with source ${show(source)}: the venue whose ${source} price the oracle reads` });
        continue;
      }
      const n = venueAt(v, [...path, 'venue']);
      if (n < 0) continue;
      const has = source === 'spot' ? spots[n] ?? [] : perps(n);
      for (const a of priced) if (typeof a === 'string' && !has.includes(a)) out.push({ path: [...path, 'venue'], message: `venue ${show(v)} lists no ${source} market for ${show(a)}; allowed: a venue that does (${venues.filter((_, m) => (source === 'spot' ? spots[m] ?? [] : perps(m)).includes(a)).join(', ') || 'none does'})` });
    }
    const needSpot = (v: unknown, path: Path, which: readonly string[]): void => {
      const n = venueAt(v, path);
      if (n < 0) return;
      for (const a of which) if (!(spots[n] ?? []).includes(a)) out.push({ path, message: `venue ${show(v)} lists no spot market for ${show(a)}, where seized or bought collateral trades; allowed: a venue with a spot: market for it (${venues.filter((_, m) => (spots[m] ?? []).includes(a)).join(', ') || 'none has one'})` });
    };
    needSpot(get(p, 'sellVenue'), [...at, 'sellVenue'], assets);
    const b = get(p, 'borrowers');
    if (b !== undefined && assets.length > 0) needSpot(get(b, 'venue') ?? get(p, 'sellVenue'), [...at, 'borrowers', get(b, 'venue') !== undefined ? 'venue' : 'count'], [assets[0]!]);
  });
}
