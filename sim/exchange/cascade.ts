/**
 * Step 6 of a tick: the liquidation cascade. Each round pops the accounts whose liquidation price
 * the mark has reached, confirms them with the exact margin check, plans each close, pushes the
 * forced flow through the liquidity model and settles it; rounds repeat until no account is
 * liquidatable or the round cap. One emission per round on `liquidations$` (a batch of typed
 * arrays), one per tick on `cascade$`.
 */
import type { IdList } from './id-list';
import { settleClose, settleFlatDeficit, settleManagedClose, settleSocialized } from './deficit';
import type { Exchange } from './exchange';
import { needsBackstop, planClose, type ClosePlan } from './liquidation-plan';

/** What one tick's cascade did (for the tick summary). */
export interface CascadeStats {
  rounds: number;
  accounts: number;
  longNotional: number;
  shortNotional: number;
  roundCapHit: boolean;
  adlCount: number;
  adlNotional: number;
}

/** A cascade that did nothing. */
export function emptyCascade(): CascadeStats {
  return { rounds: 0, accounts: 0, longNotional: 0, shortNotional: 0, roundCapHit: false, adlCount: 0, adlNotional: 0 };
}

/** Runs the tick's cascade on `ex` and leaves its statistics in `ex.lastCascade`. */
export function runCascade(ex: Exchange, tick: number): void {
  const lp = ex.params.liquidation;
  const stats = emptyCascade();
  const markBefore = ex.market.mark;
  const liq: number[] = [];
  const notYet: number[] = [];
  const deferred: number[] = [];
  for (;;) {
    // Margin is checked at the mark price (the last price, or index-anchored: sim/market/mark.ts).
    const mark = ex.market.markPrice;
    collectLiquidatable(ex, tick, mark, liq, notYet, deferred);
    if (liq.length > 0 && stats.rounds >= lp.roundCap) {
      stats.roundCapHit = true;
      for (const i of liq) notYet.push(i);
      liq.length = 0;
    }
    if (liq.length === 0) break;
    // Settle in account order, whatever found them, so ADL and sums do not depend on the source.
    liq.sort((x, y) => x - y);
    stats.rounds++;
    runRound(ex, tick, stats.rounds, liq, mark, stats);
    refileAfterRound(ex, notYet, deferred);
  }
  endCascade(ex, tick, stats, markBefore, notYet, deferred);
}

/**
 * The isolated accounts the mark `mark` has reached, sorted into `liq` (below maintenance, to close
 * this round), `notYet` (reached but not below: re-filed after the round) and `deferred`
 * (cooling down: re-filed at the end of the cascade). `liq` is emptied first.
 */
export function collectLiquidatable(ex: Exchange, tick: number, mark: number, liq: number[], notYet: number[], deferred: number[]): void {
  const cand = ex.candidates;
  cand.n = 0;
  if (ex.useIndex) ex.index.popReached(mark, cand);
  else scanReached(ex, mark, cand);
  liq.length = 0;
  for (let c = 0; c < cand.n; c++) {
    const i = cand.ids[c]!;
    if (!ex.isBelowMaintenance(i, mark)) notYet.push(i);
    else if (coolingDown(ex, i, tick, mark)) deferred.push(i);
    else liq.push(i);
  }
}

/**
 * Re-files, after a round, the accounts the round's mark reached but did not take: those not below
 * maintenance, and those cooling down, whose wait was judged at that mark. The round's flow moved
 * the mark, so the next round checks them again (a cooling-down account the flow took to zero
 * equity, or below the backstop's line, waits no longer). Empties both lists.
 */
export function refileAfterRound(ex: Exchange, notYet: number[], deferred: number[]): void {
  for (const i of notYet) ex.refresh(i);
  for (const i of deferred) ex.refresh(i);
  notYet.length = 0;
  deferred.length = 0;
}

/** Ends a market's cascade: re-files the accounts left aside, keeps the statistics, and emits `cascade$` when any account was liquidated. */
export function endCascade(ex: Exchange, tick: number, stats: CascadeStats, markBefore: number, notYet: number[], deferred: number[]): void {
  refileAfterRound(ex, notYet, deferred);
  ex.lastCascade = stats;
  if (stats.accounts > 0) {
    ex.bus.cascade$.next({
      tick, rounds: stats.rounds, accounts: stats.accounts, longNotional: stats.longNotional,
      shortNotional: stats.shortNotional, markOpen: ex.market.prevClose, markBefore, markAfter: ex.market.mark,
      exogenousReturn: ex.market.exogenousReturn, roundCapHit: stats.roundCapHit,
    });
  }
}

