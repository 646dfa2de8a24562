/**
 * A fake {@link SpotAccess} for tests: one price per (venue, asset), square-root price impact, and a
 * house (the spot market's liquidity provider) that takes the other side of every trade. The house's
 * quote and units may go negative: it stands for liquidity from outside the world.
 *
 * Impact of a trade of notional N at price p: I = coef × sqrt(N / depth), capped at `maxImpact`.
 * A sell of q units fills at p × (1 − I/2) with N = q × p and leaves the price at p × (1 − I); a buy
 * for quote Q fills at p × (1 + I/2) with N = Q and leaves it at p × (1 + I).
 */
import type { SpotAccess, Wallets } from '../../sim/world/wallets';

export class FakeSpot implements SpotAccess {
  /** Price per venue × asset (venue-major). */
  readonly prices: Float64Array;
  /** Quote the house holds (starts at 0). */
  houseQuote = 0;
  /** Units of each asset the house holds (start at 0). */
  readonly houseUnits: Float64Array;
  /** Number of sells and buys (for tests that check a path was taken). */
  trades = 0;

  constructor(
    readonly wallets: Wallets,
    readonly venues: number,
    initialPrices: number[],
    readonly depth = 1e6,
    readonly coef = 1,
    readonly maxImpact = 0.5,
    /** Venues without a spot market. */
    readonly closed: number[] = [],
  ) {
    const A = wallets.assets;
    this.prices = new Float64Array(venues * A);
    for (let v = 0; v < venues; v++) for (let a = 0; a < A; a++) this.prices[v * A + a] = initialPrices[a]!;
    this.houseUnits = new Float64Array(A);
  }

  private impact(notional: number): number {
    return Math.min(this.maxImpact, this.coef * Math.sqrt(Math.max(0, notional) / this.depth));
  }

  spotPrice(venue: number, asset: number): number {
    return this.prices[venue * this.wallets.assets + asset]!;
  }

  /** Sets a price by hand (an exogenous move). */
  setPrice(venue: number, asset: number, p: number): void {
    this.prices[venue * this.wallets.assets + asset] = p;
  }

  hasSpot(venue: number, _asset: number): boolean {
    return venue >= 0 && venue < this.venues && !this.closed.includes(venue);
  }

  sell(i: number, venue: number, asset: number, units: number): number {
    if (!(units > 0)) return 0;
    const at = venue * this.wallets.assets + asset;
    const p = this.prices[at]!;
    const I = this.impact(units * p);
    const q = units * p * (1 - I / 2);
    this.wallets.units(asset)[i] -= units;
    this.wallets.quote[i] += q;
    this.houseUnits[asset] += units;
    this.houseQuote -= q;
    this.prices[at] = p * (1 - I);
    this.trades++;
    return q;
  }

  buy(i: number, venue: number, asset: number, quote: number): number {
    if (!(quote > 0)) return 0;
    const at = venue * this.wallets.assets + asset;
    const p = this.prices[at]!;
    const I = this.impact(quote);
    const u = quote / (p * (1 + I / 2));
    this.wallets.quote[i] -= quote;
    this.wallets.units(asset)[i] += u;
    this.houseQuote += quote;
    this.houseUnits[asset] -= u;
    this.prices[at] = p * (1 + I);
    this.trades++;
    return u;
  }
}
