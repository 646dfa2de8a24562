import { describe, expect, it } from 'vitest';
import { LendingPool, LiquidationStats, type LendingLiquidationEvent } from '../../sim/protocols/lending';
import { Oracle } from '../../sim/protocols/oracle';
import type { LendingCollateral, LendingParams } from '../../sim/protocols/types';
import { Wallets } from '../../sim/world/wallets';
import { FakeSpot } from '../helpers/spot';

const ETH: LendingCollateral = { asset: 0, ltv: 0.8, liquidationThreshold: 0.825, bonus: 0.05, oracle: { source: { kind: 'index' }, lagTicks: 0 } };
const BTC: LendingCollateral = { asset: 1, ltv: 0.73, liquidationThreshold: 0.78, bonus: 0.05, oracle: { source: { kind: 'index' }, lagTicks: 0 } };

/** Aave v3's close-factor rules over ETH and BTC collateral. */
function aave(over: Partial<LendingParams> = {}): LendingParams {
  return { name: 'aave', collateral: [ETH, BTC], closeFactor: 0.5, fullCloseHealth: 0.95, smallPositionValue: 2000, supply: 10_000_000, sellVenue: 0, ...over };
}

const LIQ = 9;

/** A pool over 10 accounts (account 9 liquidates), ETH at 2,000 and BTC at 60,000, a deep fake spot. */
function setup(over: Partial<LendingParams> = {}, depth = 1e12) {
  const wallets = new Wallets(10, 2);
  const pool = new LendingPool(10, aave(over), wallets);
  const spot = new FakeSpot(wallets, 1, [2000, 60_000], depth);
  const prices = Float64Array.of(2000, 60_000);
  return { wallets, pool, spot, prices };
}

/**
 * Account i deposits `eth` ETH and `btc` BTC (endowed first) and borrows `debt`, at twice the test
 * prices by default (a loan opened before a fall, so that it can be liquidatable at the test prices).
 */
function open(s: ReturnType<typeof setup>, i: number, eth: number, btc: number, debt: number, prices = Float64Array.of(4000, 120_000)): void {
  s.wallets.endow(i, 0, 0, eth);
  s.wallets.endow(i, 0, 1, btc);
  s.pool.deposit(i, 0, eth);
  s.pool.deposit(i, 1, btc);
  expect(s.pool.borrow(i, debt, prices)).toBeCloseTo(debt, 9);
}

