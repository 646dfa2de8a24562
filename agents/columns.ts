/** Small helpers over parameter columns. */

/** Largest value of a column (−Infinity when empty); a loop, since spreading a million values overflows the stack. */
export function maxOf(col: ArrayLike<number>): number {
  let m = -Infinity;
  for (let k = 0; k < col.length; k++) if (col[k]! > m) m = col[k]!;
  return m;
}

/** Mean of a column (0 when empty). */
export function meanOf(col: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < col.length; k++) s += col[k]!;
  return col.length > 0 ? s / col.length : 0;
}
