/**
 * The perpetual-futures exchange: columnar accounts, order execution against a backstop
 * counterparty, funding, and the liquidation cascade with insurance fund, auto-deleveraging,
 * socialised loss and bad debt. One market, isolated margin.
 */
import type { SimBus } from '../engine/bus';
import type { Market } from '../market/market';
import { Accounts, AccountState, Treasury, applyFill } from './accounts';
import { AutoDeleverager } from './adl';
import { IdList } from './id-list';
import { LiquidationIndex } from './liq-index';
import { liquidationPrice, maintenanceMargin, maxNotionalForEquity, bracketOf, type TierTable } from './margin';
import type { ExchangeParams } from './params';
import type { ExchangeView, LeveragePolicy } from './policies/types';
import { MarginTerms } from './terms';

/** What one tick's cascade did (for the tick summary). */
export interface CascadeStats {
  rounds: number;
  accounts: number;
  longNotional: number;
  shortNotional: number;
  roundCapHit: boolean;
  adlCount: number;
  adlNotional: number;
}

/** Per-tick figures from the stats pass over all accounts. */
export interface BookStats {
  equity: number;
  openInterest: number;
  positions: number;
  activeAccounts: number;
  avgLeverage: number;
  nearLiq5: number;
  nearLiq10: number;
}

/** The exchange. Account 0 is the house backstop / market-maker counterparty. */
export class Exchange implements ExchangeView {
  readonly accounts: Accounts;
  /** Where the book kernel leaves its sums (byte 0 of the accounts' kernel memory). */
  private readonly bookResults: Float64Array;
  readonly treasury = new Treasury();
  readonly index: LiquidationIndex;
  /** Desired signed position change per account, written through placeOrder(), consumed by execute(). */
  readonly orders: Float64Array;
  /** Accounts with an order this tick, so execution visits only them (not every account). */
  private readonly ordered = new IdList();
  /** The house account that takes the other side of net flow and of liquidations. */
  readonly backstop: number;
  /** Net agent order flow (base units) of the last execution, + = agents bought. */
  lastNetFlow = 0;
  /** Volume (base units) traded this tick, voluntary and forced. */
  tickVolume = 0;
  lastCascade: CascadeStats = emptyCascade();
  /**
   * Find liquidatable accounts through the liquidation-price index (true) or by rescanning every
   * account (false: the O(N)-per-round reference the index is tested and benchmarked against).
   */
  useIndex = true;
  /** Which margin terms apply to each account as the policy's limits move. */
  readonly terms: MarginTerms;
  /** The current tick (set by beginTick). */
  tick = 0;
  /** Open interest (one side, quote) at the end of the last tick: for policies. */
  openInterestNotional = 0;
  /** Notional liquidated in the last tick: for policies. */
  get liquidatedNotional(): number {
    return this.lastCascade.longNotional + this.lastCascade.shortNotional;
  }
  readonly insuranceFundStart: number;
  private readonly adl: AutoDeleverager;
  /** Candidates of a cascade round (up to every account). */
  private readonly candidates = new IdList();

  /** @param capacity most accounts, the backstop included. */
  constructor(
    capacity: number,
    readonly params: ExchangeParams,
    public policy: LeveragePolicy,
    readonly market: Market,
    readonly bus: SimBus,
  ) {
    this.accounts = new Accounts(capacity);
    this.bookResults = new Float64Array(this.accounts.heap, 0, 7);
    this.index = new LiquidationIndex(capacity);
    this.orders = new Float64Array(capacity);
    // Full capacity: a buffer grown on demand measured ~20% slower ticks (bench-1m at 2×10^5).
    this.adl = new AutoDeleverager(capacity);
    this.backstop = this.accounts.allocate(1, AccountState.House);
    this.deposit(this.backstop, params.backstopCollateral);
    this.treasury.insuranceFund = params.insuranceFund;
    this.treasury.deposits += params.insuranceFund;
    this.insuranceFundStart = params.insuranceFund;
    this.terms = new MarginTerms(capacity, policy);
  }

  /** The insurance fund now (quote). */
  get insuranceFund(): number {
    return this.treasury.insuranceFund;
  }

  /** Starts a tick: a grace period that ends now puts everyone on the current terms. */
  beginTick(tick: number): void {
    this.tick = tick;
    if (this.terms.graceEnds(tick)) this.reindexAll();
  }

