/** Number formats shared by the terminal and the HTML report, so both show the same figure. */

/**
 * Money (quote): to the unit with thousands separators, two decimals under 1,000; what rounds to
 * zero at that precision (rounding dust such as 1.7e-11 of bad debt) shows as 0. Display only: the
 * data files keep the exact value. @example money(2807970.6) // "2,807,971"; money(12.345) // "12.35"
 */
export function money(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  const small = Math.abs(x) < 1000;
  const s = x.toLocaleString('en-US', { minimumFractionDigits: small ? 2 : 0, maximumFractionDigits: small ? 2 : 0 });
  return /^-?0(\.0+)?$/.test(s) ? '0' : s;
}
