/**
 * A venue: one exchange per asset (perpetual markets with their own liquidity, mark rule, funding,
 * tier table and policy) sharing one treasury (one insurance fund), one population ledger and one
 * account numbering, with the account-level margin engines for cross and portfolio accounts
 * (account-margin.ts) and their margin-of-safety index (safety.ts). The venue is each exchange's
 * {@link ManagedMargin}: exchanges leave the accounts it manages to it.
 */
import { GroupLedger } from '../exchange/group-ledger';
import { AccountState, Treasury } from '../exchange/accounts';
import type { Exchange } from '../exchange/exchange';
import { IdList } from '../exchange/id-list';
import type { ManagedMargin } from '../exchange/managed';
import type { Market } from '../market/market';
import { AccountMargin, Mode, ScanMatrix } from './account-margin';
import { MarginSafety } from './safety';
import type { TokenCollateral } from './collateral';
import { MARGIN_MODES, type MarginMode, type PortfolioMarginOptions, type VenueView } from './types';

/** Scan ranges move by less than this (relative) before the venue re-sets them: each re-set re-checks every portfolio account. */
export const SCAN_RESET_TOLERANCE = 0.01;

/** The venue of a multi-asset world. */
export class Venue implements VenueView, ManagedMargin {
  readonly treasury = new Treasury();
  readonly groups = new GroupLedger();
  /** Margin mode per account ({@link Mode}). */
  readonly modes: Uint8Array;
  /** 1 where the account is cross or portfolio margined. */
  readonly managed: Uint8Array;
  /**
   * Each account's home market: its population's asset, where its deposits land and where a flat
   * managed account's money is gathered, so a single-market strategy reads its whole wallet there.
   */
  readonly home: Uint8Array;
  /** The managed accounts' ids, ascending. */
  private managedIds: number[] = [];
  private ranges: number[] = [];
  /** {@inheritDoc ManagedMargin.managedRanges} */
  get managedRanges(): readonly number[] {
    return this.ranges;
  }
  /** {@inheritDoc ManagedMargin.managedAccounts} */
  get managedAccounts(): readonly number[] {
    return this.managedIds;
  }
  readonly exchanges: Exchange[] = [];
  readonly markets: Market[] = [];
  margin!: AccountMargin;
  /** The margin-of-safety index (allocated with the first cross or portfolio population: a venue of isolated accounts carries none). */
  safety: MarginSafety = new MarginSafety(0, 0);
  /** The portfolio model (null without one). */
  scan: ScanMatrix | null = null;
  /** Every managed account must be checked again (funding, policy or scan change). */
  allDirty = false;
  /** Tick of each managed account's last liquidation (a second one in a tick closes everything). */
  lastLiq: Int32Array = new Int32Array(0);
  /** Bad debt of managed accounts attributed to each market, pro rata to the loss it realized (quote). */
  badDebtByMarket: Float64Array = new Float64Array(0);
  /** Deficits of managed accounts awaiting socialisation, per market. */
  pendingSocial: Float64Array = new Float64Array(0);
  /** Collateral tokens the venue accepts (null: quote only). */
  tokens: TokenCollateral | null = null;
  /** Reused id list of the accounts due for a check. */
  readonly due = new IdList();
  /**
   * Find liquidatable managed accounts through the margin-of-safety index (true) or by checking
   * every one each round (false: the reference the index is tested against).
   */
  useSafetyIndex = true;

  constructor(readonly capacity: number, readonly assets: readonly string[], private readonly portfolio?: PortfolioMarginOptions) {
    this.modes = new Uint8Array(capacity);
    this.managed = new Uint8Array(capacity);
    this.home = new Uint8Array(capacity);
  }

  /** Adds the next market's exchange (in asset order); the last one completes the venue. */
  addMarket(ex: Exchange): void {
    ex.shared = this;
    ex.adl.managed = this;
    this.exchanges.push(ex);
    this.markets.push(ex.market);
    if (this.exchanges.length < this.assets.length) return;
    const k = this.exchanges.length;
    this.badDebtByMarket = new Float64Array(k);
    this.pendingSocial = new Float64Array(k);
    if (this.portfolio) this.scan = new ScanMatrix(this.portfolio.correlation!, this.scanRanges());
    this.margin = new AccountMargin(this.exchanges, this.modes, this.scan, this.portfolio?.initialFactor ?? 1.5);
  }

  /** Accepts collateral tokens (after the last market is added): their haircut value counts in cross and portfolio equity. */
  acceptTokens(tc: TokenCollateral): void {
    this.tokens = tc;
    this.margin.tokens = tc;
  }

