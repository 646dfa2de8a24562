/**
 * Settling liquidation closes, and the deficit waterfall: a bankrupt remainder is covered by the
 * insurance fund, then by auto-deleveraging or socialised loss, and what nothing covers is bad debt.
 */
import { AccountState, applyFill, unrealizedPnl } from './accounts';
import type { Exchange } from './exchange';
import { targetMargin } from './liquidation-plan';
import { bankruptcyPrice } from './margin';

/** Who takes the other side of a liquidation close. */
export type CloseKind = 'market' | 'takeover';

/**
 * Settles the liquidation close of `qty` (signed base units) of account `i` at `price` against the
 * house. `market`: the round's forced flow cleared at `price`; `takeover`: the house takes the whole
 * position over at the mark without impact (Hyperliquid's backstop). Every loss goes through one
 * waterfall: a full close that leaves the account bankrupt first asks auto-deleveraging (when
 * configured) to take, at the bankruptcy price, the part the insurance fund cannot cover; then the
 * fund covers what is left; then socialised loss; what nothing covers is bad debt. What is left of
 * the equity: a takeover gives it to the house; a full market close gives it to the insurance fund
 * under `surplus: insurance-fund` (the trader is settled at the bankruptcy price), or charges the
 * liquidation fee from it; a partial close charges the fee only from equity above the target margin
 * of what remains, capped there. Returns true when the account ended bankrupt.
 */
export function settleClose(ex: Exchange, tick: number, i: number, qty: number, price: number, kind: CloseKind): boolean {
  const a = ex.accounts;
  const t = ex.treasury;
  const q = a.size[i]!;
  const full = Math.abs(qty) >= Math.abs(q);
  const g = a.group[i]!;
  ex.groups.liquidations[g]++;
  ex.groups.liquidatedNotional[g] += Math.abs(qty) * price;
  let houseQty = qty;
  if (full && ex.params.deficit === 'adl') {
    const uncovered = -a.equity(i, price) - t.insuranceFund;
    if (uncovered > 0) {
      const bp = bankruptcyPrice(q > 0 ? 'long' : 'short', q, a.entry[i]!, a.collateral[i]!);
      const want = Math.min(Math.abs(q), uncovered / Math.abs(price - bp));
      const got = ex.adl.take(a, i, want, bp, price, ex.groups);
      houseQty = qty + Math.sign(q) * got; // the ADL'd part no longer goes to the house
    }
  }
  const b = ex.backstop;
  if (houseQty !== 0) {
    applyFill(a.size, a.entry, a.collateral, i, houseQty, price);
    applyFill(a.size, a.entry, a.collateral, b, -houseQty, price);
  }
  if (full) {
    // Exactly flat: guard against dust left by the ADL split.
    a.size[i] = 0;
    a.entry[i] = 0;
  }
  a.lastLiqTick[i] = tick;
  const e = a.equity(i, price);
  let bankrupt = false;
  if (e >= 0) {
    if (kind === 'takeover') moveCollateral(a.collateral, i, b, e);
    else if (full && ex.params.liquidation.surplus === 'insurance-fund') {
      a.collateral[i] -= e;
      t.insuranceFund += e;
    } else {
      // A partial close's room is measured at the mark price the next round checks at (the round's
      // flow has moved it past the fill price), with 1e-9 of the target as a cushion: a fee of
      // exactly the excess could round the account a hair below it, to be nibbled again for nothing.
      const at = ex.market.markPrice;
      const room = full ? e : Math.max(0, a.equity(i, at) - targetMargin(ex, i, Math.abs(a.size[i]!) * at) * (1 + 1e-9));
      const fee = Math.min(ex.params.liquidation.feeRate * Math.abs(qty) * price, room);
      a.collateral[i] -= fee;
      t.insuranceFund += fee;
    }
  } else {
    // Flat with a deficit: the rest of the waterfall. A partial close that cleared below the
    // bankruptcy price keeps its position (negative equity, no fee) and is closed whole next round.
    bankrupt = settleFlatDeficit(ex, i);
  }
  if (a.size[i] === 0) a.setState(i, AccountState.Liquidated);
  ex.refresh(i);
  return bankrupt;
}

