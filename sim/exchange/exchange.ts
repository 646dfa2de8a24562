/**
 * The perpetual-futures exchange: its state (columnar accounts, treasury, liquidation-price index,
 * margin terms, order column) and the entry points of the tick steps, each of which lives in a file
 * of its own: execution.ts (step 5), funding-settlement.ts (step 3), cascade.ts with
 * liquidation-plan.ts and deficit.ts (step 6), book-stats.ts (the per-tick pass). One market; its
 * accounts are isolated unless a venue (sim/world/venue.ts) manages them through {@link ManagedMargin}.
 */
import type { SimBus } from '../engine/bus';
import { Warnings } from '../engine/warnings';
import type { Market } from '../market/market';
import { Accounts, AccountState, Treasury } from './accounts';
import { AutoDeleverager } from './adl';
import { bookStats, type BookStats } from './book-stats';
import { emptyCascade, runCascade, scanReached, type CascadeStats } from './cascade';
import { allowedOrder, allowedPairOrder, CheckedFlow, executeOrders, seedPosition } from './execution';
import { settleFunding } from './funding-settlement';
import { GroupLedger } from './group-ledger';
import { IdList } from './id-list';
import { LiquidationIndex } from './liq-index';
import { initialMargin, liquidationPriceOrNaN, maintenanceMargin, type TierTable } from './margin';
import type { ExchangeParams } from './params';
import type { ManagedMargin } from './managed';
import type { ExchangeView, LeveragePolicy } from './policies/types';
import { MarginTerms } from './terms';

export type { BookStats } from './book-stats';
export type { CascadeStats } from './cascade';

/** What the markets of one venue share: its treasury (one insurance fund) and its population ledger. */
export interface VenueShare {
  treasury: Treasury;
  groups: GroupLedger;
  /** True for the venue's first market, which seeds the shared insurance fund. */
  first: boolean;
}

/** The exchange. Account 0 is the house backstop / market-maker counterparty. */
export class Exchange implements ExchangeView {
  readonly accounts: Accounts;
  /** Where the book kernel leaves its sums (byte 0 of the accounts' kernel memory). */
  readonly bookResults: Float64Array;
  /** The money outside accounts: the venue's, shared by its markets when {@link VenueShare} is given. */
  readonly treasury: Treasury;
  /** Settings that cannot do what they say, and states that made a setting moot. */
  readonly warnings = new Warnings();
  /** Money and liquidations by population (group-ledger.ts). */
  readonly groups: GroupLedger;
  /** The venue's margin engine for cross and portfolio accounts; null: every account is isolated. */
  shared: ManagedMargin | null = null;
  readonly index: LiquidationIndex;
  /** Desired signed position change per account, written through placeOrder(), consumed by execute(). */
  readonly orders: Float64Array;
  /**
   * 1 where this tick's order was placed already cut by the initial-margin rule at price
   * {@link preCheckedAt} ({@link placeCheckedOrder}), so execution need not check it again.
   */
  readonly preChecked: Uint8Array;
  /** The price the pre-checked orders of this tick were checked at. */
  preCheckedAt = NaN;
  /** Accounts with an order this tick, so execution visits only them (not every account). */
  readonly ordered = new IdList();
  /** The sums of this tick's orders while all were placed pre-checked (execution.ts). */
  readonly checkedFlow = new CheckedFlow();
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
  /** The auto-deleveraging queue (deficit.ts). */
  readonly adl: AutoDeleverager;
  /** Candidates of a cascade round (up to every account). */
  readonly candidates = new IdList();
  /** Deficit awaiting socialisation at the end of the round (deficit.ts). */
  pendingSocial = 0;

