/**
 * The world's tick summary in a world of several venues: every venue's ledger terms added up, with
 * the money outside the venues (wallets, spot liquidity providers) closing the world's identity.
 * Each venue balances on its own (its summary's residual, `ticks-<venue>.csv`); the world's
 * residual adds the outside ledger:
 *
 *     outside residual = Σ wallet quote + Σ spot providers' quote change − quote endowed into wallets
 *
 * (spot trades move quote between wallets and providers, so the sum is constant). Units are
 * conserved separately: Σ wallet units + Σ provider units = units endowed + providers' start, per asset
 * ({@link unitsResidual}).
 */
import type { TickSummary } from '../engine/events';
import { TICK_SUMMARY_FIELDS } from '../engine/events';
import type { SpotDesk } from './spot';
import type { Wallets } from './wallets';

/** Venue figures that add up over venues; every other market-scope figure is NaN in the world's summary, as in worldSummary. */
const MAX_FIELDS = new Set(['cascadeRounds', 'roundCapHit', 'activeAccounts']);

/** The world's summary of tick `t` from each venue's summary of the same tick. */
export function venuesSummary(t: number, venues: readonly TickSummary[], wallets: Wallets, spot: SpotDesk): TickSummary {
  const out = { ...venues[0]! } as Record<string, number>;
  for (const f of TICK_SUMMARY_FIELDS) {
    if (f === 'tick' || Number.isNaN(out[f])) continue;
    let acc = 0;
    for (const s of venues) {
      const x = (s as unknown as Record<string, number>)[f]!;
      acc = MAX_FIELDS.has(f) ? Math.max(acc, x) : acc + x;
    }
    out[f] = acc;
  }
  const outside = outsideResidual(wallets, spot);
  out.residual! += outside;
  out.relativeResidual = Math.abs(out.residual!) / Math.max(1, out.deposits! - houseDeposits(venues) + wallets.quoteDeposits);
  out.tick = t;
  return out as unknown as TickSummary;
}

/** Σ of the venues' house deposits (the backstops' collateral, which the relative residual leaves out). */
function houseDeposits(venues: readonly TickSummary[]): number {
  let s = 0;
  for (const v of venues) s += v.houseEquity - v.housePnl;
  return s;
}

/** Σ wallet quote + Σ spot providers' quote change − quote endowed into wallets (0 when money is conserved outside the venues). */
export function outsideResidual(wallets: Wallets, spot: SpotDesk): number {
  return wallets.totalQuote() + spot.houseQuoteChange() - wallets.quoteDeposits;
}

/** Units of asset `a` held minus units that entered: wallets + spot providers − endowed − providers' start (0 when conserved). */
export function unitsResidual(a: number, wallets: Wallets, spot: SpotDesk): number {
  return wallets.totalUnits(a) + spot.houseUnits(a) - wallets.unitDeposits[a]! - spot.startUnits(a);
}
