/**
 * The ledgers' per-tick guard: a run whose money does not add up stops there, as a failed run (exit
 * 1, no outputs), instead of finishing with the residual only written down. Why: a residual above
 * rounding means money was made or lost outside fills, transfers, deposits and withdrawals (a bug,
 * or a user module writing account columns directly), and every figure after it is wrong.
 */
import type { TickSummary } from '../engine/events';

/**
 * Largest relative residual a ledger may show: rounding leaves at most 1.0e-14 over the shipped
 * scenarios' outputs and 5.4e-14 on bench-3assets (a million accounts), so 1e-9 separates rounding
 * from lost money by four orders of magnitude or more. The same bound as the property tests and the
 * clearing mode's checks.
 */
export const LEDGER_TOLERANCE = 1e-9;

/** A ledger out of balance at some tick (a run that breaks it fails, exit 1). */
export class LedgerBroken extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LedgerBroken';
  }
}

/**
 * Throws {@link LedgerBroken} when `relative` = |residual| / scale is above {@link LEDGER_TOLERANCE}
 * or not a number. `what` names the ledger ("the book", "venue cex", "protocol aave", "asset ETH's
 * units"), `residual` is the absolute figure, in `unit`.
 */
export function checkLedger(what: string, tick: number, residual: number, relative: number, unit = 'quote'): void {
  if (relative <= LEDGER_TOLERANCE) return;
  throw new LedgerBroken(
    `${what}: ledger broken at tick ${tick}: residual ${residual} ${unit}, ${relative} relative (allowed: at most ${LEDGER_TOLERANCE}); `
    + `${unit === 'units' ? 'units were' : 'money was'} made or lost outside fills, transfers, deposits and withdrawals (a module writing account columns directly?)`,
  );
}

/**
 * The relative residual a tick's ledger is judged by: |residual| / max(deposits, |equity|,
 * |housePnl|), the traders' deposits (as `relativeResidual` reports it) or, when larger, the money
 * in play: a market that runs away multiplies the traders' equity and the house's PnL, and their
 * rounding with them (bench-3assets at a million accounts, before its books were deepened: equity
 * 1.7e14 on traders' deposits of 6.3e9 at tick 353, a residual of 6.3 quote: 1.0e-9 of the deposits,
 * 3.7e-14 of the equity). The
 * house's own collateral stays out, or it would dilute any error to nothing.
 */
export function judgedResidual(s: TickSummary): number {
  const inPlay = Math.max(Math.abs(s.equity), Math.abs(s.housePnl));
  return inPlay > 0 ? Math.min(s.relativeResidual, Math.abs(s.residual) / inPlay) : s.relativeResidual;
}

/** Tick summary `s` after {@link checkLedger} of its ledger (`what` names it; {@link judgedResidual}), for a world's summarize step. */
export function checkedSummary(what: string, s: TickSummary): TickSummary {
  checkLedger(what, s.tick, s.residual, judgedResidual(s));
  return s;
}
