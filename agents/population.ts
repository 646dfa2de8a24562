/**
 * A columnar population of trader agents running one strategy, with the behaviours any population
 * can switch on: margin top-ups from a finite reserve, stop-loss and take-profit, voluntary
 * deleveraging when the policy tightens, and re-entry after liquidation (or leaving for good).
 *
 * Behaviours of a population the venue margins (cross or portfolio: `venue.mode(i) !== 'isolated'`)
 * read the account as a whole: equity E = venue.equity(i), wallet W = Σ_m collateral_m (realized
 * money), unrealized U = Σ_m size_m·(mark_m − entry_m), requirement MM = venue.requirement(i, 'maintenance'), and act on
 * its positions in every market:
 * - top-up when MM / E ≥ threshold (or E ≤ 0), deposited into the account's wallet;
 * - stop-loss when U ≤ −stopLoss × W, take-profit when U ≥ takeProfit × W, U = Σ_m unrealized PnL
 *   (E − W less the account's collateral tokens): closes every position;
 * - deleverage when any market's headline max leverage falls: with G = Σ_m |x_m| and
 *   cap = (1 − buffer) × min over held markets of maxLeverage_m(|x_m|), an account with G / E > cap
 *   scales every position by cap × E / G;
 * - re-entry (or leaving) after the venue liquidated the account flat, the cooldown counted from
 *   its last liquidation in any market.
 * An isolated population's behaviours look at its own market's position only, as before.
 */
import { geometricWait, hashUniform, type RandomStream, type RandomStreams } from '../sim/engine/rng';
import { AccountState, unrealizedPnl } from '../sim/exchange/accounts';
import type { Exchange } from '../sim/exchange/exchange';
import type { TraderPopulation } from '../sim/exchange/population';
import type { MarketView } from '../sim/market/market';
import type { VenueView } from '../sim/world/types';
import { drawColumn, type DistSpec } from './distributions';
import { PriceHistory } from './history';
import { ColumnReserve, type ReserveWallet } from './reserve';
import type { ParamSpec, StrategyDefinition } from './strategy';

/** Margin top-up from the reserve wallet. */
export interface TopUpBehaviour {
  /** Top up when the margin ratio MM / equity reaches this (e.g. 0.7). */
  threshold: number;
  /** Probability per tick that an agent over the threshold acts. */
  probability: number;
  /** Amount per top-up, as a fraction of the agent's initial collateral. */
  amount: number;
}

/** Re-entry after a full liquidation. */
export interface ReentryBehaviour {
  /** Ticks to wait after the liquidation. */
  cooldownTicks: number;
  /** Probability of coming back (with a new deposit of the initial collateral from the reserve); otherwise the agent withdraws what is left and leaves for good. */
  probability: number;
}

/** Behaviours of a population; every one is optional. */
export interface Behaviours {
  topUp?: TopUpBehaviour;
  /** Close when the unrealized loss reaches this fraction of the position's collateral. */
  stopLoss?: number;
  /** Close when the unrealized gain reaches this fraction of the position's collateral. */
  takeProfit?: number;
  /** When the policy's max leverage falls below an agent's leverage, cut to (1 − buffer) × the new max. */
  deleverage?: { buffer: number };
  reentry?: ReentryBehaviour;
}

