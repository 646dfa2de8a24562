import { TablePolicy, type PolicyOptions } from './table-policy';

/**
 * Fixed cap: one max leverage and one maintenance margin rate for every position size.
 * IM = notional / maxLeverage, MM = notional × mmr.
 * @example new FixedPolicy(20, 0.025) // 20x, 2.5% maintenance
 */
export class FixedPolicy extends TablePolicy {
  constructor(maxLeverage: number, mmr: number, opts: PolicyOptions & { name?: string } = {}) {
    if (!(mmr < 1 / maxLeverage)) {
      throw new RangeError(`fixed policy: mmr ${mmr} must be below the initial margin rate 1/${maxLeverage}`);
    }
    super(opts.name ?? `fixed-${maxLeverage}x`, [{ floor: 0, cap: Infinity, maxLeverage, mmr }], opts);
  }
}
