/**
 * Turns a validated scenario into a runnable world: market (or one market per asset), exchange,
 * policy (one instance per market) and the agent populations, with the seeded streams of `seed`.
 */
import { AgentPopulation, type PopulationConfig } from '../../agents/population';
import type { PopulationContext, PopulationSpec } from '../exchange/population';
import { WorldReserve } from '../../agents/reserve';
import { crossVenueArbitrage } from '../../agents/cross-venue-arb';
import { CROSS_VENUE_ARB } from '../scenario/checks/agents';
import { buildPolicy, policyLabel, type PolicyContext } from './policy-factory';
import type { LeveragePolicy } from '../exchange/policies/types';
import type { ExchangeParams, LiquidationSizer } from '../exchange/params';
import type { LoadedScenario } from '../scenario/loader';
import { refusePromise } from '../scenario/modules';
import { DEFAULTS } from '../scenario/defaults';
import type { AgentConfig, VenueConfig, MarginConfig, PolicyConfig, ProtocolConfig, ScanRangeConfig, ScenarioConfig, ArmMargin } from '../scenario/schema';
import type { ProtocolOptions } from '../world/protocol';
import type { LendingParams, OracleParams } from '../protocols/types';
import { drawColumn } from '../../agents/distributions';
import { SCAN_DEFAULT_KEY } from '../scenario/checks/assets';
import { oneFactorCorrelation } from '../market/correlation';
import type { ScheduledShock } from '../market/shocks';
import type { AssetOptions, MarginMode, PortfolioMarginOptions, ScanRangeSpec } from '../world/types';
import { createSimulation, type MarketOptions, type ProcessSpec, type SimulationOptions, type World } from './world';
import type { SpotMarketOptions, VenueMarketOptions, VenueOptions } from './venue-world';
import type { LocalFlow } from '../market/market';
import { RandomStreams } from '../engine/rng';

/**
 * The policy a run uses instead of the scenario's `exchange.policy`: its entry and label (a
 * compared arm, an optimisation candidate), and the arm's default margin mode. buildWorld builds
 * one instance per market from the entry, so dynamic policies keep their state per market; an
 * asset with a `policy:` of its own keeps it.
 */
export interface PolicyChoice {
  spec: PolicyConfig;
  /** The policy's label in outputs. */
  name: string;
  /** Margin mode of the populations that set none (default: the scenario's margin.mode). */
  marginMode?: MarginMode;
  /** The arm's portfolio-margin entries, each replacing the scenario's `margin:` entry of that name. */
  margin?: ArmMargin;
}

/** What buildWorld may run a scenario under instead of its own settings. */
export interface BuildOptions {
  /** Overrides the scenario's seed. */
  seed?: number;
  /** A world of venues with every link between venues and protocols cut (the contagion matrix's counterfactual). */
  cutLinks?: boolean;
  /**
   * Another policy: an entry to build (one instance per market), or a ready instance, which can
   * serve a one-market scenario only (an instance keeps one market's state).
   */
  policy?: PolicyChoice | LeveragePolicy;
}

/** Where a population trades and how its accounts are margined (absent: the engine's defaults). */
export interface PopulationPlacement {
  marginMode?: MarginMode;
  /** Asset number, from 0. */
  asset?: number;
  /** Venue number, from 0 (a world of venues). */
  venue?: number;
  /** Hold a share of the initial collateral in a token (asset number). */
  tokenCollateral?: { token: number; share: number };
}

/**
 * The spec of an agent population; each population built is also pushed to `created`, so the
 * caller can run {@link initPopulations} once the world exists.
 */
export function populationSpec(cfg: PopulationConfig, tickSeconds: number, created: AgentPopulation[], where: PopulationPlacement = {}): PopulationSpec {
  return {
    name: cfg.name,
    count: cfg.count,
    ...(where.marginMode !== undefined ? { marginMode: where.marginMode } : {}),
    ...(where.asset !== undefined ? { asset: where.asset } : {}),
    ...(where.venue !== undefined ? { venue: where.venue } : {}),
    ...(where.tokenCollateral !== undefined ? { tokenCollateral: where.tokenCollateral } : {}),
    create: (ctx) => {
      const pop = new AgentPopulation(cfg, ctx.first, ctx.exchange, ctx.streams, tickSeconds, ctx.venue);
      // worldReserve reads the drawn column before useReserve empties it.
      if (cfg.sharedReserve) pop.useReserve(worldReserve(cfg, pop, ctx, created));
      created.push(pop);
      return pop;
    },
  };
}

