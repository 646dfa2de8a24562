/**
 * Step 6 of a tick on a venue of several markets: one cascade, round by round, over every market
 * together. Each round collects the isolated accounts each market's mark has reached (the
 * liquidation-price index, as in sim/exchange/cascade.ts) and the cross and portfolio accounts
 * whose margin of safety the markets' moves have reached (safety.ts); it plans the managed
 * accounts' closes across their markets (`liquidation.crossOrder`), pushes every market's forced
 * flow through that market's book, and settles the managed accounts over the whole venue: the
 * liquidation fee, and a deficit through the venue's one insurance fund, then socialised loss or
 * bad debt, shared out among the markets pro rata to the loss each realized. An ETH crash that
 * liquidates cross accounts thus also sells their BTC.
 */
import { AccountState } from '../exchange/accounts';
import { collectLiquidatable, emptyCascade, endCascade, runRound, type CascadeStats, type ManagedCloses } from '../exchange/cascade';
import { settleSocialized } from '../exchange/deficit';
import type { Venue } from './venue';

/** What the venue's cascade did in the tick (the markets' own stats are in each exchange's lastCascade). */
export interface VenueCascadeStats {
  rounds: number;
  roundCapHit: boolean;
  /** Managed accounts liquidated (an account counts once per round). */
  managedLiquidations: number;
  /** Managed accounts left bankrupt. */
  managedBankrupt: number;
}

/** Runs the tick's cascade over every market of `v`. */
export function runVenueCascade(v: Venue, tick: number): VenueCascadeStats {
  const k = v.size;
  const ex = v.exchanges;
  const lp = ex[0]!.params.liquidation;
  const stats: CascadeStats[] = ex.map(() => emptyCascade());
  const markBefore = ex.map((e) => e.market.mark);
  const liq: number[][] = ex.map(() => []);
  const notYet: number[][] = ex.map(() => []);
  const deferred: number[][] = ex.map(() => []);
  const out: VenueCascadeStats = { rounds: 0, roundCapHit: false, managedLiquidations: 0, managedBankrupt: 0 };
  const managedLiq: number[] = [];
  const accountEquity: number[] = [];
  const accountReq: number[] = [];
  for (;;) {
    let any = false;
    for (let m = 0; m < k; m++) {
      collectLiquidatable(ex[m]!, tick, ex[m]!.market.markPrice, liq[m]!, notYet[m]!, deferred[m]!);
      any ||= liq[m]!.length > 0;
    }
    const sold = collectManaged(v, managedLiq, accountEquity, accountReq, out);
    any ||= managedLiq.length > 0;
    // A token sale can heal the account it was for and hurt every other holder (it moved the
    // token's price): they are checked again at once, in another pass that is not a round.
    if (!any && sold > 0) continue;
    if (!any) break;
    if (out.rounds >= lp.roundCap) {
      out.roundCapHit = true;
      for (let m = 0; m < k; m++) {
        // Accounts left waiting in this market: isolated ones, and managed ones with a position here.
        stats[m]!.roundCapHit ||= liq[m]!.length > 0 || managedLiq.some((i) => ex[m]!.accounts.size[i] !== 0);
        for (const i of liq[m]!) notYet[m]!.push(i);
      }
      // Checked again at the next tick's first round.
      for (const i of managedLiq) v.touched(i);
      break;
    }
    out.rounds++;
    const closes = planManaged(v, tick, managedLiq, accountEquity, accountReq);
    for (let m = 0; m < k; m++) {
      const c = closes[m]!;
      if (liq[m]!.length === 0 && c.ids.length === 0) continue;
      liq[m]!.sort((x, y) => x - y);
      stats[m]!.rounds++;
      runRound(ex[m]!, tick, stats[m]!.rounds, liq[m]!, ex[m]!.market.markPrice, stats[m]!, c);
      for (const i of notYet[m]!) ex[m]!.refresh(i);
      notYet[m]!.length = 0;
    }
    settleManaged(v, managedLiq, closes, out);
  }
  flushSocial(v);
  for (let m = 0; m < k; m++) endCascade(ex[m]!, tick, stats[m]!, markBefore[m]!, notYet[m]!, deferred[m]!);
  return out;
}

/**
 * The managed accounts due for a check that are below their maintenance requirement, ascending,
 * with their equity and requirement; the others are re-filed in the safety index. A flat account
 * left with a negative wallet (its own close of an underwater position) is settled here. An
 * account below its requirement that holds collateral tokens has them sold first (the venue's
 * auto-exchange) and is judged on what the sale brought; returns the number of such sales.
 */
