/**
 * A world of several venues (DESIGN.md "Many assets, margin modes, venues and protocols"): shared
 * asset indices, and per venue its perpetual markets (one exchange per listed asset under its own
 * policy), its spot markets, one insurance fund, its fees and liquidation settings, and the margin
 * engines of its cross and portfolio accounts. Every venue numbers accounts the same way (an account
 * id is one trader everywhere), so a trader can hold positions on several venues.
 *
 * Venues are tied together only by:
 * - the shared index of each asset, into which every market's impact spills by its `spillover` (the
 *   venue's share of price discovery; 0 cuts that channel), and which every market's premium decays
 *   toward (the arbitrage half-life);
 * - populations that trade on several venues (cross-venue arbitrageurs);
 * - wallets outside the venues (spot trades, lending protocols, transfers).
 */
import type { SimBus } from '../engine/bus';
import type { Clock } from '../engine/clock';
import type { TickSummary } from '../engine/events';
import type { RandomStreams } from '../engine/rng';
import type { TickSteps } from '../engine/simulation';
import { Exchange } from '../exchange/exchange';
import type { ExchangeParams } from '../exchange/params';
import type { LeveragePolicy } from '../exchange/policies/types';
import type { PopulationSpec, TraderPopulation } from '../exchange/population';
import { AssetIndex } from '../market/asset-index';
import { createIndexProcesses } from '../market/assets';
import type { CorrelationMatrix } from '../market/correlation';
import { FundingClock } from '../market/funding';
import type { LiquidityParams } from '../market/liquidity';
import { Market, type LocalFlow } from '../market/market';
import { ShockSchedule, type ScheduledShock } from '../market/shocks';
import { SimBus as Bus } from '../engine/bus';
import type { AssetOptions, PortfolioMarginOptions } from '../world/types';
import { Venue } from '../world/venue';
import { runVenueCascade } from '../world/venue-cascade';
import { worldSummary } from '../world/summary';
import { sellToProvider, SpotDesk, type SpotMarket } from '../world/spot';
import { Transfers } from '../world/transfers';
import { Wallets } from '../world/wallets';
import { Protocol, type ProtocolOptions } from '../world/protocol';
import { TokenCollateral, type AcceptedToken, type TokenMarket } from '../world/collateral';
import { unitsEntered, unitsResidual, venuesSummary } from '../world/venues-summary';
import { checkedSummary, checkLedger } from '../metrics/ledger-check';
import type { MarketHandle, MarketOptions } from './world';
import { marketSummary } from './market-summary';
import { beginMarkets, executeMarkets, settleFunding, updatePolicies } from './market-steps';

/** One perpetual market of a venue: which asset it lists, its market settings and policy. */
export interface VenueMarketOptions {
  /** The asset's number in the world's `assets` order. */
  asset: number;
  /** Liquidity, premium, funding and mark settings (its start price, process and shocks are the asset's). */
  market: MarketOptions;
  policy: LeveragePolicy;
  /** Moves of this market's price alone (a local mark shock), on top of the index. */
  localShocks?: ScheduledShock[];
  /** Flows from outside the accounts through this market's book (local flow shocks). */
  localFlows?: LocalFlow[];
}

/** One spot market of a venue (asset against quote). */
export interface SpotMarketOptions {
  asset: number;
  liquidity: LiquidityParams;
  /** Share of each trade's log impact passed into the asset's index. */
  spillover: number;
  /** Half-life in ticks of the spot price's premium over the index. */
  premiumHalfLife: number;
  volHalfLife: number;
  localShocks?: ScheduledShock[];
  localFlows?: LocalFlow[];
}

/** One venue: its markets, spot markets, settings and (for portfolio accounts) its margin model. */
export interface VenueOptions {
  name: string;
  markets: VenueMarketOptions[];
  spots?: SpotMarketOptions[];
  /** Fees, liquidation settings, insurance fund, deficit handling. */
  exchange: ExchangeParams;
  margin?: PortfolioMarginOptions;
  /** Collateral tokens the venue accepts for cross and portfolio accounts (each must be one of its spot markets). */
  collateral?: AcceptedToken[];
}

