import { describe, expect, it } from 'vitest';
import {
  bankruptcyPrice, bracketOf, bybitIsolatedLiquidationPrice, compileTiers, deriveCum, isolatedLiquidationPrice,
  liquidationPrice, maintenanceMargin, maxNotionalForEquity, initialMargin, TierError, type Tier,
} from '../../sim/exchange/margin';
import { PRESETS } from '../../sim/exchange/policies/presets';

const binanceBtc = PRESETS['binance-btcusdt']!.tiers;

describe('maintenance margin by bracket', () => {
  it('reproduces the reference example: 250,000 × (1% − 0.5%) + 50 = 1,300', () => {
    const derived = deriveCum(binanceBtc.map(({ cum: _c, ...t }) => t));
    expect(derived[2]!.cum).toBeCloseTo(1300, 9);
  });

  it('is continuous across every bracket boundary of every preset', () => {
    for (const [name, p] of Object.entries(PRESETS)) {
      const t = compileTiers(p.tiers);
      for (let b = 1; b < t.n; b++) {
        const edge = t.floor[b]!;
        const below = edge * t.mmr[b - 1]! - t.cum[b - 1]!;
        const above = edge * t.mmr[b]! - t.cum[b]!;
        expect(Math.abs(above - below), `${name} bracket ${b + 1}`).toBeLessThan(1e-6 * Math.max(1, below));
      }
    }
  });

  it('computes MM = notional × MMR − cum in the bracket the notional falls in', () => {
    const t = compileTiers(binanceBtc);
    expect(bracketOf(10_000, t)).toBe(0);
    expect(maintenanceMargin(10_000, t)).toBeCloseTo(40, 9);
    expect(bracketOf(1_000_000, t)).toBe(2);
    expect(maintenanceMargin(1_000_000, t)).toBeCloseTo(1_000_000 * 0.01 - 1300, 6);
    expect(initialMargin(1_000_000, t)).toBeCloseTo(20_000, 9);
  });
});

describe('every preset reproduces its published cum / deduction', () => {
  for (const [name, p] of Object.entries(PRESETS)) {
    it(name, () => {
      const derived = deriveCum(p.tiers.map(({ cum: _c, ...t }) => t));
      const compiled = compileTiers(p.tiers);
      p.tiers.forEach((tier, k) => {
        // Published values are rounded to whole units; the derivation must agree to within 1.
        if (tier.cum !== undefined) expect(Math.abs(derived[k]!.cum - tier.cum), `${name} bracket ${k + 1}`).toBeLessThanOrEqual(1);
        expect(compiled.cum[k]).toBeCloseTo(tier.cum ?? derived[k]!.cum, 6);
      });
    });
  }

  it('hyperliquid MMR is half the IMR at max leverage, deductions derived', () => {
    const t = compileTiers(PRESETS['hyperliquid-btc']!.tiers);
    expect(t.mmr[0]).toBeCloseTo(0.0125, 12); // 40x → IMR 2.5% → MMR 1.25%
    expect(t.mmr[1]).toBeCloseTo(0.025, 12);
    expect(t.cum[1]).toBeCloseTo(150_000_000 * 0.0125, 3);
    const e = compileTiers(PRESETS['hyperliquid-eth']!.tiers);
    expect(e.mmr[0]).toBeCloseTo(0.02, 12);
    expect(e.cum[1]).toBeCloseTo(100_000_000 * (0.5 / 15 - 0.02), 3);
  });

  it('dydx large-cap is 20x with 3% maintenance (60% of a 5% IMF)', () => {
    const t = compileTiers(PRESETS['dydx-large-cap']!.tiers);
    expect(t.maxLeverage[0]).toBe(20);
    expect(t.mmr[0]).toBeCloseTo(0.03, 12);
  });
});

