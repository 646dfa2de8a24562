/**
 * Liquidation planning: how much of a liquidatable account one cascade round closes (full,
 * partial, fraction), and whether the backstop takes the position over instead.
 */
import type { Exchange } from './exchange';
import { bracketOf, type TierTable } from './margin';

/** What one round does to one account. */
export interface ClosePlan {
  /** Signed base quantity to close (opposite sign to the position). */
  qty: number;
  /** True when the backstop takes the whole position over at the mark, without market impact. */
  takeover: boolean;
}

/** fraction mode: equity has fallen below backstopRatio × maintenance margin. */
export function needsBackstop(ex: Exchange, i: number, mark: number): boolean {
  const r = ex.params.liquidation.backstopRatio;
  if (!(r > 0)) return false;
  const a = ex.accounts;
  return a.equity(i, mark) < r * ex.maintenanceMargin(i, Math.abs(a.size[i]!) * mark);
}

/**
 * The close of account `i` at `mark` under the exchange's liquidation mode, written into `out` (and
 * returned). Why the caller's object: a cascade plans each account of a round up to four times
 * (the round, then its re-sizing passes), and a new plan per call was 40% of bench-active's
 * garbage.
 */
export function planClose(ex: Exchange, i: number, mark: number, out: ClosePlan): ClosePlan {
  const lp = ex.params.liquidation;
  const q = ex.accounts.size[i]!;
  let qty = -q, takeover = false;
  if (lp.mode === 'fraction') {
    // Nothing is left to save at zero equity (a backstop ratio of 0 takes no position over): the
    // position goes whole, not a fraction a round that realises the loss piece by piece.
    if (needsBackstop(ex, i, mark)) takeover = true;
    else if (!(Math.abs(q) * mark <= lp.fractionMinNotional) && ex.accounts.equity(i, mark) > 0) qty = -q * lp.fraction;
  } else if (lp.mode === 'module') {
    // Nothing is left to save at zero equity: the position goes whole, whatever the module says.
    if (ex.accounts.equity(i, mark) > 0) qty = -Math.sign(q) * moduleCloseQty(ex, i, mark);
  } else if (lp.mode === 'partial') {
    // A partial close that did not restore the target within its tick (a position too large for
    // the book, whose own selling moves the price further than it frees margin) is not nibbled
    // round after round: the second liquidation of an account in one tick closes it whole.
    if (ex.accounts.lastLiqTick[i] !== ex.tick) qty = -Math.sign(q) * partialCloseQty(ex, i, mark);
  }
  out.qty = qty;
  out.takeover = takeover;
  return out;
}

/**
 * mode `module`: the sizing module's quantity, checked: a module that answers NaN, ±Infinity, a
 * negative or zero size, or more than the position is an error of that module (named, with the tick).
 */
function moduleCloseQty(ex: Exchange, i: number, mark: number): number {
  const a = ex.accounts;
  const lp = ex.params.liquidation;
  const size = a.size[i]!;
  const notional = Math.abs(size) * mark;
  const x = lp.sizer!.closeQty({
    account: i, tick: ex.tick, size, entry: a.entry[i]!, collateral: a.collateral[i]!, markPrice: mark, notional,
    equity: a.equity(i, mark), maintenance: ex.maintenanceMargin(i, notional),
  });
  if (!(x > 0 && x <= Math.abs(size) * (1 + 1e-12))) {
    throw new Error(`liquidation module ${lp.sizerName ?? ''} at tick ${ex.tick}: closeQty returned ${x} for a position of ${Math.abs(size)}; allowed: a number > 0 and ≤ the position`);
  }
  return Math.min(x, Math.abs(size));
}

/**
 * The margin a partial close restores for a remaining position of `notional`: maintenance, or
 * initial under `partialTarget: initial` (fraction closes aim at maintenance).
 */
export function targetMargin(ex: Exchange, i: number, notional: number): number {
  const lp = ex.params.liquidation;
  if (lp.mode === 'partial' && lp.partialTarget === 'initial') return notional / maxLeverageAt(targetTable(ex, i), notional);
  return ex.maintenanceMargin(i, notional);
}

/**
 * The schedule a partial close restores: the account's maintenance terms, or under
 * `partialTarget: initial` the initial-margin terms its orders are checked against.
 */
function targetTable(ex: Exchange, i: number): TierTable {
  return ex.params.liquidation.partialTarget === 'initial' ? ex.terms.im(i, ex.accounts.size[i]!) : ex.mmTable(i);
}

/** The max leverage of the bracket `notional` falls in. */
function maxLeverageAt(t: TierTable, notional: number): number {
  return t.maxLeverage[bracketOf(notional, t)]!;
}

/**
 * partial mode: the smallest quantity x whose close at `mark` leaves equity ≥ the target margin
 * (maintenance or initial) of what remains, before the fee: eq ≥ r·(Q − x)·m − cum, so
 * x = (r·Q·m − cum − eq) / (r·m). Solved bracket by bracket on the linear pieces of the schedule;
 * the whole position when no partial close suffices. The fee is then taken only from equity above
 * the target (deficit.ts), as venues take their clearance fee from what margin remains: were it
 * part of the equation, a fee rate at or above the MMR (0.005 against Binance's 0.004) would leave
 * nothing short of a full close.
 */
export function partialCloseQty(ex: Exchange, i: number, mark: number): number {
  const a = ex.accounts;
  const t = targetTable(ex, i);
  const useIm = ex.params.liquidation.partialTarget === 'initial';
  const absQ = Math.abs(a.size[i]!);
  const eq = a.equity(i, mark);
  if (!(eq > 0)) return absQ;
  let b = bracketOf(absQ * mark, t);
  for (let iter = 0; iter <= t.n; iter++) {
    const r = useIm ? 1 / t.maxLeverage[b]! : t.mmr[b]!;
    const cum = useIm ? 0 : t.cum[b]!;
    if (!(r > 0)) return absQ;
    // The 1e-9 buffer keeps rounding from leaving the account a hair below its target, which
    // would liquidate it again in the next round for nothing.
    const x = Math.max(0, (r * absQ * mark - cum - eq) / (mark * r)) + 1e-9 * absQ;
    if (x >= absQ) return absQ;
    const nb = bracketOf((absQ - x) * mark, t);
    if (nb === b) return x;
    b = nb;
  }
  return absQ;
}