/**
 * The world reserve of a population with `sharedReserve` (agents/reserve.ts): its own wallets,
 * endowed with its drawn reserve column, or those of the earlier population `sharedReserve.wallet`
 * (not in the world with every link cut, where each population keeps its own).
 */
function worldReserve(cfg: PopulationConfig, pop: AgentPopulation, ctx: PopulationContext, created: readonly AgentPopulation[]): WorldReserve {
  const { wallets, transfers, venueNumber } = ctx;
  if (!wallets || !transfers || venueNumber === undefined) throw new Error(`population ${cfg.name}: sharedReserve needs a world of venues (its wallets and transfers)`);
  const { transferTicks, wallet } = cfg.sharedReserve!;
  const owner = wallet === undefined ? undefined : created.find((p) => p.name === wallet);
  if (wallet !== undefined && !owner) throw new Error(`population ${cfg.name}: sharedReserve.wallet names ${wallet}, which is not a population built before it`);
  if (owner && owner.count !== pop.count) throw new Error(`population ${cfg.name}: sharedReserve.wallet ${wallet} has ${owner.count} agents, this population ${pop.count}; allowed: as many`);
  // An owner without sharedReserve keeps its reserve in its column and endows no wallet: the sharer would draw on nothing.
  if (owner && !(owner.reserveWallet instanceof WorldReserve)) throw new Error(`population ${cfg.name}: sharedReserve.wallet names ${wallet}, which has no sharedReserve (its reserve stays in its own column, no wallet holds it); allowed: a population with a sharedReserve`);
  if (!ctx.linksCut) {
    if (!owner) for (let k = 0; k < pop.count; k++) wallets.endow(pop.first + k, pop.reserve[k]!);
    return new WorldReserve(wallets, transfers, owner ? owner.first : pop.first, venueNumber, transferTicks);
  }
  // With every link cut (the contagion matrix's counterfactual) no wallet is shared: the owner's
  // reserve is split equally among the populations that share it, each in its own wallets, so
  // the world holds the same money as the linked one. The owner endows first (it is built first).
  const n = cfg.sharedReserve!.sharers ?? 1;
  for (let k = 0; k < pop.count; k++) wallets.endow(pop.first + k, owner ? wallets.quote[owner.first + k]! : pop.reserve[k]! / n);
  return new WorldReserve(wallets, transfers, pop.first, venueNumber, transferTicks);
}

/** Seeds the starting book and lets each strategy set up, before the first tick. */
export function initPopulations(world: World, pops: readonly AgentPopulation[]): void {
  for (const p of pops) p.init(world.market, world.exchange);
}

/**
 * The sizing rule of liquidation mode `module`, built from the scenario's `params`; its `ctx.rng`
 * is the run's stream `${seed}/liquidation/${stream}`, keyed by the name the module asks for.
 */
function liquidationSizer(s: LoadedScenario, seed: number, venue?: string): { sizer?: LiquidationSizer; sizerName?: string } {
  const m = s.liquidationModule;
  if (!m) return {};
  const streams = new RandomStreams(seed);
  // Each venue its own instance and streams: one venue's liquidations must not shift another's draws.
  const prefix = venue === undefined ? 'liquidation' : `liquidation/${venue}`;
  const made = m.factory(s.config.exchange.liquidation.params, { tickSeconds: s.config.tickSeconds, rng: (name) => streams.stream(`${prefix}/${name}`) });
  const who = `liquidation module ${m.path}`;
  refusePromise(made, who, 'factory');
  // An async closeQty would be judged as a non-number and its rejection would crash the process
  // after the run's error: refused as a Promise, at the close that asked it.
  const sizer: LiquidationSizer = {
    closeQty(view) {
      const x = made.closeQty(view);
      refusePromise(x, who, 'closeQty');
      return x;
    },
  };
  return { sizer, sizerName: m.path };
}

type ProcessConfig = ScenarioConfig['market']['process'];
type ShockConfig = ScenarioConfig['market']['shocks'][number];
type MarketConfig = ScenarioConfig['market'];

/** The index process of an entry (`replay` takes the prices the loader read). */
function processSpec(pr: ProcessConfig, replayPrices: Float64Array | undefined): ProcessSpec {
  return pr.type === 'replay' ? { kind: 'replay', prices: replayPrices! } : pr.type === 'gbm'
    ? { kind: 'gbm', mu: pr.mu, sigma: pr.sigma, innovations: pr.innovations }
    : pr.type === 'merton' ? { kind: 'merton', mu: pr.mu, sigma: pr.sigma, lambda: pr.lambda, jumpMean: pr.jumpMean, jumpStd: pr.jumpStd }
      : { kind: 'garch', omega: pr.omega, alpha: pr.alpha, beta: pr.beta, innovations: pr.innovations };
}

