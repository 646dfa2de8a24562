/**
 * The maintenance-margin scan over the account columns: the bare-kernel baseline of the
 * benchmarks (the simulation itself finds liquidations through the liquidation-price index).
 */
import { LINES_OFFSET, MAX_LINES, type Accounts } from './accounts';
import type { TierTable } from './margin';

/**
 * Counts open positions whose equity at `mark` is below maintenance margin under `t`, writing
 * their ids, ascending, into `out` (if given). O(N), by the scan kernel of wasm/kernels.wat: MM
 * is taken as the largest tier line (convex in notional), which can differ from the bracket
 * lookup by an ulp; `Exchange.isBelowMaintenance` stays the authority.
 */
export function scanBelowMaintenance(a: Accounts, mark: number, t: TierTable, out?: Int32Array): number {
  if (a.markets !== 1) throw new Error('scanBelowMaintenance: one market per account only');
  if (t.n > MAX_LINES) throw new RangeError(`scanBelowMaintenance: at most ${MAX_LINES} tiers`);
  // Each line as an f64x2 of mmr then one of cum, as the kernel reads them; at least three lines
  // (a shorter table repeats its last, which leaves the maximum unchanged).
  const nl = Math.max(3, t.n);
  const lines = new Float64Array(a.heap, LINES_OFFSET, 4 * nl);
  for (let b = 0; b < nl; b++) {
    const j = Math.min(b, t.n - 1);
    lines.set([t.mmr[j]!, t.mmr[j]!, t.cum[j]!, t.cum[j]!], 4 * b);
  }
  const deep = t.n > 3 ? t.floor[3]! : Infinity;
  const k = a.kernels.scan(a.ptr.size, a.ptr.entry, a.ptr.collateral, a.kernelCount, mark, LINES_OFFSET, nl, deep, out ? a.ptr.ids : 0);
  if (out) out.set(new Int32Array(a.heap, a.ptr.ids, k));
  return k;
}
