/**
 * Cross-venue arbitrageurs: each agent holds an isolated account with the same id on two venues
 * (a and b) that list the same asset, and trades the gap between their prices within its capital,
 * its margin and a latency. The rule, per tick t and agent:
 *
 *     gap = ln(price_b / price_a) as observed at tick t − latencyTicks (the markets' last prices)
 *     cap = leverage × (collateral / 2) / price_a          (a leg's capacity, base units, both legs)
 *     gap >  threshold:   target = +cap on a, −cap on b  (buy the cheap venue, sell the dear one)
 *     gap < −threshold:   target = −cap on a, +cap on b
 *     |gap| < threshold/2: target = 0 on both (unwind)
 *     otherwise:          hold
 *
 * A tick moves each leg toward its target by at most maxStep × cap; each leg is cut by its venue's
 * initial-margin rule (`exchange.allowedOrder`), and both legs then take the smaller size, so the
 * pair stays net flat across venues (equal and opposite sizes). Their flow walks each venue's
 * book, so a crash on one venue reaches the other through them, as fast as their capital allows.
 * When the legs differ (one was liquidated or cut alone) both are trimmed to the smaller opposite
 * size (flat when one leg is gone; a reduction is never cut by margin) before the agent trades again;
 * when one leg's account was liquidated flat, the other leg is closed and the agent trades no more.
 */
import { AccountState } from '../sim/exchange/accounts';
import type { Exchange } from '../sim/exchange/exchange';
import type { PopulationContext, PopulationSpec, TraderPopulation } from '../sim/exchange/population';
import type { MarketView } from '../sim/market/market';

/** Settings of a population of cross-venue arbitrageurs. */
export interface CrossVenueArbOptions {
  /** The two venues (numbers, from 0): accounts are at home on `a`, and trade on `b` too. */
  venues: readonly [number, number];
  /** The asset (number, from 0) both venues list. */
  asset: number;
  /** Collateral per agent (quote), half deposited on each venue. */
  collateral: number;
  /** Leverage of a full leg: its notional is leverage × collateral / 2. */
  leverage: number;
  /** Smallest |log gap| they act on (e.g. 2 × the taker fee: a round trip must pay). */
  threshold: number;
  /** Ticks between a gap and their reaction to it (0: they act on this tick's prices). */
  latencyTicks: number;
  /** Largest change of a leg per tick, as a fraction of its capacity (0 < maxStep ≤ 1). */
  maxStep: number;
}

/** A columnar population of cross-venue arbitrageurs (see the file's doc). */
export class CrossVenueArbPopulation implements TraderPopulation {
  readonly first: number;
  readonly count: number;
  /** The exchange of the asset on venue a (home) and on venue b. */
  readonly exA: Exchange;
  readonly exB: Exchange;
  /** Ring buffers of the two venues' prices, latencyTicks + 1 long (slot t mod length). */
  private readonly pastA: Float64Array;
  private readonly pastB: Float64Array;
  /** Ticks recorded so far (the buffers hold min(seen, length) prices). */
  private seen = 0;
  /** In the world with every link cut (the contagion matrix's counterfactual) they deposit but never trade. */
  private readonly idle: boolean;

  constructor(readonly name: string, ctx: PopulationContext, readonly o: CrossVenueArbOptions) {
    if (!ctx.venues) throw new Error(`population ${name}: cross-venue arbitrage needs a world of venues`);
    if (!(o.maxStep > 0 && o.maxStep <= 1)) throw new RangeError(`population ${name}: maxStep is ${o.maxStep}; allowed: 0 < maxStep ≤ 1`);
    if (!(Number.isInteger(o.latencyTicks) && o.latencyTicks >= 0)) throw new RangeError(`population ${name}: latencyTicks is ${o.latencyTicks}; allowed: an integer ≥ 0`);
    const [a, b] = o.venues;
    if (a === b) throw new RangeError(`population ${name}: venues a and b are both ${a}; allowed: two different venues`);
    this.first = ctx.first;
    this.count = ctx.count;
    this.exA = ctx.exchange;
    this.idle = ctx.linksCut === true;
    const symbol = ctx.venue.assets[ctx.venue.exchanges.indexOf(ctx.exchange)]!;
    const vb = ctx.venues[b];
    const mb = vb ? vb.assets.indexOf(symbol) : -1;
    if (!vb || mb < 0) throw new RangeError(`population ${name}: venue ${b} lists no market for ${symbol}`);
    this.exB = vb.exchanges[mb]!;
    this.pastA = new Float64Array(o.latencyTicks + 1);
    this.pastB = new Float64Array(o.latencyTicks + 1);
    const half = o.collateral / 2;
    for (let i = this.first; i < this.first + this.count; i++) {
      this.exA.deposit(i, half);
      this.exB.deposit(i, half);
    }
  }