function collectManaged(v: Venue, liq: number[], equity: number[], req: number[], out: VenueCascadeStats): number {
  let sold = 0;
  liq.length = equity.length = req.length = 0;
  const due = v.due;
  due.n = 0;
  // The marks once a round: the index observes them and every check values at them.
  const marks = v.marks();
  v.collectDue(due, marks);
  const state = v.exchanges[0]!.accounts.state;
  const found = v.margin.assessed;
  for (let c = 0; c < due.n; c++) {
    const i = due.ids[c]!;
    if (!v.managed[i] || state[i] !== AccountState.Active) continue;
    let e = v.margin.assess(i, marks);
    if (e < found.requirement && found.exposure > 0 && v.tokens?.holds(i)) {
      v.sellTokens(i);
      sold++;
      e = v.margin.assess(i, marks);
    }
    const r = found.requirement, exposure = found.exposure;
    if (exposure === 0) {
      v.safety.remove(i);
      // A flat account's tokens pay its negative wallet before any deficit is settled.
      if (v.margin.wallet(i) < 0 && v.tokens?.holds(i)) {
        v.sellTokens(i);
        sold++;
      }
      if (v.margin.wallet(i) < 0 && settleDeficit(v, i, null)) out.managedBankrupt++;
      continue;
    }
    if (e < r) {
      v.safety.remove(i);
      liq.push(i);
      equity.push(e);
      req.push(r);
    } else v.safety.file(i, e - r, exposure, found.signs);
  }
  return sold;
}

/** The requirement a partial close restores: maintenance, or initial under `partialTarget: initial`, with a 1e-9 cushion against rounding. */
function target(v: Venue, i: number, q: ArrayLike<number>): number {
  const kind = v.exchanges[0]!.params.liquidation.partialTarget === 'initial' ? 'initial' : 'maintenance';
  return v.margin.requirementOf(i, q, kind) * (1 + 1e-9);
}

/**
 * Plans the closes of liquidatable managed accounts `liq` (equity `eq`), one {@link ManagedCloses}
 * per market:
 * - `full` liquidation, no equity left, a second liquidation in the tick, or `crossOrder: all`:
 *   every position;
 * - `pro-rata`: the smallest common fraction s of every position whose close leaves equity ≥ the
 *   target requirement of what remains;
 * - `largest-requirement-first`: positions by their standalone requirement, largest first, each
 *   closed whole while that does not restore the target, the last one only as far as needed.
 * Fractions are found by bisection: the requirement is convex along a scaling of positions, so the
 * sizes that restore the target form one interval ending at a full close.
 */
function planManaged(v: Venue, tick: number, liq: readonly number[], eq: readonly number[], req: readonly number[]): ManagedCloses[] {
  const k = v.size;
  const closes: ManagedCloses[] = v.exchanges.map(() => ({ ids: [], qty: [], equity: [], requirement: [], pnl: [], adlQty: [], adlPrice: [], price: NaN }));
  const lp = v.exchanges[0]!.params.liquidation;
  const order = lp.crossOrder ?? 'largest-requirement-first';
  const adl = v.exchanges[0]!.params.deficit === 'adl';
  // What the fund can still cover after the deficits planned before in this round.
  let fundLeft = v.treasury.insuranceFund;
  for (let n = 0; n < liq.length; n++) {
    const i = liq[n]!;
    const q = v.margin.sizes(i, new Float64Array(k));
    const e = eq[n]!;
    const rest = Float64Array.from(q);
    if (lp.mode === 'full' || !(e > 0) || v.lastLiq[i] === tick || order === 'all') rest.fill(0);
    else if (order === 'pro-rata') {
      const s = smallestFraction((f) => {
        for (let m = 0; m < k; m++) rest[m] = q[m]! * (1 - f);
        return e >= target(v, i, rest);
      });
      for (let m = 0; m < k; m++) rest[m] = q[m]! * (1 - s);
    } else {
      const one = new Float64Array(k);
      const byReq = [...q.keys()].filter((m) => q[m] !== 0).map((m) => {
        one.fill(0);
        one[m] = q[m]!;
        return { m, r: v.margin.requirementOf(i, one, 'maintenance') };
      }).sort((x, y) => y.r - x.r || x.m - y.m);
      for (const { m } of byReq) {
        rest[m] = 0;
        if (!(e >= target(v, i, rest))) continue;
        const f = smallestFraction((f) => {
          rest[m] = q[m]! * (1 - f);
          return e >= target(v, i, rest);
        });
        rest[m] = q[m]! * (1 - f);
        break;
      }
    }
    v.lastLiq[i] = tick;
    // A full close of an account under water beyond what the fund can cover: each position's share
    // of the deficit (pro rata to its notional, D_m) is its bankruptcy price b_m = p_m + D_m / q_m,
    // and the share `uncovered / deficit` of every position is auto-deleveraged there, as an
    // isolated position's is at its own (deficit.ts); the rest goes to market.
    let adlShare = 0, gross = 0;
    if (adl && !(e > 0) && rest.every((x) => x === 0)) {
      const uncovered = -e - fundLeft;
      if (uncovered > 0 && e < 0) adlShare = Math.min(1, uncovered / -e);
      fundLeft = Math.max(0, fundLeft + e);
      for (let m = 0; m < k; m++) gross += Math.abs(q[m]!) * v.margin.mark(m);
    }
    for (let m = 0; m < k; m++) {
      const dq = rest[m]! - q[m]!;
      if (dq === 0) continue;
      const c = closes[m]!;
      // A close of all but dust is a full close.
      c.ids.push(i);
      c.qty.push(Math.abs(rest[m]!) <= 1e-12 * Math.abs(q[m]!) ? -q[m]! : dq);
      c.equity.push(e);
      c.requirement.push(req[n]!);
      c.pnl.push(0);
      const pm = v.margin.mark(m);
      c.adlQty.push(adlShare * Math.abs(q[m]!));
      c.adlPrice.push(adlShare > 0 ? pm - (e * Math.abs(q[m]!) * pm) / (gross * q[m]!) : NaN);
    }
  }
  return closes;
}

