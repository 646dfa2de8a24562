/**
 * Looping borrowers: accounts that lever up an asset through a lending pool (deposit the asset,
 * borrow quote against it, buy more of the asset on a venue's spot market, deposit that, again),
 * the position that turns a price fall into forced sales on the spot market.
 *
 * Columnar over accounts first..first+count−1; deterministic (no randomness).
 */
import type { SpotAccess } from '../world/wallets';
import type { LendingPool } from './lending';

/** Options of {@link LoopingBorrowers}. */
export interface LoopingOptions {
  /**
   * Deleverage when HF < this (e.g. 1.05); undefined: never deleverage (the borrower waits for the
   * liquidators). Should lie well below the HF at the target (LT / target LTV), or the borrower
   * would loop up and deleverage in turn.
   */
  deleverageBelowHealth?: number;
  /**
   * Looping stops when the gap to the target, target × collateral value − debt, is at most
   * `tolerance` × collateral value (default 1e-3). Why: the gap shrinks geometrically (by the target
   * LTV each loop) and never reaches 0.
   */
  tolerance?: number;
}

/** What one {@link LoopingBorrowers.step} did (reused: read it before the next step). */
export class LoopingStepStats {
  /** Borrow–buy–deposit loops done. */
  loops = 0;
  /** Quote borrowed. */
  borrowed = 0;
  /** Units bought (and deposited). */
  bought = 0;
  /** Accounts that deleveraged. */
  deleverages = 0;
  /** Quote repaid from wallet quote while deleveraging. */
  repaidFromWallet = 0;
  /** Quote repaid by selling collateral while deleveraging. */
  repaidFromCollateral = 0;
  /** Collateral units sold while deleveraging. */
  soldUnits = 0;

  reset(): void {
    this.loops = 0;
    this.borrowed = 0;
    this.bought = 0;
    this.deleverages = 0;
    this.repaidFromWallet = 0;
    this.repaidFromCollateral = 0;
    this.soldUnits = 0;
  }
}

/**
 * A population of looping borrowers.
 *
 * Per account j (account id first + j): a target LTV `targetLtv[j]` (debt / collateral value at the
 * oracle prices, e.g. 0.7 × the collateral's ltv), a collateral index `collateral[j]` in the pool's
 * collateral order and a venue `venue[j]` whose spot market it buys on. Without price impact, n loops
 * from u₀ units leave u₀ × (1 − τⁿ⁺¹) / (1 − τ) units (τ = target LTV): the geometric sum that tends
 * to u₀ / (1 − τ).
 *
 * @example
 * const loopers = new LoopingBorrowers(100, 50, targets, collateralIdx, venues, { deleverageBelowHealth: 1.05 });
 * loopers.step(tick, pool, spot, oraclePrices, 5);
 */
export class LoopingBorrowers {
  readonly tolerance: number;
  readonly deleverageBelowHealth: number;
  /** What the last step did. */
  readonly last = new LoopingStepStats();

  constructor(
    readonly first: number,
    readonly count: number,
    readonly targetLtv: Float64Array,
    readonly collateral: Int32Array,
    readonly venue: Int32Array,
    opts: LoopingOptions = {},
  ) {
    if (targetLtv.length < count || collateral.length < count || venue.length < count) throw new Error('looping borrowers: a column is shorter than count');
    this.tolerance = opts.tolerance ?? 1e-3;
    this.deleverageBelowHealth = opts.deleverageBelowHealth ?? -Infinity;
  }

  /**
   * One tick, accounts in ascending order. Per account, at the oracle `prices` (collateral order):
   *
   * - **Deleverage** when it has debt and HF < `deleverageBelowHealth`: the quote to repay to get back
   *   to the target is excess = debt − target × collateral value. It repays from its wallet quote first
   *   (up to excess); then, only while HF ≥ 1, it sells x = rest / (price × (1 − target)) units of its
   *   collateral through {@link LendingPool.repayWithCollateral} (x at the oracle price brings the loan
   *   back to the target; a sale below the oracle price falls short). Below HF 1 the pool lets no
   *   collateral go, so wallet quote is all it can use. No looping in the same tick.
   * - **Loop** otherwise, at most `maxLoopsPerTick` times: deposit every unit of the asset its wallet
   *   holds; stop when gap = target × collateral value − debt ≤ tolerance × collateral value; borrow
   *   the gap (the pool caps it by the borrow limit and its cash; stop if nothing is lent); buy with
   *   `spot.buy` on its venue; deposit what it bought. Nothing happens when the venue lists no spot
   *   market for the asset.
   *
   * `tick` is not used by the rule (kept for the world's step signature). Returns {@link last}.
   */
  step(_tick: number, pool: LendingPool, spot: SpotAccess, prices: Float64Array, maxLoopsPerTick: number): LoopingStepStats {
    const st = this.last;
    st.reset();
    const wallets = pool.wallets;
    for (let j = 0; j < this.count; j++) {
      const i = this.first + j;
      const k = this.collateral[j]!;
      const a = pool.asset[k]!;
      const v = this.venue[j]!;
      const t = this.targetLtv[j]!;
      const held = wallets.units(a);
      if (pool.debt[i]! > 0 && pool.healthFactor(i, prices) < this.deleverageBelowHealth) {
        st.deleverages++;
        const excess = pool.debt[i]! - t * pool.collateralValue(i, prices);
        if (!(excess > 0)) continue;
        const fromWallet = pool.repay(i, excess);
        st.repaidFromWallet += fromWallet;
        const rest = excess - fromWallet;
        const p = prices[k]!;
        if (rest > 0 && p > 0 && t < 1 && pool.healthFactor(i, prices) >= 1 && spot.hasSpot(v, a)) {
          const x = Math.min(rest / (p * (1 - t)), pool.units[k]![i]!);
          const before = pool.units[k]![i]!;
          st.repaidFromCollateral += pool.repayWithCollateral(i, k, x, prices, spot, v);
          st.soldUnits += before - pool.units[k]![i]!;
        }
        continue;
      }
      if (!spot.hasSpot(v, a)) continue;
      pool.deposit(i, k, held[i]!);
      for (let l = 0; l < maxLoopsPerTick; l++) {
        const cv = pool.collateralValue(i, prices);
        const gap = t * cv - pool.debt[i]!;
        if (!(gap > this.tolerance * cv)) break;
        const b = pool.borrow(i, gap, prices);
        if (!(b > 0)) break;
        const u = spot.buy(i, v, a, b);
        pool.deposit(i, k, held[i]!);
        st.loops++;
        st.borrowed += b;
        st.bought += u;
      }
    }
    return st;
  }
}