/**
 * Closes of cross or portfolio accounts in one market for one round, planned by the venue
 * (sim/world/venue-cascade.ts). `equity` and `requirement` are the accounts' (not the position's),
 * for the liquidation records; `pnl` receives each close's realized PnL (for sharing a deficit out).
 */
export interface ManagedCloses {
  ids: number[];
  qty: number[];
  equity: number[];
  requirement: number[];
  pnl: number[];
  /** Base units auto-deleveraged at `adlPrice` (the position's bankruptcy price) before the rest goes to market; 0 when none. */
  adlQty: number[];
  adlPrice: number[];
  /** The round's fill price in this market (set by {@link runRound}). */
  price: number;
}

/**
 * fraction and module modes: account `i` was liquidated less than `cooldownTicks` ago, so it waits;
 * never at zero equity or below (a bankrupt position waiting would only deepen the deficit), nor,
 * in fraction mode, below the backstop threshold.
 */
export function coolingDown(ex: Exchange, i: number, tick: number, mark: number): boolean {
  const lp = ex.params.liquidation;
  if (lp.mode !== 'fraction' && lp.mode !== 'module') return false;
  if (!(tick - ex.accounts.lastLiqTick[i]! < lp.cooldownTicks) || !(ex.accounts.equity(i, mark) > 0)) return false;
  return !(lp.mode === 'fraction' && needsBackstop(ex, i, mark));
}

/**
 * The full-rescan reference: every indexed account below maintenance at `mark`, removed from the
 * index as popReached would. O(N) per call.
 */
export function scanReached(ex: Exchange, mark: number, out: IdList): void {
  const a = ex.accounts;
  for (let i = 0; i < a.count; i++) {
    if (ex.index.has(i) && ex.isBelowMaintenance(i, mark)) {
      ex.index.remove(i);
      out.push(i);
    }
  }
}

/** The plan {@link planClose} writes, reused by every call here. */
const plan: ClosePlan = { qty: 0, takeover: false };

/**
 * The passes of a re-sizing fixed point (more closing, more flow, a lower price, more closing): at
 * least {@link MIN_RESIZE_PASSES}, then on while a pass still moves the flow by more than 1e-12 of
 * itself ({@link resizeSettled}), at most {@link MAX_RESIZE_PASSES}. Each plain pass shrinks the gap
 * by about the map's slope, roughly 0.01·N / (MMR·D) for notional N closing into a book of 1% depth
 * D under linear impact: three passes suffice in a deep book and fall short in a thin one (a 40x long
 * of 400,000 into a 1M book closed 60 of the 96 units its fixed point needs). Near a slope of 1
 * (50 BTC at 40x in a 2M book: 0.98) plain passes gain ~2% of the gap each, so from pass
 * {@link ACCELERATE_FROM} on every third may be an Aitken step ({@link ResizeSteps}); plans that
 * settle before it are the plain iteration's. Beyond a slope of 1 there is no partial fixed point
 * short of the whole position: the position frees less margin than its own selling costs, and the
 * passes settle on closing it whole, or stop at the cap short of that, and it is closed whole at its
 * second liquidation in the tick.
 */
export const MIN_RESIZE_PASSES = 3;
/** See {@link MIN_RESIZE_PASSES}. */
export const MAX_RESIZE_PASSES = 40;
/**
 * The first pass that may take an Aitken step (see {@link MIN_RESIZE_PASSES}). Why not earlier: a
 * flow that settles in a few plain passes (a slope up to ~0.03) is left exactly as plain iteration
 * leaves it, so outputs that were at their fixed point do not move by a rounding.
 */
export const ACCELERATE_FROM = 8;

/** True when pass `pass` (from 0) of a re-sizing may stop: the minimum is done and the flow moved by at most 1e-12 of itself. */
export function resizeSettled(pass: number, prev: number, next: number): boolean {
  return pass + 1 >= MIN_RESIZE_PASSES && Math.abs(next - prev) <= 1e-12 * Math.abs(next);
}

