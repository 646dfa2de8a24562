/**
 * An Aave-v3-like lending pool (reference/exchange-margin.md "Lending protocols (Aave v3)"), columnar:
 * one debt column in quote and one units column per collateral asset, over a fixed account capacity.
 *
 * Money and units move only between the world's {@link Wallets} and the pool: deposits and
 * withdrawals of collateral units, borrows and repayments of quote, and liquidations (the liquidator's
 * wallet repays, receives the seized units and sells them on a venue's spot market).
 *
 * Interest is out of scope: debt does not accrue and lenders earn nothing. Why: the pool is here to
 * model liquidation cascades within hours or days, over which Aave's borrow rates (a few percent a
 * year) move a health factor by less than 1e-3, while keeping interest would add a rate model, an
 * index per reserve and a lender side to the ledger. So the pool's ledger is, exactly:
 *
 *     cash + Σ debt + badDebt = supplied
 *
 * and, per collateral asset k: Σ units_k in the pool = deposited_k − withdrawn_k − seized_k.
 */
import type { SpotAccess, Wallets } from '../world/wallets';
import type { LendingParams } from './types';

/**
 * Below this share of the debt, collateral value counts as none: a borrower whose collateral is worth
 * less than `DUST_COLLATERAL_SHARE × debt` after a liquidation has the rest of its debt written off
 * as bad debt. Why: a partial liquidation that only ever seizes a share of what is left could leave
 * ever smaller crumbs of collateral behind; no liquidator would repay a debt for them.
 */
export const DUST_COLLATERAL_SHARE = 1e-9;

/** Default cap on rounds in {@link LendingPool.liquidateUntilStable}. */
export const DEFAULT_MAX_ROUNDS = 64;

/**
 * Liquidation figures, for one round or summed over several (the pool keeps a cumulative one in
 * {@link LendingPool.totals}). All money in quote, units per collateral (in collateral order).
 */
export class LiquidationStats {
  /** Number of liquidations (a borrower liquidated in a round counts once per round). */
  liquidations = 0;
  /** Quote repaid by liquidators. */
  repaid = 0;
  /** Units seized, per collateral. */
  readonly seizedUnits: Float64Array;
  /** Σ seized units × the oracle price of the round they were seized in. */
  seizedValue = 0;
  /** Quote the liquidators received for selling the seized units on the spot market. */
  proceeds = 0;
  /** Debt written off as bad debt. */
  badDebt = 0;
  /** Number of borrowers whose remaining debt was written off. */
  writeOffs = 0;
  /** Number of rounds summed in here. */
  rounds = 0;

  constructor(collaterals: number) {
    this.seizedUnits = new Float64Array(collaterals);
  }

  /** Sets every figure back to 0. */
  reset(): void {
    this.liquidations = 0;
    this.repaid = 0;
    this.seizedUnits.fill(0);
    this.seizedValue = 0;
    this.proceeds = 0;
    this.badDebt = 0;
    this.writeOffs = 0;
    this.rounds = 0;
  }

  /** Adds `o`'s figures to these. */
  add(o: LiquidationStats): void {
    this.liquidations += o.liquidations;
    this.repaid += o.repaid;
    for (let k = 0; k < this.seizedUnits.length; k++) this.seizedUnits[k] += o.seizedUnits[k]!;
    this.seizedValue += o.seizedValue;
    this.proceeds += o.proceeds;
    this.badDebt += o.badDebt;
    this.writeOffs += o.writeOffs;
    this.rounds += o.rounds;
  }
}

/**
 * One seizure of a liquidation, for a world that publishes them (allocated only when a listener is
 * given). A liquidation seizes one collateral, except a forced full close
 * ({@link LiquidationRoundOptions.forceFullClose}) whose first collateral runs out before the debt
 * is repaid: it reports one event per collateral it takes, in the order taken.
 */
export interface LendingLiquidationEvent {
  tick?: number;
  account: number;
  /** Quote the liquidator repaid. */
  repaid: number;
  /** Units of collateral `collateral` seized. */
  seizedUnits: number;
  /** The collateral's index in the pool's collateral order. */
  collateral: number;
  /** The collateral's asset number in the world's asset order. */
  asset: number;
  /** Quote the liquidator got for selling the units (0 when the venue lists no spot market for it). */
  proceeds: number;
  /** Debt written off after this seizure (0 unless the collateral ran out; only a liquidation's last seizure writes off). */
  badDebt: number;
  /** Health factor before this seizure, at the round's prices. */
  hfBefore: number;
  /** Health factor after it (Infinity once the debt is repaid or written off). */
  hfAfter: number;
}

