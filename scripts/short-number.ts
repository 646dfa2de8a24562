/** The README tables' number style, shared by the table scripts. */

/**
 * A number in engineering style: 1.23B, 1.2M (`millionDigits` decimals), 45k, 123, 0.0123 (3
 * significant digits); 'n/a' for null or a non-finite value; with `plainZero`, 0 as '0' (else '0.00').
 */
export function short(x: number | null | undefined, millionDigits = 1, plainZero = false): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  const a = Math.abs(x);
  if (a >= 1e9) return `${(x / 1e9).toFixed(2)}B`;
  if (a >= 1e6) return `${(x / 1e6).toFixed(millionDigits)}M`;
  if (a >= 1e4) return `${(x / 1e3).toFixed(0)}k`;
  if (a >= 100) return x.toFixed(0);
  if (a === 0 && plainZero) return '0';
  return x.toPrecision(3);
}
