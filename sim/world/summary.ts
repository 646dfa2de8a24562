/**
 * The world's tick summary in a world of several assets: the venue's ledger (its markets share one
 * treasury, so only the whole venue balances) and totals over the markets. Figures of one market
 * (prices, premium, depth, volatility, funding, base-unit open interest and volume, leverage) have
 * no world value and are NaN here: they are in each market's summary (`ticks-<asset>.csv`).
 */
import { TICK_COLUMNS, TICK_SUMMARY_FIELDS, type TickField, type TickSummary } from '../engine/events';

/** Market figures that add up over the markets (or take the largest): the world's totals. */
const TOTALS: ReadonlySet<TickField> = new Set<TickField>([
  'openInterestNotional', 'liquidations', 'liqLongNotional', 'liqShortNotional', 'cascadeRounds', 'roundCapHit',
  'adlCount', 'adlNotional', 'positions', 'activeAccounts', 'nearLiq5', 'nearLiq10',
]);

/** The columns of the world's ticks.csv in a run of several assets: tick, the totals and the ledger. */
export const WORLD_FIELDS: readonly TickField[] = TICK_SUMMARY_FIELDS.filter((f) => TICK_COLUMNS[f].scope !== 'market' || TOTALS.has(f));
import { ledgerResidual, relativeResidual } from '../metrics/reporters';
import type { Venue } from './venue';

/** The world's summary of tick `t` from the markets' summaries of the same tick. */
export function worldSummary(t: number, v: Venue, markets: readonly TickSummary[]): TickSummary {
  let equity = 0, housePnl = 0, oiNotional = 0, liquidations = 0, liqLong = 0, liqShort = 0, rounds = 0, cap = 0;
  let adlCount = 0, adlNotional = 0, positions = 0, active = 0, near5 = 0, near10 = 0;
  for (const s of markets) {
    equity += s.equity;
    housePnl += s.housePnl;
    oiNotional += s.openInterestNotional;
    liquidations += s.liquidations;
    liqLong += s.liqLongNotional;
    liqShort += s.liqShortNotional;
    rounds = Math.max(rounds, s.cascadeRounds);
    cap = Math.max(cap, s.roundCapHit);
    adlCount += s.adlCount;
    adlNotional += s.adlNotional;
    positions += s.positions;
    active = Math.max(active, s.activeAccounts);
    near5 += s.nearLiq5;
    near10 += s.nearLiq10;
  }
  const tr = v.treasury;
  // A venue that accepts collateral tokens adds their term (collateral.ts): units held at their price against what came in.
  const residual = v.tokens ? ledgerResidual(equity, housePnl, tr) + v.tokens.ledgerTerm() : ledgerResidual(equity, housePnl, tr);
  return {
    tick: t, index: NaN, mark: NaN, markPrice: NaN, exogenousReturn: NaN, premium: NaN, depth: NaN, realizedVol: NaN,
    fundingRate: NaN, openInterest: NaN, openInterestNotional: oiNotional, volume: NaN, liquidations,
    liqLongNotional: liqLong, liqShortNotional: liqShort, cascadeRounds: rounds, roundCapHit: cap, adlCount, adlNotional,
    positions, activeAccounts: active, avgLeverage: NaN, nearLiq5: near5, nearLiq10: near10, policyMaxLeverage: NaN,
    equity, houseEquity: tr.houseDeposits + housePnl, housePnl, insuranceFund: tr.insuranceFund, feeRevenue: tr.feeRevenue,
    badDebt: tr.badDebt, deposits: tr.deposits + tr.houseDeposits, withdrawals: tr.withdrawals, residual,
    relativeResidual: relativeResidual(residual, tr),
  };
}