/** Options of a liquidation round. */
export interface LiquidationRoundOptions {
  /** Tick, copied into events. */
  tick?: number;
  /** Called once per seizure (see {@link LendingLiquidationEvent}; the event object is new each call). */
  onEvent?: (e: LendingLiquidationEvent) => void;
  /**
   * Use close factor 1 for every liquidatable borrower, and when the most valuable collateral runs out
   * before the debt is repaid, go on with the next most valuable within the same liquidation (why: the
   * last round that {@link LendingPool.liquidateUntilStable} allows; a full close either repays the
   * whole debt or seizes every collateral and writes the rest off, so no loan is liquidatable after it
   * at these prices).
   */
  forceFullClose?: boolean;
}

/**
 * A lending pool: collateral deposits, quote borrows, health factors and liquidations.
 *
 * Accounts are numbered 0..capacity−1 like the world's wallets. Borrowers (accounts with debt > 0 or
 * any collateral > 0) are kept in an ascending list so per-round work is O(borrowers), not
 * O(capacity), and every sum runs in ascending account order (determinism).
 *
 * No interest accrues (see the module note: over the hours a cascade lasts, Aave's rates move a
 * health factor by less than 1e-3), so the ledger is exactly cash + Σ debt + badDebt = supplied.
 *
 * @example
 * const pool = new LendingPool(100, params, wallets);
 * pool.deposit(3, 0, 10);                 // 10 units of collateral 0 from wallet 3
 * pool.borrow(3, 5_000, prices);          // ≤ 10 × price × ltv
 * pool.liquidateUntilStable(() => prices, 99, spot, stats);
 */
export class LendingPool {
  /** Debt in quote per account. */
  readonly debt: Float64Array;
  /** Collateral units per account, one column per collateral (in `params.collateral` order). */
  readonly units: Float64Array[];
  /** Quote the pool holds (supplied − lent out + repaid). */
  cash: number;
  /** Quote supplied by lenders at the start (`params.supply`). */
  readonly supplied: number;
  /** Debt written off, cumulative. */
  badDebt = 0;
  /** Units deposited into the pool, cumulative, per collateral. */
  readonly deposited: Float64Array;
  /** Units withdrawn to wallets (by {@link withdraw} and {@link repayWithCollateral}), cumulative, per collateral. */
  readonly withdrawn: Float64Array;
  /** Units seized by liquidators, cumulative, per collateral. */
  readonly seized: Float64Array;
  /** Liquidation figures summed over every round so far. */
  readonly totals: LiquidationStats;
  /** Loan-to-value per collateral (copied from the params into a column for the hot loop). */
  readonly ltv: Float64Array;
  /** Liquidation threshold LT per collateral. */
  readonly lt: Float64Array;
  /** Liquidation bonus per collateral. */
  readonly bonus: Float64Array;
  /** The world's asset number per collateral. */
  readonly asset: Int32Array;
  /** Number of collateral assets. */
  readonly collaterals: number;

  /** Ascending borrower ids in list[0..n). */
  private list: Int32Array;
  private n = 0;
  private readonly listed: Uint8Array;
  private readonly round: LiquidationStats;

  constructor(readonly capacity: number, readonly params: LendingParams, readonly wallets: Wallets) {
    const K = params.collateral.length;
    if (wallets.capacity < capacity) throw new Error(`lending pool ${params.name}: capacity ${capacity} exceeds the wallets' ${wallets.capacity}`);
    this.collaterals = K;
    this.debt = new Float64Array(capacity);
    this.units = Array.from({ length: K }, () => new Float64Array(capacity));
    this.cash = params.supply;
    this.supplied = params.supply;
    this.deposited = new Float64Array(K);
    this.withdrawn = new Float64Array(K);
    this.seized = new Float64Array(K);
    this.totals = new LiquidationStats(K);
    this.round = new LiquidationStats(K);
    this.ltv = Float64Array.from(params.collateral, (c) => c.ltv);
    this.lt = Float64Array.from(params.collateral, (c) => c.liquidationThreshold);
    this.bonus = Float64Array.from(params.collateral, (c) => c.bonus);
    this.asset = Int32Array.from(params.collateral, (c) => c.asset);
    for (const c of params.collateral) {
      if (c.asset < 0 || c.asset >= wallets.assets) throw new Error(`lending pool ${params.name}: collateral asset ${c.asset} is not a wallet asset`);
      if (!(c.ltv <= c.liquidationThreshold)) throw new Error(`lending pool ${params.name}: ltv ${c.ltv} above liquidation threshold ${c.liquidationThreshold}`);
      // A liquidation lowers HF's numerator by repaid × LT × (1 + bonus) and its denominator by repaid:
      // unless the product is below 1, no liquidation can lift a loan back above HF 1.
      const edge = c.liquidationThreshold * (1 + c.bonus);
      if (!(edge < 1)) throw new Error(`lending pool ${params.name}: collateral asset ${c.asset}: liquidation threshold ${c.liquidationThreshold} × (1 + bonus ${c.bonus}) = ${+edge.toPrecision(12)} is not below 1, so no liquidation could raise a health factor`);
    }
    this.list = new Int32Array(Math.min(capacity, 1024) || 1);
    this.listed = new Uint8Array(capacity);
  }

