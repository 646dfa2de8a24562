/** The tick summary of one market of a built world (every column computed by sim/metrics/reporters.ts). */
import type { TickSummary } from '../engine/events';
import { tickSummary } from '../metrics/reporters';
import type { MarketHandle } from './world';

/**
 * One market's tick summary. In a one-asset world its ledger terms are the whole venue's; in a
 * world of several, the ledger terms of the world's summary ({@link worldSummary}) are the ones
 * that balance (the markets share one treasury).
 */
export function marketSummary(t: number, h: MarketHandle): TickSummary {
  const { market, exchange, funding } = h;
  return tickSummary({
    // The book pass first: it sets exchange.openInterestNotional, which a policy's headline may read.
    tick: t, market, exchange, book: exchange.bookStats(market.markPrice), fundingRate: funding.lastRate,
    headline: exchange.policy.headline(), treasury: exchange.treasury, cascade: exchange.lastCascade,
  });
}