  /** The policy changed its limits at the current tick: apply them per its tightening mode. */
  onPolicyChange(): void {
    if (this.terms.onPolicyChange(this.tick)) this.reindexAll();
  }

  /** The maintenance schedule that applies to account `i` now. */
  mmTable(i: number): TierTable {
    return this.terms.mm(i, this.tick);
  }

  /** Maintenance margin (quote) of account `i` for a position of `notional`, under its terms. */
  maintenanceMargin(i: number, notional: number): number {
    return maintenanceMargin(notional, this.mmTable(i));
  }

  /** Sets account `i`'s desired signed position change for this tick (the last call wins). */
  placeOrder(i: number, dq: number): void {
    if (this.orders[i] === 0) {
      if (dq === 0) return;
      this.ordered.push(i);
    }
    this.orders[i] = dq;
  }

  /** Adds `amount` (quote) to account `i`'s collateral, counted as a deposit. */
  deposit(i: number, amount: number): void {
    if (!(amount >= 0)) throw new RangeError(`deposit must be >= 0, got ${amount}`);
    this.accounts.collateral[i] += amount;
    this.treasury.deposits += amount;
    if (this.accounts.size[i] !== 0) this.refresh(i);
  }

  /** Takes up to `amount` of free collateral out of a flat account; returns what was withdrawn. */
  withdraw(i: number, amount: number): number {
    const a = this.accounts;
    if (a.size[i] !== 0) throw new Error(`withdraw: account ${i} has an open position`);
    const w = Math.max(0, Math.min(amount, a.collateral[i]!));
    a.collateral[i] -= w;
    this.treasury.withdrawals += w;
    return w;
  }

  /** Recomputes account `i`'s liquidation price and re-files it in the index. */
  refresh(i: number): void {
    const a = this.accounts;
    const q = a.size[i]!;
    if (q === 0 || i === this.backstop) {
      a.liqPrice[i] = NaN;
      this.index.remove(i);
      return;
    }
    // null: no positive price liquidates it; NaN keeps it out of the index until it changes.
    const lp = liquidationPrice(q, a.entry[i]!, a.collateral[i]!, this.mmTable(i)) ?? NaN;
    a.liqPrice[i] = lp;
    this.index.update(i, q, lp);
  }

  /** Recomputes every liquidation price and rebuilds the index in O(N) (funding, policy change). */
  reindexAll(): void {
    const a = this.accounts;
    for (let i = 0; i < a.count; i++) {
      const q = a.size[i]!;
      a.liqPrice[i] = q === 0 || i === this.backstop ? NaN : liquidationPrice(q, a.entry[i]!, a.collateral[i]!, this.mmTable(i)) ?? NaN;
    }
    this.index.rebuild(a.size, a.liqPrice, a.count, (i) => i === this.backstop);
  }

  /** True when account `i` holds a position whose equity at `mark` is below maintenance margin. */
  isBelowMaintenance(i: number, mark: number): boolean {
    const a = this.accounts;
    const q = a.size[i]!;
    if (q === 0 || a.state[i] === AccountState.House) return false;
    return a.equity(i, mark) < this.maintenanceMargin(i, Math.abs(q) * mark);
  }

  /**
   * Step 5: executes the order column as one batch. Orders that raise exposure beyond what the
   * policy's initial-margin rule allows are cut down. Net flow moves the mark; every fill clears at
   * the impacted mark against the backstop, which takes the net.
   */
  execute(tick: number): void {
    const a = this.accounts;
    const orders = this.orders;
    const m0 = this.market.mark;
    const fee = this.params.takerFee;
    // Execution visits the ordered accounts in account order, so fills and sums do not depend on
    // the order in which populations placed them.
    const list = this.ordered.ids.subarray(0, this.ordered.n).sort();
    this.ordered.n = 0;
    let net = 0, buy = 0, sell = 0, traders = 0, clipped = 0;
    for (let k = 0; k < list.length; k++) {
      const i = list[k]!;
      let dq = orders[i]!;
      if (dq === 0) continue;
      if (a.state[i] !== AccountState.Active) {
        orders[i] = 0;
        continue;
      }
      const allowed = this.allowedOrder(i, dq, m0, fee);
      if (allowed !== dq) {
        clipped++;
        dq = allowed;
        orders[i] = dq;
        if (dq === 0) continue;
      }
      traders++;
      net += dq;
      if (dq > 0) buy += dq;
      else sell -= dq;
    }
    this.lastNetFlow = net;
    if (traders === 0) {
      this.bus.fills$.next({ tick, count: 0, price: m0, buyQty: 0, sellQty: 0, netFlow: 0, fees: 0, clipped });
      return;
    }
    const p = this.market.applyFlow(net * m0);
    let fees = 0;
    for (let k = 0; k < list.length; k++) {
      const i = list[k]!;
      const dq = orders[i]!;
      if (dq === 0) continue;
      orders[i] = 0;
      const before = a.size[i]!;
      applyFill(a.size, a.entry, a.collateral, i, dq, p);
      if (Math.abs(a.size[i]!) > Math.abs(before) || (before !== 0 && (before > 0) !== (a.size[i]! > 0))) this.terms.onIncrease(i, before === 0);
      const f = fee * Math.abs(dq) * p;
      a.collateral[i] -= f;
      fees += f;
      this.refresh(i);
    }
    const b = this.backstop;
    applyFill(a.size, a.entry, a.collateral, b, -net, p);
    const mf = this.params.makerFee * Math.abs(net) * p;
    a.collateral[b] -= mf;
    fees += mf;
    this.treasury.feeRevenue += fees;
    this.tickVolume += buy + sell;
    this.bus.fills$.next({ tick, count: traders, price: p, buyQty: buy, sellQty: sell, netFlow: net, fees, clipped });
  }

