/**
 * Margin maths as pure functions, following ../shared/reference/exchange-margin.md.
 * Maintenance margin is piecewise linear in notional: MM = notional × MMR_n − cum_n, where cum_n
 * keeps MM continuous across brackets.
 */

/** A risk bracket as exchanges publish it. `cum` (deduction) is derived when omitted. */
export interface Tier {
  /** Notional floor of the bracket (quote). */
  floor: number;
  /** Notional cap of the bracket (quote); Infinity for the last. */
  cap: number;
  maxLeverage: number;
  /** Maintenance margin rate (fraction). */
  mmr: number;
  /** Maintenance amount / deduction (quote). */
  cum?: number;
}

/** A compiled tier table: struct of arrays, read by the hot-path kernels. */
export interface TierTable {
  readonly n: number;
  readonly floor: Float64Array;
  readonly cap: Float64Array;
  readonly maxLeverage: Float64Array;
  readonly mmr: Float64Array;
  readonly cum: Float64Array;
}

/**
 * Fills in `cum` by the reference's recurrence: cum_0 = 0, cum_n = floor_n·(MMR_n − MMR_{n−1}) + cum_{n−1}.
 * @example deriveCum([{floor:0,cap:5e4,maxLeverage:125,mmr:0.004},{floor:5e4,cap:25e4,maxLeverage:100,mmr:0.005}])[1].cum // 50
 */
export function deriveCum(tiers: readonly Tier[]): Required<Tier>[] {
  const out: Required<Tier>[] = [];
  let prev: Required<Tier> | undefined;
  for (const t of tiers) {
    const cum = prev ? t.floor * (t.mmr - prev.mmr) + prev.cum : 0;
    const row = { ...t, cum } as Required<Tier>;
    out.push(row);
    prev = row;
  }
  return out;
}

/** A tier list that does not compile: which bracket (from 0) and field, and what was found and is allowed. */
export class TierError extends RangeError {
  /**
   * @param bracket the bracket's index in the list (0 = the first)
   * @param field the bracket's field at fault
   * @param detail `found …; allowed: …`
   */
  constructor(readonly bracket: number, readonly field: keyof Tier, readonly detail: string) {
    super(`bracket ${bracket + 1} ${field}: ${detail}`);
    this.name = 'TierError';
  }
}

/**
 * How far a given `cum` may be from the derived one (quote): published tables round their
 * deductions to whole units (tests: every preset within 1). Farther, maintenance margin jumps at a
 * floor, and a `cum` above notional × MMR makes it negative: positions nothing liquidates.
 */
export const CUM_TOLERANCE = 1;

/**
 * Checks a tier list (contiguous brackets from 0, positive leverage, MMR in (0,1) and not falling, a
 * given `cum` within {@link CUM_TOLERANCE} of the derived one) and compiles it.
 * @throws {TierError} naming the bracket and field at fault
 */
export function compileTiers(tiers: readonly Tier[]): TierTable {
  if (tiers.length === 0) throw new RangeError('a tier table needs at least one bracket');
  const derived = deriveCum(tiers);
  const n = tiers.length;
  const t: TierTable = {
    n,
    floor: new Float64Array(n),
    cap: new Float64Array(n),
    maxLeverage: new Float64Array(n),
    mmr: new Float64Array(n),
    cum: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const src = tiers[i]!;
    const row = derived[i]!;
    if (i === 0 && src.floor !== 0) throw new TierError(i, 'floor', `found ${src.floor}; allowed: 0 (the first bracket starts at notional 0)`);
    if (i > 0 && src.floor !== tiers[i - 1]!.cap) throw new TierError(i, 'floor', `found ${src.floor}; allowed: ${tiers[i - 1]!.cap}, bracket ${i}'s cap (brackets are contiguous)`);
    if (!(src.cap > src.floor)) throw new TierError(i, 'cap', `found ${src.cap}; allowed: above its floor ${src.floor}`);
    if (!(src.maxLeverage > 0)) throw new TierError(i, 'maxLeverage', `found ${src.maxLeverage}; allowed: a number > 0`);
    if (!(src.mmr > 0 && src.mmr < 1)) throw new TierError(i, 'mmr', `found ${src.mmr}; allowed: a number in (0, 1)`);
    // Rising MMRs make MM convex, so MM = max over brackets of (notional × MMR − cum): the scan
    // kernel relies on it, and every published table has it.
    if (i > 0 && src.mmr < tiers[i - 1]!.mmr) throw new TierError(i, 'mmr', `found ${src.mmr}; allowed: at least bracket ${i}'s ${tiers[i - 1]!.mmr} (rates do not fall)`);
    if (src.cum !== undefined && !(Math.abs(src.cum - row.cum) <= CUM_TOLERANCE)) {
      throw new TierError(i, 'cum', `found ${src.cum}; allowed: ${row.cum} ± ${CUM_TOLERANCE}, floor × (mmr − the previous bracket's mmr) + its cum, which keeps maintenance margin continuous at the floors (leave cum out to have it derived)`);
    }
    t.floor[i] = src.floor;
    t.cap[i] = i === n - 1 ? Infinity : src.cap;
    t.maxLeverage[i] = src.maxLeverage;
    t.mmr[i] = src.mmr;
    t.cum[i] = src.cum ?? row.cum;
  }
  return t;
}

