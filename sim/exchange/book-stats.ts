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
  // only a share of its one wallet, so its ratio here means nothing (its usage is the venue's). The
  // kernel takes those terms out range by range, one account at a time in id order as a JavaScript
  // loop did (every bit of the result kept), at a fraction of that loop's cost.
  const ranges = ex.shared?.managedRanges;
  if (ranges) {
    const count = new Float64Array(a.heap, 56, 1);
    for (let k = 0; k < ranges.length; k += 2) {
      levSum = a.kernels.unbook(a.ptr.size, a.ptr.entry, a.ptr.collateral, ranges[k]!, ranges[k + 1]!, mark, levSum);
      levN -= count[0]!;
    }
  }
  const oi = 0.5 * r[1]!;
  ex.openInterestNotional = oi * mark;
  return {
    equity: r[0]! - eb, housePnl: eb, openInterest: oi, positions: r[3]! - +(qb !== 0), activeAccounts: a.activeCount,
    avgLeverage: levN > 0 ? (levSum * mark) / levN : 0, nearLiq5: r[5]! - +(db <= h5), nearLiq10: r[6]! - +(db <= h10),
  };
}