  /** @param capacity most accounts, the backstop included. */
  constructor(
    capacity: number,
    readonly params: ExchangeParams,
    public policy: LeveragePolicy,
    readonly market: Market,
    readonly bus: SimBus,
    venue?: VenueShare,
  ) {
    this.treasury = venue?.treasury ?? new Treasury();
    this.groups = venue?.groups ?? new GroupLedger();
    this.accounts = new Accounts(capacity);
    this.bookResults = new Float64Array(this.accounts.heap, 0, 7);
    this.index = new LiquidationIndex(capacity, this.accounts.size, this.accounts.liqPrice);
    this.orders = new Float64Array(capacity);
    this.preChecked = new Uint8Array(capacity);
    // Full capacity: a buffer grown on demand measured ~20% slower ticks (bench-1m at 2×10^5).
    this.adl = new AutoDeleverager(capacity);
    this.backstop = this.accounts.allocate(1, AccountState.House);
    this.groups.ensure(0);
    // The house's deposit is on the ledger, but its column starts at 0 and so holds its PnL: the
    // house is never margin-checked, and at 1e10 every fill's rounding (~1e-6 a fill) would drown
    // the traders' ledger in noise. Its equity is houseDeposits + that column's equity.
    this.treasury.houseDeposits += params.backstopCollateral;
    // A venue's markets share one insurance fund, seeded once.
    if (!venue || venue.first) {
      this.treasury.insuranceFund = params.insuranceFund;
      this.treasury.deposits += params.insuranceFund;
    }
    this.insuranceFundStart = params.insuranceFund;
    this.terms = new MarginTerms(capacity, policy);
    const lq = params.liquidation;
    if (lq.mode === 'fraction' && lq.backstopRatio >= 1) {
      this.warnings.add('fraction-always-backstop', `liquidation.backstopRatio ${lq.backstopRatio} ≥ 1: every account below maintenance is below the backstop threshold, so every fraction liquidation is a backstop takeover`);
    }
    if (lq.mode !== 'partial' && lq.partialTarget === 'initial') {
      this.warnings.add('partial-target-unused', `liquidation.partialTarget initial applies only to mode partial (the mode is ${lq.mode})`);
    }
    this.checkSchedule(-1);
  }

  /**
   * Warns when the policy's current schedule makes a position opened at a bracket's max leverage
   * liquidatable at once: MMR ≥ 1 / max leverage in that bracket.
   */
  private checkSchedule(tick: number): void {
    const t = this.policy.table(0);
    for (let b = 0; b < t.n; b++) {
      if (t.mmr[b]! >= 1 / t.maxLeverage[b]!) {
        this.warnings.add('liquidatable-at-open', `policy ${this.policy.name}: bracket ${b + 1}'s MMR ${t.mmr[b]} ≥ 1 / its max leverage ${t.maxLeverage[b]}, so a position opened at that leverage is liquidatable at once`, tick);
        return;
      }
    }
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
    this.checkSchedule(this.tick);
    if (this.terms.onPolicyChange(this.tick, this.accounts.size)) this.reindexAll();
  }

  /** The maintenance schedule that applies to account `i` now. */
  mmTable(i: number): TierTable {
    return this.terms.mm(i, this.tick);
  }

  /** Maintenance margin (quote) of account `i` for a position of `notional`, under its terms. */
  maintenanceMargin(i: number, notional: number): number {
    return maintenanceMargin(notional, this.mmTable(i));
  }

  /** Reserves `n` trader accounts for population number `group` (from 1); returns the first id. */
  openAccounts(n: number, group: number): number {
    this.groups.ensure(group);
    return this.accounts.allocate(n, AccountState.Active, group);
  }

  /**
   * Sets account `i`'s desired signed position change for this tick (the last call wins). A NaN or
   * infinite order is refused here, where it would enter the exchange. An account is listed for
   * execution when its order becomes non-zero, so one whose order went back to 0 within the tick
   * is listed again; execution visits it once.
   */
  placeOrder(i: number, dq: number): void {
    if (!Number.isFinite(dq)) throw new RangeError(`order for account ${i} is ${dq}; allowed: a finite signed size`);
    if (this.orders[i] === 0) {
      if (dq === 0) return;
      this.ordered.push(i);
    }
    this.orders[i] = dq;
    this.preChecked[i] = 0;
    this.checkedFlow.exact = false;
  }