/** The bracket a notional falls in (the first whose cap exceeds it). */
export function bracketOf(notional: number, t: TierTable): number {
  const last = t.n - 1;
  for (let b = 0; b < last; b++) if (notional < t.cap[b]!) return b;
  return last;
}

/** Maintenance margin of a position of `notional` (quote): notional × MMR − cum of its bracket. */
export function maintenanceMargin(notional: number, t: TierTable): number {
  const b = bracketOf(notional, t);
  return notional * t.mmr[b]! - t.cum[b]!;
}

/** Initial margin at the bracket's max leverage: notional / maxLeverage. */
export function initialMargin(notional: number, t: TierTable): number {
  return notional / t.maxLeverage[bracketOf(notional, t)]!;
}

/**
 * The largest notional whose initial margin (notional / bracket max leverage) fits in `equity`.
 * Why a scan: IM is a step function of notional, so the answer may sit at a bracket cap.
 */
export function maxNotionalForEquity(equity: number, t: TierTable): number {
  if (!(equity > 0)) return 0;
  let best = 0;
  for (let b = 0; b < t.n; b++) {
    const reach = equity * t.maxLeverage[b]!;
    if (reach < t.floor[b]!) continue;
    // The cap itself belongs to the next bracket, so stay just below it.
    const n = Math.min(reach, t.cap[b]! === Infinity ? Infinity : t.cap[b]! * (1 - 1e-12));
    if (n > best) best = n;
  }
  return best;
}

/** Position side. */
export type Side = 'long' | 'short';

/**
 * Bankruptcy price: where the isolated wallet balance is exactly used up (equity 0).
 * @example bankruptcyPrice('long', 1, 20000, 400) // 19600
 */
export function bankruptcyPrice(side: Side, size: number, entryPrice: number, walletBalance: number): number {
  const q = Math.abs(size);
  return side === 'long' ? entryPrice - walletBalance / q : entryPrice + walletBalance / q;
}

/**
 * Bybit's isolated liquidation price, maintenance margin taken at entry value:
 * LP_long = EP − (IM − MM)/Q − extraMargin/Q, LP_short = EP + (IM − MM)/Q + extraMargin/Q.
 * @example bybitIsolatedLiquidationPrice({ side: 'long', size: 1, entryPrice: 20000, leverage: 50, mmr: 0.005 }) // 19700
 */
export function bybitIsolatedLiquidationPrice(a: {
  side: Side; size: number; entryPrice: number; leverage: number; mmr: number; extraMargin?: number;
}): number {
  const q = Math.abs(a.size);
  const im = (q * a.entryPrice) / a.leverage;
  const mm = q * a.entryPrice * a.mmr;
  const shift = (im - mm) / q + (a.extraMargin ?? 0) / q;
  return a.side === 'long' ? a.entryPrice - shift : a.entryPrice + shift;
}

/**
 * Binance's one-way liquidation price for one bracket (isolated: TMM and UPNL of other positions are 0):
 * LP = (WB + cum − side·Q·EP) / (Q·MMR − side·Q). `sideSign` is +1 long, −1 short; q > 0.
 */
export function liquidationPriceInBracket(sideSign: number, q: number, entry: number, wallet: number, mmr: number, cum: number): number {
  return (wallet + cum - sideSign * q * entry) / (q * mmr - sideSign * q);
}