/** What a population is built from (a scenario's `agents[i]`, with parameters still as distributions). */
export interface PopulationConfig {
  name: string;
  count: number;
  strategy: StrategyDefinition;
  /** Initial collateral per agent (quote). */
  collateral: DistSpec;
  /** Leverage an agent targets when it opens a position. */
  leverage: DistSpec;
  /** Reserve wallet per agent (quote), outside the exchange, for top-ups and re-entries. */
  reserve: DistSpec;
  /**
   * Keep the reserve in the world's wallets (a world of venues only) instead of the population's
   * column: each agent's drawn reserve is endowed into its wallet at build, and top-ups, re-entries
   * and leaving move money as transfers landing `transferTicks` later, so a margin call can arrive
   * after the liquidation. With `wallet`, the agents use the wallets of the population of that name
   * (built earlier, with as many agents: agent k shares agent k's wallet) and endow nothing: one
   * trader's strategy on several venues, one wallet, so a call on one venue drains the others'.
   * Absent: the column, deposited at once.
   */
  sharedReserve?: {
    transferTicks: number;
    wallet?: string;
    /** Populations that draw on this wallet, its owner included (default 1): with every link cut each gets an equal part. */
    sharers?: number;
  };
  /** Probability that an agent picks the long side where its strategy leaves the side open. */
  longBias: number;
  /** Probability that an agent acts in a given tick (desynchronises a population). */
  activity: number;
  /** Share of the agents that already hold a position at the start (side by longBias, at their leverage). */
  startOpen: number;
  /** Strategy parameters, each a distribution. */
  params: Record<string, DistSpec>;
  behaviours: Behaviours;
}

/** Salts that keep the per-agent draws of different purposes independent. */
const SALT = { activity: 1, topUp: 2, reentry: 3, startOpen: 4, startSide: 5, activityNext: 6, strategy: 16 } as const;

/** True when `xs` is in ascending order. */
function ascending(xs: readonly number[]): boolean {
  for (let j = 1; j < xs.length; j++) if (xs[j]! < xs[j - 1]!) return false;
  return true;
}

/*
 * The constructor's loops over the agents live in the three functions below. Why: a constructor
 * that loops over thousands of agents becomes hot enough for V8's optimizing compiler, which then
 * compiles the whole constructor with every callee inlined (~0.2 s of compiler-thread CPU, twice
 * per worker in bench-mc's first runs) for code that runs once per run; small loop functions
 * compile in a few milliseconds and the constructor stays in baseline code.
 */

/** Each agent's preferred side: +1 with probability `longBias`, else −1, one draw an agent in order. */
function drawSides(count: number, longBias: number, rng: RandomStream): Int8Array {
  const side = new Int8Array(count);
  for (let k = 0; k < count; k++) side[k] = rng.next() < longBias ? 1 : -1;
  return side;
}

/** A drawn parameter column fitted to its spec, in place: rounded if integer, then clamped to [min, max]. */
function fitParam(col: Float32Array, spec: ParamSpec): Float32Array {
  for (let k = 0; k < col.length; k++) {
    let v = col[k]!;
    if (spec.integer) v = Math.round(v);
    if (spec.min !== undefined && v < spec.min) v = spec.min;
    if (spec.max !== undefined && v > spec.max) v = spec.max;
    col[k] = v;
  }
  return col;
}

/** Deposits `collateral[k]` into account `first + k` for every agent k. */
function depositColumn(exchange: Exchange, first: number, collateral: Float64Array): void {
  for (let k = 0; k < collateral.length; k++) exchange.deposit(first + k, collateral[k]!);
}

/** A population of agents, columnar: one typed array per parameter and per piece of state. */
export class AgentPopulation implements TraderPopulation {
  readonly name: string;
  readonly first: number;
  readonly count: number;
  readonly strategy: StrategyDefinition;
  /** Initial collateral, target leverage, reserve wallet, preferred side (+1/−1). */
  readonly collateral0: Float64Array;
  readonly leverage: Float32Array;
  readonly reserve: Float64Array;
  /** Where top-ups, re-entries and leaving take and return money: the `reserve` column unless replaced ({@link useReserve}). */
  reserveWallet: ReserveWallet;
  readonly side: Int8Array;
  /** Drawn strategy parameters by name. */
  readonly params: Record<string, Float32Array> = {};
  /** Agents whose stop-loss or take-profit fired: closed at the next decision. */
  readonly pendingClose: Uint8Array;
  /** How many are pending (so the close pass is skipped when none is). */
  private pendingCount = 0;
  /** Agents fully liquidated and waiting to re-enter or leave (reentry only), and their flags. */
  private readonly waiting: number[] = [];
  private readonly isWaiting: Uint8Array;
  /** Shared mark history, long enough for the longest window a strategy asked for. */
  history: PriceHistory = new PriceHistory(1);
  /** Per-tick years, for annualising volatility. */
  readonly ticksPerYear: number;
  readonly behaviours: Behaviours;
  readonly activity: number;
  /** Probability of the long side where the strategy leaves the side open. */
  readonly longBias: number;
  readonly startOpen: number;
  private readonly key: number;
  private readonly state = new Map<string, Float64Array>();
  private readonly ticks = new Map<string, { col: Int32Array; init: number }>();
  /** Next tick each agent is active (activity < 1 only); below any tick until first drawn. */
  private readonly wake: Int32Array;
  private lastMaxLeverage = NaN;
  /** The venue: every market, margin modes, account-level equity and requirement. */
  readonly venue: VenueView;
  /** The population's own market (its asset's number in the venue). */
  readonly market: number;
  /** The exchange of the population's own market. */
  readonly exchange: Exchange;
  /** True when the venue margins the population's accounts (cross or portfolio). */
  readonly managed: boolean;
  /** Headline max leverage of every market at the last decision (managed deleveraging). */
  private lastMaxLeverages: Float64Array;