/**
 * Aitken Δ² steps for a re-sizing's iteration x_{j+1} = G(x_j) over one flow per market. After
 * three successive points b, x = G(b), y = G(x) (vectors over the markets), with the shared ratio
 * ρ = ⟨y − x, x − b⟩ / ⟨x − b, x − b⟩ in (0, 1), the step goes to y + (y − x)·ρ/(1 − ρ), the limit
 * of the geometric sequence they start (exact for a linear map whose markets move together), each
 * market's flow kept within ±its bound. Why guarded: G has several fixed points when a round
 * closes longs and shorts together or accounts hedged across markets, and a step can leap past
 * the one plain iteration converges to (a 548k book: from −0.36 to −10.96, past the fixed point at
 * −2.53, to settle at −12.73 with a long closed whole); per market, coupled flows can swing further
 * each step. So a step is kept only if the residual |G − ·| there is below the one where it was
 * taken; otherwise the iteration goes back to y and takes no more steps.
 */
export class ResizeSteps {
  /** The point evaluated before the current one (its image is the current point). */
  private readonly before: Float64Array;
  /** The plain iterate y a pending step replaced. */
  private readonly plain: Float64Array;
  private haveBefore = false;
  /** The last point was a step, judged at the next call against {@link residual}. */
  private pending = false;
  private residual = 0;
  private off = false;

  /** @param bound each market's largest |flow| (what its closes could sell or buy at most). */
  constructor(private readonly bound: Float64Array) {
    this.before = new Float64Array(bound.length);
    this.plain = new Float64Array(bound.length);
  }

  /**
   * Pass `pass` (from 0) evaluated the points `at` and found their images `image`: writes the next
   * points into `at`, the images (a plain pass) or, every third pass from {@link ACCELERATE_FROM}
   * on, a step.
   */
  next(pass: number, at: Float64Array, image: Float64Array): void {
    let r = 0, up = 0, down = 0;
    for (let m = 0; m < at.length; m++) {
      const d = image[m]! - at[m]!;
      r += d * d;
      up += d * (at[m]! - this.before[m]!);
      down += (at[m]! - this.before[m]!) * (at[m]! - this.before[m]!);
    }
    if (this.pending) {
      this.pending = false;
      if (!(r < this.residual)) {
        at.set(this.plain);
        this.off = true;
        this.haveBefore = false;
        return;
      }
    } else if (!this.off && this.haveBefore && pass + 1 >= ACCELERATE_FROM && (pass + 1 - ACCELERATE_FROM) % 3 === 0) {
      const rho = up / down;
      if (rho > 0 && rho < 1) {
        this.plain.set(image);
        this.residual = r;
        this.pending = true;
        this.haveBefore = false;
        for (let m = 0; m < at.length; m++) {
          const b = this.bound[m]!;
          at[m] = Math.max(-b, Math.min(b, image[m]! + ((image[m]! - at[m]!) * rho) / (1 - rho)));
        }
        return;
      }
    }
    this.before.set(at);
    this.haveBefore = true;
    at.set(image);
  }
}

/**
 * Steps for the market closes (`kind` 0) of `liq`, bounded by what they could sell or buy together,
 * when they are all on one side; null for a round that closes longs and shorts together (its map
 * can have several fixed points, see {@link ResizeSteps}).
 */
function oneSidedSteps(ex: Exchange, liq: readonly number[], kind: Uint8Array): ResizeSteps | null {
  let gross = 0, longs = false, shorts = false;
  for (let n = 0; n < liq.length; n++) {
    if (kind[n] === 1) continue;
    const q = ex.accounts.size[liq[n]!]!;
    gross += Math.abs(q);
    if (q > 0) longs = true;
    else shorts = true;
  }
  return longs !== shorts ? new ResizeSteps(Float64Array.of(gross)) : null;
}

/** One market's point and image for {@link ResizeSteps} in {@link resizePartials}, reused: a round allocates nothing for them. */
const onePoint = new Float64Array(1), oneImage = new Float64Array(1);