/** A built venue: the venue, its perpetual markets and its spot markets. */
export interface VenueHandle {
  name: string;
  venue: Venue;
  /** Perpetual markets in the venue's listing order. */
  markets: MarketHandle[];
  /** Asset number of each perpetual market. */
  assetOf: number[];
  spots: SpotMarket[];
}

/** What {@link buildVenueWorld} needs from the caller. */
export interface VenueWorldInput {
  seed: number | string;
  assets: AssetOptions[];
  correlation?: CorrelationMatrix;
  venues: VenueOptions[];
  populations: PopulationSpec[];
  /** Lending protocols (their oracles read the index or a venue; their liquidators sell on a venue's spot market). */
  protocols?: (ProtocolOptions & { name: string })[];
  /**
   * Cut every link between venues and protocols (the counterfactual of the contagion matrix): no
   * market's impact spills into the index, populations told so stop trading across venues, and
   * every oracle reads the index.
   */
  cutLinks?: boolean;
}

/** The parts of a built world of venues, and its tick steps. */
export interface VenueWorld {
  venues: VenueHandle[];
  /** Every perpetual market of every venue, venue by venue (named `<venue>-<asset>`). */
  markets: MarketHandle[];
  indices: AssetIndex[];
  wallets: Wallets;
  /** Money moving between wallets and venues: lands at the start of the `after` step, before the populations' behaviours. */
  transfers: Transfers;
  spot: SpotDesk;
  /** Every spot desk: the venues' and, with every link cut, each protocol's own. */
  spotDesks: SpotDesk[];
  protocols: Protocol[];
  populations: TraderPopulation[];
  /** Each venue's summary at the last tick, in venue order. */
  lastVenueSummaries: TickSummary[];
  /** Each market's summary at the last tick, in {@link VenueWorld.markets} order. */
  lastMarketSummaries: TickSummary[];
  /**
   * The ledgers checked every tick besides the summaries' (a break fails the run): the largest
   * relative residual of any asset's units so far.
   */
  ledgers: { unitsMaxRelativeResidual: number };
  steps: TickSteps;
}

/**
 * Builds a world of venues. Populations get consecutive account ranges after the backstop
 * (account 0) on every venue; a population trades on its `venue` (default 0), in the market of its
 * `asset` there.
 */