  /** Draws every parameter from the population's own streams and deposits initial collateral. */
  constructor(cfg: PopulationConfig, first: number, exchange: Exchange, streams: RandomStreams, tickSeconds: number, venue: VenueView) {
    this.name = cfg.name;
    this.venue = venue;
    this.exchange = exchange;
    this.market = venue.exchanges.indexOf(exchange);
    if (this.market < 0) throw new Error(`population ${cfg.name}: its exchange is not one of the venue's markets`);
    this.managed = cfg.count > 0 && venue.mode(first) !== 'isolated';
    this.lastMaxLeverages = new Float64Array(this.managed ? venue.exchanges.length : 0).fill(NaN);
    this.first = first;
    this.count = cfg.count;
    this.strategy = cfg.strategy;
    this.behaviours = cfg.behaviours;
    this.activity = cfg.activity;
    this.longBias = cfg.longBias;
    this.startOpen = cfg.startOpen;
    this.ticksPerYear = (365 * 86400) / tickSeconds;
    const rng = streams.stream(`agents/${cfg.name}/params`);
    this.collateral0 = drawColumn(cfg.collateral, cfg.count, rng);
    // Behavioural inputs (target leverage, strategy parameters) are kept in single precision, 7
    // significant digits, at half the memory; money (collateral, reserve) stays in double.
    this.leverage = drawColumn(cfg.leverage, cfg.count, rng, new Float32Array(cfg.count));
    this.reserve = drawColumn(cfg.reserve, cfg.count, rng);
    this.reserveWallet = new ColumnReserve(this.reserve);
    // Drawn straight into the column: a temporary Float64 column would cost 8 bytes an agent at peak.
    this.side = drawSides(cfg.count, cfg.longBias, rng);
    for (const [name, spec] of Object.entries(cfg.strategy.params)) {
      this.params[name] = fitParam(drawColumn(cfg.params[name] ?? spec.default, cfg.count, rng, new Float32Array(cfg.count)), spec);
    }
    this.key = streams.stream(`agents/${cfg.name}/decisions`).int32();
    this.pendingClose = new Uint8Array(cfg.behaviours.stopLoss !== undefined || cfg.behaviours.takeProfit !== undefined ? cfg.count : 0);
    this.wake = new Int32Array(cfg.activity < 1 ? cfg.count : 0).fill(-1);
    const strategy = cfg.strategy;
    if (strategy.depthFactor) this.depthFactor = (market) => strategy.depthFactor!(this, market);
    this.isWaiting = new Uint8Array(cfg.behaviours.reentry ? cfg.count : 0);
    // Learn of positions changed outside the strategy from the round batches (never by scanning
    // every agent every tick): re-entry waits on the liquidated, and schedules are redrawn.
    const forced = (ids: Int32Array) => {
      for (let n = 0; n < ids.length; n++) {
        const k = ids[n]! - first;
        if (k < 0 || k >= cfg.count) continue;
        this.resetSchedule(k);
        // A managed account's state is set after its closes are announced: it waits on any forced
        // close, and after() drops it again unless the venue left it liquidated.
        if (cfg.behaviours.reentry && (this.managed || exchange.accounts.state[first + k] === AccountState.Liquidated) && this.isWaiting[k] === 0) {
          this.isWaiting[k] = 1;
          this.waiting.push(k);
        }
      }
    };
    // A managed account is closed in whichever market it holds positions: hear them all.
    for (const ex of this.managed ? venue.exchanges : [exchange]) {
      ex.bus.liquidations$.subscribe((b) => forced(b.accounts));
      ex.bus.adl$.subscribe((b) => forced(b.accounts));
    }
    depositColumn(exchange, first, this.collateral0);
  }