  // ---- borrower list ----

  /** Number of current borrowers. */
  get borrowerCount(): number {
    return this.n;
  }

  /** The current borrowers in ascending order (a view: valid until the next change). */
  borrowerIds(): Int32Array {
    return this.list.subarray(0, this.n);
  }

  /** Index of the first listed id ≥ i. */
  private lowerBound(i: number): number {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.list[mid]! < i) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private enlist(i: number): void {
    if (this.listed[i]) return;
    if (this.n === this.list.length) {
      const next = new Int32Array(Math.min(this.capacity, this.list.length * 2));
      next.set(this.list);
      this.list = next;
    }
    const at = this.lowerBound(i);
    this.list.copyWithin(at + 1, at, this.n);
    this.list[at] = i;
    this.n++;
    this.listed[i] = 1;
  }

  private isEmpty(i: number): boolean {
    if (this.debt[i]! > 0) return false;
    for (let k = 0; k < this.collaterals; k++) if (this.units[k]![i]! > 0) return false;
    return true;
  }

  private delistIfEmpty(i: number): void {
    if (!this.listed[i] || !this.isEmpty(i)) return;
    const at = this.lowerBound(i);
    this.list.copyWithin(at, at + 1, this.n);
    this.n--;
    this.listed[i] = 0;
  }

  /**
   * Why: a typed array ignores writes out of its range, so an account beyond the pool's capacity
   * would lose wallet units or be lent quote that no column records, and the ledger would not close.
   */
  private checkAccount(i: number): void {
    if (!(Number.isInteger(i) && i >= 0 && i < this.capacity)) throw new Error(`lending pool ${this.params.name}: account ${i} outside 0..${this.capacity - 1}`);
  }

  // ---- valuations ----

  /** Collateral value of account `i`: Σ_k units_k × price_k (quote). */
  collateralValue(i: number, prices: Float64Array): number {
    let v = 0;
    for (let k = 0; k < this.collaterals; k++) v += this.units[k]![i]! * prices[k]!;
    return v;
  }

  /** Borrow limit of account `i`: Σ_k units_k × price_k × ltv_k (quote). */
  borrowLimit(i: number, prices: Float64Array): number {
    let v = 0;
    for (let k = 0; k < this.collaterals; k++) v += this.units[k]![i]! * prices[k]! * this.ltv[k]!;
    return v;
  }

  /** Liquidation-threshold-weighted collateral: Σ_k units_k × price_k × LT_k (quote). */
  thresholdValue(i: number, prices: Float64Array): number {
    let v = 0;
    for (let k = 0; k < this.collaterals; k++) v += this.units[k]![i]! * prices[k]! * this.lt[k]!;
    return v;
  }

  /**
   * Health factor HF = Σ_k units_k × price_k × LT_k / debt; Infinity without debt. Liquidatable when
   * HF < 1.
   */
  healthFactor(i: number, prices: Float64Array): number {
    const d = this.debt[i]!;
    return d > 0 ? this.thresholdValue(i, prices) / d : Infinity;
  }

  // ---- account operations ----

  /**
   * Moves up to `units` of collateral `k` from wallet `i` into the pool, at most what the wallet
   * holds; returns the units deposited.
   */
  deposit(i: number, k: number, units: number): number {
    this.checkAccount(i);
    const w = this.wallets.units(this.asset[k]!);
    const u = Math.min(units, w[i]!);
    if (!(u > 0)) return 0;
    w[i] -= u;
    this.units[k]![i] += u;
    this.deposited[k] += u;
    this.enlist(i);
    return u;
  }