  /**
   * The part of order `dq` for account `i` that the policy's initial-margin rule allows at price
   * `m`, after a fee at `feeRate`. Reductions always pass; an increase is cut down to the largest
   * size the equity supports, and never turned into a forced reduction of the same side.
   */
  allowedOrder(i: number, dq: number, m: number, feeRate: number): number {
    const a = this.accounts;
    const q = a.size[i]!;
    const qn = q + dq;
    if (!(Math.abs(qn) > Math.abs(q) || (q !== 0 && qn !== 0 && (q > 0) !== (qn > 0)))) return dq;
    // Reduce-only: an order may close, never open or add (a flip is cut at flat).
    if (this.policy.reduceOnly?.(i)) return q === 0 || (q > 0) === (qn > 0) ? 0 : -q;
    const eq = a.equity(i, m) - feeRate * Math.abs(dq) * m;
    const qmax = maxNotionalForEquity(eq, this.terms.im(i, q)) / m;
    if (Math.abs(qn) <= qmax) return dq;
    const floorSize = q !== 0 && (q > 0) === (qn > 0) ? Math.abs(q) : 0;
    return Math.sign(qn) * Math.max(qmax, floorSize) - q;
  }

  /**
   * Gives account `i` an existing position of up to `size` at the current mark, with the backstop
   * on the other side, before the run starts: the book as it stood, built over time, so opening it
   * moves no price and pays no fee. Cut down by the initial-margin rule like any order.
   */
  seedPosition(i: number, size: number): void {
    const a = this.accounts;
    const m = this.market.mark;
    const dq = this.allowedOrder(i, size, m, 0);
    if (dq === 0) return;
    const before = a.size[i]!;
    applyFill(a.size, a.entry, a.collateral, i, dq, m);
    applyFill(a.size, a.entry, a.collateral, this.backstop, -dq, m);
    this.terms.onIncrease(i, before === 0);
    this.refresh(i);
  }

  /**
   * Step 3 (on funding ticks): every position pays rate × size × mark (longs pay when rate > 0).
   * Zero-sum because Σ size = 0. Returns the amount transferred by the paying side.
   */
  settleFunding(rate: number, mark: number): number {
    const a = this.accounts;
    let paid = 0;
    for (let i = 0; i < a.count; i++) {
      const q = a.size[i]!;
      if (q === 0) continue;
      const pay = rate * q * mark;
      a.collateral[i] -= pay;
      if (pay > 0) paid += pay;
    }
    this.reindexAll();
    return paid;
  }

