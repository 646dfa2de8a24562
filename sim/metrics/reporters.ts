/**
 * The reporters (in Mesa's sense): how each per-tick output is computed from the state at the end
 * of a tick. Names, units, definitions and column order are declared once in
 * {@link TICK_COLUMNS} (sim/engine/events.ts); this map gives each declared name its compute, and
 * its type makes TypeScript refuse a declared field without one, or one that is not declared.
 */
import { TICK_COLUMNS, TICK_SUMMARY_FIELDS, type TickField, type TickScope, type TickSummary } from '../engine/events';
import type { BookStats } from '../exchange/book-stats';
import type { CascadeStats } from '../exchange/cascade';
import type { Exchange } from '../exchange/exchange';
import type { Treasury } from '../exchange/accounts';
import type { Market } from '../market/market';
import type { PolicyHeadline } from '../exchange/policies/types';

/** What the reporters read at the end of a tick: what `summarize` has in hand. */
export interface TickContext {
  tick: number;
  market: Market;
  exchange: Exchange;
  /** The funding clock's last settled rate. */
  fundingRate: number;
  /** The policy's headline limits now. */
  headline: PolicyHeadline;
  /** The tick's pass over the book at the mark price: `exchange.bookStats(market.markPrice)`. */
  book: BookStats;
  treasury: Treasury;
  /** The tick's liquidation cascade: `exchange.lastCascade`. */
  cascade: CascadeStats;
}

/** One per-tick output's compute. */
export type Reporter = (ctx: TickContext) => number;

/**
 * The ledger's residual: equity + housePnl + insuranceFund + feeRevenue − badDebt − (deposits −
 * withdrawals), summed without the house's deposit on either side, so that its size does not drown
 * the rest. One source for a market's summary and for the world's (sim/world/summary.ts).
 */
export function ledgerResidual(equity: number, housePnl: number, tr: Treasury): number {
  return equity + housePnl + tr.insuranceFund + tr.feeRevenue - tr.badDebt - (tr.deposits - tr.withdrawals);
}

/** |residual| / (traders' deposits and the fund's seed, at least 1 quote): the house's collateral left out, or it would dilute any error to nothing. */
export function relativeResidual(residual: number, tr: Treasury): number {
  return Math.abs(residual) / Math.max(1, tr.deposits);
}

/** The residual of a tick's context. */
function residual({ book: s, treasury: tr }: TickContext): number {
  return ledgerResidual(s.equity, s.housePnl, tr);
}

/** Every declared per-tick output's compute. */
export const REPORTERS: { readonly [K in TickField]: Reporter } = {
  tick: (c) => c.tick,
  index: (c) => c.market.index,
  mark: (c) => c.market.mark,
  markPrice: (c) => c.market.markPrice,
  exogenousReturn: (c) => c.market.exogenousReturn,
  premium: (c) => c.market.premium,
  depth: (c) => c.market.depth,
  realizedVol: (c) => c.market.realizedVol,
  fundingRate: (c) => c.fundingRate,
  openInterest: (c) => c.book.openInterest,
  openInterestNotional: (c) => c.book.openInterest * c.market.markPrice,
  volume: (c) => c.exchange.tickVolume,
  liquidations: (c) => c.cascade.accounts,
  liqLongNotional: (c) => c.cascade.longNotional,
  liqShortNotional: (c) => c.cascade.shortNotional,
  cascadeRounds: (c) => c.cascade.rounds,
  roundCapHit: (c) => (c.cascade.roundCapHit ? 1 : 0),
  adlCount: (c) => c.cascade.adlCount,
  adlNotional: (c) => c.cascade.adlNotional,
  positions: (c) => c.book.positions,
  activeAccounts: (c) => c.book.activeAccounts,
  avgLeverage: (c) => c.book.avgLeverage,
  nearLiq5: (c) => c.book.nearLiq5,
  nearLiq10: (c) => c.book.nearLiq10,
  policyMaxLeverage: (c) => c.headline.maxLeverage,
  equity: (c) => c.book.equity,
  houseEquity: (c) => c.treasury.houseDeposits + c.book.housePnl,
  housePnl: (c) => c.book.housePnl,
  insuranceFund: (c) => c.treasury.insuranceFund,
  feeRevenue: (c) => c.treasury.feeRevenue,
  badDebt: (c) => c.treasury.badDebt,
  deposits: (c) => c.treasury.deposits + c.treasury.houseDeposits,
  withdrawals: (c) => c.treasury.withdrawals,
  residual,
  // At least 1 quote below the fraction, so that a book with no trader money divides by something.
  relativeResidual: (c) => relativeResidual(residual(c), c.treasury),
};

/**
 * One object literal over every declared field, in column order, each from its reporter by name:
 * `(R, c) => ({ tick: R.tick(c), index: R.index(c), … })`, compiled once from TICK_SUMMARY_FIELDS
 * (plain identifiers, checked there). Why generated: a loop of keyed stores through the
 * reporters (megamorphic loads and calls, an object growing one field at a time) measured ~6 µs a
 * tick, a tenth of a bench-active tick; the literal is built with its final shape.
 */
const buildSummary = new Function('R', 'c', `return { ${TICK_SUMMARY_FIELDS.map((f) => `${f}: R.${f}(c)`).join(', ')} };`) as (r: typeof REPORTERS, c: TickContext) => TickSummary;

/** The tick's summary: every declared output computed from `ctx`, in column order. */
export function tickSummary(ctx: TickContext): TickSummary {
  return buildSummary(REPORTERS, ctx);
}

/**
 * The columns of a file of one scope, in column order: the key columns (the tick) first, then the
 * scope's own (`fieldsOf('key')` is the key columns alone).
 */
export function fieldsOf(scope: TickScope): TickField[] {
  return TICK_SUMMARY_FIELDS.filter((f) => TICK_COLUMNS[f].scope === 'key' || TICK_COLUMNS[f].scope === scope);
}
