/**
 * Step 5 of a tick: the order column executes as one batch. Orders that break the policy's
 * initial-margin rule are cut down; net flow moves the price through the liquidity model; every
 * fill clears at the batch's fill price against the backstop, which takes the net.
 */
import { applyFill, AccountState, isIncrease, opensPosition } from './accounts';
import { settleFlatDeficit, settleSocialized } from './deficit';
import type { Exchange } from './exchange';
import { maxNotionalForEquity } from './margin';

/**
 * Executes the exchange's order column for `tick`. Accounts are visited in account order, so fills
 * and sums do not depend on the order in which populations placed their orders.
 *
 * Why the two passes are functions of their own ({@link cutOrders}, {@link fillOrders}): as one
 * function, V8 sometimes compiled its first loop on stack replacement while the process's first run
 * was inside it, and that code then bailed out after the loop at every later tick, the rest of the
 * tick running interpreted (`node --trace-deopt`: hundreds to thousands of deopts in 5 of 63
 * processes, which then ran 20–60% slower for good). Split: none in 61, the normal case unchanged.
 */
export function executeOrders(ex: Exchange, tick: number): void {
  const m0 = ex.market.mark;
  const fee = ex.params.takerFee;
  // Orders placed in account order (each population's decide walks its agents in order) need no sort.
  const list = ex.ordered.ids.subarray(0, ex.ordered.n);
  const ascending = ex.ordered.ascending;
  if (!ascending) list.sort();
  ex.ordered.clear();
  // Orders all placed pre-checked at this mark, in account order: pass 1 would only add them up,
  // in this order, which their placement already did.
  const placed = ex.checkedFlow;
  const s = placed.exact && ascending && ex.preCheckedAt === m0 ? placed.sums(sums) : cutOrders(ex, list, m0, fee);
  placed.reset();
  ex.preCheckedAt = NaN;
  const net = s.net, traders = s.traders;
  ex.lastNetFlow = net;
  if (traders === 0) {
    ex.bus.fills$.next({ tick, count: 0, price: m0, buyQty: 0, sellQty: 0, netFlow: 0, fees: 0, clipped: s.clipped });
    return;
  }
  const p = ex.market.applyFlow(net * m0);
  ex.index.deferOrderFor(traders);
  fillOrders(ex, list, p, fee, s);
  ex.index.settle();
  const a = ex.accounts;
  const b = ex.backstop;
  applyFill(a.size, a.entry, a.collateral, b, -net, p);
  const mf = ex.params.makerFee * Math.abs(net) * p;
  a.collateral[b] -= mf;
  const fees = s.fees + mf;
  ex.treasury.feeRevenue += fees;
  if (s.deficits) settleSocialized(ex, p);
  ex.tickVolume += s.buy + s.sell;
  ex.bus.fills$.next({ tick, count: traders, price: p, buyQty: s.buy, sellQty: s.sell, netFlow: net, fees, clipped: s.clipped });
}

/**
 * The running sums of a tick's orders while every one is placed already cut
 * (Exchange.placeCheckedOrder) on an active account with no order yet: net, buys, sells and
 * traders, added in placement order. When that order is account order and the mark has not moved,
 * they are, to the bit, what {@link cutOrders} would add up, so execution skips that pass. Any
 * other placement (an unchecked order, a second order for an account) clears {@link exact}.
 */
export class CheckedFlow {
  net = 0;
  buy = 0;
  sell = 0;
  traders = 0;
  /** True while every order of the tick was added here. */
  exact = true;

  /** Adds order `dq` (≠ 0). */
  add(dq: number): void {
    this.net += dq;
    if (dq > 0) this.buy += dq;
    else this.sell -= dq;
    this.traders++;
  }

  /** Writes the sums into `out` as {@link cutOrders} would (nothing cut) and returns it. */
  sums(out: BatchSums): BatchSums {
    out.net = this.net;
    out.buy = this.buy;
    out.sell = this.sell;
    out.traders = this.traders;
    out.clipped = 0;
    return out;
  }

  /** Empties the sums for the next tick. */
  reset(): void {
    this.net = this.buy = this.sell = this.traders = 0;
    this.exact = true;
  }
}

/** What the two passes of a batch add up: one instance, reused, so a batch allocates nothing. */
class BatchSums {
  net = 0;
  buy = 0;
  sell = 0;
  traders = 0;
  clipped = 0;
  /** Taker fees charged by the fills. */
  fees = 0;
  /** True when a fill left an account bankrupt (its deficit goes through the waterfall). */
  deficits = false;
}
const sums = new BatchSums();