  /**
   * Step 6: the liquidation cascade. Each round pops the accounts whose liquidation price the mark
   * has reached, confirms them with the exact margin check, plans each close (full, partial,
   * fraction, or backstop takeover), pushes the forced flow through the liquidity model and clears
   * it at the impacted mark. Repeats until no account is liquidatable or the round cap.
   */
  liquidate(tick: number): void {
    const a = this.accounts;
    const lp = this.params.liquidation;
    const stats = emptyCascade();
    const markBefore = this.market.mark;
    const cand = this.candidates;
    const liq: number[] = [];
    const notYet: number[] = [];
    const deferred: number[] = [];
    for (;;) {
      const mark = this.market.mark;
      cand.n = 0;
      if (this.useIndex) this.index.popReached(mark, cand);
      else this.scanReached(mark, cand);
      const k = cand.n;
      liq.length = 0;
      for (let c = 0; c < k; c++) {
        const i = cand.ids[c]!;
        if (!this.isBelowMaintenance(i, mark)) notYet.push(i);
        else if (lp.mode === 'fraction' && tick - a.lastLiqTick[i]! < lp.cooldownTicks && !this.needsBackstop(i, mark)) deferred.push(i);
        else liq.push(i);
      }
      if (liq.length > 0 && stats.rounds >= lp.roundCap) {
        stats.roundCapHit = true;
        for (const i of liq) notYet.push(i);
        liq.length = 0;
      }
      if (liq.length === 0) break;
      // Settle in account order, whatever found them, so ADL and sums do not depend on the source.
      liq.sort((x, y) => x - y);
      stats.rounds++;
      this.runRound(tick, stats.rounds, liq, mark, stats);
      for (const i of notYet) this.refresh(i);
      notYet.length = 0;
    }
    for (const i of notYet) this.refresh(i);
    for (const i of deferred) this.refresh(i);
    this.lastCascade = stats;
    if (stats.accounts > 0) {
      this.bus.cascade$.next({
        tick, rounds: stats.rounds, accounts: stats.accounts, longNotional: stats.longNotional,
        shortNotional: stats.shortNotional, markOpen: this.market.prevClose, markBefore, markAfter: this.market.mark,
        exogenousReturn: this.market.exogenousReturn, roundCapHit: stats.roundCapHit,
      });
    }
  }

  /**
   * The full-rescan reference: every indexed account below maintenance at `mark`, removed from the
   * index as popReached would. O(N) per call.
   */
  scanReached(mark: number, out: IdList): void {
    const a = this.accounts;
    for (let i = 0; i < a.count; i++) {
      if ((this.index.longs.has(i) || this.index.shorts.has(i)) && this.isBelowMaintenance(i, mark)) {
        this.index.remove(i);
        out.push(i);
      }
    }
  }

  /** fraction mode: equity has fallen below backstopRatio × maintenance margin. */
  private needsBackstop(i: number, mark: number): boolean {
    const r = this.params.liquidation.backstopRatio;
    if (!(r > 0)) return false;
    const a = this.accounts;
    return a.equity(i, mark) < r * this.maintenanceMargin(i, Math.abs(a.size[i]!) * mark);
  }

  /** Plans, prices and settles one cascade round. */
  private runRound(tick: number, round: number, liq: number[], mark: number, stats: CascadeStats): void {
    const a = this.accounts;
    // Per round, by position in `liq` (not per account: a round is small, the book may be huge).
    const close = new Float64Array(liq.length);
    const kind = new Uint8Array(liq.length); // 0 market close, 1 backstop takeover
    let flow = 0;
    const equity = new Float64Array(liq.length);
    const maintenance = new Float64Array(liq.length);
    for (let n = 0; n < liq.length; n++) {
      const i = liq[n]!;
      equity[n] = a.equity(i, mark);
      maintenance[n] = this.maintenanceMargin(i, Math.abs(a.size[i]!) * mark);
      const [qty, takeover] = this.planClose(i, mark);
      close[n] = qty;
      kind[n] = takeover ? 1 : 0;
      if (!takeover) flow += qty;
      this.adl.exclude(i);
    }
    const p = this.market.applyFlow(flow * mark);
    const ids = Int32Array.from(liq);
    const closed = new Float64Array(liq.length);
    let bankrupt = 0, takeovers = 0, longN = 0, shortN = 0;
    this.adl.beginRound();
    for (let n = 0; n < liq.length; n++) {
      const i = liq[n]!;
      const qty = close[n]!;
      const wasLong = a.size[i]! > 0;
      closed[n] = qty;
      if (kind[n] === 1) {
        takeovers++;
        this.takeOver(i, mark);
        if (wasLong) longN += Math.abs(qty) * mark;
        else shortN += Math.abs(qty) * mark;
      } else {
        if (wasLong) longN += Math.abs(qty) * p;
        else shortN += Math.abs(qty) * p;
        if (this.closeAtMarket(tick, i, qty, p)) bankrupt++;
      }
      this.tickVolume += Math.abs(qty);
    }
    this.settleSocialized(p);
    const adlEvent = this.adl.endRound(tick, round);
    if (adlEvent) {
      for (let n = 0; n < adlEvent.accounts.length; n++) this.refresh(adlEvent.accounts[n]!);
      stats.adlCount += adlEvent.accounts.length;
      stats.adlNotional += adlEvent.notional;
      this.bus.adl$.next(adlEvent);
    }
    stats.accounts += liq.length;
    stats.longNotional += longN;
    stats.shortNotional += shortN;
    this.bus.liquidations$.next({
      tick, round, accounts: ids, closed, equity, maintenance, price: p, markBefore: mark, markAfter: p,
      longNotional: longN, shortNotional: shortN, bankrupt, backstopTakeovers: takeovers,
    });
  }

