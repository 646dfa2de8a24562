/**
 * Kernel benchmarks: the maintenance-margin scan, and one cascade round through the
 * liquidation-price index against the same round by full rescan.
 *
 * Run: npm run bench -- --only kernels
 */
import { FixedPolicy } from '../sim/exchange/policies/fixed';
import { TieredPolicy } from '../sim/exchange/policies/tiered';
import { PRESETS } from '../sim/exchange/policies/presets';
import { scanBelowMaintenance } from '../sim/exchange/kernels';
import { syntheticBook } from './book';
import { median, settle, timeIt } from './timing';

/** Figures of the maintenance scan at one size. */
export interface ScanFigure { accounts: number; checksPerSecond: number; msPerScan: number }
/** Figures of one cascade round at one size. */
export interface RoundFigure { accounts: number; liquidated: number; msPerRoundIndex: number; msPerRoundRescan: number }

/** Times the O(N) maintenance scan over a book of `n` accounts under a tiered or a fixed policy. */
export function benchScan(n: number, tiered = true): ScanFigure {
  const policy = tiered ? new TieredPolicy('binance-btcusdt', PRESETS['binance-btcusdt']!.tiers) : new FixedPolicy(50, 0.005);
  const ex = syntheticBook(n, policy, 1e12);
  const a = ex.accounts;
  const t = policy.table(0);
  let sink = 0;
  const reps = Math.max(3, Math.round(2e7 / n));
  settle();
  for (let w = 0; w < 3; w++) sink += scanBelowMaintenance(a, 19_000, t);
  const ms = median(Array.from({ length: 5 }, () => timeIt(() => {
    for (let r = 0; r < reps; r++) sink += scanBelowMaintenance(a, 19_000 + r, t);
  }))) / reps;
  if (sink < 0) console.log(sink);
  return { accounts: n, checksPerSecond: n / (ms / 1e3), msPerScan: ms };
}

/**
 * Times one cascade round that liquidates about `k` accounts, found through the index and by
 * rescan. The shock is chosen from the k-th highest long liquidation price, so k is fixed while N grows.
 */
export function benchRound(n: number, k: number): RoundFigure {
  const time = (useIndex: boolean): { ms: number; liquidated: number } => {
    const runs: number[] = [];
    let liquidated = 0;
    for (let rep = 0; rep < 5; rep++) {
      const ex = syntheticBook(n, new FixedPolicy(50, 0.005), 1e15, 1 + rep);
      ex.params.liquidation.roundCap = 1;
      const lps = Float64Array.from({ length: n }, (_, j) => (ex.accounts.size[j + 1]! > 0 ? ex.accounts.liqPrice[j + 1]! : 0)).sort();
      const target = lps[lps.length - k]!;
      ex.market.mark = target * (1 - 1e-12);
      ex.useIndex = useIndex;
      let count = 0;
      ex.bus.liquidations$.subscribe((b) => (count += b.accounts.length));
      settle();
      runs.push(timeIt(() => ex.liquidate(0)));
      liquidated = count;
    }
    return { ms: median(runs), liquidated };
  };
  const viaIndex = time(true);
  const viaScan = time(false);
  return { accounts: n, liquidated: viaIndex.liquidated, msPerRoundIndex: viaIndex.ms, msPerRoundRescan: viaScan.ms };
}
