/**
 * Random scenario documents of several venues (issue 13), written as the scenario files users write,
 * so that the loader, its checks and the builder are exercised along with the engine: 2–3 venues
 * over 1–3 assets and an optional collateral token; per venue its perpetual listings, spot markets,
 * price discovery, policy, liquidation and deficit modes, an accepted token; populations in every
 * margin mode (some holding the token), cross-venue arbitrageurs, populations sharing one reserve
 * wallet across two venues; an optional lending protocol with looping borrowers; local shocks on
 * venues (perp, spot, token depeg) and oracle shocks. Plus the checks every tick of such a world.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import seedrandom from 'seedrandom';
import { stringify } from 'yaml';
import { loadScenario, type LoadedScenario } from '../../sim/scenario/loader';
import { TICK_COLUMNS, TICK_SUMMARY_FIELDS, type TickSummary } from '../../sim/engine/events';
import { unitsResidual } from '../../sim/world/venues-summary';
import type { VenueWorld } from '../../sim/run/venue-world';
import { buildWorld } from '../../sim/run/build';
import { sizeBalance } from './size-balance';

type Rng = () => number;
type Doc = Record<string, unknown>;

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const int = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
/** A non-empty random subset of `xs`, in order. */
function subset<T>(rng: Rng, xs: readonly T[]): T[] {
  const out = xs.filter(() => rng() < 0.6);
  return out.length > 0 ? out : [pick(rng, xs)];
}

const ASSETS = [
  { name: 'BTC', startPrice: 60_000, depth: 20_000_000 },
  { name: 'ETH', startPrice: 3000, depth: 4_000_000 },
  { name: 'SOL', startPrice: 150, depth: 1_000_000 },
];
const TOKEN = 'USDX';

const POLICIES: Doc[] = [
  { type: 'fixed', maxLeverage: 50, mmr: 0.005 },
  { type: 'fixed', maxLeverage: 20, mmr: 0.02 },
  { preset: 'binance-btcusdt' },
  { preset: 'hyperliquid-eth' },
  { preset: 'dydx-large-cap' },
  // A dynamic one: caps that move with realized volatility, tightening during the crash.
  { type: 'vol-scaled', k: 4, minLeverage: 2, maxLeverage: 100, halfLife: 5, maxStep: 0.5, base: { preset: 'binance-btcusdt' } },
];

/** What a generated document holds, for coverage counts. */
export interface Features {
  token: boolean;
  protocol: boolean;
  arbitrage: boolean;
  shared: boolean;
}

/**
 * A random scenario document (plain data, stringified to YAML by the caller) from seed `seed`,
 * `ticks` long, shocks inside the run.
 */
