/**
 * The shapes of a multi-asset world (DESIGN.md "Many assets, margin modes, venues and protocols"):
 * assets with their own index process and perpetual market, correlated exogenous shocks, margin
 * modes per account, and the portfolio-margin model's settings. A world of one asset given by the
 * top-level `market` is the single-market engine exactly as before.
 */
import type { CorrelationMatrix } from '../market/correlation';
import type { LeveragePolicy } from '../exchange/policies/types';
import type { MarketOptions } from '../run/world';
import type { Exchange } from '../exchange/exchange';
import type { Market } from '../market/market';

/** How an account's positions are margined (DESIGN.md "Margin engines"). */
export type MarginMode = 'isolated' | 'cross' | 'portfolio';

/** The margin modes, by their number in the venue's `mode` column. */
export const MARGIN_MODES: readonly MarginMode[] = ['isolated', 'cross', 'portfolio'];

/** Which positions of a cross or portfolio account a liquidation closes first. */
export type CrossOrder = 'largest-requirement-first' | 'pro-rata' | 'all';

/** One asset of a multi-asset world: its index process and perpetual market, under its own policy instance. */
export interface AssetOptions {
  /** Symbol, e.g. BTC: names the per-market output files (`ticks-BTC.csv`). */
  name: string;
  /** The asset's market: start price, index process, its own scheduled shocks, liquidity, funding, mark rule. */
  market: MarketOptions;
  /** The market's leverage policy (a fresh instance per market: dynamic policies keep state). */
  policy: LeveragePolicy;
  /** A token (collateral, no perpetual of its own): a shock injected into the run leaves its index alone. */
  token?: boolean;
}

/**
 * A scan range of the portfolio-margin model, per asset: a fixed fraction of price, or
 * `k × realized volatility` scaled to a horizon (per-tick vol × √horizonTicks), between `floor` and `cap`.
 */
export type ScanRangeSpec =
  | { kind: 'fixed'; range: number }
  | { kind: 'vol'; k: number; horizonTicks: number; floor: number; cap: number };

/** The portfolio-margin model of a venue. */
export interface PortfolioMarginOptions {
  /** The model's correlation (default: the assets' true correlation, identity when none). */
  correlation?: CorrelationMatrix;
  /** One scan range per asset, in the assets' order. */
  scan: ScanRangeSpec[];
  /** IM = MM × initialFactor (default 1.5). */
  initialFactor: number;
}

/**
 * What multi-asset strategies see of the venue: every market, the margin mode of each account and
 * the mode-aware requirement and equity. Orders go to one market: `placeOrder(i, market, dq)`.
 */
export interface VenueView {
  /** Asset symbols, in market order. */
  readonly assets: readonly string[];
  readonly markets: readonly Market[];
  readonly exchanges: readonly Exchange[];
  /** Margin mode of account `i`. */
  mode(i: number): MarginMode;
  /** Account equity across every market at the mark prices (quote). */
  equity(i: number): number;
  /** The account's requirement under its mode at the mark prices (isolated: Σ of its positions' tier requirements) (quote). */
  requirement(i: number, kind: 'initial' | 'maintenance'): number;
  /** Signed notional of account `i` in market `m` at its mark price (quote). */
  notional(i: number, m: number): number;
  /** Sets account `i`'s desired signed position change in market `m` this tick. */
  placeOrder(i: number, m: number, dq: number): void;
  /**
   * The part of `dq` in market `m` the account's margin mode allows now (at the mark, after the
   * taker fee), as execution would cut it.
   */
  allowedOrder(i: number, m: number, dq: number): number;
  /**
   * Moves up to `amount` of an isolated account's free collateral (equity above initial margin)
   * from its wallet in market `from` to its wallet in market `to`; returns what moved.
   */
  moveCollateral(i: number, from: number, to: number, amount: number): number;
}
