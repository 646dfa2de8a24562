/**
 * Step 3 of a tick, on funding ticks: every position pays rate × size × price. Longs pay shorts
 * when the rate is positive. Zero-sum, because Σ size = 0 over every account, the backstop included.
 */
import type { Exchange } from './exchange';

/** Settles funding at `rate` on every position at `price`; returns what the paying side paid. */
export function settleFunding(ex: Exchange, rate: number, price: number): number {
  const a = ex.accounts;
  let paid = 0;
  for (let i = 0; i < a.count; i++) {
    const q = a.size[i]!;
    if (q === 0) continue;
    const pay = rate * q * price;
    a.collateral[i] -= pay;
    if (pay > 0) paid += pay;
  }
  // Every wallet moved, so every liquidation price did.
  ex.reindexAll();
  return paid;
}
