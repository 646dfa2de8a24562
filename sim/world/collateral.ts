/**
 * Collateral tokens of a venue (for example a stablecoin): cross and portfolio accounts may hold
 * part of their collateral as units of a token the venue accepts, valued for margin at
 *
 *     collateral value = units × price × (1 − haircut)
 *
 * where the price is the venue's own (its spot market's last price for the token: a thin internal
 * book can mark the token far from where it trades elsewhere) or the token's index. A depeg on one
 * venue cuts the equity of every holder there at once. Tokens are held in units; the venue's ledger
 * counts them at full price, with a revaluation term for price changes:
 *
 *     Σ quote equity + token value + … = quote deposits + token deposits + revaluation − outflow + proceeds
 *
 * where token deposits are the value of units deposited (at the price then), revaluation the
 * cumulative Σ units × Δprice, outflow the value (at the price then) of units that left the venue
 * and proceeds the quote their sale brought into accounts. When the venue liquidates a holder it
 * first sells the account's tokens (the venues' "auto-exchange") on the venue's spot market,
 * which must list the token (the sale moves that price, and so every other holder's collateral).
 */
/** One accepted token: its asset number, haircut and price source. */
export interface AcceptedToken {
  /** The token's asset number (world order). */
  asset: number;
  /** Fraction of the value margin does not count (0.05: a 5% haircut). */
  haircut: number;
  /** `venue`: the venue's spot price of the token; `index`: the token's index. */
  priceSource: 'venue' | 'index';
}

/** How the venue prices and sells a token: the world supplies both (the venue knows no spot market). */
export interface TokenMarket {
  /** The token's price for this venue now. */
  price(): number;
  /** Sells `units` of the token; returns the quote received (the world moves the book and its provider's inventory). */
  sell(units: number): number;
}

/** A venue's accepted tokens, each account's units, and the token terms of the venue's ledger. */
export class TokenCollateral {
  /** Units of each token per account (one column per accepted token). */
  readonly units: Float64Array[];
  /** Accounts that have held tokens, ascending (a holder may be at 0 after a sale). */
  private readonly holders: number[] = [];
  private readonly isHolder: Uint8Array;
  /** Each token's price at the last revaluation. */
  private readonly lastPrice: Float64Array;
  /** Value of the units deposited, at the price of each deposit (quote). */
  deposits = 0;
  /** Cumulative Σ units held × price change (quote). */
  revaluation = 0;
  /** Value of the units sold out of accounts, at the price before each sale (quote). */
  outflow = 0;
  /** Quote the sales brought into accounts. */
  proceeds = 0;
  /** Units of each token deposited (from outside the venue) and sold out of accounts. */
  readonly unitsIn: Float64Array;
  readonly unitsSold: Float64Array;

  constructor(capacity: number, readonly tokens: readonly AcceptedToken[], readonly markets: readonly TokenMarket[]) {
    this.units = tokens.map(() => new Float64Array(capacity));
    this.isHolder = new Uint8Array(capacity);
    this.lastPrice = Float64Array.from(markets, (m) => m.price());
    this.unitsIn = new Float64Array(tokens.length);
    this.unitsSold = new Float64Array(tokens.length);
  }

  /** Deposits `units` of token `k` into account `i` (from outside the venue: counted at the price now). */
  deposit(i: number, k: number, units: number): void {
    if (!(units >= 0 && units < Infinity)) throw new RangeError(`token deposit into account ${i} is ${units}; allowed: a finite amount ≥ 0`);
    const p = this.lastPrice[k]!;
    this.units[k]![i] += units;
    this.unitsIn[k] += units;
    this.deposits += units * p;
    if (!this.isHolder[i]) {
      this.isHolder[i] = 1;
      // Accounts are endowed in ascending order, so the list stays sorted.
      this.holders.push(i);
    }
  }

  /** Token `k`'s price at the last revaluation (what margin values it at). */
  price(k: number): number {
    return this.lastPrice[k]!;
  }

  /** True when account `i` holds any token. */
  holds(i: number): boolean {
    if (!this.isHolder[i]) return false;
    for (const col of this.units) if (col[i]! > 0) return true;
    return false;
  }

  /** Account `i`'s tokens as margin collateral: Σ units × price × (1 − haircut), at the last revaluation's prices. */
  marginValue(i: number): number {
    if (!this.isHolder[i]) return 0;
    let v = 0;
    for (let k = 0; k < this.units.length; k++) v += this.units[k]![i]! * this.lastPrice[k]! * (1 - this.tokens[k]!.haircut);
    return v;
  }

  /** Account `i`'s tokens at full price: Σ units × price (what they are worth, before the haircut). */
  heldValue(i: number): number {
    if (!this.isHolder[i]) return 0;
    let v = 0;
    for (let k = 0; k < this.units.length; k++) v += this.units[k]![i]! * this.lastPrice[k]!;
    return v;
  }

  /**
   * Re-reads every token's price; the change of value of all units held is the ledger's revaluation.
   * Calls `touch(i)` for every holder when any price moved (their margin must be checked again).
   */
  revalue(touch: (i: number) => void): void {
    let moved = false;
    for (let k = 0; k < this.markets.length; k++) {
      const p = this.markets[k]!.price();
      if (p === this.lastPrice[k]) continue;
      moved = true;
      const col = this.units[k]!;
      let held = 0;
      for (const i of this.holders) held += col[i]!;
      this.revaluation += held * (p - this.lastPrice[k]!);
      this.lastPrice[k] = p;
    }
    if (moved) for (const i of this.holders) touch(i);
  }

  /**
   * Sells every token of account `i` (a liquidation's auto-exchange) and returns the quote it
   * brought, which the caller credits to the account. The units leave at the price before the sale
   * (outflow), their proceeds come in as quote.
   */
  sellAll(i: number): number {
    let quote = 0;
    for (let k = 0; k < this.units.length; k++) {
      const u = this.units[k]![i]!;
      if (u <= 0) continue;
      this.units[k]![i] = 0;
      this.unitsSold[k] += u;
      const p = this.lastPrice[k]!;
      this.outflow += u * p;
      const q = this.markets[k]!.sell(u);
      this.proceeds += q;
      quote += q;
    }
    return quote;
  }

  /** Σ units × price over every token and holder, at the last revaluation's prices (quote). */
  value(): number {
    let v = 0;
    for (let k = 0; k < this.units.length; k++) v += this.totalUnits(k) * this.lastPrice[k]!;
    return v;
  }

  /**
   * The token part of the venue's ledger residual: value held − (deposits + revaluation − outflow)
   * − proceeds. The proceeds are quote the sales put into accounts (so they are in the quote
   * equity the rest of the residual counts, on no deposit line of their own); the whole is 0 when
   * units, prices and sales account for every flow.
   */
  ledgerTerm(): number {
    return this.value() - (this.deposits + this.revaluation - this.outflow) - this.proceeds;
  }

  /** Σ units of token `k` held on the venue. */
  totalUnits(k: number): number {
    const col = this.units[k]!;
    let s = 0;
    for (const i of this.holders) s += col[i]!;
    return s;
  }
}