/**
 * partial mode: the round's own selling moves the price its accounts are next checked at, so a
 * close sized at the price before the round leaves them a hair below the target and the next round
 * nibbles them again. The closes are re-sized at the mark price the round's flow would leave, to
 * its fixed point ({@link MIN_RESIZE_PASSES}). `other` is the round's flow from managed accounts'
 * closes (base units), which moves the same price. Returns the isolated closes' flow.
 */
function resizePartials(ex: Exchange, liq: readonly number[], close: Float64Array, kind: Uint8Array, flow: number, other: number): number {
  let at = flow;
  // Looked for only once a round is still unsettled two passes before ACCELERATE_FROM (where a
  // step's first triple starts): most rounds settle long before.
  let steps: ResizeSteps | null | undefined;
  for (let pass = 0; pass < MAX_RESIZE_PASSES && (at !== 0 || other !== 0); pass++) {
    const after = ex.market.previewMarkPrice((at + other) * ex.market.mark);
    flow = 0;
    for (let n = 0; n < liq.length; n++) {
      if (kind[n] === 1) continue;
      close[n] = planClose(ex, liq[n]!, after, plan).qty;
      flow += close[n]!;
    }
    if (resizeSettled(pass, at, flow)) break;
    if (pass + 2 >= ACCELERATE_FROM && steps === undefined) steps = oneSidedSteps(ex, liq, kind);
    if (steps) {
      onePoint[0] = at;
      oneImage[0] = flow;
      steps.next(pass, onePoint, oneImage);
      at = onePoint[0]!;
    } else at = flow;
  }
  return flow;
}

/**
 * One round's plan for the isolated accounts `liq` of a market, made before any money moves: each
 * close (`closed`, `kind`), the equities and requirements at the round's mark for its records, and
 * the isolated forced flow (base units, partial closes re-sized). Arrays leave room for `managed`
 * closes after the isolated ones.
 */
export interface RoundPlan {
  closed: Float64Array;
  /** 0 market close, 1 backstop takeover (per isolated account). */
  kind: Uint8Array;
  equity: Float64Array;
  maintenance: Float64Array;
  /** The isolated closes' flow (base units, signed). */
  flow: number;
}

/**
 * Plans the isolated closes of `liq` at `mark`, leaving room for the closes of `managed` (see
 * {@link RoundPlan}); partial closes are re-sized at the price the round's flow, theirs and the
 * managed closes', would leave. A venue plans every market's round first, so that it can price the
 * round before any market settles (sim/world/venue-cascade.ts).
 */
export function planRound(ex: Exchange, liq: readonly number[], mark: number, managed?: ManagedCloses): RoundPlan {
  const a = ex.accounts;
  // Per round, by position in `liq` then the managed closes (not per account: a round is small,
  // the book may be huge). The planned closes, equities and requirements are filled straight into
  // the arrays the round emits: a shock's first round can close a fifth of the book, and every
  // array a round allocates is resident memory until the next collection frees it.
  const nm = managed?.ids.length ?? 0;
  const closed = new Float64Array(liq.length + nm);
  const kind = new Uint8Array(liq.length);
  let flow = 0;
  const equity = new Float64Array(liq.length + nm);
  const maintenance = new Float64Array(liq.length + nm);
  for (let n = 0; n < liq.length; n++) {
    const i = liq[n]!;
    equity[n] = a.equity(i, mark);
    maintenance[n] = ex.maintenanceMargin(i, Math.abs(a.size[i]!) * mark);
    planClose(ex, i, mark, plan);
    closed[n] = plan.qty;
    kind[n] = plan.takeover ? 1 : 0;
    if (!plan.takeover) flow += plan.qty;
  }
  if (ex.params.liquidation.mode === 'partial') flow = resizePartials(ex, liq, closed, kind, flow, addManaged(0, managed));
  return { closed, kind, equity, maintenance, flow };
}

/** `flow` plus each of `managed`'s closes (base units), added in order. */
function addManaged(flow: number, managed?: ManagedCloses): number {
  for (let n = 0; n < (managed?.qty.length ?? 0); n++) flow += managed!.qty[n]!;
  return flow;
}

/**
 * The signed base-unit flow of a round: the isolated closes' ({@link planRound}) then each managed
 * close's, summed in that order as {@link runRound} sums them, so that a price previewed from it is
 * the round's own to the bit.
 */
