/**
 * Synthetic books for the kernel benchmarks: N isolated positions written straight into the
 * columns (no agents), with the backstop holding the other side so the book balances.
 */
import { SimBus } from '../sim/engine/bus';
import { RandomStream } from '../sim/engine/rng';
import { Exchange } from '../sim/exchange/exchange';
import { DEFAULT_EXCHANGE_PARAMS } from '../sim/exchange/params';
import type { LeveragePolicy } from '../sim/exchange/policies/types';
import { Market } from '../sim/market/market';
import { ReplayProcess } from '../sim/market/processes';
import { ShockSchedule } from '../sim/market/shocks';

/** A book of `n` longs (80%) and shorts at 2–50x around 20,000, on a flat market with `depth`. */
export function syntheticBook(n: number, policy: LeveragePolicy, depth: number, seed = 1): Exchange {
  const market = new Market(
    { startPrice: 20_000, liquidity: { depth, impact: 'sqrt', elasticity: 0, referenceVol: 0.001, minDepthFraction: 1 }, spillover: 0, premiumHalfLife: 0, volHalfLife: 30 },
    new ReplayProcess(Float64Array.from([20_000])), new ShockSchedule(),
  );
  const ex = new Exchange(n + 1, { ...DEFAULT_EXCHANGE_PARAMS, deficit: 'none' }, policy, market, new SimBus());
  const a = ex.accounts;
  const first = a.allocate(n);
  const rng = new RandomStream(seed, 'bench/book');
  let net = 0;
  for (let i = first; i < first + n; i++) {
    const lev = 2 + 48 * rng.next();
    const coll = 200 + 5_000 * rng.next();
    const side = rng.next() < 0.8 ? 1 : -1;
    const entry = 20_000 * (1 + 0.02 * (rng.next() - 0.5));
    const q = (side * lev * coll) / entry;
    ex.deposit(i, coll);
    a.size[i] = q;
    a.entry[i] = entry;
    net += q;
  }
  a.size[ex.backstop] = -net;
  a.entry[ex.backstop] = 20_000;
  ex.reindexAll();
  return ex;
}