  /**
   * Replaces the reserve column by `wallet` (a world reserve, see {@link PopulationConfig.sharedReserve}),
   * before the first tick; the column is then left at 0, its money having moved into the wallet.
   */
  useReserve(wallet: ReserveWallet): void {
    this.reserveWallet = wallet;
    this.reserve.fill(0);
  }

  /** A strategy parameter column. */
  param(name: string): Float32Array {
    const p = this.params[name];
    if (!p) throw new Error(`strategy ${this.strategy.name} has no parameter '${name}'`);
    return p;
  }

  /** A per-agent state column owned by the strategy, created (filled with `init`) on first use. */
  column(name: string, init = 0): Float64Array {
    let c = this.state.get(name);
    if (!c) {
      c = new Float64Array(this.count).fill(init);
      this.state.set(name, c);
    }
    return c;
  }

  /**
   * A per-agent tick column owned by the strategy (for scheduled events, see {@link geometricWait}),
   * created (filled with `init`) on first use. 4 bytes an agent where a Float64 column takes 8. An
   * agent's entries go back to `init` whenever its position changes outside the strategy
   * (liquidation, ADL, a stop, deleveraging) and when it re-enters, so a schedule drawn for one
   * state is never followed in another, and a strategy may put a liquidated agent to sleep.
   */
  tickColumn(name: string, init = -1): Int32Array {
    let c = this.ticks.get(name);
    if (!c) {
      c = { col: new Int32Array(this.count).fill(init), init };
      this.ticks.set(name, c);
    }
    return c.col;
  }

  /** Sends agent k's strategy schedules back to their initial value (see {@link tickColumn}). */
  private resetSchedule(k: number): void {
    for (const t of this.ticks.values()) t.col[k] = t.init;
  }

  /** Counter-based uniform for agent k at `tick`; `salt` separates independent decisions. */
  uniform(k: number, tick: number, salt = 0): number {
    return hashUniform(this.key, this.first + k, tick, SALT.strategy + salt);
  }

  /**
   * True when agent k may trade this tick: its account is active, and (with `activity` < 1) this is
   * one of its active ticks. Active ticks form a Bernoulli(`activity`) process per agent, drawn as
   * waits (geometricWait) so an idle agent costs one integer comparison, not a draw, per tick.
   */
  acts(k: number, tick: number, ex: Exchange): boolean {
    // The state first: an account that cannot trade draws nothing (its schedule is redrawn, from
    // the tick it is next asked, if it has gone stale meanwhile).
    if (ex.accounts.state[this.first + k] !== AccountState.Active) return false;
    return this.activity >= 1 || this.activeAt(k, tick);
  }

  /**
   * The first tick ≥ `tick` at which agent k is active (`tick` itself with activity ≥ 1), drawing
   * its wait if none is pending. Asking does not use the active tick up; acts() at that tick does,
   * and answers as it would have without the question. Lets a strategy wait for an agent instead
   * of asking it every tick.
   */
  activeFrom(k: number, tick: number): number {
    if (this.activity >= 1) return tick;
    const w = this.wake[k]!;
    if (w >= tick) return w;
    // Not drawn yet, or not asked since its last active tick (a strategy may ask only on a
    // signal): the process is memoryless, so the wait is drawn afresh from this tick.
    const next = tick + geometricWait(hashUniform(this.key, this.first + k, tick, SALT.activity), this.activity);
    this.wake[k] = next;
    return next;
  }