/**
 * The scheduled shocks of one market: every shock (its `return`) when `asset` is undefined (one
 * market); else the shocks that hit `asset`: its entry of `returns`, or `return` when `assets`
 * lists it or is absent (a shock that names no asset hits every one).
 */
export function shocksOf(shocks: readonly ShockConfig[], asset?: string): ScheduledShock[] {
  const out: ScheduledShock[] = [];
  for (const sh of shocks) {
    const ret = asset === undefined ? sh.return : sh.returns ? sh.returns[asset] : !sh.assets || sh.assets.includes(asset) ? sh.return : undefined;
    if (ret !== undefined) out.push({ tick: sh.tick, ret, overTicks: sh.overTicks });
  }
  return out;
}

/** One market's own settings: the top-level `market:`, or an asset's merged over it. */
interface MarketSpec {
  startPrice: number;
  process: ProcessSpec;
  shocks: ScheduledShock[];
  liquidity: MarketConfig['liquidity'];
  funding: MarketConfig['funding'];
  markPrice: MarketConfig['markPrice'];
}

/** The options of one market: `m` supplies what every market shares (warm-up, basis window). */
function marketOptions(c: ScenarioConfig, spec: MarketSpec): MarketOptions {
  const m = c.market;
  const l = spec.liquidity;
  return {
    startPrice: spec.startPrice,
    process: spec.process,
    shocks: spec.shocks,
    liquidity: {
      depth: l.depth, impact: l.impact, elasticity: l.elasticity,
      referenceVol: l.referenceVol, minDepthFraction: l.minDepthFraction, maxImpact: l.maxImpact,
    },
    spillover: l.spillover,
    premiumHalfLife: l.premiumHalfLife,
    volHalfLife: l.volHalfLife,
    warmupTicks: m.warmupTicks,
    funding: spec.funding,
    markPrice: {
      rule: spec.markPrice,
      basisWindowTicks: m.basisWindowTicks ?? Math.max(1, Math.round(DEFAULTS.market.basisWindowSeconds / c.tickSeconds)),
    },
  };
}

/** A scan range as the engine takes it: a bare fraction is a fixed range. */
function scanRange(r: ScanRangeConfig): ScanRangeSpec {
  return typeof r === 'number' ? { kind: 'fixed', range: r } : { kind: 'vol', k: r.k, horizonTicks: r.horizonTicks, floor: r.floor, cap: r.cap };
}

/** The portfolio-margin options: one scan range per asset in the assets' order (named, else `default`, else the default range). */
function marginOptions(g: MarginConfig, assets: readonly (string | undefined)[]): PortfolioMarginOptions {
  const fallback = g.scan[SCAN_DEFAULT_KEY] ?? DEFAULTS.margin.scan;
  return {
    ...(g.correlation ? { correlation: g.correlation } : {}),
    scan: assets.map((a) => scanRange((a !== undefined ? g.scan[a] : undefined) ?? fallback)),
    initialFactor: g.initialFactor,
  };
}

const isChoice = (p: PolicyChoice | LeveragePolicy): p is PolicyChoice => 'spec' in p;

/**
 * The simulation options of a scenario (optionally under another seed and policy), and the
 * populations, filled as the simulation creates them, for {@link initPopulations}. A scenario
 * without `assets:` gives exactly the one-market options it always did (no multi-asset key).
 */
