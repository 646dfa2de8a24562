/**
 * The contract between the exchange and trader populations. A population owns a contiguous range
 * of account ids and acts on them with columnar kernels; the exchange never knows its strategy.
 */
import type { RandomStreams } from '../engine/rng';
import type { MarketView } from '../market/market';
import type { Exchange } from './exchange';
import type { MarginMode, VenueView } from '../world/types';
import type { Transfers } from '../world/transfers';
import type { SpotAccess, Wallets } from '../world/wallets';

/** A population of trader accounts. */
export interface TraderPopulation {
  readonly name: string;
  /** First account id and number of accounts. */
  readonly first: number;
  readonly count: number;
  /** Step 4: place desired signed position changes for accounts first..first+count−1 (`exchange.placeOrder`). */
  decide(tick: number, market: MarketView, exchange: Exchange): void;
  /** Step 7: behaviours after the cascade (top-ups, stop-outs, re-entry). */
  after?(tick: number, market: MarketView, exchange: Exchange): void;
  /** Depth multiplier this population provides to the liquidity model (market makers), else absent. */
  depthFactor?(market: MarketView): number;
}

/** What a population factory gets: its account range, the exchange and the run's streams. */
export interface PopulationContext {
  first: number;
  count: number;
  exchange: Exchange;
  streams: RandomStreams;
  /** Start price of the market, for sizing initial positions. */
  startPrice: number;
  /** Every market of the venue, for strategies that trade several (sim/world/types.ts). */
  venue: VenueView;
  /** Every venue of a world of several (the population's own is `venue`); absent in a world of one. */
  venues?: readonly VenueView[];
  /** The number of the population's own venue in `venues` (a world of venues only). */
  venueNumber?: number;
  /** Wallets outside the venues, transfers between them and the venues, and spot trading on the venues' spot markets (a world of venues only). */
  wallets?: Wallets;
  transfers?: Transfers;
  spot?: SpotAccess;
  /** True in the counterfactual world with every link between venues cut: populations that trade across venues stay idle. */
  linksCut?: boolean;
}

/** A population to build: a name, a size and a factory. */
export interface PopulationSpec {
  name: string;
  count: number;
  /** Margin mode of the population's accounts (default isolated). */
  marginMode?: MarginMode;
  /** The market (asset number, from 0) a single-market strategy trades (default 0). */
  asset?: number;
  /** The venue (number, from 0) the population's accounts trade on in a world of venues (default 0). */
  venue?: number;
  /** Hold `share` of the initial collateral as units of token `token` (asset number) on its venue (cross or portfolio accounts). */
  tokenCollateral?: { token: number; share: number };
  create(ctx: PopulationContext): TraderPopulation;
}