  /**
   * Step 2: re-reads the tokens' prices (their change is the ledger's revaluation); when one moved,
   * every holder's margin is checked again (a depeg reaches every holder at once).
   */
  revalueTokens(): void {
    this.tokens?.revalue((i) => this.safety.touch(i));
  }

  /**
   * Moves a share of each of accounts first..first+n−1's wallet into units of token `k` at its price
   * now (a population that holds part of its collateral in a token): the quote deposit becomes a
   * token deposit of the same value.
   */
  depositTokens(first: number, n: number, k: number, share: number): void {
    const tc = this.tokens!;
    const price = tc.markets[k]!.price();
    for (let i = first; i < first + n; i++) {
      const ex = this.exchanges[this.home[i]!]!;
      const q = ex.accounts.collateral[i]! * share;
      if (!(q > 0)) continue;
      ex.accounts.collateral[i] -= q;
      // The venue's ledger now counts the value as a token deposit; the population's own ledger
      // keeps it as what it deposited (its outcome values the tokens with its equity).
      this.treasury.deposits -= q;
      tc.deposit(i, k, q / price);
      this.safety.touch(i);
    }
  }

  /**
   * A liquidation's auto-exchange: sells every token account `i` holds (on the venue's spot market)
   * and credits the quote to its home market's collateral; every holder is then checked again (the
   * sale moved the token's price). Returns the quote received.
   */
  sellTokens(i: number): number {
    const tc = this.tokens!;
    const q = tc.sellAll(i);
    this.exchanges[this.home[i]!]!.accounts.collateral[i] += q;
    this.revalueTokens();
    return q;
  }

  /** Reserves `n` accounts of population `group` in `mode`, at home in market `home`, in every market; returns the first id (the same in each). */
  openAccounts(n: number, group: number, mode: MarginMode, home = 0): number {
    let first = -1;
    for (const [m, ex] of this.exchanges.entries()) {
      const f = ex.openAccounts(n, group);
      // Every market allocates in the same order, so an account has one id everywhere.
      if (first >= 0 && f !== first) throw new Error(`venue: market ${this.assets[m]} allocated accounts from ${f}, the first market from ${first}`);
      first = f;
    }
    const code = MARGIN_MODES.indexOf(mode);
    if (code === Mode.Portfolio && !this.scan) throw new Error('portfolio margin needs the venue\'s portfolio model (margin.scan)');
    this.modes.fill(code, first, first + n);
    this.home.fill(home, first, first + n);
    if (code !== Mode.Isolated) {
      if (this.managedIds.length === 0) {
        this.safety = new MarginSafety(this.capacity, this.assets.length);
        this.safety.observe(this.marks());
        this.lastLiq = new Int32Array(this.capacity).fill(-1e9);
      }
      this.managed.fill(1, first, first + n);
      for (let i = first; i < first + n; i++) this.managedIds.push(i);
      const r = this.ranges;
      if (r.length > 0 && r[r.length - 1] === first) r[r.length - 1] = first + n;
      else r.push(first, first + n);
    }
    return first;
  }

  /** The markets' mark prices now. */
  marks(): Float64Array {
    const out = new Float64Array(this.markets.length);
    for (let m = 0; m < out.length; m++) out[m] = this.markets[m]!.markPrice;
    return out;
  }

  /**
   * The scan range of each market now: fixed, or k × realized vol per tick × √horizon (not below the
   * floor nor above the cap), times the market policy's margin multiplier (a dynamic policy scales scan ranges as it
   * scales MMRs).
   */
  scanRanges(): Float64Array {
    const specs = this.portfolio!.scan;
    const out = new Float64Array(this.exchanges.length);
    for (let m = 0; m < out.length; m++) {
      const s = specs[m]!;
      const base = s.kind === 'fixed' ? s.range : Math.min(s.cap, Math.max(s.floor, s.k * this.markets[m]!.realizedVol * Math.sqrt(s.horizonTicks)));
      out[m] = base * this.exchanges[m]!.policy.headline().marginMultiplier;
    }
    return out;
  }

  /** Step 2: re-sets the scan ranges when one has moved by more than {@link SCAN_RESET_TOLERANCE}; every portfolio account is then checked again. */
  updateScan(): void {
    if (!this.scan) return;
    const next = this.scanRanges();
    for (let m = 0; m < next.length; m++) {
      const cur = this.scan.scan[m]!;
      if (Math.abs(next[m]! - cur) > SCAN_RESET_TOLERANCE * cur) {
        this.scan.set(next);
        this.allDirty = true;
        return;
      }
    }
  }

  // ManagedMargin: what each exchange asks about the accounts the venue margins.

  /** {@inheritDoc ManagedMargin.allowedManagedOrder} */
  allowedManagedOrder(ex: Exchange, i: number, dq: number, m: number, feeRate: number): number {
    return this.margin.allowedOrder(ex, i, dq, m, feeRate);
  }