/**
 * Pass 1: cuts each order of `list` by the initial-margin rule at the mark `m0` (unless placed
 * already cut at that price) and sums the batch's net, buys, sells, traders and cut orders. Skipped
 * when every order was placed already cut, in account order ({@link CheckedFlow}).
 */
function cutOrders(ex: Exchange, list: Int32Array, m0: number, fee: number): BatchSums {
  const a = ex.accounts;
  const orders = ex.orders;
  const pre = ex.preChecked;
  const trustPre = ex.preCheckedAt === m0;
  let net = 0, buy = 0, sell = 0, traders = 0, clipped = 0;
  for (let k = 0; k < list.length; k++) {
    const i = list[k]!;
    // An account is listed again when its order went back to 0 and was placed anew within the
    // tick (placeOrder lists an account whose order is 0); the list is in account order, so the
    // repeat is next to the first. Counted twice, the batch's net would double the backstop's side
    // of a fill that happens once.
    if (k > 0 && i === list[k - 1]) continue;
    let dq = orders[i]!;
    const checked = trustPre && pre[i] === 1;
    pre[i] = 0;
    if (dq === 0) continue;
    if (a.state[i] !== AccountState.Active) {
      orders[i] = 0;
      continue;
    }
    const allowed = checked ? dq : allowedOrder(ex, i, dq, m0, fee);
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
  const s = sums;
  s.net = net;
  s.buy = buy;
  s.sell = sell;
  s.traders = traders;
  s.clipped = clipped;
  return s;
}

/**
 * Pass 2: fills every remaining order of `list` at price `p`, charges the taker fee at `fee` and
 * re-files each account's liquidation price; records the fees and whether a fill left a deficit in `s`.
 */
function fillOrders(ex: Exchange, list: Int32Array, p: number, fee: number, s: BatchSums): void {
  const a = ex.accounts;
  const orders = ex.orders;
  const pre = ex.preChecked;
  // Every fill's new liquidation price under one schedule when all accounts share it: looked up once.
  const mm = ex.terms.sharedMm(ex.tick);
  let fees = 0, deficits = false;
  for (let k = 0; k < list.length; k++) {
    const i = list[k]!;
    const dq = orders[i]!;
    if (dq === 0) continue;
    orders[i] = 0;
    // Cleared here as well as in pass 1, which a batch of pre-checked orders skips.
    pre[i] = 0;
    const before = a.size[i]!;
    applyFill(a.size, a.entry, a.collateral, i, dq, p);
    const after = a.size[i]!;
    // A managed account's money is the venue's (every market's column): it is judged there. (Read
    // only where needed: most fills are same-side increases of isolated accounts.)
    const flat = after === 0 && !isManaged(ex, i);
    let f = fee * Math.abs(dq) * p;
    // A fill that reduces, closes or flips pays its fee only from what is left (the isolated
    // account's equity at the fill, its collateral once flat; a managed account's equity over the
    // venue at the marks): a fee charged into a deficit would be paid by the insurance fund, not
    // the trader. A same-side increase passed the margin check, fee included, at the batch's mark.
    if (isIncrease(before, dq)) {
      // A flip (or a position opened from flat) is a new position, on the current terms.
      const opened = opensPosition(before, after);
      ex.terms.onIncrease(i, opened);
      if (opened && before !== 0) f = Math.min(f, leftAfterFill(ex, i, p));
    } else f = Math.min(f, leftAfterFill(ex, i, p));
    a.collateral[i] -= f;
    fees += f;
    // An agent that closed an underwater position itself (after a gap, before the cascade) is
    // bankrupt like a liquidated one: its deficit goes through the waterfall.
    if (flat && settleFlatDeficit(ex, i)) deficits = true;
    ex.refresh(i, mm);
  }
  s.fees = fees;
  s.deficits = deficits;
}

/** True when account `i` is margined by the venue (cross or portfolio), not isolated in `ex`. */
function isManaged(ex: Exchange, i: number): boolean {
  return ex.shared !== null && ex.shared.managed[i] === 1;
}

/** What account `i` has left after a fill at `p` to pay its fee from: its equity (a managed account's over the venue), at least 0. */
function leftAfterFill(ex: Exchange, i: number, p: number): number {
  return Math.max(0, isManaged(ex, i) ? ex.shared!.equity(i) : ex.accounts.equity(i, p));
}

/**
 * The part of order `dq` for account `i` that the policy's initial-margin rule allows at price
 * `m`, after a fee at `feeRate`. Reductions always pass; an increase is cut down to the largest
 * size the equity supports, and never turned into a forced reduction of the same side.
 */
export function allowedOrder(ex: Exchange, i: number, dq: number, m: number, feeRate: number): number {
  if (ex.shared?.managed[i]) return ex.shared.allowedManagedOrder(ex, i, dq, m, feeRate);
  return allowedIsolated(ex, i, dq, m, feeRate);
}

/**
 * The mirrored pair's cut (agents/pairs.ts): the largest d ≤ `want` that both the long leg `il`
 * buying and the short leg `is` selling may trade, min(allowedOrder(il, +want), −allowedOrder(is,
 * −want)), at price `m` after a fee at `feeRate`. Why one call for both legs: the initial-margin
 * schedule is looked up once for the pair, and when every account shares one flat schedule (one
 * bracket: MarginTerms.flatImLeverage) each leg's check is a few operations with no call inside, small
 * enough for the engine to inline into the strategy's loop (the general check per leg measured
 * ~20 ns, mostly calls).
 */
export function allowedPairOrder(ex: Exchange, il: number, is: number, want: number, m: number, feeRate: number): number {
  const sh = ex.shared;
  const lev = ex.terms.flatImLeverage;
  if (lev !== lev || (sh !== null && (sh.managed[il] || sh.managed[is]))) return allowedPairGeneral(ex, il, is, want, m, feeRate);
  return Math.min(allowedFlat(ex, il, want, m, feeRate, lev), -allowedFlat(ex, is, -want, m, feeRate, lev));
}

/** {@link allowedPairOrder} by the general check of each leg. */
function allowedPairGeneral(ex: Exchange, il: number, is: number, want: number, m: number, feeRate: number): number {
  return Math.min(allowedOrder(ex, il, want, m, feeRate), -allowedOrder(ex, is, -want, m, feeRate));
}

/**
 * {@link allowedIsolated} under a flat initial-margin schedule of max leverage `lev`: the same
 * operations in the same order, with maxNotionalForEquity's single bracket written out (equity ×
 * lev when that is positive, else 0), so the result is the same to the bit.
 */
function allowedFlat(ex: Exchange, i: number, dq: number, m: number, feeRate: number, lev: number): number {
  const a = ex.accounts;
  const q = a.size[i]!;
  const qn = q + dq;
  if (!isIncrease(q, dq)) return dq;
  if (ex.policy.reduceOnly?.(i)) return q === 0 || (q > 0) === (qn > 0) ? 0 : -q;
  const eq = a.collateral[i]! + q * (m - a.entry[i]!) - feeRate * Math.abs(dq) * m;
  const reach = eq * lev;
  const qmax = (eq > 0 && reach > 0 ? reach : 0) / m;
  if (Math.abs(qn) <= qmax) return dq;
  const floorSize = q !== 0 && (q > 0) === (qn > 0) ? Math.abs(q) : 0;
  return Math.sign(qn) * Math.max(qmax, floorSize) - q;
}

/** {@link allowedOrder} of an isolated account. */
function allowedIsolated(ex: Exchange, i: number, dq: number, m: number, feeRate: number): number {
  const a = ex.accounts;
  const q = a.size[i]!;
  const qn = q + dq;
  if (!isIncrease(q, dq)) return dq;
  // Reduce-only: an order may close, never open or add (a flip is cut at flat).
  if (ex.policy.reduceOnly?.(i)) return q === 0 || (q > 0) === (qn > 0) ? 0 : -q;
  const eq = a.equity(i, m) - feeRate * Math.abs(dq) * m;
  const qmax = maxNotionalForEquity(eq, ex.terms.im(i, q, qn)) / m;
  if (Math.abs(qn) <= qmax) return dq;
  const floorSize = q !== 0 && (q > 0) === (qn > 0) ? Math.abs(q) : 0;
  return Math.sign(qn) * Math.max(qmax, floorSize) - q;
}

/**
 * Gives account `i` an existing position of up to `size` at the current mark, with the backstop
 * on the other side, before the run starts: the book as it stood, built over time, so opening it
 * moves no price and pays no fee. Cut down by the initial-margin rule like any order.
 */
export function seedPosition(ex: Exchange, i: number, size: number): void {
  const a = ex.accounts;
  const m = ex.market.mark;
  const dq = allowedOrder(ex, i, size, m, 0);
  if (dq === 0) return;
  const before = a.size[i]!;
  applyFill(a.size, a.entry, a.collateral, i, dq, m);
  applyFill(a.size, a.entry, a.collateral, ex.backstop, -dq, m);
  ex.terms.onIncrease(i, opensPosition(before, a.size[i]!));
  ex.refresh(i);
}
