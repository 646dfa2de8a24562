/**
 * Cross margin: one wallet backs every position of an account (../shared/reference/exchange-margin.md,
 * "Cross margin"). The account's maintenance margin is the sum of each position's tier MM
 * (`maintenanceMargin` of sim/exchange/margin.ts), and it is liquidatable when
 *
 *     wallet + Σ UPNL < Σ MM.
 */
import {
  compileTiers, liquidationPriceInBracket, maintenanceMargin, type Side, type Tier, type TierTable,
} from '../margin';

/** One position of a cross account (one-way mode: one position per symbol). */
export interface CrossPosition {
  symbol: string;
  side: Side;
  /** Size in base units; its sign is ignored (`side` says the direction), as in `isolatedLiquidationPrice`. */
  size: number;
  entryPrice: number;
  markPrice: number;
  /** The market's risk brackets (cum derived when omitted). */
  tiers: readonly Tier[];
}

/** A cross account: its wallet balance (realized money, quote) and its positions. */
export interface CrossAccount {
  walletBalance: number;
  positions: readonly CrossPosition[];
}

/** A position compiled and valued at its mark: side sign s, |size| q, tier MM and unrealized PnL. */
interface Valued {
  s: number;
  q: number;
  entry: number;
  table: TierTable;
  mm: number;
  upnl: number;
}

function value(a: CrossAccount): Valued[] {
  if (!Number.isFinite(a.walletBalance)) throw new RangeError(`walletBalance must be finite, got ${a.walletBalance}`);
  const seen = new Set<string>();
  return a.positions.map((p) => {
    if (seen.has(p.symbol)) throw new RangeError(`${p.symbol}: two positions in one symbol (one-way mode holds one per symbol)`);
    seen.add(p.symbol);
    if (!Number.isFinite(p.size)) throw new RangeError(`${p.symbol}: size must be finite, got ${p.size}`);
    if (!(p.entryPrice > 0 && Number.isFinite(p.entryPrice))) throw new RangeError(`${p.symbol}: entryPrice must be a finite price > 0, got ${p.entryPrice}`);
    if (!(p.markPrice > 0 && Number.isFinite(p.markPrice))) throw new RangeError(`${p.symbol}: markPrice must be a finite price > 0, got ${p.markPrice}`);
    const s = p.side === 'long' ? 1 : -1;
    const q = Math.abs(p.size);
    const table = compileTiers(p.tiers);
    return { s, q, entry: p.entryPrice, table, mm: maintenanceMargin(q * p.markPrice, table), upnl: s * q * (p.markPrice - p.entryPrice) };
  });
}

/**
 * A cross account's margin at its marks: equity = WB + Σ UPNL, maintenanceMargin = Σ tier MM of each
 * position (MM = notional × MMR_n − cum_n in its own market's table), liquidatable when equity < MM.
 */
export function crossMargin(a: CrossAccount): { equity: number; maintenanceMargin: number; liquidatable: boolean } {
  let equity = a.walletBalance;
  let mm = 0;
  for (const p of value(a)) {
    equity += p.upnl;
    mm += p.mm;
  }
  return { equity, maintenanceMargin: mm, liquidatable: equity < mm };
}

/**
 * The price of one position at which equity − MM, with everything else held, crosses 0: Binance's
 * one-way formula (reference, "Binance liquidation price")
 *
 *     LP = (W + cum − s·Q·EP) / (Q·MMR − s·Q),   W = WB − TMM_other + UPNL_other,
 *
 * with MMR and cum those of the bracket the notional Q·LP falls in at the liquidation price itself.
 * `s` is +1 long, −1 short, `q` = |size| > 0, `wallet` = W (for an isolated position W = its wallet).
 *
 * Why a scan rather than Binance's "recompute until the bracket is stable": started from the entry
 * bracket, that loop can stop at a price ≤ 0 although a lower bracket liquidates at a positive price
 * (`liquidationPrice` in sim/exchange/margin.ts returns 0 there). Within bracket b, f(P) = equity − MM
 * is linear with slope Q·(s − MMR_b), of the sign of s, so a long is liquidated below its LP and a
 * short above it. Scanning the brackets' price ranges [floor_b/Q, cap_b/Q) from the far end (top down
 * for a long, bottom up for a short), the first range that holds a liquidated price holds the LP: the
 * root r_b of its own formula, in the bracket at the LP by construction, for any table. If f jumps
 * across 0 at a bracket edge (a table whose published cum is rounded), the edge is the LP.
 *
 * Returns `null` for a long that no positive price liquidates (f(0+) ≥ 0: equity stays above MM at
 * every price), and 0 for a short that every positive price liquidates (the other positions alone
 * have exhausted the account).
 */
export function solveLiquidationPrice(s: number, q: number, entry: number, wallet: number, t: TierTable): number | null {
  const root = (b: number): number => liquidationPriceInBracket(s, q, entry, wallet, t.mmr[b]!, t.cum[b]!);
  if (s > 0) {
    for (let b = t.n - 1; b >= 0; b--) {
      const r = root(b);
      // f_b rises through 0 at r: the range holds a liquidated price when r lies above its floor.
      if (q * r > t.floor[b]!) return Math.min(r, t.cap[b]! / q);
    }
    return null;
  }
  const last = t.n - 1;
  for (let b = 0; b < last; b++) {
    const r = root(b);
    // f_b falls through 0 at r: the range holds a liquidated price when r lies below its cap.
    if (q * r < t.cap[b]!) return Math.max(r, t.floor[b]! / q);
  }
  // The last range is unbounded and f falls without limit in it: it holds the LP.
  return Math.max(root(last), t.floor[last]! / q);
}

/**
 * Binance one-way cross liquidation price of each position of a cross account, in order: for
 * position k, {@link solveLiquidationPrice} with W = WB − TMM_other + UPNL_other, where TMM_other and
 * UPNL_other are the maintenance margin and unrealized PnL of the account's other positions at their
 * marks. At the returned price (the others at their marks) wallet + Σ UPNL = Σ MM.
 *
 * `null`: a long that no positive price liquidates, or a position of size 0. 0: a short liquidated at
 * any price (the account is underwater whatever this market does).
 * @example crossLiquidationPrices({ walletBalance: 5, positions: [
 *   { symbol: 'A', side: 'long', size: 1, entryPrice: 100, markPrice: 100, tiers: [{ floor: 0, cap: Infinity, maxLeverage: 100, mmr: 0.004 }] },
 *   { symbol: 'B', side: 'long', size: 8, entryPrice: 100, markPrice: 100, tiers: [{ floor: 0, cap: Infinity, maxLeverage: 100, mmr: 0.005 }] },
 * ] })[0] // 99 / 0.996 = 99.398 (the reference's example: the other positions' MM is 4)
 */
export function crossLiquidationPrices(a: CrossAccount): (number | null)[] {
  const ps = value(a);
  let mm = 0;
  let upnl = 0;
  for (const p of ps) {
    mm += p.mm;
    upnl += p.upnl;
  }
  return ps.map((p) =>
    p.q === 0 ? null : solveLiquidationPrice(p.s, p.q, p.entry, a.walletBalance - (mm - p.mm) + (upnl - p.upnl), p.table),
  );
}