  /**
   * Places `dq` for account `i`, which the caller has just cut itself with {@link allowedOrder} at
   * price `m` (the mark) and the taker fee: execution then takes it as allowed instead of checking
   * it again (a strategy that must know the cut, such as pairs, would otherwise pay the check
   * twice). Exact: nothing the check reads changes between decisions and execution, and execution
   * checks every order again if the mark it executes at is not `m`, or if the tick's orders were
   * checked at different prices.
   */
  placeCheckedOrder(i: number, dq: number, m: number): void {
    // The common case, kept small so that the engine inlines it into a strategy's loop: an active
    // account's first order of the tick, at the mark of the others, added to the batch's sums
    // (execution.ts, CheckedFlow). (dq − dq is 0 for a finite dq, NaN otherwise.)
    if (this.orders[i] === 0 && this.preCheckedAt === m && dq !== 0 && dq - dq === 0 && this.accounts.state[i] === AccountState.Active) {
      this.ordered.push(i);
      this.orders[i] = dq;
      this.preChecked[i] = 1;
      this.checkedFlow.add(dq);
    } else this.placeCheckedOther(i, dq, m);
  }

  /** {@link placeCheckedOrder} of the tick's first order, or of one the batch's sums cannot take (the sums then give way to execution's checking pass). */
  private placeCheckedOther(i: number, dq: number, m: number): void {
    const at = this.preCheckedAt;
    if (at !== at && dq !== 0 && m === m) {
      // The tick's first pre-checked order: its mark is the batch's, and it is placed as any other.
      this.preCheckedAt = m;
      this.placeCheckedOrder(i, dq, m);
      return;
    }
    this.placeOrder(i, dq);
    if (dq === 0) return;
    this.preChecked[i] = 1;
    // Orders checked at different prices: none is taken on its word (−∞ is no mark; execution
    // resets it), where the last price used to vouch for all of them.
    this.preCheckedAt = at !== at || at === m ? m : -Infinity;
  }

  /** Adds `amount` (quote) to account `i`'s collateral, counted as a deposit. */
  deposit(i: number, amount: number): void {
    if (!(amount >= 0 && amount < Infinity)) throw new RangeError(`deposit into account ${i} is ${amount}; allowed: a finite amount ≥ 0`);
    this.accounts.collateral[i] += amount;
    this.treasury.deposits += amount;
    this.groups.deposits[this.accounts.group[i]!] += amount;
    if (this.accounts.size[i] !== 0) this.refresh(i);
  }

  /** Takes up to `amount` of free collateral out of a flat account; returns what was withdrawn. */
  withdraw(i: number, amount: number): number {
    if (this.shared?.managed[i]) return this.shared.withdraw(i, amount);
    const a = this.accounts;
    if (a.size[i] !== 0) throw new Error(`withdraw: account ${i} has an open position`);
    const w = Math.max(0, Math.min(amount, a.collateral[i]!));
    a.collateral[i] -= w;
    this.treasury.withdrawals += w;
    this.groups.withdrawals[a.group[i]!] += w;
    return w;
  }

  /**
   * Free collateral of isolated account `i` at the mark: what it may take out with its position
   * open, min(collateral, equity − max(IM, MM)) (never its unrealized profit); may be negative.
   */
  freeCollateral(i: number): number {
    const a = this.accounts;
    const q = a.size[i]!;
    const mark = this.market.markPrice;
    const im = q === 0 ? 0 : initialMargin(Math.abs(q) * mark, this.terms.im(i, q));
    return Math.min(a.collateral[i]!, a.equity(i, mark) - Math.max(im, maintenanceMargin(Math.abs(q) * mark, this.mmTable(i))));
  }