  /** Signed quantity to close for account `i` at `mark`, and whether the backstop takes it over. */
  private planClose(i: number, mark: number): [number, boolean] {
    const a = this.accounts;
    const lp = this.params.liquidation;
    const q = a.size[i]!;
    const absQ = Math.abs(q);
    if (lp.mode === 'fraction') {
      if (this.needsBackstop(i, mark)) return [-q, true];
      if (absQ * mark <= lp.fractionMinNotional) return [-q, false];
      return [-q * lp.fraction, false];
    }
    if (lp.mode === 'partial') {
      const x = this.partialCloseQty(i, mark);
      return [-Math.sign(q) * x, false];
    }
    return [-q, false];
  }

  /**
   * partial mode: the smallest quantity whose close at `mark`, after the liquidation fee, leaves
   * equity ≥ the target margin (maintenance or initial) of what remains. Solved bracket by bracket
   * on the linear pieces of the schedule; the whole position when no partial close suffices.
   */
  private partialCloseQty(i: number, mark: number): number {
    const a = this.accounts;
    const t: TierTable = this.mmTable(i);
    const f = this.params.liquidation.feeRate;
    const useIm = this.params.liquidation.partialTarget === 'initial';
    const absQ = Math.abs(a.size[i]!);
    const eq = a.equity(i, mark);
    if (!(eq > 0)) return absQ;
    let b = bracketOf(absQ * mark, t);
    for (let iter = 0; iter <= t.n; iter++) {
      const r = useIm ? 1 / t.maxLeverage[b]! : t.mmr[b]!;
      const cum = useIm ? 0 : t.cum[b]!;
      if (!(r > f)) return absQ;
      // eq − f·x·m ≥ r·(Q − x)·m − cum  ⇔  x ≥ (r·Q·m − cum − eq) / (m·(r − f))
      // The 1e-9 buffer keeps rounding from leaving the account a hair below its target, which
      // would liquidate it again in the next round for nothing.
      const x = Math.max(0, (r * absQ * mark - cum - eq) / (mark * (r - f))) + 1e-9 * absQ;
      if (x >= absQ) return absQ;
      const nb = bracketOf((absQ - x) * mark, t);
      if (nb === b) return x;
      b = nb;
    }
    return absQ;
  }

  /**
   * Closes `qty` of account `i` at the round's clearing price against the backstop. A bankrupt
   * full close first asks auto-deleveraging (when configured) to take, at the bankruptcy price, the
   * part the insurance fund cannot cover. Returns true when the account ended bankrupt.
   */
  private closeAtMarket(tick: number, i: number, qty: number, p: number): boolean {
    const a = this.accounts;
    const t = this.treasury;
    const q = a.size[i]!;
    const full = Math.abs(qty) >= Math.abs(q);
    let marketQty = qty;
    if (full && this.params.deficit === 'adl') {
      const eAfter = a.collateral[i]! + q * (p - a.entry[i]!);
      const uncovered = -eAfter - t.insuranceFund;
      if (uncovered > 0) {
        const bp = a.entry[i]! - a.collateral[i]! / q; // bankruptcy price (equity 0)
        const perUnit = Math.abs(p - bp);
        const want = Math.min(Math.abs(q), uncovered / perUnit);
        const got = this.adl.take(a, i, want, bp);
        marketQty = qty + Math.sign(q) * got; // the ADL'd part no longer goes to the market
      }
    }
    const b = this.backstop;
    if (marketQty !== 0) {
      applyFill(a.size, a.entry, a.collateral, i, marketQty, p);
      applyFill(a.size, a.entry, a.collateral, b, -marketQty, p);
    }
    if (full) {
      // Exactly flat: guard against dust left by the ADL split.
      a.size[i] = 0;
      a.entry[i] = 0;
    }
    a.lastLiqTick[i] = tick;
    const e = a.equity(i, p);
    let bankrupt = false;
    if (e >= 0) {
      const fee = Math.min(this.params.liquidation.feeRate * Math.abs(qty) * p, e);
      a.collateral[i] -= fee;
      t.insuranceFund += fee;
    } else if (a.size[i] === 0) {
      bankrupt = true;
      const deficit = -a.collateral[i]!;
      const cover = Math.min(t.insuranceFund, deficit);
      t.insuranceFund -= cover;
      a.collateral[i] += cover;
      const rest = -a.collateral[i]!;
      if (rest > 0) {
        a.collateral[i] = 0;
        if (this.params.deficit === 'socialized') this.pendingSocial += rest;
        else t.badDebt += rest;
      }
    }
    // A partial close that cleared below the bankruptcy price keeps its position (negative
    // equity, no fee); the next round sees equity ≤ 0 and closes it whole.
    if (a.size[i] === 0) a.setState(i, AccountState.Liquidated);
    this.refresh(i);
    return bankrupt;
  }

