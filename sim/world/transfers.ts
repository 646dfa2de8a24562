/**
 * Money moving between the wallets outside the venues ({@link Wallets}) and the venues' accounts,
 * which takes time (DESIGN.md "Ledgers": money in flight is its own term). Two directions:
 * - to a venue: {@link Transfers.send} takes quote out of a wallet at once, and at its arrival tick
 *   {@link Transfers.deliver} deposits it into an account (`exchange.deposit`: that venue's deposit);
 * - to a wallet: {@link Transfers.withdrawToWallet} takes free collateral out of an account at once
 *   (`exchange.withdrawFree`: that venue's withdrawal), and at its arrival tick deliver() credits the wallet.
 * Money sent to an account that has left for good (state Gone) by the time it lands goes back to
 * its wallet (counted as returned), not into the abandoned account.
 * Counters, each cumulative:
 *
 *     inTransit = sentTotal − deliveredTotal + withdrawnTotal − returnedTotal ≥ 0
 *
 * Transfers land in a fixed order: arrival tick, then the order they were made in.
 */
import { AccountState } from '../exchange/accounts';
import type { Exchange } from '../exchange/exchange';
import type { Wallets } from './wallets';

/** One transfer in flight. */
interface Pending {
  /** Tick it lands at, and its sequence number (the order it was made in). */
  arrive: number;
  seq: number;
  /** Wallet (account id) it left or lands in. */
  wallet: number;
  /** Account and exchange it lands in (to a venue), or null (to a wallet). */
  account: number;
  exchange: Exchange | null;
  venue: number;
  amount: number;
}

/** The queue of transfers between wallets and venues, and its ledger terms. */
export class Transfers {
  /** Transfers in flight, sorted by (arrive, seq). */
  private readonly queue: Pending[] = [];
  private seq = 0;
  /** Quote taken out of wallets toward venues (cumulative). */
  sentTotal = 0;
  /** Quote deposited into venues on arrival (cumulative). */
  deliveredTotal = 0;
  /** Quote withdrawn from venues toward wallets (cumulative). */
  withdrawnTotal = 0;
  /** Quote credited to wallets on arrival (cumulative). */
  returnedTotal = 0;
  /** Quote delivered into each venue, and withdrawn from each, by venue number (cumulative). */
  readonly deliveredTo: number[] = [];
  readonly withdrawnFrom: number[] = [];

  constructor(private readonly wallets: Wallets) {}

  /** Money in flight now (quote): sent − delivered + withdrawn − returned. */
  get inTransit(): number {
    let s = 0;
    for (const p of this.queue) s += p.amount;
    return s;
  }

  /** Number of transfers in flight. */
  get pending(): number {
    return this.queue.length;
  }

  /**
   * Takes up to `amount` out of wallet `i` (never below 0) toward account `account` (default `i`)
   * of `exchange` on venue `venue`, landing at `arriveTick` (≥ `tick`); returns what was sent.
   */
  send(tick: number, i: number, venue: number, exchange: Exchange, amount: number, arriveTick: number, account = i): number {
    checkArrival(tick, arriveTick);
    const w = Math.max(0, Math.min(amount, this.wallets.quote[i]!));
    if (w === 0) return 0;
    this.wallets.quote[i] -= w;
    this.sentTotal += w;
    this.push({ arrive: arriveTick, seq: this.seq++, wallet: i, account, exchange, venue, amount: w });
    return w;
  }

  /**
   * Takes up to `amount` of account `account`'s free collateral (default `i`'s) out of `exchange`
   * on venue `venue` ({@link Exchange.withdrawFree}: all of a flat account's collateral, equity
   * above initial margin of an open isolated one) toward wallet `i`, landing at `arriveTick`;
   * returns what left the venue.
   */
  withdrawToWallet(tick: number, i: number, venue: number, exchange: Exchange, amount: number, arriveTick: number, account = i): number {
    checkArrival(tick, arriveTick);
    const w = exchange.withdrawFree(account, amount);
    if (w === 0) return 0;
    this.withdrawnTotal += w;
    this.withdrawnFrom[venue] = (this.withdrawnFrom[venue] ?? 0) + w;
    this.push({ arrive: arriveTick, seq: this.seq++, wallet: i, account, exchange: null, venue, amount: w });
    return w;
  }

  /** Lands every transfer due by `tick`, in (arrival, sequence) order; returns how many landed. */
  deliver(tick: number): number {
    let n = 0;
    while (n < this.queue.length && this.queue[n]!.arrive <= tick) {
      const p = this.queue[n++]!;
      if (p.exchange && p.exchange.accounts.state[p.account] === AccountState.Gone) {
        // The account left for good while the money was on its way: it goes back to the wallet.
        this.wallets.quote[p.wallet] += p.amount;
        this.returnedTotal += p.amount;
      } else if (p.exchange) {
        p.exchange.deposit(p.account, p.amount);
        this.deliveredTotal += p.amount;
        this.deliveredTo[p.venue] = (this.deliveredTo[p.venue] ?? 0) + p.amount;
      } else {
        this.wallets.quote[p.wallet] += p.amount;
        this.returnedTotal += p.amount;
      }
    }
    if (n > 0) this.queue.splice(0, n);
    return n;
  }

  /** Inserts after every transfer that lands no later (arrivals are mostly in order: scan from the end). */
  private push(p: Pending): void {
    let k = this.queue.length;
    while (k > 0 && this.queue[k - 1]!.arrive > p.arrive) k--;
    this.queue.splice(k, 0, p);
  }
}

function checkArrival(tick: number, arriveTick: number): void {
  if (!(Number.isInteger(arriveTick) && arriveTick >= tick)) throw new RangeError(`transfer made at tick ${tick} arrives at ${arriveTick}; allowed: an integer tick ≥ ${tick}`);
}