/**
 * Settles the liquidation close of `qty` of managed (cross or portfolio) account `i` in this market
 * at `price` against the house: the fill and the population's counts. When the venue planned
 * auto-deleveraging for it (`adlQty` > 0: the account's deficit beyond the fund), that much is
 * first taken by ranked opposite positions at `adlPrice`, the position's bankruptcy price; the
 * rest goes to the house at `price`. Its fee, a deficit and its state are the venue's, judged over
 * every market (sim/world/venue-cascade.ts). Returns the realized PnL (the collateral's change).
 */
export function settleManagedClose(ex: Exchange, tick: number, i: number, qty: number, price: number, adlQty = 0, adlPrice = NaN): number {
  const a = ex.accounts;
  const g = a.group[i]!;
  ex.groups.liquidations[g]++;
  ex.groups.liquidatedNotional[g] += Math.abs(qty) * price;
  const q = a.size[i]!;
  const full = Math.abs(qty) >= Math.abs(q);
  const c0 = a.collateral[i]!;
  let houseQty = qty;
  if (adlQty > 0) houseQty = qty + Math.sign(q) * ex.adl.take(a, i, Math.min(adlQty, Math.abs(qty)), adlPrice, price, ex.groups);
  if (houseQty !== 0) {
    applyFill(a.size, a.entry, a.collateral, i, houseQty, price);
    applyFill(a.size, a.entry, a.collateral, ex.backstop, -houseQty, price);
  }
  if (full) {
    a.size[i] = 0;
    a.entry[i] = 0;
  }
  a.lastLiqTick[i] = tick;
  ex.tickVolume += Math.abs(qty);
  ex.refresh(i);
  return a.collateral[i]! - c0;
}

/** Moves `amount` of collateral from account `from` to account `to`. */
function moveCollateral(collateral: Float64Array, from: number, to: number, amount: number): void {
  collateral[from] -= amount;
  collateral[to] += amount;
}

/**
 * An account that has ended flat with negative collateral: a bankrupt liquidation close, an agent's
 * own close of an underwater position after a gap (executed before the cascade runs), or an ADL
 * counterparty closed at a bankruptcy price worse than its own. Its deficit goes through the
 * waterfall below ADL (the position is already closed, so ADL has nothing left to take): insurance
 * fund, then socialised loss, then bad debt. It counts as a bankrupt close and leaves the account
 * Liquidated. Returns true when there was a deficit. The caller settles socialised loss.
 */
export function settleFlatDeficit(ex: Exchange, i: number): boolean {
  const a = ex.accounts;
  // A managed account's collateral in one market is a share of one wallet: the venue settles it.
  if (a.size[i] !== 0 || !(a.collateral[i]! < 0) || a.state[i] === AccountState.House || ex.shared?.managed[i]) return false;
  ex.groups.bankrupt[a.group[i]!]++;
  coverDeficit(ex, i);
  a.setState(i, AccountState.Liquidated);
  return true;
}

/**
 * The waterfall below auto-deleveraging, for a flat account with negative collateral: the insurance
 * fund covers what it can; the rest is socialised at the end of the round, or bad debt.
 */
function coverDeficit(ex: Exchange, i: number): void {
  const a = ex.accounts;
  const t = ex.treasury;
  const cover = Math.min(t.insuranceFund, -a.collateral[i]!);
  t.insuranceFund -= cover;
  a.collateral[i] += cover;
  const rest = -a.collateral[i]!;
  if (rest > 0) {
    a.collateral[i] = 0;
    if (ex.params.deficit === 'socialized') ex.pendingSocial += rest;
    else t.badDebt += rest;
  }
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
    const u = unrealizedPnl(a.size[i]!, a.entry[i]!, p);
    if (u > 0) pool += u;
  }
  const take = Math.min(need, pool);
  if (take > 0) {
    const share = take / pool;
    for (let i = 0; i < a.count; i++) {
      if (a.state[i] === AccountState.House) continue;
      const u = unrealizedPnl(a.size[i]!, a.entry[i]!, p);
      if (u > 0) {
        a.collateral[i] -= u * share;
        ex.groups.socializedLoss[a.group[i]!] += u * share;
        ex.refresh(i);
      }
    }
  }
  ex.treasury.badDebt += need - take;
}
