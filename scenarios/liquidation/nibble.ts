/**
 * An example liquidation-sizing module, named by path from a scenario
 * (`liquidation: { mode: module, module: ./liquidation/nibble.ts, params: { scale: 1 } }`).
 *
 * Nibble: each round closes the fraction k = scale × (MM − equity) / notional of the position, a
 * rule some simulators use. Closing k of the position frees k × MM of requirement while equity
 * stays, so (for scale ≤ 1) it leaves the account below maintenance: it is nibbled again at its
 * next chance (every `cooldownTicks`), never restored in one go. A module's default export is a
 * factory (params, ctx) → LiquidationSizer; ctx.rng(name) gives a seeded stream keyed by `name`.
 */
import type { LiquidationSizer, LiquidationView } from '../../sim/exchange/params';

/** Builds the rule from the scenario's params: `scale` (default 1). */
export default function nibble(params: Record<string, unknown>): LiquidationSizer {
  const scale = typeof params.scale === 'number' ? params.scale : 1;
  return {
    closeQty(p: LiquidationView): number {
      const k = Math.min(1, Math.max(0, (scale * (p.maintenance - p.equity)) / p.notional));
      // A bankrupt or nearly bankrupt position goes whole: nibbling cannot save it.
      return p.equity <= 0 || k >= 1 ? Math.abs(p.size) : Math.max(k * Math.abs(p.size), 1e-12);
    },
  };
}
