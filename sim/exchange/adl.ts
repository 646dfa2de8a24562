/**
 * Auto-deleveraging. When the insurance fund cannot cover a bankrupt position, opposite-side
 * positions are closed against it at its bankruptcy price, in order of the ranking score of the
 * reference (Binance, Bybit): profitable positions by PnL% × effective leverage, losing ones by
 * PnL% / effective leverage, where PnL% = unrealized PnL / collateral and effective leverage =
 * notional / equity. The ranking is built once per cascade round and side, and only when needed.
 */
import type { AdlEvent } from '../engine/events';
import { AccountState, applyFill, type Accounts } from './accounts';

/** The ADL queue of one exchange. */
export class AutoDeleverager {
  /** Accounts being liquidated in the current round (never ADL counterparties then), flag and list. */
  private readonly excluded: Uint8Array;
  private excludedList: number[] = [];
  private ranking: [Int32Array | null, Int32Array | null] = [null, null];
  private cursor: [number, number] = [0, 0];
  private hitIds: number[] = [];
  private hitQty: number[] = [];
  private hitNotional = 0;

  /** @param capacity number of account ids. */
  constructor(capacity: number) {
    this.excluded = new Uint8Array(capacity);
  }

  /** Marks account `i` as liquidated in the current round. */
  exclude(i: number): void {
    this.excluded[i] = 1;
    this.excludedList.push(i);
  }

  /** Starts settling a round; rankings are rebuilt lazily. */
  beginRound(): void {
    this.ranking = [null, null];
    this.cursor = [0, 0];
    this.hitIds = [];
    this.hitQty = [];
    this.hitNotional = 0;
  }

  /**
   * Closes up to `want` base units of bankrupt account `i` against ranked opposite positions at
   * `price` (the bankruptcy price). Returns the quantity actually deleveraged.
   */
  take(a: Accounts, i: number, want: number, price: number): number {
    const q = a.size[i]!;
    const side = q > 0 ? 0 : 1; // index of the bankrupt side; counterparties are the other side
    let ranking = this.ranking[side];
    if (!ranking) {
      ranking = this.rank(a, q > 0 ? -1 : 1, price);
      this.ranking[side] = ranking;
    }
    let got = 0;
    let c = this.cursor[side];
    while (got < want && c < ranking.length) {
      const j = ranking[c]!;
      const avail = Math.abs(a.size[j]!);
      if (avail === 0) {
        c++;
        continue;
      }
      const z = Math.min(avail, want - got);
      const dqj = a.size[j]! > 0 ? -z : z;
      applyFill(a.size, a.entry, a.collateral, a.realizedPnl, j, dqj, price);
      applyFill(a.size, a.entry, a.collateral, a.realizedPnl, i, -dqj, price);
      if (z === avail) {
        a.size[j] = 0;
        a.entry[j] = 0;
        c++;
      }
      got += z;
      this.hitIds.push(j);
      this.hitQty.push(dqj);
      this.hitNotional += z * price;
    }
    this.cursor[side] = c;
    return got;
  }

  /** Opposite-side positions (`sign` of their size), best score first, ties by id. */
  private rank(a: Accounts, sign: number, price: number): Int32Array {
    const ids: number[] = [];
    const scores: number[] = [];
    for (let j = 0; j < a.count; j++) {
      const q = a.size[j]!;
      if (q === 0 || (q > 0 ? 1 : -1) !== sign || a.state[j] === AccountState.House) continue;
      if (this.excluded[j] === 1) continue;
      const c = a.collateral[j]!;
      const u = q * (price - a.entry[j]!);
      const eq = c + u;
      const pnlPct = c > 0 ? u / c : u > 0 ? Infinity : -Infinity;
      const lev = eq > 0 ? (Math.abs(q) * price) / eq : Infinity;
      const score = pnlPct > 0 ? pnlPct * lev : pnlPct / lev;
      ids.push(j);
      scores.push(Number.isNaN(score) ? -Infinity : score);
    }
    const order = ids.map((_, k) => k).sort((x, y) => scores[y]! - scores[x]! || ids[x]! - ids[y]!);
    return Int32Array.from(order, (k) => ids[k]!);
  }

  /** Finishes the round's settlement; returns its ADL event, or null when nobody was deleveraged. */
  endRound(tick: number, round: number): AdlEvent | null {
    for (const i of this.excludedList) this.excluded[i] = 0;
    this.excludedList = [];
    if (this.hitIds.length === 0) return null;
    const total = this.hitQty.reduce((s, x) => s + Math.abs(x), 0);
    return {
      tick, round,
      accounts: Int32Array.from(this.hitIds),
      closed: Float64Array.from(this.hitQty),
      price: this.hitNotional / total,
      notional: this.hitNotional,
    };
  }
}
