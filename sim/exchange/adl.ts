/**
 * Auto-deleveraging. When the insurance fund cannot cover a bankrupt position, opposite-side
 * positions are closed against it at its bankruptcy price, in order of the ranking score of the
 * reference (Binance, Bybit): profitable positions by PnL% × effective leverage, losing ones by
 * PnL% / effective leverage, where PnL% = unrealized PnL / collateral and effective leverage =
 * notional / equity. The ranking is built once per cascade round and side, and only when needed.
 */
import type { AdlEvent } from '../engine/events';
import { AccountState, applyFill, unrealizedPnl, type Accounts } from './accounts';
import type { GroupLedger } from './group-ledger';
import type { ManagedMargin } from './managed';
import { ranksBefore, TopK } from './top-k';

/** The ADL queue of one exchange. */
export class AutoDeleverager {
  /** Accounts being liquidated in the current round (never ADL counterparties then), flag and list. */
  private readonly excluded: Uint8Array;
  private excludedList: number[] = [];
  private ranking: [AdlRanking | null, AdlRanking | null] = [null, null];
  private hitIds: number[] = [];
  private hitQty: number[] = [];
  private hitNotional = 0;
  /** The venue's margin engine, which ranks the accounts it manages by their account-level equity (null: all isolated). */
  managed: ManagedMargin | null = null;

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
    this.hitIds = [];
    this.hitQty = [];
    this.hitNotional = 0;
  }

  /**
   * Closes up to `want` base units of bankrupt account `i` against ranked opposite positions at
   * `price` (the bankruptcy price). What that costs each deleveraged account against a close at
   * `marketPrice` goes to its group's `adlLoss`. Returns the quantity actually deleveraged.
   */
  take(a: Accounts, i: number, want: number, price: number, marketPrice: number, groups: GroupLedger): number {
    const q = a.size[i]!;
    const side = q > 0 ? 0 : 1; // index of the bankrupt side; counterparties are the other side
    let ranking = this.ranking[side];
    if (!ranking) {
      ranking = new AdlRanking(q > 0 ? -1 : 1, price, this.managed);
      this.ranking[side] = ranking;
    }
    let got = 0;
    while (got < want) {
      const j = ranking.head(a, this.excluded);
      if (j < 0) break;
      const avail = Math.abs(a.size[j]!);
      if (avail === 0) {
        ranking.pop();
        continue;
      }
      const z = Math.min(avail, want - got);
      const dqj = a.size[j]! > 0 ? -z : z;
      applyFill(a.size, a.entry, a.collateral, j, dqj, price);
      applyFill(a.size, a.entry, a.collateral, i, -dqj, price);
      if (z === avail) {
        a.size[j] = 0;
        a.entry[j] = 0;
        ranking.pop();
      }
      got += z;
      groups.adlLoss[a.group[j]!] += z * Math.abs(marketPrice - price);
      this.hitIds.push(j);
      this.hitQty.push(dqj);
      this.hitNotional += z * price;
    }
    return got;
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

/** How many ranked accounts the first pass over the book selects; each further pass twice as many. */
const FIRST_BATCH = 4096;

/**
 * The ADL ranking of one side for one round: opposite-side positions (`sign` of their size), best
 * score first, ties by lower id. Selected in batches by one pass over the book each, the first of
 * {@link FIRST_BATCH} and each next one twice the last, so a round that deleverages m accounts
 * costs O(N · log(m / FIRST_BATCH)) time and O(m) memory; sorting every opposite position cost
 * hundreds of milliseconds and ~12 bytes an account at a million. Scores are fixed for the round:
 * only ADL itself changes an opposite position during settlement, and an account it has touched
 * is either flat or still at the head.
 */
class AdlRanking {
  private batch: TopK | null = null;
  private pos = 0;
  /** Score and id of the last account of the last batch: the next batch starts after it. */
  private afterScore = Infinity;
  private afterId = -1;
  private exhausted = false;

  constructor(private readonly sign: number, private readonly price: number, private readonly managed: ManagedMargin | null) {}

  /** The best account not yet taken, or −1 when none is left. */
  head(a: Accounts, excluded: Uint8Array): number {
    if (!this.batch || this.pos === this.batch.n) this.select(a, excluded);
    return this.pos < this.batch!.n ? this.batch!.ids[this.pos]! : -1;
  }

  /** The head is used up. */
  pop(): void {
    this.pos++;
  }

  private score(a: Accounts, j: number): number {
    const q = a.size[j]!, price = this.price;
    const u = unrealizedPnl(q, a.entry[j]!, price);
    // A cross or portfolio account: the position's PnL against the account's equity, and the
    // account's effective leverage over all its positions (at their marks).
    const basis = this.managed?.managed[j] ? this.managed.adlBasis(j) : null;
    const c = basis ? basis.equity - u : a.collateral[j]!;
    const eq = c + u;
    const pnlPct = c > 0 ? u / c : u > 0 ? Infinity : -Infinity;
    const lev = eq > 0 ? (basis ? basis.notional : Math.abs(q) * price) / eq : Infinity;
    const score = pnlPct > 0 ? pnlPct * lev : pnlPct / lev;
    return Number.isNaN(score) ? -Infinity : score;
  }

  /** The next batch: the best accounts ranked after the last batch, best first. */
  private select(a: Accounts, excluded: Uint8Array): void {
    // Nothing ranks after an incomplete batch: the head stays past its end, and answers −1.
    if (this.exhausted) return;
    const top = new TopK(this.batch ? 2 * this.batch.capacity : FIRST_BATCH);
    this.batch = top;
    this.pos = 0;
    for (let j = 0; j < a.count; j++) {
      const q = a.size[j]!;
      if (q === 0 || (q > 0 ? 1 : -1) !== this.sign || a.state[j] === AccountState.House || excluded[j] === 1) continue;
      const s = this.score(a, j);
      if (!ranksBefore(this.afterScore, this.afterId, s, j)) continue;
      top.offer(j, s);
    }
    top.sortBestFirst();
    this.exhausted = top.n < top.capacity;
    if (top.n > 0) {
      this.afterScore = top.scores[top.n - 1]!;
      this.afterId = top.ids[top.n - 1]!;
    }
  }
}