  touched(i: number): void {
    this.safety.touch(i);
  }

  touchedAll(): void {
    this.allDirty = true;
  }

  withdraw(i: number, amount: number): number {
    for (const ex of this.exchanges) if (ex.accounts.size[i] !== 0) throw new Error(`withdraw: account ${i} has an open position`);
    const w = Math.max(0, Math.min(amount, this.margin.wallet(i)));
    this.consolidate(i, -w);
    this.treasury.withdrawals += w;
    this.groups.withdrawals[this.exchanges[0]!.accounts.group[i]!] += w;
    return w;
  }

  /**
   * Free collateral of managed account `i`: what it may take out with positions open,
   * min(wallet, equity − max(initial, maintenance requirement)) (never its unrealized profit, nor
   * its tokens' margin value); may be negative.
   */
  freeCollateral(i: number): number {
    return Math.min(this.margin.wallet(i), this.margin.equity(i) - Math.max(this.requirement(i, 'initial'), this.requirement(i, 'maintenance')));
  }

  /**
   * {@inheritDoc ManagedMargin.withdrawFree} A flat account goes through {@link withdraw}; an open
   * one gives up to {@link freeCollateral} out of its home market's column (its columns are shares
   * of one wallet) and is measured again by the safety index.
   */
  withdrawFree(i: number, amount: number): number {
    if (this.exchanges.every((ex) => ex.accounts.size[i] === 0)) return this.withdraw(i, amount);
    const w = Math.max(0, Math.min(amount, this.freeCollateral(i)));
    if (w === 0) return 0;
    this.exchanges[this.home[i]!]!.accounts.collateral[i] -= w;
    this.treasury.withdrawals += w;
    this.groups.withdrawals[this.exchanges[0]!.accounts.group[i]!] += w;
    this.touched(i);
    return w;
  }

  adlBasis(j: number): { equity: number; notional: number } {
    return { equity: this.margin.equity(j), notional: this.margin.grossNotional(j) };
  }

  /**
   * Gathers a flat managed account's money into its home market's column, changed by `delta`
   * (its columns are shares of one wallet: only their sum means anything).
   */
  consolidate(i: number, delta: number): void {
    const w = this.margin.wallet(i);
    for (const ex of this.exchanges) ex.accounts.collateral[i] = 0;
    this.exchanges[this.home[i]!]!.accounts.collateral[i] = w + delta;
  }

  /** Moves account `i` to state `s` in every market (a managed account's state is one). */
  setState(i: number, s: AccountState): void {
    for (const ex of this.exchanges) ex.accounts.setState(i, s);
  }

  /** Appends the managed accounts due for a margin check at the mark prices `marks` (touched, reached by the markets, or all after a global change), ascending. */
  collectDue(out: IdList, marks: Float64Array = this.marks()): void {
    if (this.managedIds.length === 0) return;
    this.safety.observe(marks);
    if (this.allDirty || !this.useSafetyIndex) {
      this.allDirty = false;
      // Drain the touched list so that it does not carry stale entries into the next check.
      this.safety.collectDue(new IdList(16));
      for (const i of this.managedIds) out.push(i);
      return;
    }
    this.safety.collectDue(out);
  }

  // VenueView: what multi-asset strategies see.

  mode(i: number): MarginMode {
    return MARGIN_MODES[this.modes[i]!]!;
  }

  equity(i: number): number {
    return this.margin.equity(i);
  }

  requirement(i: number, kind: 'initial' | 'maintenance'): number {
    return this.margin.requirement(i, kind);
  }

  notional(i: number, m: number): number {
    return this.exchanges[m]!.accounts.size[i]! * this.markets[m]!.markPrice;
  }

  allowedOrder(i: number, m: number, dq: number): number {
    const ex = this.exchanges[m]!;
    return ex.allowedOrder(i, dq, ex.market.mark, ex.params.takerFee);
  }

  placeOrder(i: number, m: number, dq: number): void {
    this.exchanges[m]!.placeOrder(i, dq);
  }

  moveCollateral(i: number, from: number, to: number, amount: number): number {
    const src = this.exchanges[from]!, dst = this.exchanges[to]!;
    let free = amount;
    // Free collateral of an isolated wallet: equity above the position's initial margin (and never its unrealized profit).
    if (!this.managed[i]) free = src.freeCollateral(i);
    const w = Math.max(0, Math.min(amount, free));
    if (w === 0) return 0;
    src.accounts.collateral[i] -= w;
    dst.accounts.collateral[i] += w;
    src.refresh(i);
    dst.refresh(i);
    return w;
  }

  /** Number of markets. */
  get size(): number {
    return this.exchanges.length;
  }
}
