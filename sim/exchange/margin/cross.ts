/**
 * Cross margin: one wallet backs every position of an account (../shared/reference/exchange-margin.md,
 * "Cross margin"). The account's maintenance margin is the sum of each position's tier MM
 * (`maintenanceMargin` of sim/exchange/margin.ts), and it is liquidatable when
 *
 *     wallet + Σ UPNL < Σ MM.
 */
import { compileTiers, liquidationPrice, maintenanceMargin, type Side, type Tier, type TierTable } from '../margin';

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
 * Binance one-way cross liquidation price of each position of a cross account, in order (reference,
 * "Binance liquidation price" and "Cross margin"):
 *
 *     LP = (WB − TMM_other + UPNL_other + cum − side·Q·EP) / (Q·MMR − side·Q),
 *
 * TMM_other and UPNL_other being the maintenance margin and unrealized PnL of the account's other
 * positions at their marks, MMR and cum those of the bracket at the LP itself. That is the isolated
 * formula with the wallet W = WB − TMM_other + UPNL_other, so `liquidationPrice` of
 * sim/exchange/margin.ts solves it (brackets included). At the returned price, the others at their
 * marks, wallet + Σ UPNL = Σ MM.
 *
 * `null`: a long that no positive price liquidates, or a position of size 0. 0: a short that every
 * price liquidates (the other positions have already exhausted the wallet), where the formula gives
 * a price ≤ 0.
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
  return ps.map((p) => {
    if (p.q === 0) return null;
    const lp = liquidationPrice(p.s * p.q, p.entry, a.walletBalance - (mm - p.mm) + (upnl - p.upnl), p.table);
    return lp === null ? null : Math.max(0, lp);
  });
}