  /** The log gap ln(price_b / price_a) the agents act on at this tick (NaN until latencyTicks have passed). */
  observedGap(): number {
    const n = this.pastA.length;
    if (this.seen < n) return NaN;
    // The oldest slot is the one the next push overwrites: recorded latencyTicks ago.
    const s = this.seen % n;
    return Math.log(this.pastB[s]! / this.pastA[s]!);
  }

  /** Step 4: records both prices, then moves each agent's legs toward the target of the gap seen latencyTicks ago. */
  decide(_tick: number, _market: MarketView, _ex: Exchange): void {
    if (this.idle) return;
    const n = this.pastA.length;
    const pa = this.exA.market.mark, pb = this.exB.market.mark;
    this.pastA[this.seen % n] = pa;
    this.pastB[this.seen % n] = pb;
    this.seen++;
    const gap = this.observedGap();
    if (Number.isNaN(gap)) return;
    const { threshold, leverage, maxStep } = this.o;
    // +1: long a / short b; −1: the reverse; 0: flat; NaN: hold.
    const dir = gap > threshold ? 1 : gap < -threshold ? -1 : Math.abs(gap) < threshold / 2 ? 0 : NaN;
    const A = this.exA.accounts, B = this.exB.accounts;
    const capA = (leverage * this.o.collateral) / 2 / pa;
    const feeA = this.exA.params.takerFee, feeB = this.exB.params.takerFee;
    for (let i = this.first; i < this.first + this.count; i++) {
      const activeA = A.state[i] === AccountState.Active, activeB = B.state[i] === AccountState.Active;
      if (!activeA || !activeB) {
        // One leg's account was liquidated flat (or left): the other cannot be hedged any more and is closed.
        if (activeA && A.size[i] !== 0) this.exA.placeOrder(i, -A.size[i]!);
        if (activeB && B.size[i] !== 0) this.exB.placeOrder(i, -B.size[i]!);
        continue;
      }
      const qa = A.size[i]!, qb = B.size[i]!;
      if (qa !== -qb) {
        // The legs differ (one was liquidated or cut alone): trim both to the smaller opposite
        // size, which is flat when one leg is gone; trading resumes next tick from a matched pair.
        const m = Math.sign(qa) === -Math.sign(qb) ? Math.min(Math.abs(qa), Math.abs(qb)) : 0;
        this.exA.placeOrder(i, Math.sign(qa) * m - qa);
        this.exB.placeOrder(i, Math.sign(qb) * m - qb);
        continue;
      }
      if (Number.isNaN(dir)) continue;
      // Both legs are sized in base units off venue a's capacity so they stay equal and opposite.
      const want = dir * capA - qa;
      const step = Math.sign(want) * Math.min(Math.abs(want), maxStep * capA);
      if (step === 0) continue;
      // Margin binds on each venue: the pair takes the smaller of the two allowed legs.
      const da = this.exA.allowedOrder(i, step, pa, feeA);
      const db = this.exB.allowedOrder(i, -step, pb, feeB);
      const size = Math.min(Math.abs(da), Math.abs(db));
      if (size === 0) continue;
      this.exA.placeOrder(i, Math.sign(step) * size);
      this.exB.placeOrder(i, -Math.sign(step) * size);
    }
  }
}

/**
 * A {@link PopulationSpec} of `count` cross-venue arbitrageurs at home on venue `opts.venues[0]`
 * and trading on `opts.venues[1]` too.
 * @example crossVenueArbitrage('arb', 20, { venues: [0, 1], asset: 0, collateral: 50_000, leverage: 5, threshold: 0.001, latencyTicks: 1, maxStep: 0.5 })
 */
export function crossVenueArbitrage(name: string, count: number, opts: CrossVenueArbOptions): PopulationSpec {
  return { name, count, venue: opts.venues[0], asset: opts.asset, create: (ctx) => new CrossVenueArbPopulation(name, ctx, opts) };
}