/** The smallest f in (0, 1] with ok(f), for ok false at 0 and true at 1 over an interval ending at 1 (bisection, 50 steps). */
function smallestFraction(ok: (f: number) => boolean): number {
  let lo = 0, hi = 1;
  if (!ok(hi)) return 1;
  for (let it = 0; it < 50; it++) {
    const mid = 0.5 * (lo + hi);
    if (ok(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * Settles the managed accounts closed this round over the venue: the liquidation fee (from equity
 * above the target of what remains, or above zero for a full close, into the venue's fund; under
 * `surplus: insurance-fund` a full close gives the fund all that remains), then a flat account's
 * deficit through the waterfall, and its state.
 */
function settleManaged(v: Venue, liq: readonly number[], closes: ManagedCloses[], out: VenueCascadeStats): void {
  const k = v.size;
  const lp = v.exchanges[0]!.params.liquidation;
  const pnl = new Float64Array(k);
  const cursor = new Int32Array(k);
  for (const i of liq) {
    let fee = 0;
    pnl.fill(0);
    for (let m = 0; m < k; m++) {
      const c = closes[m]!;
      const n = cursor[m]!;
      if (n >= c.ids.length || c.ids[n] !== i) continue;
      cursor[m] = n + 1;
      fee += lp.feeRate * Math.abs(c.qty[n]!) * c.price;
      pnl[m] = c.pnl[n]!;
    }
    out.managedLiquidations++;
    const q = v.margin.sizes(i, new Float64Array(k));
    const flat = q.every((x) => x === 0);
    const e = v.margin.equity(i);
    // From the home market's column: where a single-market strategy reads its wallet.
    const col = v.exchanges[v.home[i]!]!.accounts.collateral;
    if (flat && e >= 0 && lp.surplus === 'insurance-fund') {
      col[i] -= e;
      v.treasury.insuranceFund += e;
    } else if (e >= 0) {
      const room = flat ? e : Math.max(0, e - target(v, i, q));
      const f = Math.min(fee, room);
      col[i] -= f;
      v.treasury.insuranceFund += f;
    }
    if (!flat) continue;
    if (v.margin.wallet(i) < 0) {
      if (settleDeficit(v, i, pnl)) out.managedBankrupt++;
    } else v.setState(i, AccountState.Liquidated);
  }
  flushSocial(v);
}

/** Socialises the managed deficits awaiting it, in each market at its mark price. */
function flushSocial(v: Venue): void {
  for (let m = 0; m < v.size; m++) {
    if (!(v.pendingSocial[m]! > 0)) continue;
    v.exchanges[m]!.pendingSocial += v.pendingSocial[m]!;
    v.pendingSocial[m] = 0;
    // What the market's profits cannot absorb is bad debt, still this market's share.
    const before = v.treasury.badDebt;
    settleSocialized(v.exchanges[m]!, v.markets[m]!.markPrice);
    v.badDebtByMarket[m] += v.treasury.badDebt - before;
  }
}

/**
 * The waterfall for a flat managed account with a negative wallet, after auto-deleveraging (planned
 * with the close, {@link planManaged}): the venue's insurance fund covers what it can; the rest is
 * socialised (`deficit: socialized`) or bad debt, shared out among the markets pro rata to the loss
 * each close realized (`pnl`, by market), or all to the account's home market when no close realized
 * a loss (a deficit left by funding, fees or its own close). Returns true when there was a deficit.
 */
function settleDeficit(v: Venue, i: number, pnl: Float64Array | null): boolean {
  const w = v.margin.wallet(i);
  if (!(w < 0)) return false;
  const t = v.treasury;
  const g = v.exchanges[0]!.accounts.group[i]!;
  v.groups.bankrupt[g]++;
  const cover = Math.min(t.insuranceFund, -w);
  t.insuranceFund -= cover;
  const rest = -w - cover;
  v.consolidate(i, -w);
  v.setState(i, AccountState.Liquidated);
  if (rest <= 0) return true;
  const k = v.size;
  let loss = 0;
  for (let m = 0; m < k; m++) loss += pnl ? Math.max(0, -pnl[m]!) : 0;
  const social = v.exchanges[0]!.params.deficit === 'socialized';
  const home = v.home[i]!;
  for (let m = 0; m < k; m++) {
    const share = loss > 0 ? Math.max(0, -pnl![m]!) / loss : +(m === home);
    if (social) v.pendingSocial[m] += rest * share;
    else v.badDebtByMarket[m] += rest * share;
  }
  if (!social) t.badDebt += rest;
  return true;
}