export function randomVenueScenario(seed: string, ticks = 60): { doc: Doc; features: Features } {
  const rng = seedrandom.alea(seed);
  const nAssets = int(rng, 1, 3);
  const assets = ASSETS.slice(0, nAssets);
  const hasToken = rng() < 0.6;
  const assetDocs: Doc[] = assets.map((a) => ({
    name: a.name, startPrice: a.startPrice, process: { type: 'gbm', sigma: pick(rng, [0.4, 1, 2]) },
    liquidity: { depth: a.depth * pick(rng, [0.1, 0.5, 1]) },
  }));
  // The token: a stablecoin near 1 with a little noise of its own.
  if (hasToken) assetDocs.push({ name: TOKEN, token: true, startPrice: 1, process: { type: 'gbm', sigma: 0.05 }, liquidity: { depth: 2_000_000 } });
  const names = assets.map((a) => a.name);
  const nVenues = int(rng, 2, 3);
  const shockTick = int(rng, 20, 35);
  const venues: Doc[] = [];
  const perpsOf: string[][] = [];
  const spotsOf: string[][] = [];
  const accepts: boolean[] = [];
  for (let v = 0; v < nVenues; v++) {
    const perps = rng() < 0.3 ? names : subset(rng, names);
    const spots = names.filter(() => rng() < 0.5);
    const acceptsToken = hasToken && rng() < 0.6;
    if (acceptsToken) spots.push(TOKEN);
    perpsOf.push(perps);
    spotsOf.push(spots);
    accepts.push(acceptsToken);
    const shocks: Doc[] = [];
    if (rng() < 0.7) shocks.push({ tick: shockTick, return: pick(rng, [-0.08, -0.15, -0.25, 0.12]), asset: pick(rng, perps), overTicks: int(rng, 1, 3), market: 'perp' });
    const spotAssets = spots.filter((s) => s !== TOKEN);
    if (spotAssets.length > 0 && rng() < 0.4) {
      const asset = pick(rng, spotAssets);
      // `both` moves the perp and spot markets of the asset: only when the venue lists both.
      shocks.push({ tick: shockTick + int(rng, 0, 5), return: pick(rng, [-0.1, -0.2]), asset, market: perps.includes(asset) ? pick(rng, ['spot', 'both']) : 'spot' });
    }
    // A depeg of the token on this venue alone (0.65 there, ~1 elsewhere: the Oct 2025 case).
    if (acceptsToken && rng() < 0.5) shocks.push({ tick: shockTick + int(rng, 0, 5), return: pick(rng, [-0.35, -0.1]), asset: TOKEN, market: 'spot' });
    const liquidation: Doc = { mode: pick(rng, ['full', 'partial']) };
    venues.push({
      name: `v${v}`,
      priceDiscovery: pick(rng, [0, 0.3, 1]),
      ...(perps === names && rng() < 0.5 ? {} : { markets: perps.map((asset) => ({ asset })) }),
      spot: spots.map((asset) => ({ asset })),
      policy: pick(rng, POLICIES),
      exchange: { insuranceFund: pick(rng, [0, 50_000, 1_000_000]), deficit: pick(rng, ['adl', 'socialized', 'none']), liquidation },
      shocks,
      collateral: acceptsToken ? [{ token: TOKEN, haircut: pick(rng, [0, 0.05, 0.2]), priceSource: pick(rng, ['venue', 'venue', 'index']) }] : [],
    });
  }
  const agents: Doc[] = [];
  const crowd = (name: string, v: number, extra: Doc = {}): Doc => {
    const mode = pick(rng, ['isolated', 'cross', 'portfolio']);
    const holdsToken = accepts[v] && mode !== 'isolated' && rng() < 0.6;
    return {
      name, count: int(rng, 20, 60), strategy: 'noise', venue: `v${v}`, asset: pick(rng, perpsOf[v]!), marginMode: mode,
      collateral: pick(rng, [1000, 5000]), leverage: { dist: 'uniform', min: 5, max: pick(rng, [20, 40]) }, startOpen: 0.6, longBias: pick(rng, [0.5, 0.7]),
      ...(holdsToken ? { tokenCollateral: { token: TOKEN, share: pick(rng, [0.3, 0.8]) } } : {}),
      ...(rng() < 0.4 ? { reserve: 2000, behaviours: { topUp: { threshold: 0.5, probability: 0.5, amount: 0.5 } } } : {}),
      ...extra,
    };
  };
  for (let v = 0; v < nVenues; v++) {
    const n = int(rng, 1, 2);
    for (let j = 0; j < n; j++) agents.push(crowd(`c${v}-${j}`, v));
  }
  // Two populations of one count on two venues drawing on one reserve wallet.
  const shared = rng() < 0.6;
  if (shared) {
    const count = int(rng, 10, 40);
    const reserve = { reserve: pick(rng, [1000, 5000]), behaviours: { topUp: { threshold: pick(rng, [0.3, 0.8]), probability: 1, amount: pick(rng, [0.5, 1]) } } };
    const t0 = int(rng, 0, 5);
    agents.push({ ...crowd('r0', 0, reserve), count, sharedReserve: { transferTicks: t0 } });
    agents.push({ ...crowd('r1', 1, reserve), count, sharedReserve: { transferTicks: int(rng, 0, 5), wallet: 'r0' } });
  }
  // Cross-venue arbitrageurs on an asset both venues list.
  let arbitrage = false;
  for (let v = 0; v + 1 < nVenues; v++) {
    const common = perpsOf[v]!.filter((a) => perpsOf[v + 1]!.includes(a));
    if (common.length === 0 || rng() < 0.3) continue;
    arbitrage = true;
    agents.push({
      name: `arb${v}`, count: int(rng, 5, 20), strategy: 'cross-venue-arb', venue: `v${v}`, asset: pick(rng, common),
      collateral: pick(rng, [20_000, 100_000]), leverage: pick(rng, [3, 10]),
      arbitrage: { counterVenue: `v${v + 1}`, threshold: pick(rng, [0.001, 0.005]), latencyTicks: int(rng, 0, 2), maxStep: pick(rng, [0.5, 1]) },
    });
  }
  // A lending pool on an asset some venue trades spot (where its liquidator sells).
  const protocols: Doc[] = [];
  const spotVenues = (a: string) => [...Array(nVenues).keys()].filter((v) => spotsOf[v]!.includes(a));
  const lendable = names.filter((a) => spotVenues(a).length > 0);
  if (lendable.length > 0 && rng() < 0.65) {
    const a = pick(rng, lendable);
    const sellVenue = pick(rng, spotVenues(a));
    const kinds = ['index', 'spot', ...([...Array(nVenues).keys()].some((v) => perpsOf[v]!.includes(a)) ? ['perp'] : [])];
    const source = pick(rng, kinds);
    const oracleVenue = source === 'spot' ? pick(rng, spotVenues(a)) : source === 'perp' ? pick(rng, [...Array(nVenues).keys()].filter((v) => perpsOf[v]!.includes(a))) : undefined;
    const startPrice = ASSETS.find((x) => x.name === a)!.startPrice;
    protocols.push({
      name: 'pool',
      collateral: [{ asset: a, ltv: 0.8, liquidationThreshold: 0.825, bonus: pick(rng, [0.05, 0.1]) }],
      oracle: { source, ...(oracleVenue !== undefined ? { venue: `v${oracleVenue}` } : {}), lagTicks: int(rng, 0, 3) },
      closeFactor: pick(rng, [0.5, 1]),
      supply: 50_000_000,
      sellVenue: `v${sellVenue}`,
      borrowers: {
        count: int(rng, 10, 40), units: { dist: 'uniform', min: 50_000 / startPrice, max: 500_000 / startPrice },
        targetLtv: { dist: 'uniform', min: 0.85, max: 0.99 }, loopsPerTick: int(rng, 1, 3),
        ...(rng() < 0.3 ? { deleverageBelowHealth: 1.02 } : {}),
      },
      shocks: rng() < 0.4 ? [{ tick: shockTick + int(rng, 0, 5), return: pick(rng, [-0.1, -0.2]) }] : [],
    });
  }
  const doc: Doc = {
    name: 'venue-prop', seed: int(rng, 1, 1_000_000), ticks,
    assets: assetDocs,
    market: { warmupTicks: 5, liquidity: { impact: 'sqrt', spillover: 0.3 } },
    // Portfolio margin in a world of venues needs margin.correlation written out: without it the
    // build crashes (exit 1, ScanMatrix of an undefined correlation; reported to the lead).
    margin: { mode: 'isolated', correlation: assetDocs.map((_, i) => assetDocs.map((_, j) => (i === j ? 1 : 0))) },
    exchange: { insuranceFund: 100_000 },
    venues, protocols, agents,
    outputs: { report: false },
  };
  return { doc, features: { token: hasToken, protocol: protocols.length > 0, arbitrage, shared } };
}

