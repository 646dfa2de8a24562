/**
 * Hot-path kernels over the account columns: top-level functions, no closures, no allocation.
 */
import type { TierTable } from './margin';

/** Deep brackets (notional beyond the third bracket), rare enough to take the branch. */
function deepMaintenance(notional: number, t: TierTable): number {
  let b = 3;
  while (b < t.n - 1 && notional >= t.cap[b]!) b++;
  return notional * t.mmr[b]! - t.cum[b]!;
}

/**
 * Counts positions whose equity at `mark` is below maintenance margin under `t`, writing their ids
 * into `out` (if given). The O(N) maintenance scan: the bare-kernel baseline of the benchmarks.
 *
 * Why it is written this way: MM is convex in notional (MMRs rise), so within the first three
 * brackets MM = max of their lines, taken as (a + b + |a − b|) / 2. That max has no branch: with a
 * bracket lookup or `Math.max`, a book where positions straddle 50,000 of notional ran at ~60–90
 * million checks a second; branch-free it runs at ~220 million (bench/kernels.ts). The arithmetic
 * max can differ from the exact one by an ulp; `Exchange.isBelowMaintenance` stays the authority.
 */
export function scanBelowMaintenance(
  size: Float64Array, entry: Float64Array, collateral: Float64Array, n: number, mark: number, t: TierTable, out?: Int32Array,
): number {
  let k = 0;
  const m0 = t.mmr[0]!;
  const m1 = t.n > 1 ? t.mmr[1]! : m0, k1 = t.n > 1 ? t.cum[1]! : 0;
  const m2 = t.n > 2 ? t.mmr[2]! : m1, k2 = t.n > 2 ? t.cum[2]! : k1;
  const deep = t.n > 3 ? t.cap[2]! : Infinity;
  for (let i = 0; i < n; i++) {
    const q = size[i]!;
    const notional = Math.abs(q) * mark;
    const eq = collateral[i]! + q * (mark - entry[i]!);
    const a = notional * m0, b = notional * m1 - k1, c = notional * m2 - k2;
    const ab = 0.5 * (a + b + Math.abs(a - b));
    let mm = 0.5 * (ab + c + Math.abs(ab - c));
    if (notional >= deep) mm = deepMaintenance(notional, t);
    // q ≠ 0: a flat account is no position, whatever its collateral.
    const below = +(eq < mm) & +(q !== 0);
    if (out && below) out[k] = i;
    k += below;
  }
  return k;
}
