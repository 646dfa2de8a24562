/**
 * Wallets outside every venue and protocol (DESIGN.md "Many assets, margin modes, venues and
 * protocols"): per account, quote money and units of each asset. Spot trades, lending deposits and
 * borrows, and transfers to and from venues move money and units in and out of here; everything
 * that enters the world from outside is counted as a deposit, so the world's ledger closes.
 */

/** Quote and asset units held outside venues and protocols, per account. */
export class Wallets {
  /** Quote money per account. */
  readonly quote: Float64Array;
  /** Units of each asset per account (one column per asset, in the world's asset order). */
  readonly held: Float64Array[];
  /** Quote that entered the world into wallets (endowments). */
  quoteDeposits = 0;
  /** Units of each asset that entered the world into wallets (endowments). */
  readonly unitDeposits: Float64Array;

  constructor(readonly capacity: number, readonly assets: number) {
    this.quote = new Float64Array(capacity);
    this.held = Array.from({ length: assets }, () => new Float64Array(capacity));
    this.unitDeposits = new Float64Array(assets);
  }

  /** The units column of asset `a`. */
  units(a: number): Float64Array {
    return this.held[a]!;
  }

  /** Endows account `i` from outside the world with `quote` money and `units` of asset `a` (a deposit). */
  endow(i: number, quote: number, a = -1, units = 0): void {
    this.quote[i] += quote;
    this.quoteDeposits += quote;
    if (a >= 0 && units !== 0) {
      this.held[a]![i] += units;
      this.unitDeposits[a] += units;
    }
  }

  /** Σ quote over every wallet (fixed summation order: ascending account). */
  totalQuote(): number {
    let s = 0;
    for (let i = 0; i < this.capacity; i++) s += this.quote[i]!;
    return s;
  }

  /** Σ units of asset `a` over every wallet. */
  totalUnits(a: number): number {
    const col = this.held[a]!;
    let s = 0;
    for (let i = 0; i < this.capacity; i++) s += col[i]!;
    return s;
  }
}

/**
 * Spot trading on a venue's spot market, for actors outside the perpetual markets (lending
 * liquidators, looping borrowers, arbitrageurs). Trades settle against the account's wallet and go
 * through the spot market's liquidity, so they move its price; the counterparty is the spot
 * market's liquidity provider (its house inventory).
 */
export interface SpotAccess {
  /** The last price of `asset` on venue `venue`'s spot market (quote per unit). */
  spotPrice(venue: number, asset: number): number;
  /** True when venue `venue` lists a spot market for `asset`. */
  hasSpot(venue: number, asset: number): boolean;
  /** Sells `units` of `asset` from wallet `i` on venue `venue`'s spot market; returns the quote received. */
  sell(i: number, venue: number, asset: number, units: number): number;
  /** Spends `quote` of wallet `i` on `asset` on venue `venue`'s spot market; returns the units received. */
  buy(i: number, venue: number, asset: number, quote: number): number;
}