/** Loads `doc` through the scenario loader (from a file in a fresh temp folder, removed after). */
export async function loadDoc(doc: Doc, tag = 'prop-venues'): Promise<LoadedScenario> {
  const dir = mkdtempSync(join(tmpdir(), `${tag}-`));
  try {
    const file = join(dir, 'scenario.yaml');
    writeFileSync(file, stringify(doc));
    return await loadScenario(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Market-scope figures: NaN by design in a venue's or the world's summary when it spans several markets (worldSummary). */
const MARKET_SCOPE = new Set(Object.entries(TICK_COLUMNS).filter(([, c]) => c.scope === 'market').map(([f]) => f));

/**
 * The invariants of a world of venues after a tick (`world`: the world's summary), as messages
 * (empty when all hold): each venue's and the world's relative residual ≤ 1e-9; Σ size = 0 in
 * every perpetual market (the backstop, account 0, included); units of every asset conserved
 * (wallets, spot providers, pools, venues' tokens) relative to the units in play; each protocol's
 * money ledger and units; every ledger field of every summary finite.
 */
export function worldViolations(w: VenueWorld, world: TickSummary): string[] {
  const out: string[] = [];
  const t = world.tick;
  const venues = w.venues.map((h) => h.venue);
  if (!(world.relativeResidual <= 1e-9)) out.push(`tick ${t}: world relative residual ${world.relativeResidual}`);
  w.lastVenueSummaries.forEach((s, v) => {
    if (!(s.relativeResidual <= 1e-9)) out.push(`tick ${t}: venue ${w.venues[v]!.name} relative residual ${s.relativeResidual}`);
  });
  for (const h of w.markets) {
    const { net, gross } = sizeBalance(h.exchange.accounts);
    if (!(Math.abs(net) <= 1e-9 * Math.max(1, gross))) out.push(`tick ${t}: market ${h.name} Σ size ${net} (gross ${gross})`);
  }
  const nAssets = w.indices.length;
  for (let a = 0; a < nAssets; a++) {
    // Units in play: every holder's units, so the tolerance scales with the asset's size in the world.
    let scale = w.wallets.unitDeposits[a]!;
    for (const d of w.spotDesks) scale += Math.abs(d.houseUnits(a));
    for (const v of venues) v.tokens?.tokens.forEach((tk, k) => { if (tk.asset === a) scale += v.tokens!.unitsIn[k]!; });
    const r = unitsResidual(a, w.wallets, w.spotDesks, venues, w.protocols);
    if (!(Math.abs(r) <= 1e-9 * Math.max(1, scale))) out.push(`tick ${t}: asset ${a} units residual ${r} (scale ${scale})`);
  }
  for (const p of w.protocols) {
    const lr = p.pool.ledgerResidual();
    if (!(Math.abs(lr) / p.pool.supplied <= 1e-9)) out.push(`tick ${t}: protocol ${p.name} ledger residual ${lr}`);
    for (let k = 0; k < p.pool.collaterals; k++) {
      const ur = p.pool.unitsResidual(k);
      const scale = Math.max(1, p.pool.deposited[k]!);
      if (!(Math.abs(ur) <= 1e-9 * scale)) out.push(`tick ${t}: protocol ${p.name} collateral ${k} units residual ${ur}`);
    }
    if (!Number.isFinite(p.pool.badDebt) || p.pool.badDebt < 0) out.push(`tick ${t}: protocol ${p.name} bad debt ${p.pool.badDebt}`);
  }
  const finite = (s: TickSummary, who: string) => {
    for (const f of TICK_SUMMARY_FIELDS) {
      const x = (s as unknown as Record<string, number>)[f]!;
      if (MARKET_SCOPE.has(f) && Number.isNaN(x)) continue;
      if (!Number.isFinite(x)) out.push(`tick ${t}: ${who}.${f} = ${x}`);
    }
  };
  finite(world, 'world');
  w.lastVenueSummaries.forEach((s, v) => finite(s, `venue ${w.venues[v]!.name}`));
  // Per-market summaries carry every market-scope figure: none may be NaN there.
  w.lastMarketSummaries.forEach((s, m) => {
    for (const f of TICK_SUMMARY_FIELDS) {
      const x = (s as unknown as Record<string, number>)[f]!;
      if (Number.isNaN(x) || x === Infinity || x === -Infinity) {
        // The policy's cap may be Infinity for a policy without one; everything else must be finite.
        if (!(f === 'policyMaxLeverage' && x === Infinity)) out.push(`tick ${t}: market ${w.markets[m]!.name}.${f} = ${x}`);
      }
    }
  });
  return out;
}

/** Coverage of one run, for the counts asserted at the end. */
export interface RunCoverage {
  venuesLiquidating: number;
  protocolLiquidations: number;
  badDebt: boolean;
  tokenUnitsSold: number;
  delivered: number;
  adl: number;
}

/** Runs the random world of `seed`, checking every tick; returns its coverage, or throws naming the seed. */
export async function checkedRun(seed: string, ticks: number): Promise<RunCoverage & { features: ReturnType<typeof randomVenueScenario>['features'] }> {
  const { doc, features } = randomVenueScenario(seed, ticks);
  const s = await loadDoc(doc).catch((e: unknown) => { throw new Error(`seed ${seed}: the generated scenario was refused: ${String(e)}`); });
  const world = buildWorld(s);
  const w = world.multiVenue!;
  const liq = new Array<number>(w.venues.length).fill(0);
  let protocolLiquidations = 0, adl = 0;
  const problems: string[] = [];
  world.bus.tick$.subscribe((summary) => {
    w.lastVenueSummaries.forEach((vs, v) => { liq[v] += vs.liquidations; adl += vs.adlCount; });
    for (const p of w.protocols) protocolLiquidations += p.tick.liquidations;
    if (problems.length < 5) problems.push(...worldViolations(w, summary));
  });
  let failure: unknown;
  world.simulation.run().subscribe({ error: (e: unknown) => (failure = e) });
  // The seed reproduces the world: randomVenueScenario(seed) gives the same document.
  if (failure) throw new Error(`seed ${seed}: run failed: ${String((failure as Error).stack ?? failure)}`);
  if (problems.length > 0) throw new Error(`seed ${seed}: ${problems.slice(0, 5).join('; ')}`);
  let tokenUnitsSold = 0;
  for (const h of w.venues) if (h.venue.tokens) for (const u of h.venue.tokens.unitsSold) tokenUnitsSold += u;
  return {
    features, venuesLiquidating: liq.filter((n) => n > 0).length, protocolLiquidations, adl,
    badDebt: w.protocols.some((p) => p.pool.badDebt > 0), tokenUnitsSold, delivered: w.transfers.deliveredTotal,
  };
}

/** Runs `runs` seeded worlds from `from` and checks the coverage counts. */
export async function property(prefix: string, runs: number, ticks: number): Promise<Record<string, number>> {
  const c = { runs, multiVenueLiq: 0, protocols: 0, protocolLiq: 0, protocolBadDebt: 0, tokenSales: 0, transfers: 0, arbitrage: 0, shared: 0, adl: 0 };
  for (let k = 0; k < runs; k++) {
    const r = await checkedRun(`${prefix}/${k}`, ticks);
    c.multiVenueLiq += +(r.venuesLiquidating >= 2);
    c.protocols += +r.features.protocol;
    c.protocolLiq += +(r.protocolLiquidations > 0);
    c.protocolBadDebt += +r.badDebt;
    c.tokenSales += +(r.tokenUnitsSold > 0);
    c.transfers += +(r.delivered > 0);
    c.arbitrage += +r.features.arbitrage;
    c.shared += +r.features.shared;
    c.adl += +(r.adl > 0);
  }
  return c;
}

