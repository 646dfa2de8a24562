/**
 * spot-<venue>-<asset>.csv of a run of several venues: one row per tick of a spot market's price
 * against the index and of the trades its liquidity provider took (cumulative units each way and
 * its net inventory from trading).
 */
import type { SpotMarket } from '../world/spot';

/** The columns of spot-<venue>-<asset>.csv, in order. */
export const SPOT_COLUMNS = ['tick', 'price', 'index', 'premium', 'unitsSold', 'unitsBought', 'providerUnits', 'providerQuote'] as const;

/** Collects one spot market's rows as the run goes. */
export class SpotRecorder {
  private readonly rows: string[] = [SPOT_COLUMNS.join(',')];

  constructor(readonly s: SpotMarket) {}

  /** Records tick `t` (at the end of the tick). */
  sample(t: number): void {
    const { market: m } = this.s;
    this.rows.push([t, m.mark, m.index, m.premium, this.s.soldUnits, this.s.boughtUnits, this.s.houseUnits, this.s.houseQuote].join(','));
  }

  /** The CSV text. */
  csv(): string {
    return this.rows.join('\n') + '\n';
  }
}