describe('lending pool: health factor and account operations', () => {
  it('computes HF = Σ units × price × LT / debt on a worked example (Infinity without debt)', () => {
    const s = setup();
    s.wallets.endow(0, 0, 0, 10);
    s.wallets.endow(0, 0, 1, 1);
    s.pool.deposit(0, 0, 10);
    s.pool.deposit(0, 1, 1);
    expect(s.pool.healthFactor(0, s.prices)).toBe(Infinity);
    // 10 ETH × 2,000 × 0.825 + 1 BTC × 60,000 × 0.78 = 16,500 + 46,800 = 63,300
    expect(s.pool.collateralValue(0, s.prices)).toBe(80_000);
    expect(s.pool.borrowLimit(0, s.prices)).toBeCloseTo(16_000 + 43_800, 9);
    expect(s.pool.borrow(0, 50_000, s.prices)).toBe(50_000);
    expect(s.pool.healthFactor(0, s.prices)).toBeCloseTo(63_300 / 50_000, 12);
    expect(s.pool.healthFactor(0, Float64Array.of(1000, 60_000))).toBeCloseTo((8250 + 46_800) / 50_000, 12);
  });

  it('limits borrows by the borrow limit and the cash, withdrawals by the limit, repayments by debt and wallet', () => {
    const s = setup({ supply: 12_000 });
    s.wallets.endow(0, 0, 0, 10);
    expect(s.pool.deposit(0, 0, 15)).toBe(10); // only what the wallet holds
    expect(s.pool.borrow(0, 1e9, s.prices)).toBe(12_000); // cash 12,000 < limit 16,000
    expect(s.pool.cash).toBe(0);
    s.wallets.endow(1, 0, 0, 10);
    s.pool.deposit(1, 0, 10);
    expect(s.pool.borrow(1, 100, s.prices)).toBe(0); // no cash left
    s.pool.repay(0, 2_000); // cash 2,000, debt 10,000
    expect(s.pool.borrow(1, 1e9, s.prices)).toBe(2_000);
    // Account 0: limit 16,000, debt 10,000 → may withdraw 6,000 / (2,000 × 0.8) = 3.75 ETH.
    expect(s.pool.maxWithdraw(0, 0, s.prices)).toBeCloseTo(3.75, 12);
    expect(s.pool.withdraw(0, 0, 5, s.prices)).toBeCloseTo(3.75, 12);
    expect(s.pool.borrowLimit(0, s.prices)).toBeCloseTo(s.pool.debt[0]!, 6);
    expect(s.pool.withdraw(0, 0, 1, s.prices)).toBe(0);
    // Repay is capped by the wallet's quote (10,000 after repaying 2,000) and by the debt.
    expect(s.pool.repay(0, 1e9)).toBe(10_000);
    expect(s.pool.debt[0]).toBe(0);
    expect(s.pool.repay(0, 1)).toBe(0);
    expect(s.pool.withdraw(0, 0, 1e9, s.prices)).toBeCloseTo(6.25, 12);
    expect(s.pool.ledgerResidual()).toBe(0);
    expect(s.pool.unitsResidual(0)).toBe(0);
  });

  it('repays with collateral (sell on a venue, repay from the proceeds) only while HF ≥ 1', () => {
    const s = setup({}, 1e6);
    open(s, 0, 10, 0, 15_000); // HF at 2,000 = 1.1
    const before = s.wallets.quote[0]!;
    const repaid = s.pool.repayWithCollateral(0, 0, 2, s.prices, s.spot, 0);
    expect(repaid).toBeGreaterThan(0);
    expect(repaid).toBeLessThan(4000); // sold below 2,000 (impact)
    expect(s.pool.units[0]![0]).toBe(8);
    expect(s.pool.debt[0]).toBeCloseTo(15_000 - repaid, 9);
    expect(s.wallets.quote[0]).toBeCloseTo(before, 9); // all proceeds went to the debt
    expect(s.pool.withdrawn[0]).toBe(2);
    // At HF < 1 the collateral belongs to liquidators first.
    const low = Float64Array.of(1500, 60_000);
    expect(s.pool.healthFactor(0, low)).toBeLessThan(1);
    expect(s.pool.repayWithCollateral(0, 0, 1, low, s.spot, 0)).toBe(0);
    expect(s.pool.units[0]![0]).toBe(8);
    // Selling more than the debt: the surplus stays in the wallet and the debt is gone.
    const r2 = s.pool.repayWithCollateral(0, 0, 8, s.prices, s.spot, 0);
    expect(s.pool.debt[0]).toBe(0);
    expect(s.wallets.quote[0]! - before).toBeGreaterThan(0);
    expect(r2).toBeCloseTo(15_000 - repaid, 9);
    expect(s.pool.borrowerCount).toBe(0);
    expect(Math.abs(s.pool.ledgerResidual())).toBeLessThan(1e-9 * s.pool.supplied);
    expect(s.pool.unitsResidual(0)).toBe(0);
  });

  it('refuses a collateral whose LT × (1 + bonus) is not below 1 (no liquidation could raise a health factor)', () => {
    expect(() => setup({ collateral: [{ ...ETH, ltv: 0.9, liquidationThreshold: 0.95, bonus: 0.1 }, BTC] })).toThrow(
      /lending pool aave: collateral asset 0: liquidation threshold 0\.95 × \(1 \+ bonus 0\.1\) = 1\.045 is not below 1/,
    );
    expect(() => setup({ collateral: [ETH, { ...BTC, liquidationThreshold: 0.8, bonus: 0.25 }] })).toThrow(/= 1 is not below 1/); // 0.8 × 1.25 = 1 exactly
    expect(() => setup({ collateral: [{ ...ETH, ltv: 0.9, liquidationThreshold: 0.95, bonus: 0.05 }, BTC] })).not.toThrow(); // 0.9975
  });

  it('refuses accounts outside its capacity (a typed array would drop the write and break the ledger)', () => {
    const wallets = new Wallets(10, 2);
    const pool = new LendingPool(4, aave(), wallets);
    wallets.endow(6, 0, 0, 1);
    expect(() => pool.deposit(6, 0, 1)).toThrow(/account 6 outside 0..3/);
    expect(() => pool.borrow(-1, 1, Float64Array.of(2000, 60_000))).toThrow(/outside/);
    expect(wallets.units(0)[6]).toBe(1);
  });

  it('keeps its borrowers ascending and drops an account once it has neither debt nor collateral', () => {
    const s = setup();
    for (const i of [7, 2, 5, 0, 3]) open(s, i, 1, 0, 100);
    expect(Array.from(s.pool.borrowerIds())).toEqual([0, 2, 3, 5, 7]);
    s.wallets.endow(5, 100);
    s.pool.repay(5, 100);
    expect(s.pool.borrowerCount).toBe(5); // still holds collateral
    s.pool.withdraw(5, 0, 1, s.prices);
    expect(Array.from(s.pool.borrowerIds())).toEqual([0, 2, 3, 7]);
    expect(s.pool.totalDebt()).toBe(400);
    expect(s.pool.totalCollateralUnits(0)).toBe(4);
  });
});

