/**
 * An example custom policy, named by path from a scenario (`policy: { module: ./policies/drawdown-brake.ts, params: {...} }`).
 *
 * Drawdown brake: a fixed cap of `maxLeverage` (MMR `mmr`) that is divided by `brake` while the mark
 * is more than `trigger` below its running high, and restored once it has recovered to within
 * `trigger / 2`. A custom policy module's default export is a factory (params, ctx) → LeveragePolicy;
 * extending TablePolicy and swapping `this.current` for a new table is the simplest way to write one.
 */
import { compileTiers } from '../../sim/exchange/margin';
import { TablePolicy } from '../../sim/exchange/policies/table-policy';
import type { LeveragePolicy, TightenMode } from '../../sim/exchange/policies/types';
import type { MarketView } from '../../sim/market/market';

class DrawdownBrake extends TablePolicy {
  private high = 0;
  braked = false;

  constructor(name: string, private readonly maxLev: number, private readonly mmr: number, private readonly trigger: number, private readonly brake: number, onTighten?: TightenMode) {
    super(name, [{ floor: 0, cap: Infinity, maxLeverage: maxLev, mmr }], { onTighten });
  }

  override onTick(m: MarketView): boolean {
    this.high = Math.max(this.high, m.mark);
    const dd = 1 - m.mark / this.high;
    const want = this.braked ? dd > this.trigger / 2 : dd > this.trigger;
    if (want === this.braked) return false;
    this.braked = want;
    const lev = want ? this.maxLev / this.brake : this.maxLev;
    this.current = compileTiers([{ floor: 0, cap: Infinity, maxLeverage: lev, mmr: want ? this.mmr * this.brake : this.mmr }]);
    return true;
  }
}

/** Builds the policy from the scenario's params: maxLeverage, mmr, trigger, brake. */
export default function drawdownBrake(params: Record<string, unknown>, ctx: { name: string; onTighten?: string }): LeveragePolicy {
  const num = (k: string, d: number) => (typeof params[k] === 'number' ? (params[k] as number) : d);
  return new DrawdownBrake(ctx.name, num('maxLeverage', 20), num('mmr', 0.02), num('trigger', 0.05), num('brake', 2), ctx.onTighten as TightenMode | undefined);
}
