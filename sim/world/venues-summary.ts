/**
 * The world's tick summary in a world of several venues: every venue's ledger terms added up, with
 * the money outside the venues (wallets, spot liquidity providers) closing the world's identity.
 * Each venue balances on its own (its summary's residual, `ticks-<venue>.csv`); the world's
 * residual adds the outside ledger:
 *
 *     outside residual = Σ wallet quote + Σ spot providers' quote change + Σ token sale proceeds − quote endowed
 *
 * (spot trades move quote between wallets and providers; a venue's sale of collateral tokens moves
 * it from a provider into the venue, whose ledger counts it: collateral.ts). Units are
 * conserved separately: Σ wallet units + Σ provider units = units endowed + providers' start, per asset
 * ({@link unitsResidual}).
 */
import type { TickSummary } from '../engine/events';
import { TICK_SUMMARY_FIELDS } from '../engine/events';
import type { SpotDesk } from './spot';
import type { Wallets } from './wallets';
import type { Venue } from './venue';

/** Venue figures that add up over venues; every other market-scope figure is NaN in the world's summary, as in worldSummary. */
const MAX_FIELDS = new Set(['cascadeRounds', 'roundCapHit', 'activeAccounts']);

/** The world's summary of tick `t` from each venue's summary of the same tick. */
export function venuesSummary(t: number, venues: readonly TickSummary[], wallets: Wallets, spot: SpotDesk, tokenVenues: readonly Venue[]): TickSummary {
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
  const outside = outsideResidual(wallets, spot, tokenVenues);
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

/**
 * Σ wallet quote + Σ spot providers' quote change + what providers paid into venues for collateral
 * tokens − quote endowed into wallets (0 when money is conserved outside the venues; the venues
 * count those proceeds on their side, collateral.ts).
 */
export function outsideResidual(wallets: Wallets, spot: SpotDesk, venues: readonly Venue[]): number {
  let proceeds = 0;
  for (const v of venues) if (v.tokens) proceeds += v.tokens.proceeds;
  return wallets.totalQuote() + spot.houseQuoteChange() + proceeds - wallets.quoteDeposits;
}

/**
 * Units of asset `a` held minus units that entered the world (0 when conserved): wallets + spot
 * providers + every venue's collateral tokens − (endowed into wallets + providers' start + deposited
 * as tokens). Sales of tokens move units from venues to providers; spot trades between wallets and
 * providers.
 */
export function unitsResidual(a: number, wallets: Wallets, spot: SpotDesk, venues: readonly Venue[]): number {
  let held = wallets.totalUnits(a) + spot.houseUnits(a);
  let entered = wallets.unitDeposits[a]! + spot.startUnits(a);
  for (const v of venues) {
    const tc = v.tokens;
    if (!tc) continue;
    tc.tokens.forEach((t, k) => {
      if (t.asset !== a) return;
      held += tc.totalUnits(k);
      entered += tc.unitsIn[k]!;
    });
  }
  return held - entered;
}
