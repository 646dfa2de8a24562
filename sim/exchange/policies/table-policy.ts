import { compileTiers, initialMargin, maintenanceMargin, bracketOf, type Tier, type TierTable } from '../margin';
import type { MarketView } from '../../market/market';
import type { AccountsView, ExchangeView, LeveragePolicy, PolicyHeadline, TightenMode } from './types';

/** Options every policy shares. */
export interface PolicyOptions {
  onTighten?: TightenMode;
  graceTicks?: number;
}

/**
 * A static policy over one tier table shared by every account: the base of `fixed` and `tiered`,
 * and of dynamic policies that swap the table when their limits move.
 */
export class TablePolicy implements LeveragePolicy {
  readonly onTighten: TightenMode;
  readonly graceTicks: number;
  protected current: TierTable;

  /** @param tiers the brackets (cum derived when omitted), or a compiled table. */
  constructor(readonly name: string, tiers: readonly Tier[] | TierTable, opts: PolicyOptions = {}) {
    this.current = 'n' in tiers ? tiers : compileTiers(tiers);
    this.onTighten = opts.onTighten ?? 'enforce';
    this.graceTicks = opts.graceTicks ?? 0;
  }

  /** Static: never changes. */
  onTick(_market: MarketView, _accounts: AccountsView, _exchange: ExchangeView): boolean {
    return false;
  }
  /** The bracket's max leverage. */
  maxLeverage(notional: number, _account: number): number {
    return this.current.maxLeverage[bracketOf(notional, this.current)]!;
  }
  /** notional / bracket max leverage. */
  initialMargin(notional: number, _account: number): number {
    return initialMargin(notional, this.current);
  }
  /** notional × MMR − cum. */
  maintenanceMargin(notional: number, _account: number): number {
    return maintenanceMargin(notional, this.current);
  }
  /** The shared table. */
  table(_account: number): TierTable {
    return this.current;
  }
  /** First bracket's leverage; static policies never change their multiplier or regime. */
  headline(): PolicyHeadline {
    return { maxLeverage: this.current.maxLeverage[0]!, marginMultiplier: 1, regime: '' };
  }
}
