/** Number formats shared by the terminal and the HTML report, so both show the same figure. */
import type { RunSummary } from '../sim/metrics/summary';

/**
 * Rounding dust of a run: money below 1e-9 of what the traders deposited (deposits without the
 * house's collateral, which is its final equity less its PnL, and without the insurance fund's seed).
 */
export function dustOf(s: RunSummary): number {
  return 1e-9 * (s.ledger.deposits - (s.ledger.houseEquity - s.house.pnl) - s.insuranceFund.start);
}

/**
 * Money (quote): to the unit with thousands separators, two decimals under 1,000; rounding dust
 * (below `dust`, see {@link dustOf}, or what rounds to zero at that precision, such as 1.7e-11 of bad
 * debt) shows as 0. Display only: the data files keep the exact value.
 * @example money(2807970.6) // "2,807,971"; money(12.345) // "12.35"; money(0.04, 0.05) // "0"
 */
export function money(x: number | null | undefined, dust = 0): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  if (Math.abs(x) < dust) return '0';
  const small = Math.abs(x) < 1000;
  const s = x.toLocaleString('en-US', { minimumFractionDigits: small ? 2 : 0, maximumFractionDigits: small ? 2 : 0 });
  return /^-?0(\.0+)?$/.test(s) ? '0' : s;
}
