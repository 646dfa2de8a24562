/**
 * The leverage-policy contract. A policy says how much leverage an account may open and how much
 * maintenance margin a position needs. Requirements are piecewise linear in notional (a tier
 * table), which keeps liquidation prices closed-form and indexable.
 */
import type { MarketView } from '../../market/market';
import type { TierTable } from '../margin';

/** What happens to existing positions when limits tighten. */
export type TightenMode = 'grandfather' | 'reduce-only' | 'enforce';

/** Read-only columns of the accounts, as policies see them. */
export interface AccountsView {
  readonly count: number;
  readonly size: Float64Array;
  readonly entry: Float64Array;
  readonly collateral: Float64Array;
  readonly liqPrice: Float64Array;
  readonly state: Uint8Array;
}

/** Exchange-wide figures a policy may react to, as of the end of the previous tick. */
export interface ExchangeView {
  /** Open interest, one side, in quote at the mark. */
  readonly openInterestNotional: number;
  readonly insuranceFund: number;
  /** Insurance fund at the start of the run. */
  readonly insuranceFundStart: number;
  /** Notional liquidated in the previous tick. */
  readonly liquidatedNotional: number;
}

/** Headline limits, for `policy$` and reports. */
export interface PolicyHeadline {
  maxLeverage: number;
  marginMultiplier: number;
  regime: string;
}

/** A pluggable leverage policy (DESIGN.md "Leverage policies"). */
export interface LeveragePolicy {
  readonly name: string;
  readonly onTighten: TightenMode;
  /** Ticks before a tightened maintenance requirement applies under `enforce`. */
  readonly graceTicks: number;
  /** Updates dynamic limits; returns true when the limits changed (the exchange then re-indexes). */
  onTick(market: MarketView, accounts: AccountsView, exchange: ExchangeView): boolean;
  /** Max leverage allowed when opening or increasing a position of `notional`. */
  maxLeverage(notional: number, account: number): number;
  /** Initial margin (quote) for a position of `notional`. */
  initialMargin(notional: number, account: number): number;
  /** Maintenance margin (quote) for a position of `notional`, under the current terms. */
  maintenanceMargin(notional: number, account: number): number;
  /** The current maintenance schedule (piecewise linear), shared by every account. */
  table(account: number): TierTable;
  /** The initial-margin schedule for `account` (max leverage per bracket); defaults to {@link table}. */
  imTable?(account: number): TierTable;
  /** True when `account` may only reduce (e.g. a circuit breaker's HARD regime). */
  reduceOnly?(account: number): boolean;
  /** Headline limits now. */
  headline(): PolicyHeadline;
}