/**
 * Liquidation price of an isolated position with a signed size: the price P where equity meets
 * maintenance margin, W + size·(P − entry) = MM(|size|·P), with MM taken in the bracket the notional
 * falls in at P itself (Binance's rule: recompute with the bracket at the LP until it is stable).
 *
 * Why the fallback is exact: with MMRs rising (compileTiers checks it) and cum continuous, MM is the
 * largest of the bracket lines q·P·MMR_b − cum_b, so equity − MM is the smallest of the lines'
 * margins. Each line's margin rises with P for a long and falls for a short, so
 *
 *     LP_long = max_b LP_b,   LP_short = min_b LP_b,   LP_b = {@link liquidationPriceInBracket}.
 *
 * The bracket iteration from the entry bracket is the fast path (one or two steps); the envelope
 * settles the cases it cannot (a long whose entry-bracket line crosses at a price ≤ 0 while a lower
 * bracket's line crosses above 0, or a bracket edge where the iteration cycles).
 * Returns `null` when no positive price liquidates the position (a long whose wallet covers its
 * entry notional: W ≥ q·entry); a short with a negative wallet returns a price ≤ 0 (liquidatable at
 * any price). The hot-path form of {@link isolatedLiquidationPrice}.
 */
export function liquidationPrice(size: number, entry: number, wallet: number, t: TierTable): number | null {
  const lp = liquidationPriceOrNaN(size, entry, wallet, t);
  return size > 0 && lp !== lp ? null : lp;
}

/**
 * {@link liquidationPrice} with NaN where that returns `null` (and for a flat position). Why: the
 * per-fill path calls it millions of times; a result that is always a number, and a one-bracket
 * case small enough to inline (below), let that path run without allocating. Why `Number.NaN` and
 * not the global `NaN`: in a branch that has never run when the engine optimizes the caller (a
 * long that no price liquidates, on the fill path), a read of the global has no feedback and stays
 * a call; the result then merges as a boxed number, one heap allocation per fill (measured on
 * bench-active: half of a run's young-generation collections).
 */
export function liquidationPriceOrNaN(size: number, entry: number, wallet: number, t: TierTable): number {
  if (size === 0) return Number.NaN;
  const s = size > 0 ? 1 : -1;
  const q = s * size;
  // One bracket: the iteration below would stop at its first step with this price (or fall back to
  // the same one). Written out, and the brackets' search kept in its own function, this is small
  // enough for the engine to inline into the per-fill path: a call that is not inlined passes its
  // three prices and returns its result as boxed heap numbers (measured: execution's garbage fell
  // from ~50 to ~30 bytes a fill once it inlined).
  if (t.n === 1) {
    const lp = liquidationPriceInBracket(s, q, entry, wallet, t.mmr[0]!, t.cum[0]!);
    return s > 0 && !(lp > 0) ? Number.NaN : lp;
  }
  return liquidationPriceTiered(s, q, entry, wallet, t);
}

/** {@link liquidationPriceOrNaN} of a position of side `s` (±1) and size `q` > 0 over several brackets. */
function liquidationPriceTiered(s: number, q: number, entry: number, wallet: number, t: TierTable): number {
  let b = bracketOf(q * entry, t);
  for (let iter = 0; iter <= t.n; iter++) {
    const lp = liquidationPriceInBracket(s, q, entry, wallet, t.mmr[b]!, t.cum[b]!);
    if (!(lp > 0)) break;
    const nb = bracketOf(q * lp, t);
    if (nb === b) return lp;
    b = nb;
  }
  let lp = liquidationPriceInBracket(s, q, entry, wallet, t.mmr[0]!, t.cum[0]!);
  for (b = 1; b < t.n; b++) {
    const lb = liquidationPriceInBracket(s, q, entry, wallet, t.mmr[b]!, t.cum[b]!);
    if (s > 0 ? lb > lp : lb < lp) lp = lb;
  }
  return s > 0 && !(lp > 0) ? Number.NaN : lp;
}

/**
 * Binance one-way isolated liquidation price, recomputed with the bracket at the liquidation price
 * until the bracket is stable; `null` when no positive price liquidates (see {@link liquidationPrice}).
 * @example isolatedLiquidationPrice({ side: 'long', size: 1, entryPrice: 20000, walletBalance: 400, tiers: [{ floor: 0, cap: Infinity, maxLeverage: 50, mmr: 0.005 }] }) // ≈19698.49
 */
export function isolatedLiquidationPrice(a: {
  side: Side; size: number; entryPrice: number; walletBalance: number; tiers: readonly Tier[];
}): number | null {
  const q = Math.abs(a.size);
  return liquidationPrice(a.side === 'long' ? q : -q, a.entryPrice, a.walletBalance, compileTiers(a.tiers));
}