export function simulationOptions(s: LoadedScenario, opts: BuildOptions = {}): { options: SimulationOptions; pops: AgentPopulation[] } {
  const c = s.config;
  const m = c.market;
  const seed = opts.seed ?? c.seed;
  const x = c.exchange;
  const exchange: ExchangeParams = {
    takerFee: x.fees.taker, makerFee: x.fees.maker, liquidation: { ...x.liquidation, ...liquidationSizer(s, seed) },
    insuranceFund: x.insuranceFund, deficit: x.deficit, backstopCollateral: x.backstopCollateral,
  };
  const choice = opts.policy && isChoice(opts.policy) ? opts.policy : undefined;
  const instance = opts.policy && !isChoice(opts.policy) ? opts.policy : undefined;
  const policyCtx = (asset?: string): PolicyContext => ({ tickSeconds: c.tickSeconds, modules: s.policyModules, streams: new RandomStreams(seed), ...(asset !== undefined ? { asset } : {}) });
  let market: MarketOptions;
  let policy: LeveragePolicy;
  let assets: AssetOptions[] | undefined;
  if (!c.assets) {
    market = marketOptions(c, { startPrice: m.startPrice, process: processSpec(m.process, s.replayPrices), shocks: shocksOf(m.shocks), liquidity: m.liquidity, funding: m.funding, markPrice: m.markPrice });
    policy = instance ?? (choice ? buildPolicy(choice.spec, policyCtx(), choice.name) : buildPolicy(x.policy, policyCtx()));
  } else {
    if (instance) throw new Error(`a ready policy instance (${instance.name}) serves one market, and scenario ${c.name} has ${c.assets.length} assets; pass the policy's entry ({ spec, name }) to build one per market`);
    // An asset's own policy, else the run's (a compared arm or candidate stands for exchange.policy, the default of every asset).
    assets = c.assets.map((a, k) => {
      const spec = a.policy ?? choice?.spec ?? x.policy;
      return {
        name: a.name,
        market: marketOptions(c, {
          startPrice: a.startPrice, process: processSpec(a.process, s.assetReplayPrices?.[k]), shocks: shocksOf(m.shocks, a.name),
          liquidity: { ...m.liquidity, ...a.liquidity }, funding: { ...m.funding, ...a.funding }, markPrice: a.markPrice ?? m.markPrice,
        }),
        policy: buildPolicy(spec, policyCtx(a.name), a.policy ? policyLabel(a.policy) : choice?.name ?? policyLabel(spec)),
        ...(a.token ? { token: true } : {}),
      };
    });
    market = assets[0]!.market;
    policy = assets[0]!.policy;
  }
  const names = c.assets?.map((a) => a.name);
  const modes = c.agents.map((a) => a.marginMode ?? choice?.marginMode ?? c.margin?.mode);
  const pops: AgentPopulation[] = [];
  const options: SimulationOptions = {
    seed,
    ticks: c.ticks,
    tickSeconds: c.tickSeconds,
    market,
    exchange,
    policy,
    populations: c.agents.map((a, k) => a.strategy === CROSS_VENUE_ARB ? arbitrageurs(c, a, names!) : populationSpec({
      name: a.name, count: a.count, strategy: s.strategies[k]!, collateral: a.collateral, leverage: a.leverage,
      reserve: a.reserve, longBias: a.longBias, activity: a.activity, startOpen: a.startOpen, params: a.params, behaviours: a.behaviours,
      ...(a.sharedReserve ? { sharedReserve: { ...a.sharedReserve, sharers: sharersOf(c, a.sharedReserve.wallet ?? a.name) } } : {}),
    }, c.tickSeconds, pops, {
      marginMode: modes[k], asset: names ? Math.max(0, names.indexOf(a.asset ?? names.find((_, j) => !c.assets![j]!.token)!)) : undefined,
      ...(c.venues ? { venue: Math.max(0, c.venues.findIndex((v) => v.name === a.venue)) } : {}),
      ...(a.tokenCollateral ? { tokenCollateral: { token: names!.indexOf(a.tokenCollateral.token), share: a.tokenCollateral.share } } : {}),
    })),
  };
  if (assets) {
    options.assets = assets;
    const cr = c.correlation;
    if (cr) options.correlation = 'matrix' in cr ? cr.matrix : oneFactorCorrelation({ marketVol: cr.oneFactor.marketVol, assets: names!.map((n) => cr.oneFactor.assets[n]!) });
  }
  if (c.venues) {
    options.venues = venueOptions(c, assets!, exchange, s, seed, choice, policyCtx);
    if (c.protocols.length > 0) options.protocols = c.protocols.map((p) => protocolOptions(c, p, seed));
    if (opts.cutLinks) options.cutLinks = true;
  }
  // The portfolio model: as written, or its defaults when a population uses portfolio margin without a margin: block.
  const base = c.margin ?? (modes.includes('portfolio') || choice?.margin ? ({ mode: DEFAULTS.margin.mode, scan: {}, initialFactor: DEFAULTS.margin.initialFactor } satisfies MarginConfig) : undefined);
  const g = base && choice?.margin ? { ...base, ...choice.margin } : base;
  if (g) options.margin = marginOptions(g, names ?? [undefined]);
  if (g && options.venues) {
    // Each venue's portfolio model covers the assets it lists, in its listing order: the rows and
    // columns of the model's correlation (as written, else the assets' true one, else identity) for them.
    const world = g.correlation ?? options.correlation ?? names!.map((_, i) => names!.map((__, j) => (i === j ? 1 : 0)));
    for (const v of options.venues) {
      const listed = v.markets.map((m) => m.asset);
      v.margin = { ...marginOptions(g, listed.map((a) => names![a])), correlation: listed.map((i) => listed.map((j) => world[i]![j]!)) };
    }
  }
  return { options, pops };
}