  /** Most units of collateral `k` account `i` may withdraw at `prices` (see {@link withdraw}). */
  maxWithdraw(i: number, k: number, prices: Float64Array): number {
    const held = this.units[k]![i]!;
    const d = this.debt[i]!;
    if (d <= 0) return held;
    const room = this.borrowLimit(i, prices) - d;
    if (room < 0) return 0;
    const perUnit = prices[k]! * this.ltv[k]!;
    // A collateral with no borrowing power may go while the others cover the debt.
    return perUnit > 0 ? Math.min(held, room / perUnit) : held;
  }

  /**
   * Moves up to `units` of collateral `k` of account `i` back to its wallet, as long as the borrow
   * limit after the withdrawal still covers the debt (Σ units × price × ltv ≥ debt at `prices`);
   * returns the units withdrawn. Without debt everything may go.
   */
  withdraw(i: number, k: number, units: number, prices: Float64Array): number {
    const u = Math.min(units, this.maxWithdraw(i, k, prices));
    if (!(u > 0)) return 0;
    this.moveOut(i, k, u);
    this.withdrawn[k] += u;
    this.delistIfEmpty(i);
    return u;
  }

  /** Pool → wallet units of collateral `k`; takes every unit when `u` reaches the holding (no crumbs). */
  private moveOut(i: number, k: number, u: number): void {
    const col = this.units[k]!;
    col[i] = u >= col[i]! ? 0 : col[i]! - u;
    this.wallets.units(this.asset[k]!)[i] += u;
  }

  /**
   * Lends up to `amount` quote to account `i`, credited to its wallet: at most the room under its
   * borrow limit (Σ units × price × ltv − debt at `prices`) and at most the pool's cash. Returns the
   * quote borrowed.
   */
  borrow(i: number, amount: number, prices: Float64Array): number {
    this.checkAccount(i);
    const room = this.borrowLimit(i, prices) - this.debt[i]!;
    const b = Math.min(amount, room, this.cash);
    if (!(b > 0)) return 0;
    this.cash -= b;
    this.debt[i] += b;
    this.wallets.quote[i] += b;
    this.enlist(i);
    return b;
  }

  /**
   * Repays up to `amount` of account `i`'s debt from its wallet quote: at most the debt and at most
   * the (positive) wallet quote. Returns the quote repaid.
   */
  repay(i: number, amount: number): number {
    const d = this.debt[i]!;
    const r = Math.min(amount, d, this.wallets.quote[i]!);
    if (!(r > 0)) return 0;
    this.wallets.quote[i] -= r;
    this.cash += r;
    this.debt[i] = r >= d ? 0 : d - r;
    this.delistIfEmpty(i);
    return r;
  }

  /**
   * Repay with collateral (Aave v3's collateral-repay adapter, flash-loan style): moves up to `units`
   * of collateral `k` to wallet `i`, sells them on venue `venue`'s spot market through `spot`, and
   * repays the debt with the proceeds (any surplus stays in the wallet). Allowed only while the loan
   * is not liquidatable (HF ≥ 1 at `prices`), because a liquidatable loan's collateral belongs to its
   * liquidators first. Unlike {@link withdraw} it needs no room under the borrow limit: the units
   * leave only to pay the debt down. The sale moves the spot price and may fetch less than the
   * oracle value, so HF afterwards may be lower than before. Returns the quote repaid.
   */
  repayWithCollateral(i: number, k: number, units: number, prices: Float64Array, spot: SpotAccess, venue: number): number {
    if (this.debt[i]! <= 0 || this.healthFactor(i, prices) < 1) return 0;
    const a = this.asset[k]!;
    if (!spot.hasSpot(venue, a)) return 0;
    const u = Math.min(units, this.units[k]![i]!);
    if (!(u > 0)) return 0;
    this.moveOut(i, k, u);
    this.withdrawn[k] += u;
    const q = spot.sell(i, venue, a, u);
    const d = this.debt[i]!;
    const r = Math.min(q, d, this.wallets.quote[i]!);
    if (r > 0) {
      this.wallets.quote[i] -= r;
      this.cash += r;
      this.debt[i] = r >= d ? 0 : d - r;
    }
    this.delistIfEmpty(i);
    return r > 0 ? r : 0;
  }

  // ---- liquidation ----