describe('liquidation prices', () => {
  it('Bybit worked example: long 1 BTC at 20,000, 50x, MMR 0.5% → 19,700', () => {
    expect(bybitIsolatedLiquidationPrice({ side: 'long', size: 1, entryPrice: 20_000, leverage: 50, mmr: 0.005 })).toBeCloseTo(19_700, 9);
    expect(bybitIsolatedLiquidationPrice({ side: 'short', size: 1, entryPrice: 20_000, leverage: 50, mmr: 0.005 })).toBeCloseTo(20_300, 9);
    expect(bybitIsolatedLiquidationPrice({ side: 'long', size: 1, entryPrice: 20_000, leverage: 50, mmr: 0.005, extraMargin: 100 })).toBeCloseTo(19_600, 9);
  });

  it('bankruptcy price is where the wallet is used up', () => {
    expect(bankruptcyPrice('long', 1, 20_000, 400)).toBe(19_600);
    expect(bankruptcyPrice('short', 2, 20_000, 400)).toBe(20_200);
  });

  it('Binance isolated LP: the same 50x long, MM at the liquidation price', () => {
    const tiers: Tier[] = [{ floor: 0, cap: Infinity, maxLeverage: 50, mmr: 0.005 }];
    const lp = isolatedLiquidationPrice({ side: 'long', size: 1, entryPrice: 20_000, walletBalance: 400, tiers });
    // (400 − 20,000) / (0.005 − 1) = 19,698.49…: slightly below Bybit's because MM is taken at LP, not at entry.
    expect(lp).toBeCloseTo(19_600 / 0.995, 6);
    const slp = isolatedLiquidationPrice({ side: 'short', size: 1, entryPrice: 20_000, walletBalance: 400, tiers });
    expect(slp).toBeCloseTo(20_400 / 1.005, 6);
  });

  it('equity at the liquidation price equals maintenance margin there, for every preset and many books', () => {
    for (const [name, p] of Object.entries(PRESETS)) {
      const t = compileTiers(p.tiers);
      for (const entry of [1_000, 20_000, 65_000]) {
        for (const notional of [5_000, 80_000, 900_000, 7_000_000, 45_000_000]) {
          for (const side of [1, -1]) {
            const q = notional / entry;
            const lev = Math.min(t.maxLeverage[bracketOf(notional, t)]!, 30);
            const wallet = notional / lev;
            const lp = liquidationPrice(side * q, entry, wallet, t)!;
            const eq = wallet + side * q * (lp - entry);
            const mm = maintenanceMargin(q * lp, t);
            expect(Math.abs(eq - mm), `${name} ${side > 0 ? 'long' : 'short'} ${notional}@${entry}`).toBeLessThan(1e-6 * notional);
          }
        }
      }
    }
  });

  it('finds the liquidation price of a long in a lower bracket than its entry bracket (issue 10, defect 1)', () => {
    const t = compileTiers(binanceBtc);
    // 20,000 BTC at 20,000 (400M notional, bracket 10) on a 300M wallet: the bracket-10 line gives a
    // price ≤ 0, yet equity meets MM at ≈ 5,425.9, where the notional (≈108.5M) is in bracket 7.
    const lp1 = liquidationPrice(20_000, 20_000, 300e6, t)!;
    expect(lp1).toBeCloseTo((300e6 + 5_046_300 - 20_000 * 20_000) / (20_000 * 0.125 - 20_000), 6);
    expect(lp1).toBeCloseTo(5_425.9, 1);
    // 50 BTC at 20,000 on a 999,000 wallet: ≈ 20.08, in bracket 1.
    const lp2 = liquidationPrice(50, 20_000, 999_000, t)!;
    expect(lp2).toBeCloseTo((999_000 - 50 * 20_000) / (50 * 0.004 - 50), 9);
    expect(lp2).toBeCloseTo(20.08, 2);
  });

  it('returns null for a long that no positive price liquidates (wallet ≥ entry notional)', () => {
    const t = compileTiers(binanceBtc);
    expect(liquidationPrice(50, 20_000, 1_000_000, t)).toBeNull();
    expect(liquidationPrice(1, 20_000, 30_000, t)).toBeNull();
    // A 1x long.
    expect(isolatedLiquidationPrice({ side: 'long', size: 1, entryPrice: 100, walletBalance: 100, tiers: binanceBtc })).toBeNull();
  });

  it('re-brackets at the liquidation price: a short whose notional grows into a higher bracket', () => {
    // Short 240,000 notional of BTC at 20,000 with 10x: at entry it sits in bracket 2 (0.5%), but its
    // liquidation price lifts the notional past 250,000 into bracket 3 (1%, cum 1,300).
    const tiers = binanceBtc;
    const q = 12;
    const lp = isolatedLiquidationPrice({ side: 'short', size: q, entryPrice: 20_000, walletBalance: 24_000, tiers })!;
    const t = compileTiers(tiers);
    expect(bracketOf(q * 20_000, t)).toBe(1);
    expect(bracketOf(q * lp, t)).toBe(2);
    expect(lp).toBeCloseTo((24_000 + 1_300 + q * 20_000) / (q * 0.01 + q), 6);
  });

});