/**
 * The venues of a scenario: each venue's perpetual markets (one per asset it lists, by default every
 * asset) with the asset's market settings under the venue's and the market's own overrides, its
 * spot markets, its exchange block (else the top-level one) and a fresh policy per market (the
 * market's, else the venue's, else the run's), and its local shocks.
 */
function venueOptions(
  c: ScenarioConfig, assets: AssetOptions[], exchange: ExchangeParams, s: LoadedScenario, seed: number,
  choice: PolicyChoice | undefined, policyCtx: (asset?: string) => PolicyContext,
): VenueOptions[] {
  const names = assets.map((a) => a.name);
  return c.venues!.map((v) => {
    const x = v.exchange;
    const ex: ExchangeParams = x ? {
      takerFee: x.fees.taker, makerFee: x.fees.maker, liquidation: { ...x.liquidation, ...liquidationSizer(s, seed, v.name) },
      insuranceFund: x.insuranceFund, deficit: x.deficit, backstopCollateral: x.backstopCollateral,
    } : { ...exchange, liquidation: { ...exchange.liquidation, ...liquidationSizer(s, seed, v.name) } };
    const share = v.priceDiscovery;
    const hits = (sh: VenueConfig['shocks'][number], asset: string, kind: 'perp' | 'spot') => (sh.asset === undefined || sh.asset === asset) && (sh.market === kind || sh.market === 'both');
    const local = (asset: string, kind: 'perp' | 'spot'): ScheduledShock[] => v.shocks
      .filter((sh) => sh.return !== undefined && hits(sh, asset, kind))
      .map((sh) => ({ tick: sh.tick, ret: sh.return!, overTicks: sh.overTicks }));
    const flows = (asset: string, kind: 'perp' | 'spot'): LocalFlow[] => v.shocks
      .filter((sh) => sh.flow !== undefined && hits(sh, asset, kind))
      .map((sh) => ({ tick: sh.tick, flow: sh.flow!, overTicks: sh.overTicks }));
    const entries = v.markets ?? names.filter((_, k) => !c.assets![k]!.token).map((asset) => ({ asset, liquidity: undefined, funding: undefined, markPrice: undefined, policy: undefined }));
    const markets: VenueMarketOptions[] = entries.map((m) => {
      const k = names.indexOf(m.asset);
      const base = assets[k]!.market;
      const liquidity = { ...base.liquidity, ...pick(m.liquidity, LIQUIDITY_KEYS) };
      const spec = m.policy ?? v.policy ?? choice?.spec ?? c.assets![k]!.policy ?? c.exchange.policy;
      const label = m.policy || v.policy ? policyLabel(spec) : choice?.name ?? policyLabel(spec);
      return {
        asset: k,
        market: {
          ...base, liquidity,
          spillover: m.liquidity?.spillover ?? share ?? base.spillover,
          premiumHalfLife: m.liquidity?.premiumHalfLife ?? base.premiumHalfLife,
          volHalfLife: m.liquidity?.volHalfLife ?? base.volHalfLife,
          funding: { ...base.funding, ...m.funding },
          ...(m.markPrice ? { markPrice: { ...base.markPrice!, rule: m.markPrice } } : {}),
        },
        policy: buildPolicy(spec, policyCtx(m.asset), label),
        localShocks: local(m.asset, 'perp'), localFlows: flows(m.asset, 'perp'),
      };
    });
    const spots: SpotMarketOptions[] = v.spot.map((sp) => {
      const k = names.indexOf(sp.asset);
      const base = assets[k]!.market;
      return {
        asset: k, liquidity: { ...base.liquidity, ...pick(sp.liquidity, LIQUIDITY_KEYS) },
        spillover: sp.liquidity?.spillover ?? share ?? base.spillover,
        premiumHalfLife: sp.liquidity?.premiumHalfLife ?? base.premiumHalfLife,
        volHalfLife: sp.liquidity?.volHalfLife ?? base.volHalfLife,
        localShocks: local(sp.asset, 'spot'), localFlows: flows(sp.asset, 'spot'),
      };
    });
    const collateral = v.collateral.map((t) => ({ asset: names.indexOf(t.token), haircut: t.haircut, priceSource: t.priceSource }));
    return { name: v.name, markets, spots, exchange: ex, ...(collateral.length > 0 ? { collateral } : {}) };
  });
}