  private activeAt(k: number, tick: number): boolean {
    if (this.activeFrom(k, tick) > tick) return false;
    // Active now: the wait to the next active tick starts after this one.
    this.wake[k] = tick + 1 + geometricWait(hashUniform(this.key, this.first + k, tick, SALT.activityNext), this.activity);
    return true;
  }

  /** Sets agent k's order so its position becomes `target` (base units). */
  orderTo(k: number, target: number, ex: Exchange): void {
    const i = this.first + k;
    ex.placeOrder(i, target - ex.accounts.size[i]!);
  }

  /**
   * Called by the builder once every population exists, before the first tick: seeds the starting
   * book (the `startOpen` share, long with probability `longBias`) and lets the strategy set up.
   */
  init(_market: MarketView, _ex: Exchange): void {
    // The population's own market (the builder passes the first one).
    const ex = this.exchange, market: MarketView = ex.market;
    this.history = new PriceHistory(this.strategy.historyLength?.(this) ?? 1);
    for (let k = 0; k < this.count && this.startOpen > 0; k++) {
      if (hashUniform(this.key, this.first + k, -1, SALT.startOpen) >= this.startOpen) continue;
      const side = hashUniform(this.key, this.first + k, -1, SALT.startSide) < this.longBias ? 1 : -1;
      const i = this.first + k;
      // A cross or portfolio account is sized on its equity over the venue: its collateral tokens count.
      const money = this.managed ? this.venue.equity(i) : ex.accounts.collateral[i]!;
      ex.seedPosition(i, (side * this.leverage[k]! * money) / market.mark);
    }
    this.strategy.init?.(this, market);
  }

  /** Step 4: deleverage on a tightened policy, run the strategy, then pending stop closes. */
  decide(tick: number, market: MarketView, ex: Exchange): void {
    this.history.push(market.mark);
    if (this.behaviours.deleverage) {
      if (this.managed) this.deleverageManaged();
      else this.deleverageIfTightened(market, ex);
    }
    this.strategy.decide(this, tick, market, ex);
    if (this.pendingCount === 0) return;
    const a = ex.accounts;
    for (let k = 0; k < this.count; k++) {
      if (this.pendingClose[k] === 1) {
        const i = this.first + k;
        if (this.managed) this.closeAll(i);
        else ex.placeOrder(i, -a.size[i]!);
        this.pendingClose[k] = 0;
        this.resetSchedule(k);
      }
    }
    this.pendingCount = 0;
  }

  /** The strategy's depth contribution, when it has one (set in the constructor). */
  depthFactor?: (market: MarketView) => number;

  /** When the policy's headline max leverage falls, agents above it cut to (1 − buffer) × the new max. */
  private deleverageIfTightened(market: MarketView, ex: Exchange): void {
    const now = ex.policy.headline().maxLeverage;
    const before = this.lastMaxLeverage;
    this.lastMaxLeverage = now;
    if (!(now < before)) return;
    const a = ex.accounts;
    const buffer = this.behaviours.deleverage!.buffer;
    for (let k = 0; k < this.count; k++) {
      const i = this.first + k;
      const q = a.size[i]!;
      if (q === 0 || a.state[i] !== AccountState.Active) continue;
      const eq = a.equity(i, market.mark);
      const notional = Math.abs(q) * market.mark;
      const cap = ex.policy.maxLeverage(notional, i) * (1 - buffer);
      if (eq > 0 && notional / eq > cap) {
        this.orderTo(k, (Math.sign(q) * cap * eq) / market.mark, ex);
        this.resetSchedule(k);
      }
    }
  }

  /** Orders every position of account `i` closed, in every market (overriding orders placed this tick). */
  private closeAll(i: number): void {
    const v = this.venue;
    for (let m = 0; m < v.exchanges.length; m++) v.placeOrder(i, m, -v.exchanges[m]!.accounts.size[i]!);
  }

