/**
 * Spot markets of the venues (asset against quote). A trade settles against the trader's wallet
 * ({@link Wallets}) and walks the spot market's book ({@link Market.applyFlow}: square-root or
 * linear impact, spillover into the asset's index by the venue's share of price discovery); its
 * counterparty is the spot market's liquidity provider, whose inventory (units and quote) is kept
 * here, so every trade has two sides and units and quote are conserved.
 */
import type { Market } from '../market/market';
import type { SpotAccess, Wallets } from './wallets';

/** One spot market: its price state and its liquidity provider's inventory. */
export interface SpotMarket {
  /** Venue number and asset number (world order). */
  venue: number;
  asset: number;
  /** The price state (index-anchored by the premium's decay, moved by flow). */
  market: Market;
  /**
   * The liquidity provider's net units and quote from trading (both 0 at the start): kept as
   * changes, as the backstop's PnL is, so that a deep provider's balance does not drown the
   * traders' flows in rounding. The provider's depth is the liquidity model's; its inventory is not a limit.
   */
  houseUnits: number;
  houseQuote: number;
  /** Units sold and bought by traders so far (cumulative, for summaries). */
  soldUnits: number;
  boughtUnits: number;
}

/**
 * Sells `units` to spot market `s`'s liquidity provider through the book: the flow moves the price,
 * the provider pays units × the average fill price (returned) and takes the units.
 */
export function sellToProvider(s: SpotMarket, units: number): number {
  const fill = s.market.applyFlow(-units * s.market.mark);
  const quote = units * fill;
  s.houseUnits += units;
  s.houseQuote -= quote;
  s.soldUnits += units;
  return quote;
}

/** Every venue's spot markets, and trading on them from wallets. */
export class SpotDesk implements SpotAccess {
  /** By venue, then asset: the spot market or null. */
  private readonly byVenue: (SpotMarket | null)[][];

  constructor(readonly markets: readonly SpotMarket[], venues: number, assets: number, private readonly wallets: Wallets) {
    this.byVenue = Array.from({ length: venues }, () => new Array<SpotMarket | null>(assets).fill(null));
    for (const s of markets) this.byVenue[s.venue]![s.asset] = s;
  }

  /** The spot market of `asset` on `venue` (throws when the venue lists none: a build check refuses such scenarios). */
  get(venue: number, asset: number): SpotMarket {
    const s = this.byVenue[venue]?.[asset];
    if (!s) throw new RangeError(`venue ${venue} lists no spot market for asset ${asset}`);
    return s;
  }

  hasSpot(venue: number, asset: number): boolean {
    return !!this.byVenue[venue]?.[asset];
  }

  spotPrice(venue: number, asset: number): number {
    return this.get(venue, asset).market.mark;
  }

  /** Sells `units` from wallet `i`: quote received = units × the average fill price along the impact curve. */
  sell(i: number, venue: number, asset: number, units: number): number {
    if (!(units > 0)) return 0;
    const quote = sellToProvider(this.get(venue, asset), units);
    this.wallets.held[asset]![i] -= units;
    this.wallets.quote[i] += quote;
    return quote;
  }

  /** Spends `quote` of wallet `i`: units received = quote / the average fill price. */
  buy(i: number, venue: number, asset: number, quote: number): number {
    if (!(quote > 0)) return 0;
    const s = this.get(venue, asset);
    const fill = s.market.applyFlow(quote);
    const units = quote / fill;
    this.wallets.quote[i] -= quote;
    this.wallets.held[asset]![i] += units;
    s.houseUnits -= units;
    s.houseQuote += quote;
    s.boughtUnits += units;
    return units;
  }

  /** Σ over spot markets of the liquidity providers' net units of `asset` from trading. */
  houseUnits(asset: number): number {
    let s = 0;
    for (const m of this.markets) if (m.asset === asset) s += m.houseUnits;
    return s;
  }

  /** Σ of the liquidity providers' net quote from trading. */
  houseQuoteChange(): number {
    let s = 0;
    for (const m of this.markets) s += m.houseQuote;
    return s;
  }
}
