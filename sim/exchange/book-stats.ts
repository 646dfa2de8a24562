/**
 * The per-tick pass over the whole book: the ledger's Σ equity (from the accounts' actual state,
 * never kept incrementally), open interest, leverage and near-liquidation counts.
 */
import type { Exchange } from './exchange';

/** Per-tick figures from the pass over all accounts. */
export interface BookStats {
  /** Σ equity of every account but the house (quote). */
  equity: number;
  /** The house (backstop) account's PnL: the equity of its column, which starts at 0 (quote). */
  housePnl: number;
  openInterest: number;
  positions: number;
  activeAccounts: number;
  avgLeverage: number;
  nearLiq5: number;
  nearLiq10: number;
}

/**
 * One pass over every account at `mark`, by the book kernel (wasm/kernels.wat): at a million
 * accounts this pass runs every tick, and in JavaScript it cost ~12 ns an account.
 */
export function bookStats(ex: Exchange, mark: number): BookStats {
  const a = ex.accounts;
  const h5 = 0.05 * mark, h10 = 0.1 * mark;
  a.kernels.book(a.ptr.size, a.ptr.entry, a.ptr.collateral, a.ptr.liqPrice, a.kernelCount, mark, h5, h10);
  const r = ex.bookResults;
  // The pass counts every account; the backstop counts in equity and open interest only.
  const b = ex.backstop;
  const qb = a.size[b]!, eb = a.equity(b, mark), db = Math.abs(a.liqPrice[b]! - mark);
  const levB = +(eb > 0) & +(qb !== 0);
  let levN = r[4]! - levB;
  let levSum = r[2]! - (levB ? Math.abs(qb) / eb : 0);
  // Leverage is of isolated positions: a cross or portfolio account's collateral in this market is
  // only a share of its one wallet, so its ratio here means nothing (its usage is the venue's).
  for (const i of ex.shared?.managedAccounts ?? []) {
    const q = a.size[i]!;
    if (q === 0) continue;
    const e = a.equity(i, mark);
    if (e > 0) {
      levN--;
      levSum -= Math.abs(q) / e;
    }
  }
  const oi = 0.5 * r[1]!;
  ex.openInterestNotional = oi * mark;
  return {
    equity: r[0]! - eb, housePnl: eb, openInterest: oi, positions: r[3]! - +(qb !== 0), activeAccounts: a.activeCount,
    avgLeverage: levN > 0 ? (levSum * mark) / levN : 0, nearLiq5: r[5]! - +(db <= h5), nearLiq10: r[6]! - +(db <= h10),
  };
}