  /**
   * One liquidation round at fixed oracle `prices` (Float64Array in collateral order): every borrower
   * with HF < 1, in ascending account order, is liquidated once.
   *
   * - Close factor c = `params.closeFactor`, or 1 when HF ≤ `params.fullCloseHealth` or when the
   *   collateral value or the debt is below `params.smallPositionValue` (or when
   *   `opts.forceFullClose`).
   * - The liquidator seizes the collateral k with the largest value units_k × price_k (ties: lowest k):
   *   seized value = repaid × (1 + bonus_k) with repaid = c × debt; when that exceeds the collateral's
   *   value, every unit is seized and repaid = value / (1 + bonus_k). Seized units = seized value / price_k.
   *   Under `opts.forceFullClose` a debt left after that goes on to the next most valuable collateral,
   *   the same way, until the debt is repaid or no collateral of any value is left.
   * - The liquidator's wallet pays the repaid quote to the pool (it may go negative inside the call:
   *   a flash loan), receives the units and sells them at once on `params.sellVenue`'s spot market
   *   through `spot.sell` (that moves the venue's spot price, not this round's `prices`). When the
   *   venue lists no spot market for the asset the liquidator keeps the units.
   * - When debt remains and the collateral left is worth less than {@link DUST_COLLATERAL_SHARE} ×
   *   debt (or none is left), the rest is written off: debt → 0, `badDebt` += it.
   *
   * `out` is reset and receives this round's figures; {@link totals} accumulates them. Returns the
   * number of liquidations (one per borrower liquidated, however many collaterals it took). Per
   * liquidation nothing is allocated unless `opts.onEvent` is given; `onEvent` must not call back into
   * the pool (the round is walking its borrower list).
   *
   * The liquidator does not check that the sale covers what it repaid: with a thin spot market its
   * wallet can lose quote. Why: the reference models liquidations as happening whenever HF < 1; a
   * profitability test (and liquidators that abstain) belongs to the world's liquidator population.
   */
  liquidateRound(prices: Float64Array, liquidator: number, spot: SpotAccess, out: LiquidationStats, opts: LiquidationRoundOptions = {}): number {
    out.reset();
    out.rounds = 1;
    const { debt, units, wallets, params, lt, bonus, asset } = this;
    const K = this.collaterals;
    const venue = params.sellVenue;
    const forceFull = opts.forceFullClose === true;
    const onEvent = opts.onEvent;
    const list = this.list;
    let w = 0; // write index: the pass also drops borrowers left empty
    for (let r = 0; r < this.n; r++) {
      const i = list[r]!;
      const d = debt[i]!;
      if (d > 0) {
        let tv = 0;
        let cv = 0;
        let best = 0;
        let bestValue = -Infinity;
        for (let k = 0; k < K; k++) {
          const v = units[k]![i]! * prices[k]!;
          cv += v;
          tv += v * lt[k]!;
          if (v > bestValue) {
            bestValue = v;
            best = k;
          }
        }
        const hf = tv / d;
        if (hf < 1) {
          const small = params.smallPositionValue;
          const c = forceFull || hf <= params.fullCloseHealth || cv < small || d < small ? 1 : params.closeFactor;
          let k = best;
          let value = bestValue;
          let want = c * d;
          let hfStep = hf;
          let written = 0;
          // One seizure per collateral: only the forced full close goes on to the next one.
          for (;;) {
            const p = prices[k]!;
            const held = units[k]![i]!;
            const onePlusBonus = 1 + bonus[k]!;
            let repaid = want;
            let seizedUnits: number;
            if (!(value > 0)) {
              // No collateral of any value: nothing to seize, nothing a liquidator would repay.
              repaid = 0;
              seizedUnits = 0;
            } else if (repaid * onePlusBonus >= value) {
              seizedUnits = held;
              repaid = value / onePlusBonus;
            } else {
              seizedUnits = (repaid * onePlusBonus) / p;
              if (seizedUnits > held) seizedUnits = held;
            }
            const a = asset[k]!;
            let proceeds = 0;
            if (repaid > 0) {
              const dNow = debt[i]!;
              wallets.quote[liquidator] -= repaid;
              this.cash += repaid;
              debt[i] = repaid >= dNow ? 0 : dNow - repaid;
            }
            if (seizedUnits > 0) {
              units[k]![i] = seizedUnits >= held ? 0 : held - seizedUnits;
              wallets.units(a)[liquidator] += seizedUnits;
              this.seized[k] += seizedUnits;
              if (spot.hasSpot(venue, a)) proceeds = spot.sell(liquidator, venue, a, seizedUnits);
            }
            const dLeft = debt[i]!;
            // A full close repays the whole debt: when one collateral ran out, the forced one (the
            // last round allowed) takes the next most valuable too, so the loan cannot stay
            // liquidatable after it. One pass finds it and what collateral is left.
            let next = -1;
            let nextValue = 0;
            let cvLeft = 0;
            if (dLeft > 0) {
              for (let j = 0; j < K; j++) {
                const v = units[j]![i]! * prices[j]!;
                cvLeft += v;
                if (forceFull && v > nextValue) {
                  nextValue = v;
                  next = j;
                }
              }
            }
            // Write off what no collateral backs any more.
            if (next < 0 && dLeft > 0) {
              if (!(cvLeft >= DUST_COLLATERAL_SHARE * dLeft)) {
                written = dLeft;
                debt[i] = 0;
                this.badDebt += dLeft;
                out.writeOffs++;
              }
            }
            out.repaid += repaid;
            out.seizedUnits[k] += seizedUnits;
            out.seizedValue += seizedUnits * p;
            out.proceeds += proceeds;
            if (onEvent) {
              const hfAfter = this.healthFactor(i, prices);
              onEvent({
                tick: opts.tick, account: i, repaid, seizedUnits, collateral: k, asset: a, proceeds, badDebt: written,
                hfBefore: hfStep, hfAfter,
              });
              hfStep = hfAfter;
            }
            if (next < 0) break;
            k = next;
            value = nextValue;
            want = dLeft;
          }
          out.liquidations++;
          out.badDebt += written;
        }
      }
      if (this.isEmpty(i)) this.listed[i] = 0;
      else list[w++] = i;
    }
    this.n = w;
    this.totals.add(out);
    return out.liquidations;
  }