describe('lending pool: liquidation (reference facts)', () => {
  it('uses close factor 0.5 at HF 0.97 and seizes repaid × (1 + bonus) / price', () => {
    const s = setup();
    open(s, 0, 10, 0, 17_000); // HF = 16,500 / 17,000 = 0.9706
    const hf = s.pool.healthFactor(0, s.prices);
    expect(hf).toBeGreaterThan(0.95);
    expect(hf).toBeLessThan(1);
    const out = new LiquidationStats(2);
    expect(s.pool.liquidateRound(s.prices, LIQ, s.spot, out)).toBe(1);
    expect(out.repaid).toBeCloseTo(8_500, 9);
    expect(out.seizedUnits[0]).toBeCloseTo((8_500 * 1.05) / 2000, 12);
    expect(s.pool.debt[0]).toBeCloseTo(8_500, 9);
    expect(s.pool.units[0]![0]).toBeCloseTo(10 - 4.4625, 12);
    expect(s.pool.healthFactor(0, s.prices)).toBeGreaterThan(1); // 0.97 > LT × (1 + bonus) = 0.866
    expect(out.badDebt).toBe(0);
  });

  it('closes the whole debt at HF ≤ 0.95', () => {
    const s = setup();
    open(s, 0, 10, 0, 17_500); // HF 0.943
    const out = new LiquidationStats(2);
    s.pool.liquidateRound(s.prices, LIQ, s.spot, out);
    expect(out.repaid).toBeCloseTo(17_500, 9);
    expect(out.seizedUnits[0]).toBeCloseTo((17_500 * 1.05) / 2000, 12);
    expect(s.pool.debt[0]).toBe(0);
    expect(s.pool.healthFactor(0, s.prices)).toBe(Infinity);
  });

  it('closes the whole debt when the collateral or the debt is worth less than 2,000', () => {
    // Collateral 1,900 < 2,000 with HF 0.98.
    const a = setup();
    open(a, 0, 1, 0, 1600);
    const pa = Float64Array.of(1900, 60_000);
    expect(a.pool.healthFactor(0, pa)).toBeCloseTo(1567.5 / 1600, 12);
    const out = new LiquidationStats(2);
    a.pool.liquidateRound(pa, LIQ, a.spot, out);
    expect(out.repaid).toBeCloseTo(1600, 9);
    // Debt 1,999 < 2,000 with collateral 2,400 and HF 0.99.
    const b = setup();
    open(b, 0, 1.2, 0, 1_999);
    expect(b.pool.healthFactor(0, b.prices)).toBeCloseTo(1980 / 1999, 12);
    b.pool.liquidateRound(b.prices, LIQ, b.spot, out);
    expect(out.repaid).toBeCloseTo(1999, 9);
    // Control: the same HF with both above 2,000 takes half.
    const c = setup();
    open(c, 0, 12, 0, 19_990);
    expect(c.pool.healthFactor(0, c.prices)).toBeCloseTo(19_800 / 19_990, 12);
    c.pool.liquidateRound(c.prices, LIQ, c.spot, out);
    expect(out.repaid).toBeCloseTo(19_990 / 2, 9);
  });

  it('seizes the collateral of largest value, caps the seizure at what is held and writes the rest off', () => {
    const s = setup();
    open(s, 0, 10, 0.1, 19_000);
    // At ETH 1,500 / BTC 60,000: ETH worth 15,000, BTC 6,000; HF = (12,375 + 4,680) / 19,000 = 0.898 → full close.
    const p = Float64Array.of(1500, 60_000);
    const events: LendingLiquidationEvent[] = [];
    const out = new LiquidationStats(2);
    s.pool.liquidateRound(p, LIQ, s.spot, out, { tick: 4, onEvent: (e) => events.push(e) });
    // Full close wants 19,000 × 1.05 = 19,950 of ETH; only 15,000 there: all ETH, repaid 15,000 / 1.05.
    expect(out.seizedUnits[0]).toBe(10);
    expect(out.seizedUnits[1]).toBe(0);
    expect(out.repaid).toBeCloseTo(15_000 / 1.05, 9);
    expect(s.pool.debt[0]).toBeCloseTo(19_000 - 15_000 / 1.05, 9);
    expect(out.badDebt).toBe(0); // BTC still backs the rest
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ tick: 4, account: 0, collateral: 0, asset: 0, seizedUnits: 10 });
    expect(events[0]!.hfAfter).toBeCloseTo(4680 / (19_000 - 15_000 / 1.05), 12);
    // BTC falls to 40,000 (HF 3,120 / 4,714 = 0.66): all of it goes and the remainder is bad debt.
    s.pool.liquidateRound(Float64Array.of(1500, 40_000), LIQ, s.spot, out, { onEvent: (e) => events.push(e) });
    expect(out.seizedUnits[1]).toBe(0.1);
    const left = 19_000 - 15_000 / 1.05 - 4_000 / 1.05;
    expect(out.badDebt).toBeCloseTo(left, 9);
    expect(s.pool.badDebt).toBeCloseTo(left, 9);
    expect(events[1]!.badDebt).toBeCloseTo(left, 9);
    expect(s.pool.borrowerCount).toBe(0);
    expect(Math.abs(s.pool.ledgerResidual())).toBeLessThan(1e-9 * s.pool.supplied);
    expect(s.pool.totals.liquidations).toBe(2);
    expect(s.pool.totals.writeOffs).toBe(1);
  });

  it('the liquidator pays the repaid quote, receives the units and sells them on the sell venue', () => {
    const s = setup({}, 1e6);
    open(s, 0, 10, 0, 17_000);
    const out = new LiquidationStats(2);
    s.pool.liquidateRound(s.prices, LIQ, s.spot, out);
    expect(s.wallets.units(0)[LIQ]).toBeCloseTo(0, 12); // sold at once
    expect(out.proceeds).toBeGreaterThan(0);
    expect(out.proceeds).toBeLessThan(out.seizedValue); // impact
    expect(s.wallets.quote[LIQ]).toBeCloseTo(out.proceeds - out.repaid, 9);
    expect(s.spot.spotPrice(0, 0)).toBeLessThan(2000);
    expect(s.spot.houseUnits[0]).toBeCloseTo(out.seizedUnits[0]!, 12);
  });

  it('a loan below LT × (1 + bonus) under close factor 0.5 sinks round after round to zero collateral and bad debt', () => {
    // Without the full-close rule (LT × (1 + bonus) = 0.86625, start at HF 0.86), and with Aave's
    // rules where LT × (1 + bonus) = 0.9775 lies above the full-close health 0.95 (start at HF 0.97).
    const cases = [
      { fullCloseHealth: 0, lt: 0.825, bonus: 0.05, hf0: 0.86 },
      { fullCloseHealth: 0.95, lt: 0.85, bonus: 0.15, hf0: 0.97 },
    ];
    for (const { fullCloseHealth, lt, bonus, hf0 } of cases) {
      const s = setup({ fullCloseHealth, smallPositionValue: 0, collateral: [{ ...ETH, liquidationThreshold: lt, bonus }, BTC] });
      expect(hf0).toBeLessThan(lt * (1 + bonus));
      open(s, 0, 10, 0, 16_000);
      const p = Float64Array.of((hf0 * 16_000) / (10 * lt), 60_000);
      const out = new LiquidationStats(2);
      let hf = s.pool.healthFactor(0, p);
      let rounds = 0;
      let debtBefore = 0;
      while (s.pool.debt[0]! > 0 && rounds < 64) {
        debtBefore = s.pool.debt[0]!;
        s.pool.liquidateRound(p, LIQ, s.spot, out);
        rounds++;
        const next = s.pool.healthFactor(0, p);
        if (s.pool.debt[0]! > 0) expect(next).toBeLessThan(hf); // partial liquidation made it worse
        hf = next;
      }
      expect(rounds).toBeGreaterThan(1);
      expect(rounds).toBeLessThan(64);
      expect(s.pool.units[0]![0]).toBe(0);
      expect(s.pool.debt[0]).toBe(0);
      expect(out.badDebt).toBeCloseTo(debtBefore - out.repaid, 9);
      expect(out.badDebt).toBeGreaterThan(0);
      expect(s.pool.ledgerResidual()).toBeCloseTo(0, 6);
      expect(Math.abs(s.pool.unitsResidual(0))).toBeLessThan(1e-9 * 10);
    }
  });

  it('liquidateUntilStable forces a full close in its last allowed round', () => {
    const s = setup({ fullCloseHealth: 0, smallPositionValue: 0 });
    open(s, 0, 10, 0, 16_000);
    const p = Float64Array.of((0.86 * 16_000) / (10 * 0.825), 60_000);
    const out = new LiquidationStats(2);
    expect(s.pool.liquidateUntilStable(() => p, LIQ, s.spot, out, 2)).toBe(2);
    expect(out.liquidations).toBe(2);
    expect(s.pool.units[0]![0]).toBe(0);
    expect(s.pool.debt[0]).toBe(0);
    expect(out.badDebt).toBeGreaterThan(0);
    expect(s.pool.liquidateRound(p, LIQ, s.spot, out)).toBe(0);
  });

  it('the forced full close takes a loan\'s collaterals in descending value, writes off what they cannot repay, and leaves nothing liquidatable', () => {
    // ETH 10 × 2,000 = 20,000 and BTC 0.6 × 40,000 = 24,000 against 43,000: HF = (16,500 + 18,720) / 43,000 = 0.819.
    const s = setup();
    open(s, 0, 10, 0.6, 43_000);
    const p = Float64Array.of(2000, 40_000);
    const events: LendingLiquidationEvent[] = [];
    const out = new LiquidationStats(2);
    // maxRounds 1: the only round is the forced full close.
    expect(s.pool.liquidateUntilStable(() => p, LIQ, s.spot, out, 1, { onEvent: (e) => events.push(e) })).toBe(1);
    // All BTC (repays 24,000 / 1.05), then all ETH (20,000 / 1.05); the rest is bad debt.
    const left = 43_000 - 24_000 / 1.05 - 20_000 / 1.05;
    expect(out.liquidations).toBe(1);
    expect(out.seizedUnits[1]).toBe(0.6);
    expect(out.seizedUnits[0]).toBe(10);
    expect(out.repaid).toBeCloseTo(44_000 / 1.05, 9);
    expect(out.seizedValue).toBeCloseTo(44_000, 9);
    expect(out.badDebt).toBeCloseTo(left, 9);
    expect(out.writeOffs).toBe(1);
    expect(s.pool.debt[0]).toBe(0);
    expect(s.pool.borrowerCount).toBe(0);
    expect(events.map((e) => e.collateral)).toEqual([1, 0]);
    expect(events[0]).toMatchObject({ account: 0, asset: 1, seizedUnits: 0.6, badDebt: 0 });
    expect(events[0]!.hfBefore).toBeCloseTo(35_220 / 43_000, 12);
    expect(events[0]!.hfAfter).toBeCloseTo(16_500 / (43_000 - 24_000 / 1.05), 12);
    expect(events[1]).toMatchObject({ account: 0, asset: 0, seizedUnits: 10, hfAfter: Infinity });
    expect(events[1]!.badDebt).toBeCloseTo(left, 9);
    expect(events[0]!.repaid + events[1]!.repaid).toBeCloseTo(out.repaid, 9);
    expect(s.wallets.quote[LIQ]).toBeCloseTo(out.proceeds - out.repaid, 9);
    expect(Math.abs(s.pool.ledgerResidual())).toBeLessThan(1e-9 * s.pool.supplied);
    expect(s.pool.unitsResidual(0)).toBe(0);
    expect(s.pool.unitsResidual(1)).toBe(0);
    expect(s.pool.liquidateRound(p, LIQ, s.spot, out)).toBe(0);
  });

  it('the forced full close stops at the collateral that repays the rest of the debt', () => {
    // As above with debt 38,000 (HF 0.927): all BTC repays 24,000 / 1.05, ETH the remaining 15,142.86.
    const s = setup();
    open(s, 0, 10, 0.6, 38_000);
    const p = Float64Array.of(2000, 40_000);
    const out = new LiquidationStats(2);
    s.pool.liquidateUntilStable(() => p, LIQ, s.spot, out, 1);
    expect(out.liquidations).toBe(1);
    expect(out.repaid).toBeCloseTo(38_000, 9);
    expect(out.seizedUnits[1]).toBe(0.6);
    expect(out.seizedUnits[0]).toBeCloseTo(((38_000 - 24_000 / 1.05) * 1.05) / 2000, 12);
    expect(out.badDebt).toBe(0);
    expect(s.pool.debt[0]).toBe(0);
    expect(s.pool.units[0]![0]).toBeCloseTo(2.05, 12);
    expect(s.pool.units[1]![0]).toBe(0);
    expect(Math.abs(s.pool.ledgerResidual())).toBeLessThan(1e-9 * s.pool.supplied);
    expect(s.pool.unitsResidual(0)).toBe(0);
    expect(s.pool.unitsResidual(1)).toBe(0);
  });
});

