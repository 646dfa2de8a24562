/**
 * The records that travel on the {@link SimBus}. They are plain data: the engine defines their shape
 * and never interprets them. One record per tick, per cascade round or per batch, never per agent.
 */

/** An exogenous price move: scheduled, injected by the user, a jump of the index process, or a local move of one venue's market alone. */
export interface ShockEvent {
  tick: number;
  /** Log-return applied to the index this tick. */
  logReturn: number;
  source: 'scheduled' | 'external' | 'jump' | 'local';
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
  /**
   * 1 where the account's close was such a takeover, which fills at `markBefore`, not `price`: by
   * position in `accounts` (the isolated closes; absent or shorter: the rest closed at `price`).
   */
  takeover?: Uint8Array;
}

/** The price account `n` of round `b` was closed at: its mark before the round for a backstop takeover, else the round's fill price. */
export function closePrice(b: LiquidationBatch, n: number): number {
  return b.takeover?.[n] ? b.markBefore : b.price;
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
 * Which file a per-tick column belongs to: `key` is the row key every per-tick file repeats (the
 * tick), `market` a figure of one market (its prices, depth, funding, open interest, liquidations,
 * positions, policy limit), `ledger` a figure of the whole book's money (equity, treasury, residual).
 */
export type TickScope = 'key' | 'market' | 'ledger';

/** What one per-tick column is: its unit, its definition and its scope. */
export interface TickColumnSpec {
  readonly unit: string;
  readonly doc: string;
  readonly scope: TickScope;
}

/**
 * Every per-tick output, in the column order of `ticks.csv`: the one declaration its names, units
 * and definitions come from ({@link TickSummary}, {@link TICK_SUMMARY_FIELDS}, the CSV and Parquet
 * headers, the README's table). How each is computed lives in sim/metrics/reporters.ts, typed
 * against these names, so that this module stays free of trading code.
 */
export const TICK_COLUMNS = {
  tick: { unit: 'tick', scope: 'key', doc: 'the tick number, from 0' },
  index: { unit: 'quote', scope: 'market', doc: 'the index (spot) price' },
  mark: { unit: 'quote', scope: 'market', doc: 'the last traded price (the impact model\'s price: the book\'s mid)' },
  markPrice: { unit: 'quote', scope: 'market', doc: 'the mark price margin and the ledger\'s valuation use: `mark`, or index-anchored' },
  exogenousReturn: { unit: 'log-return', scope: 'market', doc: 'the index log-return from the process and scheduled/external shocks this tick' },
  premium: { unit: 'fraction', scope: 'market', doc: '`mark / index − 1`' },
  depth: { unit: 'quote', scope: 'market', doc: 'quote notional that moves the mark by 1% this tick (after evaporation)' },
  realizedVol: { unit: 'per tick', scope: 'market', doc: 'EWMA volatility of the mark\'s tick log-returns (`volHalfLife`)' },
  fundingRate: { unit: 'fraction', scope: 'market', doc: 'the last funding rate settled (of notional, per interval; > 0: longs pay shorts)' },
  openInterest: { unit: 'base', scope: 'market', doc: 'long open interest (= short open interest)' },
  openInterestNotional: { unit: 'quote', scope: 'market', doc: '`openInterest × markPrice`' },
  volume: { unit: 'base', scope: 'market', doc: 'base quantity traded this tick: voluntary fills (bought + sold) and liquidation closes' },
  liquidations: { unit: 'accounts', scope: 'market', doc: 'accounts liquidated this tick, over every cascade round' },
  liqLongNotional: { unit: 'quote', scope: 'market', doc: 'notional of the longs liquidated this tick, at their fill prices' },
  liqShortNotional: { unit: 'quote', scope: 'market', doc: 'notional of the shorts liquidated this tick, at their fill prices' },
  cascadeRounds: { unit: 'rounds', scope: 'market', doc: 'liquidation rounds this tick' },
  roundCapHit: { unit: '0/1', scope: 'market', doc: '1 when the round cap stopped the cascade with accounts still liquidatable' },
  adlCount: { unit: 'accounts', scope: 'market', doc: 'counterparty positions auto-deleveraged this tick' },
  adlNotional: { unit: 'quote', scope: 'market', doc: 'notional auto-deleveraged this tick, at bankruptcy prices' },
  positions: { unit: 'positions', scope: 'market', doc: 'open positions, the backstop\'s excluded' },
  activeAccounts: { unit: 'accounts', scope: 'market', doc: 'accounts that may trade: neither liquidated out (awaiting re-entry) nor gone (in a run of several assets, every account of the venue counts in every market where it is not)' },
  avgLeverage: { unit: 'x', scope: 'market', doc: 'mean leverage (|size| × `markPrice` / equity) of the traders with an isolated position and positive equity (a cross or portfolio account\'s margin usage is in usage.csv)' },
  nearLiq5: { unit: 'positions', scope: 'market', doc: 'positions whose liquidation price is within 5% of the mark price' },
  nearLiq10: { unit: 'positions', scope: 'market', doc: 'positions whose liquidation price is within 10% of the mark price' },
  policyMaxLeverage: { unit: 'x', scope: 'market', doc: 'the policy\'s max leverage for the smallest position' },
  equity: { unit: 'quote', scope: 'ledger', doc: 'Σ trader account equity at `markPrice` (collateral + size × (markPrice − entry)), the house excluded' },
  houseEquity: { unit: 'quote', scope: 'ledger', doc: 'the house (backstop) account\'s equity at `markPrice`: it takes the other side of net flow' },
  housePnl: { unit: 'quote', scope: 'ledger', doc: '`houseEquity` − the house\'s deposit: what the house has won (+) or lost (−) so far' },
  insuranceFund: { unit: 'quote', scope: 'ledger', doc: 'the insurance fund\'s balance' },
  feeRevenue: { unit: 'quote', scope: 'ledger', doc: 'trading fees (taker and maker) the exchange kept (cumulative)' },
  badDebt: { unit: 'quote', scope: 'ledger', doc: 'negative equity that nothing covered, written off (cumulative)' },
  deposits: { unit: 'quote', scope: 'ledger', doc: 'deposits of traders, the insurance fund\'s seed and the house (cumulative)' },
  withdrawals: { unit: 'quote', scope: 'ledger', doc: 'withdrawals (cumulative)' },
  residual: { unit: 'quote', scope: 'ledger', doc: '`equity + houseEquity + insuranceFund + feeRevenue − badDebt − (deposits − withdrawals)`: 0 but for rounding' },
  relativeResidual: { unit: 'fraction', scope: 'ledger', doc: '|`residual`| / (`deposits` − the house\'s deposit, at least 1 quote): the house\'s collateral left out, or it would dilute any error to nothing' },
} as const satisfies Record<string, TickColumnSpec>;

/** The name of a per-tick column. */
export type TickField = keyof typeof TICK_COLUMNS;

/**
 * Everything about one tick, as flat numbers: the row of `ticks.csv`, and the ledger with every term
 * and its residual. One number per {@link TICK_COLUMNS} entry (see there for each one's unit and definition).
 */
export type TickSummary = { [K in TickField]: number };

/**
 * Column order of {@link TickSummary}, the header of `ticks.csv`. Every name is a plain identifier
 * (checked here, once): the per-tick code generated from this list names the fields in source
 * (sim/metrics/reporters.ts builds the summary, sim/metrics/tick-columns.ts stores it).
 */
export const TICK_SUMMARY_FIELDS = ((): readonly TickField[] => {
  const fields = Object.keys(TICK_COLUMNS) as TickField[];
  const bad = fields.find((f) => !/^[A-Za-z_$][\w$]*$/.test(f));
  if (bad !== undefined) throw new Error(`tick field ${JSON.stringify(bad)} is not a plain identifier`);
  return fields;
})();