  /**
   * Runs liquidation rounds until a round liquidates nobody, re-reading the oracle prices before each
   * round through `readPrices` (why: the sales of one round can move the spot price an oracle reads,
   * which can make more loans liquidatable: the loop of reference "an oracle reading one venue can be
   * moved by that venue's own liquidations"). Round `maxRounds` (the last allowed) uses close factor 1
   * for everyone and takes one collateral after another (most valuable first) until the debt is
   * repaid or none is left, so no loan is liquidatable at that round's prices afterwards: a loan that
   * partial liquidation cannot heal (HF ≤ LT × (1 + bonus), where a partial liquidation lowers HF)
   * loses all its collateral and has its remaining debt written off. `out` is reset and receives the sum of the
   * rounds (`out.rounds` = rounds run, the last one liquidating nobody unless the cap was hit).
   */
  liquidateUntilStable(
    readPrices: () => Float64Array,
    liquidator: number,
    spot: SpotAccess,
    out: LiquidationStats,
    maxRounds = DEFAULT_MAX_ROUNDS,
    opts: Omit<LiquidationRoundOptions, 'forceFullClose'> = {},
  ): number {
    out.reset();
    const roundOpts: LiquidationRoundOptions = { ...opts, forceFullClose: false };
    for (let r = 1; r <= maxRounds; r++) {
      roundOpts.forceFullClose = r === maxRounds;
      const got = this.liquidateRound(readPrices(), liquidator, spot, this.round, roundOpts);
      out.add(this.round);
      if (got === 0) break;
    }
    return out.rounds;
  }

  // ---- ledger ----

  /** Σ debt over borrowers (ascending account order). */
  totalDebt(): number {
    let s = 0;
    for (let r = 0; r < this.n; r++) s += this.debt[this.list[r]!]!;
    return s;
  }

  /** Σ units of collateral `k` held by the pool (ascending account order). */
  totalCollateralUnits(k: number): number {
    const col = this.units[k]!;
    let s = 0;
    for (let r = 0; r < this.n; r++) s += col[this.list[r]!]!;
    return s;
  }

  /** Money ledger residual: cash + Σ debt + badDebt − supplied (0 up to rounding). */
  ledgerResidual(): number {
    return this.cash + this.totalDebt() + this.badDebt - this.supplied;
  }

  /** Units ledger residual of collateral `k`: Σ units_k − (deposited_k − withdrawn_k − seized_k). */
  unitsResidual(k: number): number {
    return this.totalCollateralUnits(k) - (this.deposited[k]! - this.withdrawn[k]! - this.seized[k]!);
  }
}
