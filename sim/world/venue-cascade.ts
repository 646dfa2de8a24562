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
import { collectLiquidatable, emptyCascade, endCascade, MAX_RESIZE_PASSES, planRound, refileAfterRound, ResizeSteps, resizeSettled, roundDeficits, roundFlow, runRound, type CascadeStats, type ManagedCloses, type RoundPlan } from '../exchange/cascade';
import { settleSocialized } from '../exchange/deficit';
import { Mode } from './account-margin';
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
    const { closes, full, plans } = planRoundAll(v, tick, liq, managedLiq, accountEquity, accountReq);
    if (ex[0]!.params.deficit === 'adl') {
      const fills = Float64Array.from(ex, (e, m) => (plans[m] ? e.market.previewFillPrice(roundFlow(plans[m]!, closes[m]) * e.market.mark) : e.market.markPrice));
      // The markets' rounds settle their isolated closes first: their deficits draw on the fund before any managed one.
      let isolated = 0;
      for (let m = 0; m < k; m++) if (plans[m]) isolated += roundDeficits(ex[m]!, liq[m]!, plans[m]!, ex[m]!.market.markPrice, fills[m]!);
      planManagedAdl(v, managedLiq, full, closes, fills, Math.max(0, v.treasury.insuranceFund - isolated));
    }
    for (let m = 0; m < k; m++) {
      const c = closes[m]!;
      if (!plans[m]) continue;
      stats[m]!.rounds++;
      runRound(ex[m]!, tick, stats[m]!.rounds, liq[m]!, ex[m]!.market.markPrice, stats[m]!, c, plans[m]!);
      refileAfterRound(ex[m]!, notYet[m]!, deferred[m]!);
    }
    settleManaged(v, managedLiq, closes, out);
  }
  flushSocial(v);
  for (let m = 0; m < k; m++) endCascade(ex[m]!, tick, stats[m]!, markBefore[m]!, notYet[m]!, deferred[m]!);
  return out;
}

/**
 * Plans a round over every market before any settles: the managed accounts' closes
 * ({@link planManaged}) and each market's isolated closes (planRound; null for a market with
 * nothing to close). Partial closes, managed and isolated, are sized at the marks the round's whole
 * flow would leave in each market, to the fixed point of that (more closing, more flow, lower
 * prices; the passes as cascade.ts's MIN_RESIZE_PASSES says), as a market of isolated accounts
 * alone does: sized at the marks before the round, a managed account was left short of its target
 * by the round's own selling and, liquidated again in the tick, closed whole. Only a round with a
 * managed partial close needs the passes (full closes do not depend on the price).
 */
