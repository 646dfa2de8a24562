/** Rescaling tier tables, for policies whose limits move with market conditions. */
import { compileTiers, type Tier, type TierTable } from '../margin';

/**
 * Multiplies every bracket's max leverage by `f` and re-derives the MMRs so that each bracket keeps
 * its ratio MMR / IMR (MMR_b / f), with cum re-derived from the new MMRs. f < 1 tightens.
 * MMRs are capped below 1.
 * @example scaleLeverage([{ floor: 0, cap: Infinity, maxLeverage: 50, mmr: 0.01 }], 0.5) // 25x, MMR 2%
 */
export function scaleLeverage(base: readonly Tier[], f: number): TierTable {
  return scaleTable(compileTiers(base), f);
}

/**
 * {@link scaleLeverage} of a compiled table: max leverage_b × f, MMR_b / f (capped at 0.95), cum
 * re-derived from the new MMRs.
 */
export function scaleTable(t: TierTable, f: number): TierTable {
  const tiers: Tier[] = [];
  for (let b = 0; b < t.n; b++) tiers.push({ floor: t.floor[b]!, cap: t.cap[b]!, maxLeverage: t.maxLeverage[b]! * f, mmr: Math.min(0.95, t.mmr[b]! / f) });
  return compileTiers(tiers);
}

/** One bracket: max leverage 1 / imr, maintenance rate mmr. */
export function flatTable(imr: number, mmr: number): TierTable {
  return compileTiers([{ floor: 0, cap: Infinity, maxLeverage: 1 / imr, mmr: Math.min(0.95, mmr) }]);
}