describe('initial margin rule', () => {
  it('max notional for equity walks the brackets', () => {
    const t = compileTiers(binanceBtc);
    expect(maxNotionalForEquity(100, t)).toBeCloseTo(12_500, 6); // 125x in bracket 1
    expect(maxNotionalForEquity(1_000, t)).toBeCloseTo(100_000, 6); // 100x in bracket 2
    expect(maxNotionalForEquity(10_000, t)).toBeCloseTo(500_000, 6); // 50x in bracket 3
    expect(maxNotionalForEquity(0, t)).toBe(0);
  });

  it('rejects malformed tier tables', () => {
    expect(() => compileTiers([])).toThrow(/at least one/);
    expect(() => compileTiers([{ floor: 10, cap: 20, maxLeverage: 5, mmr: 0.01 }])).toThrow(/starts at notional 0/);
    expect(() => compileTiers([{ floor: 0, cap: 20, maxLeverage: 5, mmr: 0.01 }, { floor: 30, cap: 40, maxLeverage: 5, mmr: 0.02 }])).toThrow(/brackets are contiguous/);
  });
});

describe('compileTiers refuses a table that does not hold together (TierError: bracket and field)', () => {
  it('a given cum farther than 1 from the derived one: maintenance would jump at a floor, or fall below 0 (review finding)', () => {
    // cum 5,000 at 1% in the first bracket: MM = notional × 1% − 5,000 < 0 up to 500,000 of notional.
    const bad = () => compileTiers([{ floor: 0, cap: 1e6, maxLeverage: 50, mmr: 0.01, cum: 5000 }]);
    expect(bad).toThrow(TierError);
    expect(bad).toThrow(/bracket 1 cum: found 5000; allowed: 0 ± 1/);
    // A published deduction rounded to a whole unit is kept as published.
    expect(compileTiers([{ floor: 0, cap: 5e4, maxLeverage: 125, mmr: 0.004 }, { floor: 5e4, cap: 25e4, maxLeverage: 100, mmr: 0.005, cum: 50.4 }]).cum[1]).toBe(50.4);
  });

  it('each rule names its bracket and field', () => {
    const at = (tiers: Tier[]) => { try { compileTiers(tiers); } catch (e) { return e instanceof TierError ? [e.bracket, e.field] : String(e); } return null; };
    expect(at([{ floor: 0, cap: 1e5, maxLeverage: 50, mmr: 0.01 }, { floor: 2e5, cap: 1e6, maxLeverage: 20, mmr: 0.025 }])).toEqual([1, 'floor']);
    expect(at([{ floor: 0, cap: 1e5, maxLeverage: 50, mmr: 0.01 }, { floor: 1e5, cap: 1e6, maxLeverage: 20, mmr: 0.005 }])).toEqual([1, 'mmr']);
    expect(at([{ floor: 10, cap: 1e5, maxLeverage: 50, mmr: 0.01 }])).toEqual([0, 'floor']);
  });
});
