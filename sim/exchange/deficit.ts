/**
 * Settling liquidation closes, and the deficit waterfall: a bankrupt remainder is covered by the
 * insurance fund, then by auto-deleveraging or socialised loss, and what nothing covers is bad debt.
 */
import { AccountState, applyFill } from './accounts';
import type { Exchange } from './exchange';

/**
 * Closes `qty` of account `i` at the round's clearing price `p` against the backstop. A bankrupt
 * full close first asks auto-deleveraging (when configured) to take, at the bankruptcy price, the
 * part the insurance fund cannot cover. Returns true when the account ended bankrupt.
 */
export function closeAtMarket(ex: Exchange, tick: number, i: number, qty: number, p: number): boolean {
  const a = ex.accounts;
  const t = ex.treasury;
  const q = a.size[i]!;
  const full = Math.abs(qty) >= Math.abs(q);
  let marketQty = qty;
  if (full && ex.params.deficit === 'adl') {
    const eAfter = a.collateral[i]! + q * (p - a.entry[i]!);
    const uncovered = -eAfter - t.insuranceFund;
    if (uncovered > 0) {
      const bp = a.entry[i]! - a.collateral[i]! / q; // bankruptcy price (equity 0)
      const perUnit = Math.abs(p - bp);
      const want = Math.min(Math.abs(q), uncovered / perUnit);
      const got = ex.adl.take(a, i, want, bp);
      marketQty = qty + Math.sign(q) * got; // the ADL'd part no longer goes to the market
    }
  }
  const b = ex.backstop;
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
    const fee = Math.min(ex.params.liquidation.feeRate * Math.abs(qty) * p, e);
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
      if (ex.params.deficit === 'socialized') ex.pendingSocial += rest;
      else t.badDebt += rest;
    }
  }
  // A partial close that cleared below the bankruptcy price keeps its position (negative
  // equity, no fee); the next round sees equity ≤ 0 and closes it whole.
  if (a.size[i] === 0) a.setState(i, AccountState.Liquidated);
  ex.refresh(i);
  return bankrupt;
}

/**
 * Socialised loss: the round's uncovered deficit is charged to accounts with positive unrealized
 * PnL at `p`, pro rata to that PnL and never more than it; what they cannot absorb is bad debt.
 */
export function settleSocialized(ex: Exchange, p: number): void {
  const need = ex.pendingSocial;
  if (need <= 0) return;
  ex.pendingSocial = 0;
  const a = ex.accounts;
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
        ex.refresh(i);
      }
    }
  }
  ex.treasury.badDebt += need - take;
}

/** Hyperliquid-style backstop: the house takes the position over at mark, with its equity. */
export function takeOver(ex: Exchange, i: number, mark: number): void {
  const a = ex.accounts;
  const b = ex.backstop;
  const q = a.size[i]!;
  applyFill(a.size, a.entry, a.collateral, i, -q, mark);
  applyFill(a.size, a.entry, a.collateral, b, q, mark);
  a.collateral[b] += a.collateral[i]!;
  a.collateral[i] = 0;
  a.setState(i, AccountState.Liquidated);
  ex.refresh(i);
}
