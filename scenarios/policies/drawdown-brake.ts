/**
 * An example custom policy, named by path from a scenario (`policy: { module: ./policies/drawdown-brake.ts, params: {...} }`).
 *
 * Drawdown brake: a fixed cap of `maxLeverage` (MMR `mmr`) that is divided by `brake` while the mark
 * is more than `trigger` below its running high, and restored once it has recovered to within
 * `trigger / 2`. With `jitter` > 0 the trigger is drawn once per run, uniform in
 * trigger × [1 − jitter, 1 + jitter), from `ctx.rng('drawdown-brake')`: a seeded stream keyed by that
 * name, so two brakes compared under different labels draw the same trigger on each seed.
 * A custom policy module's default export is a factory (params, ctx) → LeveragePolicy; extending
 * TablePolicy and swapping `this.current` for a new table is the simplest way to write one.
 */
import { compileTiers } from '../../sim/exchange/margin';
import { TablePolicy } from '../../sim/exchange/policies/table-policy';
import type { LeveragePolicy, TightenMode } from '../../sim/exchange/policies/types';
import type { MarketView } from '../../sim/market/market';
import type { PolicyFactoryContext } from '../../sim/run/policy-factory';

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

/** Builds the policy from the scenario's params: maxLeverage, mmr, trigger, jitter (0), brake. */
export default function drawdownBrake(params: Record<string, unknown>, ctx: PolicyFactoryContext): LeveragePolicy {
  const num = (k: string, d: number) => (typeof params[k] === 'number' ? (params[k] as number) : d);
  const trigger = num('trigger', 0.05) * (1 + num('jitter', 0) * (2 * ctx.rng('drawdown-brake').next() - 1));
  return new DrawdownBrake(ctx.name, num('maxLeverage', 20), num('mmr', 0.02), trigger, num('brake', 2), ctx.onTighten as TightenMode | undefined);
}