export function buildVenueWorld(o: VenueWorldInput, clock: Clock, bus: SimBus, streams: RandomStreams): VenueWorld {
  const assets = o.assets;
  const processes = createIndexProcesses(assets.map((a) => ({ name: a.name, process: a.market.process })), o.correlation, clock.dtYears, streams);
  const indices = assets.map((a, k) => new AssetIndex(startOf(a.market), processes[k]!, new ShockSchedule(a.market.shocks)));
  const capacity = 1 + o.populations.reduce((s, p) => s + p.count, 0);
  // Wallet ids after the venues' accounts: each protocol's liquidator, then its borrowers.
  const protocolIds = (o.protocols ?? []).reduce((n, p) => n + 1 + (p.borrowers?.count ?? 0), 0);
  const wallets = new Wallets(capacity + protocolIds, assets.length);
  const cut = o.cutLinks === true;
  const spotMarkets: SpotMarket[] = [];
  const venues: VenueHandle[] = o.venues.map((vo, v) => {
    const listed = vo.markets.map((m) => assets[m.asset]!.name);
    const venue = new Venue(capacity, listed, vo.margin);
    const markets = vo.markets.map((m, k): MarketHandle => {
      const a = assets[m.asset]!;
      const market = new Market({ ...m.market, startPrice: startOf(a.market), spillover: cut ? 0 : m.market.spillover }, processes[m.asset]!, new ShockSchedule(), indices[m.asset]);
      for (const s of m.localShocks ?? []) market.local.add(s);
      for (const f of m.localFlows ?? []) market.addLocalFlow(f);
      const mbus = new Bus();
      const exchange = new Exchange(capacity, vo.exchange, m.policy, market, mbus, { treasury: venue.treasury, groups: venue.groups, first: k === 0 });
      venue.addMarket(exchange);
      return { name: `${vo.name}-${a.name}`, market, exchange, bus: mbus, funding: new FundingClock(m.market.funding) };
    });
    const spots = (vo.spots ?? []).map((so) => spotMarket(v, so, cut, true));
    spotMarkets.push(...spots);
    if (vo.collateral && vo.collateral.length > 0) venue.acceptTokens(tokenCollateral(capacity, vo, spots, indices));
    return { name: vo.name, venue, markets, assetOf: vo.markets.map((m) => m.asset), spots };
  });
  const spot = new SpotDesk(spotMarkets, venues.length, assets.length, wallets);
  // With every link cut a protocol's liquidators and borrowers trade on books of their own (the
  // venues' spot markets' twins: same liquidity, no spillover, no local shocks), so no venue's
  // price, and no token a venue marks at its price, hears them.
  const privateSpots: SpotMarket[] = [];
  const protocolDesk = (): SpotDesk => {
    if (!cut) return spot;
    const twins = o.venues.flatMap((vo, v) => (vo.spots ?? []).map((so) => spotMarket(v, so, true, false)));
    privateSpots.push(...twins);
    return new SpotDesk(twins, venues.length, assets.length, wallets);
  };
  const transfers = new Transfers(wallets);
  const markets = venues.flatMap((h) => h.markets);
  const venueList = venues.map((h) => h.venue);

  // Every venue opens every population's accounts (same ids everywhere); the population's mode
  // applies on its own venue, and its accounts elsewhere are isolated (and empty unless it trades there).
  const populations: TraderPopulation[] = [];
  /** Each population's home market, and its place in `markets` (for the depth its makers provide). */
  const home: MarketHandle[] = [];
  const homeAt: number[] = [];
  for (const [k, spec] of o.populations.entries()) {
    const v = spec.venue ?? 0;
    const vh = venues[v];
    if (!vh) throw new RangeError(`population ${spec.name}: venue ${v} does not exist (the world has ${venues.length})`);
    const a = spec.asset ?? vh.assetOf[0]!;
    const m = vh.assetOf.indexOf(a);
    if (m < 0) throw new RangeError(`population ${spec.name}: venue ${vh.name} lists no market for asset ${assets[a]?.name ?? a}`);
    let first = -1;
    for (const [w, other] of venues.entries()) {
      const f = other.venue.openAccounts(spec.count, k + 1, w === v ? spec.marginMode ?? 'isolated' : 'isolated', w === v ? m : 0);
      if (first >= 0 && f !== first) throw new Error(`venue ${other.name} allocated accounts from ${f}, the first venue from ${first}`);
      first = f;
    }
    const h = vh.markets[m]!;
    const pop = spec.create({ first, count: spec.count, exchange: h.exchange, streams, startPrice: h.market.p.startPrice, venue: vh.venue, venues: venues.map((x) => x.venue), venueNumber: v, wallets, transfers, spot, linksCut: cut });
    populations.push(pop);
    if (spec.tokenCollateral) {
      const k = vh.venue.tokens?.tokens.findIndex((t) => t.asset === spec.tokenCollateral!.token) ?? -1;
      if (k < 0) throw new RangeError(`population ${spec.name}: venue ${vh.name} does not accept asset ${assets[spec.tokenCollateral.token]?.name} as collateral`);
      if (vh.venue.mode(first) === 'isolated') throw new RangeError(`population ${spec.name}: token collateral needs cross or portfolio margin (isolated positions hold quote)`);
      vh.venue.depositTokens(first, spec.count, k, spec.tokenCollateral.share);
    }
    home.push(h);
    homeAt.push(markets.indexOf(h));
  }
  let nextWallet = capacity;
  const desks: SpotDesk[] = [spot];
  const protocols = (o.protocols ?? []).map((po) => {
    const liquidator = nextWallet;
    nextWallet += 1 + (po.borrowers?.count ?? 0);
    const sources = po.params.collateral.map((c): (() => number) => {
      const src = cut ? { kind: 'index' as const } : c.oracle.source;
      if (src.kind === 'index') return () => indices[c.asset]!.value;
      if (src.kind === 'spot') {
        const sm = spot.get(src.venue, c.asset);
        return () => sm.market.mark;
      }
      const vh = venues[src.venue]!;
      const mk = vh.markets[vh.assetOf.indexOf(c.asset)];
      if (!mk) throw new RangeError(`protocol ${po.name}: venue ${vh.name} lists no perpetual market for asset ${assets[c.asset]!.name}`);
      return () => mk.market.markPrice;
    });
    const desk = protocolDesk();
    desks.push(desk);
    return new Protocol(po.name, po, wallets, liquidator, liquidator + 1, sources, desk);
  });
  const uniqueDesks = [...new Set(desks)];
  const cascadeOf = venues.map((h) => h.markets.length > 1 || h.venue.managed.includes(1));
  const lastVenueSummaries: TickSummary[] = [];
  const lastMarketSummaries: TickSummary[] = [];
  bus.tick$.subscribe({ complete: () => { for (const h of markets) h.bus.complete(); } });

  const ledgers = { unitsMaxRelativeResidual: 0 };
  /**
   * The ledgers outside the venues, every tick: each asset's units (wallets, spot providers, venue
   * tokens, lending pools against what entered), each protocol's money and collateral units.
   */
  const checkOutside = (t: number): void => {
    for (let a = 0; a < assets.length; a++) {
      const r = unitsResidual(a, wallets, uniqueDesks, venueList, protocols);
      const rel = Math.abs(r) / Math.max(1, unitsEntered(a, wallets, venueList));
      checkLedger(`asset ${assets[a]!.name}'s units`, t, r, rel, 'units');
      if (rel > ledgers.unitsMaxRelativeResidual) ledgers.unitsMaxRelativeResidual = rel;
    }
    for (const p of protocols) {
      const r = p.pool.ledgerResidual();
      checkLedger(`protocol ${p.name}`, t, r, Math.abs(r) / Math.max(1, p.pool.supplied));
      p.o.params.collateral.forEach((c, k) => {
        const u = p.pool.unitsResidual(k);
        checkLedger(`protocol ${p.name}'s ${assets[c.asset]!.name} units`, t, u, Math.abs(u) / Math.max(1, p.pool.deposited[k]!), 'units');
      });
    }
  };

  const steps: TickSteps = {
    market(t) {
      beginMarkets(t, markets);
      for (const s of spotMarkets) s.market.beginTick(t);
      for (const s of privateSpots) s.market.beginTick(t);
      for (const p of protocols) p.beginTick(t);
    },
    policy(t) {
      for (const vh of venues) {
        updatePolicies(t, vh.markets);
        vh.venue.updateScan();
        vh.venue.revalueTokens();
      }
    },
    funding(t) {
      settleFunding(t, markets);
    },
    decide(t) {
      const depth = markets.map(() => 1);
      for (const [k, p] of populations.entries()) {
        const h = home[k]!;
        p.decide(t, h.market, h.exchange);
        if (p.depthFactor) depth[homeAt[k]!] *= p.depthFactor(h.market);
      }
      for (const [m, h] of markets.entries()) h.market.setProvidedDepth(depth[m]!);
      for (const p of protocols) p.decide(t);
    },
    execute(t) {
      executeMarkets(t, markets);
    },
    liquidate(t) {
      for (const [v, vh] of venues.entries()) {
        // Token prices as they are now: borrowers' purchases may have moved a venue's spot book since step 2.
        vh.venue.revalueTokens();
        if (cascadeOf[v]) runVenueCascade(vh.venue, t);
        else vh.markets[0]!.exchange.liquidate(t);
      }
      for (const p of protocols) p.liquidate(t);
      // A protocol's sales move the books venues mark their tokens at: margin values them at the
      // new price from now on, and the venue re-checks every holder at its next cascade.
      if (protocols.length > 0) for (const vh of venues) vh.venue.revalueTokens();
    },
    after(t) {
      // Money due lands before the behaviours look at margins: a top-up that arrives now can save an account this tick.
      transfers.deliver(t);
      for (const [k, p] of populations.entries()) {
        const h = home[k]!;
        p.after?.(t, h.market, h.exchange);
      }
      for (const { market } of markets) market.endTick();
      for (const s of spotMarkets) s.market.endTick();
      for (const s of privateSpots) s.market.endTick();
    },
    summarize(t): TickSummary {
      let m = 0;
      for (const [v, vh] of venues.entries()) {
        const own: TickSummary[] = [];
        for (const h of vh.markets) {
          const s = marketSummary(t, h);
          lastMarketSummaries[m++] = s;
          own.push(s);
          h.bus.tick$.next(s);
        }
        lastVenueSummaries[v] = checkedSummary(`venue ${vh.name}`, worldSummary(t, vh.venue, own));
      }
      checkOutside(t);
      return checkedSummary('the world', venuesSummary(t, lastVenueSummaries, wallets, uniqueDesks, venueList, protocols, transfers));
    },
    injectShock(shock, currentTick) {
      const tick = Math.max(shock.tick ?? currentTick + 1, currentTick + 1);
      // A market-wide shock moves the traded assets, not the tokens (a stablecoin does not fall with BTC).
      for (const [k, idx] of indices.entries()) if (!assets[k]!.token) idx.external.add({ tick, ret: shock.ret, overTicks: shock.overTicks ?? 1 });
    },
  };
  return { venues, markets, indices, wallets, transfers, spot, spotDesks: uniqueDesks, protocols, populations, lastVenueSummaries, lastMarketSummaries, ledgers, steps };

  /** A spot market of venue `v` over the asset's shared index (spillover 0 when links are cut; `local`: with the venue's local shocks). */
  function spotMarket(v: number, so: SpotMarketOptions, noSpill: boolean, local: boolean): SpotMarket {
    const market = new Market({
      startPrice: startOf(assets[so.asset]!.market), liquidity: so.liquidity, spillover: noSpill ? 0 : so.spillover,
      premiumHalfLife: so.premiumHalfLife, volHalfLife: so.volHalfLife,
    }, processes[so.asset]!, new ShockSchedule(), indices[so.asset]);
    if (local) {
      for (const sh of so.localShocks ?? []) market.local.add(sh);
      for (const f of so.localFlows ?? []) market.addLocalFlow(f);
    }
    return { venue: v, asset: so.asset, market, houseUnits: 0, houseQuote: 0, soldUnits: 0, boughtUnits: 0 };
  }
}

/**
 * The collateral tokens of venue `vo`: each priced at the venue's spot market (`venue`) or at the
 * token's index, and sold on the venue's spot market (its liquidity provider buys).
 */
function tokenCollateral(capacity: number, vo: VenueOptions, spots: readonly SpotMarket[], indices: readonly AssetIndex[]): TokenCollateral {
  const markets: TokenMarket[] = vo.collateral!.map((t) => {
    const s = spots.find((x) => x.asset === t.asset);
    if (!s) throw new RangeError(`venue ${vo.name}: collateral token (asset ${t.asset}) needs a spot market on the venue, where its auto-exchange sells`);
    const idx = indices[t.asset]!;
    return {
      price: t.priceSource === 'venue' ? () => s.market.mark : () => idx.value,
      sell: (units: number) => sellToProvider(s, units),
    };
  });
  return new TokenCollateral(capacity, vo.collateral!, markets);
}

/** The start price of an asset's market: a replay's first price, else `startPrice`. */
function startOf(m: MarketOptions): number {
  return m.process.kind === 'replay' ? m.process.prices[0]! : m.startPrice;
}
