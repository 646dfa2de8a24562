import type { Tier } from '../margin';
import { TablePolicy, type PolicyOptions } from './table-policy';

/**
 * Tiered brackets: max leverage falls and MMR rises with position notional;
 * MM = notional × MMR_n − cum_n with cum derived when omitted (see margin.deriveCum).
 * @example new TieredPolicy('binance-btcusdt', PRESETS['binance-btcusdt'].tiers)
 */
export class TieredPolicy extends TablePolicy {
  constructor(name: string, tiers: readonly Tier[], opts: PolicyOptions = {}) {
    super(name, tiers, opts);
  }
}
