/**
 * The world's tick summary in a world of several venues: every venue's ledger terms added up, with
 * the money outside the venues (wallets, spot liquidity providers, transfers in flight) closing the
 * world's identity. Each venue balances on its own (its summary's residual, `ticks-<venue>.csv`),
 * counting a transfer that lands in it as a deposit and one that leaves it as a withdrawal. Outside
 * the venues, quote enters only as wallet endowments (E) and moves by:
 * - spot trades, between a wallet and a provider: Σ wallet quote + Σ provider quote change is unchanged;
 * - transfers to a venue: sent S out of wallets into flight, delivered D out of flight into venues;
 * - transfers from a venue: withdrawn R out of venues into flight, returned T out of flight into wallets.
 * So Σ wallet quote + Σ providers' change = E − S + T, and in transit = S − D + R − T, whence
 *
 *     outside residual = Σ wallet quote + in transit + Σ spot providers' quote change
 *                        + Σ token sale proceeds + Σ protocol cash
 *                        − E − Σ quote supplied to protocols + D − R                 (0 when conserved)
 *
 * A venue's sale of collateral tokens moves quote from a provider into the venue, whose ledger
 * counts it (collateral.ts); borrows, repayments and liquidators' repayments move it between wallets
 * and a protocol's cash, whose own ledger cash + Σ debt + bad debt = supplied is checked apart
 * (sim/protocols/lending.ts). The world's residual, Σ venue residuals + outside residual, closes
 * because D and R are also in the venues' deposits and withdrawals with the opposite sign. The
 * world's `deposits` and `withdrawals` are the venues' sums (transfers included); the relative
 * residual's scale counts money entering the world once: venue deposits − house deposits + E +
 * supplied − D. Units are conserved separately: Σ wallet units + Σ providers' net units + … = units
 * endowed, per asset
 * ({@link unitsResidual}).
 */
import type { TickSummary } from '../engine/events';
import { TICK_SUMMARY_FIELDS } from '../engine/events';
import type { SpotDesk } from './spot';
import type { Transfers } from './transfers';
import type { Wallets } from './wallets';
import type { Venue } from './venue';
import type { Protocol } from './protocol';

/** Venue figures that add up over venues; every other market-scope figure is NaN in the world's summary, as in worldSummary. */
const MAX_FIELDS = new Set(['cascadeRounds', 'roundCapHit', 'activeAccounts']);

/** The world's summary of tick `t` from each venue's summary of the same tick. */
export function venuesSummary(
  t: number, venues: readonly TickSummary[], wallets: Wallets, spot: readonly SpotDesk[], tokenVenues: readonly Venue[], protocols: readonly Protocol[], transfers?: Transfers,
): TickSummary {
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
  const outside = outsideResidual(wallets, spot, tokenVenues, protocols, transfers);
  out.residual! += outside;
  let supplied = 0;
  for (const p of protocols) supplied += p.pool.supplied;
  out.relativeResidual = Math.abs(out.residual!) / Math.max(1, out.deposits! - houseDeposits(venues) + wallets.quoteDeposits + supplied - (transfers?.deliveredTotal ?? 0));
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
 * Σ wallet quote + in transit + Σ spot providers' quote change + what providers paid into venues
 * for collateral tokens + Σ protocol cash − quote endowed into wallets − Σ quote supplied to
 * protocols + delivered into venues − withdrawn from venues (0 when money is conserved outside the
 * venues).
 */
export function outsideResidual(wallets: Wallets, spot: readonly SpotDesk[], venues: readonly Venue[], protocols: readonly Protocol[], transfers?: Transfers): number {
  let proceeds = 0, cash = 0, supplied = 0;
  for (const v of venues) if (v.tokens) proceeds += v.tokens.proceeds;
  for (const p of protocols) {
    cash += p.pool.cash;
    supplied += p.pool.supplied;
  }
  let provider = 0;
  for (const d of spot) provider += d.houseQuoteChange();
  const base = wallets.totalQuote() + provider + proceeds + cash - wallets.quoteDeposits - supplied;
  if (!transfers) return base;
  return base + transfers.inTransit + transfers.deliveredTotal - transfers.withdrawnTotal;
}

/**
 * Units of asset `a` held minus units that entered the world (0 when conserved): wallets + spot
 * providers' net units + lending pools + every venue's collateral tokens − (endowed into wallets +
 * deposited as tokens). Sales of tokens move units from venues to providers; spot trades between wallets and
 * providers.
 */
export function unitsResidual(a: number, wallets: Wallets, spot: readonly SpotDesk[], venues: readonly Venue[], protocols: readonly Protocol[] = []): number {
  let held = wallets.totalUnits(a);
  for (const d of spot) held += d.houseUnits(a);
  for (const p of protocols) {
    p.o.params.collateral.forEach((c, k) => {
      if (c.asset === a) held += p.pool.totalCollateralUnits(k);
    });
  }
  for (const v of venues) {
    const tc = v.tokens;
    if (!tc) continue;
    tc.tokens.forEach((t, k) => { if (t.asset === a) held += tc.totalUnits(k); });
  }
  return held - unitsEntered(a, wallets, venues);
}

/** Units of asset `a` that entered the world: endowed into wallets and deposited into venues as tokens (the scale of its residual). */
export function unitsEntered(a: number, wallets: Wallets, venues: readonly Venue[]): number {
  let entered = wallets.unitDeposits[a]!;
  for (const v of venues) {
    const tc = v.tokens;
    if (!tc) continue;
    tc.tokens.forEach((t, k) => { if (t.asset === a) entered += tc.unitsIn[k]!; });
  }
  return entered;
}