  /**
   * Takes up to `amount` of isolated account `i`'s free collateral ({@link freeCollateral}) out,
   * position open or not, counted as a withdrawal, and re-files its liquidation price; a flat one
   * goes through {@link withdraw}, a managed one through its venue (free collateral over every
   * market). Returns what was withdrawn.
   */
  withdrawFree(i: number, amount: number): number {
    const a = this.accounts;
    if (this.shared?.managed[i]) return this.shared.withdrawFree(i, amount);
    if (a.size[i] === 0) return this.withdraw(i, amount);
    const w = Math.max(0, Math.min(amount, this.freeCollateral(i)));
    if (w === 0) return 0;
    a.collateral[i] -= w;
    this.treasury.withdrawals += w;
    this.groups.withdrawals[a.group[i]!] += w;
    this.refresh(i);
    return w;
  }

  /**
   * Recomputes account `i`'s liquidation price and re-files it in the index. `mm`: the maintenance
   * schedule when the caller looked it up once for a batch (MarginTerms.sharedMm, the schedule of
   * every account); otherwise the account's own is looked up.
   */
  refresh(i: number, mm: TierTable | null = null): void {
    const a = this.accounts;
    const q = a.size[i]!;
    if (q === 0 || i === this.backstop || this.shared?.managed[i]) {
      a.liqPrice[i] = NaN;
      this.index.remove(i);
      if (this.shared?.managed[i]) this.shared.touched(i);
      return;
    }
    // NaN (no positive price liquidates it) keeps it out of the index until it changes.
    const lp = liquidationPriceOrNaN(q, a.entry[i]!, a.collateral[i]!, mm ?? this.mmTable(i));
    a.liqPrice[i] = lp;
    this.index.update(i);
  }

  /** Recomputes every liquidation price and rebuilds the index in O(N) (funding, policy change). */
  reindexAll(): void {
    const a = this.accounts;
    const managed = this.shared?.managed;
    for (let i = 0; i < a.count; i++) {
      const q = a.size[i]!;
      a.liqPrice[i] = q === 0 || i === this.backstop || managed?.[i] ? NaN : liquidationPriceOrNaN(q, a.entry[i]!, a.collateral[i]!, this.mmTable(i));
    }
    this.index.rebuild(a.count, (i) => i === this.backstop);
    this.shared?.touchedAll();
  }

  /**
   * True when isolated account `i` holds a position whose equity at `mark` is below maintenance
   * margin (a managed account is the venue's to judge: false here).
   */
  isBelowMaintenance(i: number, mark: number): boolean {
    const a = this.accounts;
    const q = a.size[i]!;
    if (q === 0 || a.state[i] === AccountState.House || this.shared?.managed[i]) return false;
    return a.equity(i, mark) < this.maintenanceMargin(i, Math.abs(q) * mark);
  }

  /** Step 5: executes the order column as one batch (execution.ts). */
  execute(tick: number): void {
    executeOrders(this, tick);
  }

  /** The part of order `dq` the initial-margin rule allows at price `m` (execution.ts). */
  allowedOrder(i: number, dq: number, m: number, feeRate: number): number {
    return allowedOrder(this, i, dq, m, feeRate);
  }

  /** A mirrored pair's cut: min(allowedOrder(il, +want), −allowedOrder(is, −want)) (execution.ts). */
  allowedPairOrder(il: number, is: number, want: number, m: number, feeRate: number): number {
    return allowedPairOrder(this, il, is, want, m, feeRate);
  }

  /** Gives account `i` a position of up to `size` before the run starts (execution.ts). */
  seedPosition(i: number, size: number): void {
    seedPosition(this, i, size);
  }

  /** Step 3: settles funding at `rate` (funding-settlement.ts); returns what the paying side paid. */
  settleFunding(rate: number, mark: number): number {
    return settleFunding(this, rate, mark);
  }

  /** Step 6: the liquidation cascade (cascade.ts). */
  liquidate(tick: number): void {
    runCascade(this, tick);
  }

  /** The full-rescan reference the index is tested against (cascade.ts). */
  scanReached(mark: number, out: IdList): void {
    scanReached(this, mark, out);
  }

  /** The per-tick pass over every account at `mark` (book-stats.ts). */
  bookStats(mark: number): BookStats {
    return bookStats(this, mark);
  }
}
