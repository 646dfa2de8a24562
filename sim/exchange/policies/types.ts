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
  onTick(market: MarketView, accounts: AccountsView): boolean;
  /** Max leverage allowed when opening or increasing a position of `notional`. */
  maxLeverage(notional: number, account: number): number;
  /** Initial margin (quote) for a position of `notional`. */
  initialMargin(notional: number, account: number): number;
  /** Maintenance margin (quote) for a position of `notional`. */
  maintenanceMargin(notional: number, account: number): number;
  /** The piecewise-linear schedule behind the two margins for `account`, for the kernels. */
  table(account: number): TierTable;
  /** Headline limits now. */
  headline(): PolicyHeadline;
}
