import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crossLiquidationPrices, crossMargin, type CrossAccount, type CrossPosition } from '../../sim/exchange/margin/cross';
import { PRESETS } from '../../sim/exchange/policies/presets';
import type { Side, Tier } from '../../sim/exchange/margin';

const binanceBtc = PRESETS['binance-btcusdt']!.tiers;
const flat = (mmr: number): Tier[] => [{ floor: 0, cap: Infinity, maxLeverage: 100, mmr }];

/** equity − Σ MM of the account with position k's mark moved to `price`, the others held. */
function surplusAt(a: CrossAccount, k: number, price: number): number {
  const m = crossMargin({ ...a, positions: a.positions.map((p, i) => (i === k ? { ...p, markPrice: price } : p)) });
  return m.equity - m.maintenanceMargin;
}

describe('cross margin: the reference worked examples', () => {
  it('Binance: WB 10.72, short 0.005 BTC at 9,451.53, MMR 0.4%, TMM_other 1.3, UPNL_other 0.47 → LP ≈ 11,383.99', () => {
    // The other position: 1 ETH long at 259.53 marked at 260 in a flat 0.5% table: MM 1.3, UPNL 0.47.
    const account: CrossAccount = {
      walletBalance: 10.72,
      positions: [
        { symbol: 'BTCUSDT', side: 'short', size: 0.005, entryPrice: 9451.53, markPrice: 9451.53, tiers: binanceBtc },
        { symbol: 'ETHUSDT', side: 'long', size: 1, entryPrice: 259.53, markPrice: 260, tiers: flat(0.005) },
      ],
    };
    const [btc] = crossLiquidationPrices(account);
    // (10.72 − 1.3 + 0.47 + 0 + 0.005 × 9,451.53) / (0.005 × 0.004 + 0.005)
    expect(btc).toBeCloseTo(57.14765 / 0.00502, 8);
    expect(btc).toBeCloseTo(11383.99, 2);
    expect(surplusAt(account, 0, btc!)).toBeCloseTo(0, 10);
  });

  it('one unit long at 100, equity 5, MMR 0.4%, the others\' MM 4: P = 99/0.996, not the 95/0.996 of forgetting it', () => {
    const account: CrossAccount = {
      walletBalance: 5,
      positions: [
        { symbol: 'A', side: 'long', size: 1, entryPrice: 100, markPrice: 100, tiers: flat(0.004) },
        { symbol: 'B', side: 'long', size: 8, entryPrice: 100, markPrice: 100, tiers: flat(0.005) }, // MM 4, UPNL 0
      ],
    };
    const [a] = crossLiquidationPrices(account);
    expect(a).toBeCloseTo(99 / 0.996, 10);
    expect(a).not.toBeCloseTo(95 / 0.996, 1);
  });

  it('dYdX: e 1,000, s −3 at 3,000, MMF 0.05 → p\' = 10,000 / 3.15 = 3,174.60', () => {
    const [p] = crossLiquidationPrices({
      walletBalance: 1000,
      positions: [{ symbol: 'ETH-USD', side: 'short', size: 3, entryPrice: 3000, markPrice: 3000, tiers: flat(0.05) }],
    });
    expect(p).toBeCloseTo(10_000 / 3.15, 9);
  });
});

describe('cross margin state', () => {
  it('sums each position\'s tier MM against one wallet and its total UPNL', () => {
    const account: CrossAccount = {
      walletBalance: 1_000,
      positions: [
        { symbol: 'BTCUSDT', side: 'long', size: 10, entryPrice: 100_000, markPrice: 99_000, tiers: binanceBtc }, // 990,000 → MM 9,900 − 1,300
        { symbol: 'ETHUSDT', side: 'short', size: 2, entryPrice: 3_000, markPrice: 2_900, tiers: flat(0.005) }, // MM 29
      ],
    };
    const m = crossMargin(account);
    expect(m.equity).toBeCloseTo(1_000 - 10_000 + 200, 9);
    expect(m.maintenanceMargin).toBeCloseTo(8_600 + 29, 9);
    expect(m.liquidatable).toBe(true);
    expect(crossMargin({ ...account, walletBalance: 20_000 }).liquidatable).toBe(false);
  });

  it('rejects what it cannot price, naming the symbol', () => {
    const p: CrossPosition = { symbol: 'X', side: 'long', size: 1, entryPrice: 1, markPrice: 1, tiers: flat(0.01) };
    expect(() => crossLiquidationPrices({ walletBalance: 1, positions: [p, p] })).toThrow('X: two positions in one symbol');
    expect(() => crossMargin({ walletBalance: 1, positions: [{ ...p, markPrice: 0 }] })).toThrow('X: markPrice must be a finite price > 0, got 0');
    expect(() => crossMargin({ walletBalance: 1, positions: [{ ...p, entryPrice: NaN }] })).toThrow('X: entryPrice');
    expect(() => crossMargin({ walletBalance: NaN, positions: [p] })).toThrow('walletBalance');
    expect(crossLiquidationPrices({ walletBalance: 1, positions: [{ ...p, size: 0 }] })).toEqual([null]);
  });
});

describe('the bracket at the liquidation price', () => {
  it('tries the lower brackets: 10 BTC long at 100,000 with 999,000 of wallet liquidates at 1,000 / 9.96, not 0', () => {
    // In the entry bracket (MMR 1%, cum 1,300) the formula gives (999,000 + 1,300 − 1,000,000) / (10 × (0.01 − 1)) < 0,
    // where a bracket iteration from the entry stops. At 100.4 the notional (1,004) is in the first
    // bracket (MMR 0.4%, cum 0), where the formula is positive.
    const account: CrossAccount = { walletBalance: 999_000, positions: [{ symbol: 'BTCUSDT', side: 'long', size: 10, entryPrice: 100_000, markPrice: 100_000, tiers: binanceBtc }] };
    const [lp] = crossLiquidationPrices(account);
    expect(lp).toBeCloseTo(1_000 / 9.96, 9);
    expect(surplusAt(account, 0, lp!)).toBeCloseTo(0, 8);
  });

});