describe('lending pool: the oracle–spot loop', () => {
  /** Two borrowers, A at HF 0.99 and B at HF 1.02, on a shallow spot that the oracle may read. */
  function twoLoans(oracleReadsSpot: boolean) {
    const s = setup({}, 1e7);
    // At 2,000 each holds 10 ETH with threshold value 16,500: A owes 16,500 / 0.99, B 16,500 / 1.02.
    open(s, 1, 10, 0, 16_500 / 0.99);
    open(s, 2, 10, 0, 16_500 / 1.02);
    const oracle = new Oracle({ source: oracleReadsSpot ? { kind: 'spot', venue: 0 } : { kind: 'index' }, lagTicks: 0 });
    const prices = Float64Array.of(2000, 60_000);
    const read = (): Float64Array => {
      oracle.observe(7, oracleReadsSpot ? s.spot.spotPrice(0, 0) : 2000);
      prices[0] = oracle.price;
      return prices;
    };
    return { ...s, read };
  }

  it("a round's sales move the spot price, and an oracle reading that spot liquidates more in the next round", () => {
    const s = twoLoans(true);
    const round = new LiquidationStats(2);
    expect(s.pool.liquidateRound(s.read(), LIQ, s.spot, round)).toBe(1); // only A
    expect(s.spot.spotPrice(0, 0)).toBeLessThan(2000);
    expect(s.pool.healthFactor(2, s.read())).toBeLessThan(1);
    expect(s.pool.liquidateRound(s.read(), LIQ, s.spot, round)).toBe(1); // now B

    const t = twoLoans(true);
    const all = new LiquidationStats(2);
    t.pool.liquidateUntilStable(t.read, LIQ, t.spot, all);
    expect(all.liquidations).toBeGreaterThanOrEqual(2);
    expect(t.pool.healthFactor(2, t.read())).toBeGreaterThanOrEqual(1);
  });

  it('control: with an oracle on the index the sales liquidate nobody else', () => {
    const s = twoLoans(false);
    const all = new LiquidationStats(2);
    s.pool.liquidateUntilStable(s.read, LIQ, s.spot, all);
    expect(all.liquidations).toBe(1);
    expect(all.rounds).toBe(2);
    expect(s.spot.spotPrice(0, 0)).toBeLessThan(2000);
    expect(s.pool.healthFactor(2, s.read())).toBeCloseTo(1.02, 12);
  });
});
