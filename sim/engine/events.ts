/**
 * The records that travel on the {@link SimBus}. They are plain data: the engine defines their shape
 * and never interprets them. One record per tick, per cascade round or per batch, never per agent.
 */

/** An exogenous price move: scheduled, injected by the user, or a jump of the index process. */
export interface ShockEvent {
  tick: number;
  /** Log-return applied to the index this tick. */
  logReturn: number;
  source: 'scheduled' | 'external' | 'jump';
}

/** A shock fed in by the user through `Simulation.run({ shocks })`. */
export interface ExternalShock {
  /** Tick at which it applies; omitted means the next tick to run. */
  tick?: number;
  /** Simple return, e.g. -0.05 for a 5% drop. */
  ret: number;
  /** Spread evenly (in log terms) over this many ticks; default 1. */
  overTicks?: number;
}

/** The policy's headline limits changed. */
export interface PolicyEvent {
  tick: number;
  policy: string;
  /** Max leverage for the smallest position size. */
  maxLeverage: number;
  /** Multiplier on margin requirements relative to the policy's base (1 = unchanged). */
  marginMultiplier: number;
  /** Regime label for regime-switching policies (e.g. NORMAL/SOFT/HARD), else ''. */
  regime: string;
}

/** A funding settlement. */
export interface FundingEvent {
  tick: number;
  /** Funding rate for the interval (fraction of notional); > 0 means longs pay shorts. */
  rate: number;
  /** Average premium over the interval. */
  premium: number;
  /** Quote amount that changed hands (sum of payments by the paying side). */
  transferred: number;
}

/** All voluntary fills of one tick, as one batch. */
export interface FillBatch {
  tick: number;
  /** Accounts that traded (excluding the counterparty backstop). */
  count: number;
  /** Uniform fill price of the batch: the average along the impact curve from the mark before to after. */
  price: number;
  /** Total bought and sold base quantity by agents. */
  buyQty: number;
  sellQty: number;
  /** Net agent flow absorbed by the backstop counterparty (base units, + = agents bought). */
  netFlow: number;
  fees: number;
  /** Orders cut down by the initial-margin rule in this tick. */
  clipped: number;
}

/** One round of a liquidation cascade: its accounts travel as typed arrays. */
export interface LiquidationBatch {
  tick: number;
  round: number;
  /** Liquidated account ids. */
  accounts: Int32Array;
  /** Signed base quantity closed per account (negative = a long was sold). */
  closed: Float64Array;
  /** Each account's equity and maintenance margin at `markBefore`, when it was found liquidatable. */
  equity: Float64Array;
  maintenance: Float64Array;
  /** Fill price of the round's forced flow: the average along the impact curve (takeovers fill at markBefore). */
  price: number;
  /** The mark price (margin's price) before and after the round. */
  markBefore: number;
  markAfter: number;
  longNotional: number;
  shortNotional: number;
  /** Accounts whose equity was negative after the close (bankrupt). */
  bankrupt: number;
  /** Positions taken over whole by the backstop, without market impact. */
  backstopTakeovers: number;
}

/** A tick's liquidation cascade, one record per tick with liquidations. */
export interface CascadeRecord {
  tick: number;
  rounds: number;
  accounts: number;
  longNotional: number;
  shortNotional: number;
  /**
   * The last traded price at the end of the previous tick (before this tick's exogenous move), just
   * before the first liquidation round, and after the last: the price path a cascade's amplification
   * is read from. (Each round's margin checks use the mark price: `LiquidationBatch.markBefore`.)
   */
  markOpen: number;
  markBefore: number;
  markAfter: number;
  /** The tick's exogenous index log-return (process plus shocks). */
  exogenousReturn: number;
  /** True when the round cap stopped the cascade with accounts still liquidatable. */
  roundCapHit: boolean;
}

/** Auto-deleveraging in one cascade round. */
export interface AdlEvent {
  tick: number;
  round: number;
  /** Deleveraged (counterparty) accounts and the signed quantity each closed. */
  accounts: Int32Array;
  closed: Float64Array;
  /** Bankruptcy price at which they were closed (quantity-weighted mean when several). */
  price: number;
  notional: number;
}

/**
 * Everything about one tick, as flat numbers: the row of `ticks.csv`, and the ledger with every term
 * and its residual.
 */
export interface TickSummary {
  tick: number;
  index: number;
  /** The last traded price (the impact model's price). */
  mark: number;
  /** The mark price margin and the ledger's valuation use: `mark`, or index-anchored. */
  markPrice: number;
  /** Index log-return from the process and scheduled/external shocks this tick. */
  exogenousReturn: number;
  premium: number;
  /** Quote notional that moves the mark by 1% this tick (after evaporation). */
  depth: number;
  realizedVol: number;
  fundingRate: number;
  /** Long open interest in base units (= short open interest). */
  openInterest: number;
  openInterestNotional: number;
  volume: number;
  liquidations: number;
  liqLongNotional: number;
  liqShortNotional: number;
  cascadeRounds: number;
  roundCapHit: number;
  adlCount: number;
  adlNotional: number;
  /** Open positions (excluding the backstop). */
  positions: number;
  activeAccounts: number;
  avgLeverage: number;
  /** Accounts whose liquidation price is within 5% / 10% of the mark. */
  nearLiq5: number;
  nearLiq10: number;
  policyMaxLeverage: number;
  // ---- the ledger ----
  /** Σ trader account equity at mark (collateral + size × (mark − entry)), the house excluded. */
  equity: number;
  /** The house (backstop) account's equity at mark: it takes the other side of net flow. */
  houseEquity: number;
  /** houseEquity − the house's deposit: what the house has won (+) or lost (−) so far. */
  housePnl: number;
  insuranceFund: number;
  feeRevenue: number;
  badDebt: number;
  deposits: number;
  withdrawals: number;
  /** equity + houseEquity + insuranceFund + feeRevenue − badDebt − (deposits − withdrawals). */
  residual: number;
  /**
   * |residual| / (deposits − the house's deposit): traders' deposits and the insurance fund's seed
   * (at least 1 quote).
   * The house's collateral (1e10 by default) is left out, or it would dilute any error to nothing.
   */
  relativeResidual: number;
}

/** Column order of {@link TickSummary}, the header of `ticks.csv`. */
export const TICK_SUMMARY_FIELDS: readonly (keyof TickSummary)[] = [
  'tick', 'index', 'mark', 'markPrice', 'exogenousReturn', 'premium', 'depth', 'realizedVol', 'fundingRate',
  'openInterest', 'openInterestNotional', 'volume', 'liquidations', 'liqLongNotional', 'liqShortNotional',
  'cascadeRounds', 'roundCapHit', 'adlCount', 'adlNotional', 'positions', 'activeAccounts', 'avgLeverage',
  'nearLiq5', 'nearLiq10', 'policyMaxLeverage', 'equity', 'houseEquity', 'housePnl', 'insuranceFund', 'feeRevenue', 'badDebt',
  'deposits', 'withdrawals', 'residual', 'relativeResidual',
];