  /** Deficit awaiting socialisation at the end of the round. */
  private pendingSocial = 0;

  /**
   * Socialised loss: the round's uncovered deficit is charged to accounts with positive unrealized
   * PnL at `p`, pro rata to that PnL and never more than it; what they cannot absorb is bad debt.
   */
  private settleSocialized(p: number): void {
    const need = this.pendingSocial;
    if (need <= 0) return;
    this.pendingSocial = 0;
    const a = this.accounts;
    let pool = 0;
    for (let i = 0; i < a.count; i++) {
      if (a.state[i] === AccountState.House) continue;
      const u = a.size[i]! * (p - a.entry[i]!);
      if (u > 0) pool += u;
    }
    const take = Math.min(need, pool);
    if (take > 0) {
      const share = take / pool;
      for (let i = 0; i < a.count; i++) {
        if (a.state[i] === AccountState.House) continue;
        const u = a.size[i]! * (p - a.entry[i]!);
        if (u > 0) {
          a.collateral[i] -= u * share;
          this.refresh(i);
        }
      }
    }
    this.treasury.badDebt += need - take;
  }

  /** Hyperliquid-style backstop: the house takes the position over at mark, with its equity. */
  private takeOver(i: number, mark: number): void {
    const a = this.accounts;
    const b = this.backstop;
    const q = a.size[i]!;
    applyFill(a.size, a.entry, a.collateral, i, -q, mark);
    applyFill(a.size, a.entry, a.collateral, b, q, mark);
    a.collateral[b] += a.collateral[i]!;
    a.collateral[i] = 0;
    a.setState(i, AccountState.Liquidated);
    this.refresh(i);
  }

  /**
   * One pass over every account: equity (the ledger's Σ, from the accounts' actual state), open
   * interest and the risk counts at `mark`, by the book kernel (wasm/kernels.wat): at a million
   * accounts this pass runs every tick, and in JavaScript it cost ~12 ns an account.
   */
  bookStats(mark: number): BookStats {
    const a = this.accounts;
    const h5 = 0.05 * mark, h10 = 0.1 * mark;
    a.kernels.book(a.ptr.size, a.ptr.entry, a.ptr.collateral, a.ptr.liqPrice, a.kernelCount, mark, h5, h10);
    const r = this.bookResults;
    // The pass counts every account; the backstop counts in equity and open interest only.
    const b = this.backstop;
    const qb = a.size[b]!, eb = a.equity(b, mark), db = Math.abs(a.liqPrice[b]! - mark);
    const levB = +(eb > 0) & +(qb !== 0);
    const levN = r[4]! - levB;
    const levSum = r[2]! - (levB ? Math.abs(qb) / eb : 0);
    const oi = 0.5 * r[1]!;
    this.openInterestNotional = oi * mark;
    return {
      equity: r[0]!, openInterest: oi, positions: r[3]! - +(qb !== 0), activeAccounts: a.activeCount,
      avgLeverage: levN > 0 ? (levSum * mark) / levN : 0, nearLiq5: r[5]! - +(db <= h5), nearLiq10: r[6]! - +(db <= h10),
    };
  }
}

function emptyCascade(): CascadeStats {
  return { rounds: 0, accounts: 0, longNotional: 0, shortNotional: 0, roundCapHit: false, adlCount: 0, adlNotional: 0 };
}