export function roundFlow(r: RoundPlan, managed?: ManagedCloses): number {
  return addManaged(r.flow, managed);
}

/**
 * What the round's isolated closes will leave as deficits, Σ max(0, −equity) over its full closes
 * at the price each fills at (`fill` for a market close, `mark` for a backstop takeover): the fund
 * pays these, up to what it holds, before the venue settles its managed accounts' deficits. A
 * partial close never leaves one (one that would is closed whole the next round).
 */
export function roundDeficits(ex: Exchange, liq: readonly number[], r: RoundPlan, mark: number, fill: number): number {
  const a = ex.accounts;
  let d = 0;
  for (let n = 0; n < liq.length; n++) {
    const i = liq[n]!;
    if (Math.abs(r.closed[n]!) < Math.abs(a.size[i]!)) continue;
    d += Math.max(0, -a.equity(i, r.kind[n] === 1 ? mark : fill));
  }
  return d;
}

/**
 * Prices and settles one cascade round of isolated accounts `liq` (planned by {@link planRound}
 * unless `r` is given), with the closes of managed accounts the venue planned for this market
 * (their forced flow goes through the same book at the same price; their money is settled by the
 * venue afterwards).
 */
export function runRound(ex: Exchange, tick: number, round: number, liq: number[], mark: number, stats: CascadeStats, managed?: ManagedCloses, r?: RoundPlan): void {
  const a = ex.accounts;
  const nm = managed?.ids.length ?? 0;
  const rp = r ?? planRound(ex, liq, mark, managed);
  const { closed, kind, equity, maintenance } = rp;
  for (let n = 0; n < liq.length; n++) ex.adl.exclude(liq[n]!);
  for (let n = 0; n < nm; n++) ex.adl.exclude(managed!.ids[n]!);
  const flow = roundFlow(rp, managed);
  const p = ex.market.applyFlow(flow * ex.market.mark);
  if (managed) managed.price = p;
  const ids = new Int32Array(liq.length + nm);
  ids.set(liq);
  let bankrupt = 0, takeovers = 0, longN = 0, shortN = 0;
  ex.adl.beginRound();
  for (let n = 0; n < liq.length; n++) {
    const i = liq[n]!;
    const qty = closed[n]!;
    const wasLong = a.size[i]! > 0;
    const takeover = kind[n] === 1;
    // A takeover moves no price: the house takes the position at the mark.
    const price = takeover ? mark : p;
    takeovers += +takeover;
    if (wasLong) longN += Math.abs(qty) * price;
    else shortN += Math.abs(qty) * price;
    if (settleClose(ex, tick, i, qty, price, takeover ? 'takeover' : 'market')) bankrupt++;
    ex.tickVolume += Math.abs(qty);
  }
  for (let n = 0; n < nm; n++) {
    const i = managed!.ids[n]!, qty = managed!.qty[n]!;
    ids[liq.length + n] = i;
    closed[liq.length + n] = qty;
    equity[liq.length + n] = managed!.equity[n]!;
    maintenance[liq.length + n] = managed!.requirement[n]!;
    if (a.size[i]! > 0) longN += Math.abs(qty) * p;
    else shortN += Math.abs(qty) * p;
    managed!.pnl[n] = settleManagedClose(ex, tick, i, qty, p, managed!.adlQty[n]!, managed!.adlPrice[n]!);
  }
  settleSocialized(ex, p);
  const adlEvent = ex.adl.endRound(tick, round);
  if (adlEvent) {
    for (let n = 0; n < adlEvent.accounts.length; n++) {
      const j = adlEvent.accounts[n]!;
      settleFlatDeficit(ex, j);
      ex.refresh(j);
    }
    settleSocialized(ex, p);
    stats.adlCount += adlEvent.accounts.length;
    stats.adlNotional += adlEvent.notional;
    ex.bus.adl$.next(adlEvent);
  }
  stats.accounts += liq.length + nm;
  stats.longNotional += longN;
  stats.shortNotional += shortN;
  ex.bus.liquidations$.next({
    tick, round, accounts: ids, closed,
    equity, maintenance, price: p, markBefore: mark, markAfter: ex.market.markPrice,
    longNotional: longN, shortNotional: shortN, bankrupt, backstopTakeovers: takeovers, takeover: kind,
  });
}