  /** True when account `i` holds no position in any market. */
  private flatEverywhere(i: number): boolean {
    const xs = this.venue.exchanges;
    for (let m = 0; m < xs.length; m++) if (xs[m]!.accounts.size[i] !== 0) return false;
    return true;
  }

  /** Σ_m collateral_m of account `i`: a managed account's wallet (realized money). */
  private wallet(i: number): number {
    const xs = this.venue.exchanges;
    let w = 0;
    for (let m = 0; m < xs.length; m++) w += xs[m]!.accounts.collateral[i]!;
    return w;
  }

  /** Σ_m size_m × (mark_m − entry_m): account `i`'s unrealized PnL over every market at the marks. */
  private unrealized(i: number): number {
    const xs = this.venue.exchanges;
    let u = 0;
    for (let m = 0; m < xs.length; m++) {
      const a = xs[m]!.accounts, q = a.size[i]!;
      if (q !== 0) u += unrealizedPnl(q, a.entry[i]!, xs[m]!.market.markPrice);
    }
    return u;
  }

  /** The last tick any market liquidated account `i` in. */
  private lastLiquidation(i: number): number {
    const xs = this.venue.exchanges;
    let t = -1e9;
    for (let m = 0; m < xs.length; m++) t = Math.max(t, xs[m]!.accounts.lastLiqTick[i]!);
    return t;
  }

  /**
   * Managed accounts: when any market's headline max leverage falls, an account whose gross
   * leverage G / E exceeds cap = (1 − buffer) × min_m maxLeverage_m(|x_m|) (over its held
   * markets) scales every position by cap × E / G.
   */
  private deleverageManaged(): void {
    const v = this.venue, xs = v.exchanges, last = this.lastMaxLeverages;
    let fell = false;
    for (let m = 0; m < xs.length; m++) {
      const now = xs[m]!.policy.headline().maxLeverage;
      if (now < last[m]!) fell = true;
      last[m] = now;
    }
    if (!fell) return;
    const buffer = this.behaviours.deleverage!.buffer;
    const a = this.exchange.accounts;
    for (let k = 0; k < this.count; k++) {
      const i = this.first + k;
      if (a.state[i] !== AccountState.Active) continue;
      let gross = 0, cap = Infinity;
      for (let m = 0; m < xs.length; m++) {
        const n = Math.abs(v.notional(i, m));
        if (n === 0) continue;
        gross += n;
        cap = Math.min(cap, xs[m]!.policy.maxLeverage(n, i) * (1 - buffer));
      }
      if (gross === 0) continue;
      const eq = v.equity(i);
      if (!(eq > 0) || gross / eq <= cap) continue;
      const s = (cap * eq) / gross;
      for (let m = 0; m < xs.length; m++) {
        const q = xs[m]!.accounts.size[i]!;
        if (q !== 0) v.placeOrder(i, m, q * s - q);
      }
      this.resetSchedule(k);
    }
  }

  /** Step 7 for a managed population: top-ups and stops over the whole account (see the file's doc). */
  private afterManaged(tick: number, ex: Exchange): void {
    const b = this.behaviours;
    const v = this.venue;
    const a = ex.accounts;
    for (let k = 0; k < this.count; k++) {
      const i = this.first + k;
      if (a.state[i] !== AccountState.Active || this.flatEverywhere(i)) continue;
      const w = this.wallet(i);
      // Unrealized PnL over every market: E − W would count the account's collateral tokens as a gain.
      const u = this.unrealized(i);
      if (w > 0 && ((b.stopLoss !== undefined && u <= -b.stopLoss * w) || (b.takeProfit !== undefined && u >= b.takeProfit * w))) {
        if (this.pendingClose[k] === 0) this.pendingCount++;
        this.pendingClose[k] = 1;
        continue;
      }
      if (b.topUp && this.reserveWallet.available(k) > 0) {
        const eq = v.equity(i);
        const mm = v.requirement(i, 'maintenance');
        if ((eq <= 0 || mm / eq >= b.topUp.threshold) && hashUniform(this.key, i, tick, SALT.topUp) < b.topUp.probability) {
          const amount = Math.min(this.reserveWallet.available(k), b.topUp.amount * this.collateral0[k]!);
          this.reserveWallet.take(k, i, amount, tick, ex);
        }
      }
    }
  }