/** Populations that draw on population `owner`'s reserve wallet, the owner included. */
function sharersOf(c: ScenarioConfig, owner: string): number {
  return 1 + c.agents.filter((a) => a.sharedReserve?.wallet === owner).length;
}

/** The cross-venue arbitrageurs of entry `a`: at home on its venue, trading its asset there and on `arbitrage.counterVenue`. */
function arbitrageurs(c: ScenarioConfig, a: AgentConfig, names: readonly string[]): PopulationSpec {
  const venueNo = (name: string | undefined) => Math.max(0, c.venues!.findIndex((v) => v.name === name));
  const x = a.arbitrage!;
  return crossVenueArbitrage(a.name, a.count, {
    venues: [venueNo(a.venue), venueNo(x.counterVenue)], asset: Math.max(0, names.indexOf(a.asset ?? names.find((_, j) => !c.assets![j]!.token)!)),
    collateral: a.collateral as number, leverage: typeof a.leverage === 'number' ? a.leverage : 1, threshold: x.threshold,
    latencyTicks: x.latencyTicks, maxStep: x.maxStep,
  });
}

/**
 * A lending protocol of a scenario: its pool parameters (venues and assets by number), each
 * collateral's oracle (its own, else the protocol's), its oracle shocks, and its looping borrowers
 * with their units and target LTVs drawn from the stream `protocols/<name>/borrowers`.
 */
function protocolOptions(c: ScenarioConfig, p: ProtocolConfig, seed: number): ProtocolOptions & { name: string } {
  const assetNo = (name: string) => c.assets!.findIndex((a) => a.name === name);
  const venueNo = (name: string) => c.venues!.findIndex((v) => v.name === name);
  const oracle = (o: ProtocolConfig['oracle']): OracleParams => ({
    source: o.source === 'index' ? { kind: 'index' } : { kind: o.source, venue: venueNo(o.venue!) },
    lagTicks: o.lagTicks,
  });
  const params: LendingParams = {
    name: p.name,
    collateral: p.collateral.map((k) => ({ asset: assetNo(k.asset), ltv: k.ltv, liquidationThreshold: k.liquidationThreshold, bonus: k.bonus, oracle: oracle(k.oracle ?? p.oracle) })),
    closeFactor: p.closeFactor, fullCloseHealth: p.fullCloseHealth, smallPositionValue: p.smallPositionValue, supply: p.supply,
    sellVenue: venueNo(p.sellVenue),
  };
  const out: ProtocolOptions & { name: string } = { name: p.name, params, oracleShocks: p.shocks.map((sh) => ({ tick: sh.tick, ret: sh.return })) };
  const b = p.borrowers;
  if (b) {
    const rng = new RandomStreams(seed).stream(`protocols/${p.name}/borrowers`);
    const units = drawColumn(b.units, b.count, rng);
    const share = drawColumn(b.targetLtv, b.count, rng);
    const ltv = p.collateral[0]!.ltv;
    out.borrowers = {
      count: b.count, units, targetLtv: share.map((x) => Math.min(1, Math.max(0, x)) * ltv), venue: venueNo(b.venue ?? p.sellVenue),
      loopsPerTick: b.loopsPerTick, ...(b.deleverageBelowHealth !== undefined ? { deleverageBelowHealth: b.deleverageBelowHealth } : {}),
    };
  }
  return out;
}

/** The liquidity model's own keys (spillover, premium and vol half-lives are the market's). */
const LIQUIDITY_KEYS = ['depth', 'impact', 'elasticity', 'referenceVol', 'minDepthFraction', 'maxImpact'] as const;

/** The entries of `o` named in `keys` that are set. */
function pick<T extends object, K extends keyof T>(o: T | undefined, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o && o[k] !== undefined) out[k] = o[k];
  return out;
}

/** Builds the world of a scenario (optionally under another seed and policy, for comparisons). */
export function buildWorld(s: LoadedScenario, opts: BuildOptions = {}): World {
  const { options, pops } = simulationOptions(s, opts);
  const world = createSimulation(options);
  initPopulations(world, pops);
  return world;
}