// Random tier tables with derived cum (so MM is continuous): 1 to 5 brackets, rising MMRs; or a
// preset, its published cum included.
const tiersArb: fc.Arbitrary<Tier[]> = fc
  .array(fc.record({ width: fc.double({ min: 1e3, max: 1e6, noNaN: true }), mmr: fc.double({ min: 0.001, max: 0.3, noNaN: true }) }), { minLength: 1, maxLength: 5 })
  .map((rows) => {
    const mmrs = rows.map((r) => r.mmr).sort((a, b) => a - b);
    let floor = 0;
    return rows.map((r, i) => {
      const t: Tier = { floor, cap: i === rows.length - 1 ? Infinity : floor + r.width, maxLeverage: 1 / (2 * mmrs[i]!), mmr: mmrs[i]! };
      floor += r.width;
      return t;
    });
  });

const positionArb = fc.record({
  side: fc.constantFrom<Side>('long', 'short'),
  notional: fc.double({ min: 100, max: 2e6, noNaN: true }),
  entryPrice: fc.double({ min: 1, max: 1e5, noNaN: true }),
  markMove: fc.double({ min: -0.3, max: 0.3, noNaN: true }),
  tiers: fc.oneof(tiersArb, fc.constantFrom(...Object.values(PRESETS).map((p) => p.tiers))),
});

const accountArb: fc.Arbitrary<CrossAccount> = fc
  .record({ positions: fc.array(positionArb, { minLength: 1, maxLength: 4 }), leverage: fc.double({ min: 0.3, max: 60, noNaN: true }) })
  .map(({ positions, leverage }) => ({
    walletBalance: positions.reduce((s, p) => s + p.notional, 0) / leverage,
    positions: positions.map((p, i) => ({
      symbol: `S${i}`, side: p.side, size: p.notional / p.entryPrice, entryPrice: p.entryPrice, markPrice: p.entryPrice * (1 + p.markMove), tiers: p.tiers,
    })),
  }));

describe('cross liquidation prices (property)', () => {
  it('equity − Σ MM = 0 at each returned price; null and 0 hold on a price grid', () => {
    const seen = { positive: 0, never: 0, always: 0 };
    fc.assert(
      fc.property(accountArb, (account) => {
        const lps = crossLiquidationPrices(account);
        const tol = 1e-9 * Math.abs(account.walletBalance);
        lps.forEach((lp, k) => {
          const p = account.positions[k]!;
          const grid = Array.from({ length: 80 }, (_, g) => p.markPrice * 1e-4 * Math.pow(1e6, g / 79)); // 1e-4 to 100 × mark
          if (lp === null) {
            seen.never++;
            expect(p.side).toBe('long');
            for (const price of grid) expect(surplusAt(account, k, price)).toBeGreaterThanOrEqual(-tol);
          } else if (lp === 0) {
            seen.always++;
            expect(p.side).toBe('short');
            for (const price of grid) expect(surplusAt(account, k, price)).toBeLessThanOrEqual(tol);
          } else {
            seen.positive++;
            expect(Math.abs(surplusAt(account, k, lp))).toBeLessThanOrEqual(tol);
            // Liquidated on one side only: below the LP for a long, above it for a short.
            const s = p.side === 'long' ? 1 : -1;
            for (const price of grid) {
              if (Math.abs(price - lp) < 1e-9 * lp) continue;
              const f = surplusAt(account, k, price);
              if (s * (price - lp) > 0) expect(f).toBeGreaterThanOrEqual(-tol);
              else expect(f).toBeLessThanOrEqual(tol);
            }
          }
        });
      }),
      { numRuns: 300, seed: 1212 },
    );
    expect(Math.min(seen.positive, seen.never, seen.always), JSON.stringify(seen)).toBeGreaterThan(5);
  });

  it('agrees with Hyperliquid\'s form liq = price − side × margin_available / |size| / (1 − l × side) in flat tables', () => {
    const flatAccount = accountArb.chain((a) =>
      fc.array(fc.double({ min: 0.002, max: 0.2, noNaN: true }), { minLength: a.positions.length, maxLength: a.positions.length }).map((mmrs) => ({
        ...a, positions: a.positions.map((p, i) => ({ ...p, tiers: flat(mmrs[i]!) })),
      })),
    );
    fc.assert(
      fc.property(flatAccount, (account) => {
        const { equity, maintenanceMargin } = crossMargin(account);
        crossLiquidationPrices(account).forEach((lp, k) => {
          const p = account.positions[k]!;
          const s = p.side === 'long' ? 1 : -1;
          const l = p.tiers[0]!.mmr;
          const hl = p.markPrice - (s * (equity - maintenanceMargin)) / p.size / (1 - l * s);
          // Two forms of one price agree to rounding, relative to the terms they sum (an absolute 5e-7
          // fails on a 3e9 price two ulps apart).
          if (hl > 0) expect(Math.abs(lp! - hl)).toBeLessThanOrEqual(1e-12 * (p.markPrice + Math.abs(hl - p.markPrice)));
          else expect(lp).toBe(s > 0 ? null : 0);
        });
      }),
      { numRuns: 300, seed: 1213 },
    );
  });
});