  /** Step 7: re-entry or leaving, then top-ups and stop-loss / take-profit. */
  after(tick: number, market: MarketView, ex: Exchange): void {
    const b = this.behaviours;
    const a = ex.accounts;
    if (b.reentry && this.waiting.length > 0) {
      // In agent order, so deposits and withdrawals add up in a fixed order. Sorted only when new
      // agents joined out of order, and filtered in place: a sort and a new array every tick were
      // ~0.65 kB of garbage a tick on bench-mc.
      const w = this.waiting;
      if (!ascending(w)) w.sort((x, y) => x - y);
      let kept = 0;
      for (let j = 0; j < w.length; j++) {
        const k = w[j]!;
        const i = this.first + k;
        const lastLiq = this.managed ? this.lastLiquidation(i) : a.lastLiqTick[i]!;
        if (a.state[i] === AccountState.Liquidated && tick - lastLiq < b.reentry.cooldownTicks) w[kept++] = k;
        else {
          if (a.state[i] === AccountState.Liquidated) this.reenterOrLeave(k, tick, ex);
          this.isWaiting[k] = 0;
        }
      }
      w.length = kept;
    }
    if (!b.topUp && b.stopLoss === undefined && b.takeProfit === undefined) return;
    if (this.managed) {
      this.afterManaged(tick, ex);
      return;
    }
    // Margin behaviours (top-ups, stops) look at the mark price, as the venue's margin does.
    const mark = market.markPrice;
    for (let k = 0; k < this.count; k++) {
      const i = this.first + k;
      const q = a.size[i]!;
      if (a.state[i] !== AccountState.Active || q === 0) continue;
      const c = a.collateral[i]!;
      const u = unrealizedPnl(q, a.entry[i]!, mark);
      if (c > 0 && ((b.stopLoss !== undefined && u <= -b.stopLoss * c) || (b.takeProfit !== undefined && u >= b.takeProfit * c))) {
        if (this.pendingClose[k] === 0) this.pendingCount++;
        this.pendingClose[k] = 1;
        continue;
      }
      if (b.topUp && this.reserveWallet.available(k) > 0) {
        const eq = c + u;
        const mm = ex.maintenanceMargin(i, Math.abs(q) * mark);
        if ((eq <= 0 || mm / eq >= b.topUp.threshold) && hashUniform(this.key, i, tick, SALT.topUp) < b.topUp.probability) {
          const amount = Math.min(this.reserveWallet.available(k), b.topUp.amount * this.collateral0[k]!);
          this.reserveWallet.take(k, i, amount, tick, ex);
        }
      }
    }
  }

  private reenterOrLeave(k: number, tick: number, ex: Exchange): void {
    const i = this.first + k;
    const a = ex.accounts;
    // A managed account's money is its wallet over every market, and its state is one in all of them.
    const have = this.managed ? this.wallet(i) : a.collateral[i]!;
    const need = Math.max(0, this.collateral0[k]! - have);
    if (hashUniform(this.key, i, tick, SALT.reentry) < this.behaviours.reentry!.probability && this.reserveWallet.available(k) >= need) {
      this.reserveWallet.take(k, i, need, tick, ex);
      this.setState(i, AccountState.Active);
      this.resetSchedule(k);
    } else {
      this.reserveWallet.give(k, i, have, tick, ex);
      this.setState(i, AccountState.Gone);
    }
  }

  /** Sets account `i`'s state: in its own market, or in every market for a managed account. */
  private setState(i: number, s: AccountState): void {
    if (!this.managed) {
      this.exchange.accounts.setState(i, s);
      return;
    }
    for (const ex of this.venue.exchanges) ex.accounts.setState(i, s);
  }
}
