/**
 * Liquidation prices over random books on every preset (issue 10, defect 1): at the returned price
 * equity meets maintenance margin; where none is returned, no positive price liquidates.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileTiers, liquidationPrice, maintenanceMargin, type TierTable } from '../../sim/exchange/margin';
import { PRESETS } from '../../sim/exchange/policies/presets';

const tables: [string, TierTable][] = Object.entries(PRESETS).map(([name, p]) => [name, compileTiers(p.tiers)]);

/** Equity − MM of an isolated position of signed size `size` at `price`. */
function slack(size: number, entry: number, wallet: number, price: number, t: TierTable): number {
  return wallet + size * (price - entry) - maintenanceMargin(Math.abs(size) * price, t);
}

const bookArb = fc.record({
  table: fc.integer({ min: 0, max: tables.length - 1 }),
  side: fc.constantFrom(1, -1),
  entry: fc.double({ min: 1, max: 200_000, noNaN: true }),
  // Notional from 10 to 1e9 (every bracket of every preset), wallet from 0.1% to 150% of it.
  logNotional: fc.double({ min: 1, max: 9, noNaN: true }),
  walletShare: fc.double({ min: 0.001, max: 1.5, noNaN: true }),
});

describe('liquidationPrice over random books and every preset', () => {
  it('solves equity = MM to 1e-9 of the wallet, or returns null only when no positive price liquidates', () => {
    fc.assert(fc.property(bookArb, ({ table, side, entry, logNotional, walletShare }) => {
      const [name, t] = tables[table]!;
      const notional = 10 ** logNotional;
      const q = notional / entry;
      const wallet = notional * walletShare;
      const lp = liquidationPrice(side * q, entry, wallet, t);
      const what = `${name} ${side > 0 ? 'long' : 'short'} q=${q} entry=${entry} wallet=${wallet} → ${lp}`;
      if (lp !== null) {
        expect(lp > 0 && Number.isFinite(lp), what).toBe(true);
        expect(Math.abs(slack(side * q, entry, wallet, lp, t)), what).toBeLessThanOrEqual(1e-9 * wallet);
        return;
      }
      // No liquidating price: equity stays above MM at every price of a dense grid up to 10× entry,
      // and just either side of every bracket edge.
      expect(side, what).toBe(1);
      const prices: number[] = [];
      for (let k = 1; k <= 2_000; k++) prices.push((entry * 10 * k) / 2_000);
      for (let b = 1; b < t.n; b++) {
        const p = t.floor[b]! / q;
        prices.push(p * (1 - 1e-12), p, p * (1 + 1e-12));
      }
      for (const p of prices) expect(slack(side * q, entry, wallet, p, t), `${what} at ${p}`).toBeGreaterThan(0);
    }), { numRuns: 3_000, seed: 20261202 });
  });
});