function planRoundAll(v: Venue, tick: number, liq: number[][], managedLiq: readonly number[], eq: readonly number[], req: readonly number[]): { closes: ManagedCloses[]; full: Uint8Array; plans: (RoundPlan | null)[] } {
  const ex = v.exchanges;
  const planAll = (c: ManagedCloses[]): (RoundPlan | null)[] => ex.map((e, m) =>
    liq[m]!.length === 0 && c[m]!.ids.length === 0 ? null : planRound(e, liq[m]!, e.market.markPrice, c[m]));
  for (const l of liq) l.sort((x, y) => x - y);
  let { closes, full } = planManaged(v, tick, managedLiq, eq, req, null);
  let plans = planAll(closes);
  if (ex[0]!.params.liquidation.mode !== 'full' && full.some((f) => f === 0)) {
    // The flow per market, whose change says when the passes have settled.
    const flows = (): Float64Array => Float64Array.from(ex, (_, m) => (plans[m] ? roundFlow(plans[m]!, closes[m]) : 0));
    // Per market, what the round's accounts could sell or buy at most: no Aitken step goes past it
    // (ResizeSteps, which keeps a step only where it lowers the residual: hedged accounts couple the markets).
    const gross = Float64Array.from(ex, (e, m) => [...liq[m]!, ...managedLiq].reduce((g, i) => g + Math.abs(e.accounts.size[i]!), 0));
    const at = flows();
    const steps = new ResizeSteps(gross);
    for (let pass = 0; pass < MAX_RESIZE_PASSES; pass++) {
      const after = Float64Array.from(ex, (e, m) => e.market.previewMarkPrice(at[m]! * e.market.mark));
      ({ closes, full } = planManaged(v, tick, managedLiq, eq, req, after));
      plans = planAll(closes);
      const flow = flows();
      if (at.every((f, m) => resizeSettled(pass, f, flow[m]!))) break;
      steps.next(pass, at, flow);
    }
  }
  for (const i of managedLiq) v.lastLiq[i] = tick;
  return { closes, full, plans };
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

/**
 * The requirement a partial close restores: maintenance, or initial under `mode: partial` with
 * `partialTarget: initial` (the fraction and module modes size isolated positions only; managed
 * accounts there restore maintenance), at `prices` (default the marks), with a 1e-9 cushion against rounding.
 */
function target(v: Venue, i: number, q: ArrayLike<number>, prices: Float64Array | null = null): number {
  const lp = v.exchanges[0]!.params.liquidation;
  const kind = lp.mode === 'partial' && lp.partialTarget === 'initial' ? 'initial' : 'maintenance';
  return v.margin.requirementOf(i, q, kind, prices ? (m) => prices[m]! : undefined) * (1 + 1e-9);
}

/**
 * Plans the closes of liquidatable managed accounts `liq` (equity `eq` and requirement `req` at the
 * marks, which the liquidation records keep), one {@link ManagedCloses} per market, with `full[n]`
 * set for an account closed whole:
 * - `full` liquidation, no equity left at the marks, a second liquidation in the tick, or
 *   `crossOrder: all`: every position;
 * - `pro-rata`: the smallest common fraction s of every position whose close leaves equity ≥ the
 *   target requirement of what remains;
 * - `largest-requirement-first`: positions by their standalone requirement at the marks, largest
 *   first, each closed whole while that does not restore the target, the last one only as far as
 *   needed. A leg that hedges the rest (portfolio margin) is closed at most as far as lowers the
 *   requirement most ({@link lowestPoint}): closed whole it could leave the hedge naked and ask more.
 * The equity and the target are taken at `prices` (the marks the round will leave, see
 * {@link planRoundAll}; null: the marks). Fractions are found by bisection: the requirement is
 * convex along a scaling of positions, so the sizes that restore the target form one interval,
 * ending at a full close for a scaling of all of them and, for one leg, at the point of that leg
 * where the requirement is lowest. Auto-deleveraging is planned afterwards, once the round's fill prices are
 * known ({@link planManagedAdl}).
 */
function planManaged(v: Venue, tick: number, liq: readonly number[], eq: readonly number[], req: readonly number[], prices: Float64Array | null): { closes: ManagedCloses[]; full: Uint8Array } {
  const k = v.size;
  const closes: ManagedCloses[] = v.exchanges.map(() => ({ ids: [], qty: [], equity: [], requirement: [], pnl: [], adlQty: [], adlPrice: [], price: NaN }));
  const full = new Uint8Array(liq.length);
  const lp = v.exchanges[0]!.params.liquidation;
  const order = lp.crossOrder ?? 'largest-requirement-first';
  for (let n = 0; n < liq.length; n++) {
    const i = liq[n]!;
    const q = v.margin.sizes(i, new Float64Array(k));
    const rest = Float64Array.from(q);
    // What a partial close must restore is judged at `prices`: equity and the target requirement.
    // (assess leaves its requirement in margin.assessed, which only collectManaged reads, right after its own call.)
    const e = prices ? v.margin.assess(i, prices) : eq[n]!;
    const goal = (r: Float64Array): number => target(v, i, r, prices);
    if (lp.mode === 'full' || !(eq[n]! > 0) || v.lastLiq[i] === tick || order === 'all') rest.fill(0);
    else if (order === 'pro-rata') {
      const s = smallestFraction((f) => {
        for (let m = 0; m < k; m++) rest[m] = q[m]! * (1 - f);
        return e >= goal(rest);
      });
      for (let m = 0; m < k; m++) rest[m] = q[m]! * (1 - s);
    } else {
      const one = new Float64Array(k);
      const byReq = [...q.keys()].filter((m) => q[m] !== 0).map((m) => {
        one.fill(0);
        one[m] = q[m]!;
        return { m, r: v.margin.requirementOf(i, one, 'maintenance') };
      }).sort((x, y) => y.r - x.r || x.m - y.m);
      // Only a portfolio requirement can rise as a leg closes (a hedge); a cross one is a sum of
      // tier terms, each growing with its own position.
      const hedges = v.margin.mode[i] === Mode.Portfolio;
      for (const { m } of byReq) {
        // How far closing this leg goes at most: whole, unless it hedges what remains and part of
        // it leaves a lower requirement than none of it (then the sizes that restore the target,
        // if any, lie inside the leg).
        const at = (f: number): number => {
          rest[m] = q[m]! * (1 - f);
          return goal(rest);
        };
        const whole = at(1);
        const best = hedges ? lowestPoint(at) : { f: 1, g: whole };
        const top = best.g < whole ? best.f : 1;
        rest[m] = q[m]! * (1 - top);
        if (!(e >= Math.min(best.g, whole))) continue;
        const f = smallestFraction((f) => e >= at(f), top);
        rest[m] = q[m]! * (1 - f);
        break;
      }
    }
    // A close of all but dust is a full close.
    for (let m = 0; m < k; m++) if (Math.abs(rest[m]!) <= 1e-12 * Math.abs(q[m]!)) rest[m] = 0;
    full[n] = +rest.every((x) => x === 0);
    for (let m = 0; m < k; m++) {
      const dq = rest[m]! - q[m]!;
      if (dq === 0) continue;
      const c = closes[m]!;
      c.ids.push(i);
      c.qty.push(dq);
      c.equity.push(eq[n]!);
      c.requirement.push(req[n]!);
      c.pnl.push(0);
      c.adlQty.push(0);
      c.adlPrice.push(NaN);
    }
  }
  return { closes, full };
}

/**
 * Auto-deleveraging for the managed accounts closed whole this round (`full`), sized at the prices
 * `fills` (one per market) the round's closes will fill at. An account whose equity at those prices
 * e_f = Σ_m collateral_m + q_m·(f_m − entry_m) (+ its tokens) is negative leaves a deficit D = −e_f.
 * What the fund cannot cover of it (`fund` is what the round's isolated deficits leave, less the
 * deficits of the managed accounts before it) is the share s = min(1, (D − fund) / D) of every
 * position, taken over by auto-deleveraging at its bankruptcy price b_m = f_m + d_m / q_m, where
 * d_m, position m's part of the deficit, is pro rata to its notional n_m = |q_m|·f_m:
 * d_m = D·n_m / G, G = Σ_m n_m. A short's part is at most its notional (b_m ≥ 0: beyond it its
 * counterparties would pay to sell), so when D > G the shorts carry their notional and the longs the
 * rest, pro rata: d_m = (D − S)·n_m / (G − S), S the shorts' notional (an account with no longs
 * can then shift only S: s = min(1, (D − fund) / S), and what neither takes is socialised or bad
 * debt). Σ_m q_m·(b_m − f_m) = Σ d_m = D,
 * so that the counterparties absorb s·D and the fund the rest, as an isolated position's deficit is
 * split at its own bankruptcy price (deficit.ts). Sized at the marks the closes were planned at, it
 * missed the round's own impact: an account solvent at the marks could close under water with no
 * ADL, and leave bad debt.
 */
function planManagedAdl(v: Venue, liq: readonly number[], full: Uint8Array, closes: ManagedCloses[], fills: Float64Array, fund: number): void {
  const k = v.size;
  const cursor = new Int32Array(k);
  const row = new Int32Array(k);
  const q = new Float64Array(k);
  let fundLeft = fund;
  for (let n = 0; n < liq.length; n++) {
    const i = liq[n]!;
    nextRows(closes, i, cursor, row);
    if (!full[n]) continue;
    const e = v.margin.assess(i, fills);
    if (!(e < 0)) continue;
    v.margin.sizes(i, q);
    let gross = 0, shorts = 0;
    for (let m = 0; m < k; m++) {
      const nm = Math.abs(q[m]!) * fills[m]!;
      gross += nm;
      if (q[m]! < 0) shorts += nm;
    }
    // Beyond G the shorts carry their notional (b = 0) and the longs the rest, (D − S)/(G − S) per
    // unit; with no longs, ADL can take only S, the shorts at 0, so the share of it used is (D − fund)/S.
    const capped = -e > gross;
    const adlShare = Math.min(1, Math.max(0, -e - fundLeft) / (capped && !(gross > shorts) ? shorts : -e));
    // Whatever the share, the fund pays min(fund, D − what ADL takes) = min(fund, D).
    fundLeft = Math.max(0, fundLeft + e);
    if (adlShare === 0) continue;
    const longRate = gross > shorts ? (-e - shorts) / (gross - shorts) : 0;
    for (let m = 0; m < k; m++) {
      if (row[m]! < 0) continue;
      const c = closes[m]!, f = fills[m]!, a = Math.abs(q[m]!);
      c.adlQty[row[m]!] = adlShare * a;
      c.adlPrice[row[m]!] = !capped ? f - (e * a * f) / (gross * q[m]!) : q[m]! < 0 ? 0 : f + (longRate * a * f) / q[m]!;
    }
  }
}

/** The smallest f in (0, `top`] with ok(f), for ok false at 0 and true over an interval ending at `top` (bisection, 50 steps); `top` when ok(top) is false. */
function smallestFraction(ok: (f: number) => boolean, top = 1): number {
  let lo = 0, hi = top;
  if (!ok(hi)) return top;
  for (let it = 0; it < 50; it++) {
    const mid = 0.5 * (lo + hi);
    if (ok(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * The f in [0, 1] where the convex function `g` is lowest, and g there (golden-section search, 60
 * steps: the bracket shrinks to 0.618⁶⁰ ≈ 3e-13 of itself).
 */
function lowestPoint(g: (f: number) => number): { f: number; g: number } {
  const r = (Math.sqrt(5) - 1) / 2;
  let lo = 0, hi = 1;
  let x1 = hi - r * (hi - lo), x2 = lo + r * (hi - lo);
  let g1 = g(x1), g2 = g(x2);
  for (let it = 0; it < 60; it++) {
    if (g1 <= g2) {
      hi = x2;
      x2 = x1;
      g2 = g1;
      x1 = hi - r * (hi - lo);
      g1 = g(x1);
    } else {
      lo = x1;
      x1 = x2;
      g1 = g2;
      x2 = lo + r * (hi - lo);
      g2 = g(x2);
    }
  }
  return g1 <= g2 ? { f: x1, g: g1 } : { f: x2, g: g2 };
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
  const cursor = new Int32Array(k), row = new Int32Array(k);
  for (const i of liq) {
    let fee = 0;
    pnl.fill(0);
    nextRows(closes, i, cursor, row);
    for (let m = 0; m < k; m++) {
      const c = closes[m]!, n = row[m]!;
      if (n < 0) continue;
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

/**
 * Account `i`'s row in each market's closes, into `row` (-1 where it closes nothing): the closes of
 * a round list accounts in the order of `liq`, so walking `liq` in order advances one `cursor` per
 * market.
 */
function nextRows(closes: readonly ManagedCloses[], i: number, cursor: Int32Array, row: Int32Array): void {
  for (let m = 0; m < closes.length; m++) {
    const c = closes[m]!;
    row[m] = cursor[m]! < c.ids.length && c.ids[cursor[m]!] === i ? cursor[m]!++ : -1;
  }
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
 * with the round's prices, {@link planManagedAdl}): the venue's insurance fund covers what it can; the rest is
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
