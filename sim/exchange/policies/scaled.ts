/**
 * A policy that scales another policy's schedule: the composition behind `circuit-breaker` and
 * `vol-scaled`, whose `base` may be any policy, dynamic ones included. With the base's current
 * schedule B_t and the scaling policy's factor f_t,
 *
 *     max leverage_b = B_t.maxLeverage_b × f_t,   MMR_b = min(0.95, B_t.MMR_b / f_t),   cum re-derived,
 *
 * (see scale.ts). Each tick the base updates first, then the factor; the schedule is rescaled when
 * either moved. A base with per-account initial-margin schedules (`risk-score`) has each of them
 * scaled the same way. The base's own `onTighten` and `graceTicks` do not apply: the scaling
 * policy's do. A base's reduce-only rule holds under the scaling policy.
 */
import type { TierTable } from '../margin';
import type { MarketView } from '../../market/market';
import { scaleTable } from './scale';
import { TablePolicy, type PolicyOptions } from './table-policy';
import type { AccountsView, ExchangeView, LeveragePolicy } from './types';

/** Scales a base policy's schedule by a factor its subclass sets in {@link ScaledPolicy.update}. */
export abstract class ScaledPolicy extends TablePolicy {
  /** The factor now (f < 1 tightens). */
  protected factor = 1;
  /** The base's per-account IM schedules, scaled, by base table (reset when the factor moves). */
  private scaledIm = new WeakMap<TierTable, TierTable>();
  /** Present when the base has per-account IM schedules: the account's, scaled. */
  readonly imTable?: (account: number) => TierTable;

  constructor(name: string, readonly base: LeveragePolicy, opts: PolicyOptions = {}) {
    super(name, base.table(0), opts);
    if (base.imTable) {
      const im = base.imTable.bind(base);
      this.imTable = (account) => {
        const t = im(account);
        let s = this.scaledIm.get(t);
        if (!s) this.scaledIm.set(t, (s = this.factor === 1 ? t : scaleTable(t, this.factor)));
        return s;
      };
    }
  }

  /** Updates the factor from this tick's market; returns true when it moved. */
  protected abstract update(market: MarketView, accounts: AccountsView, exchange: ExchangeView): boolean;

  /** The base's update, then the factor's; rescales when either moved. */
  override onTick(market: MarketView, accounts: AccountsView, exchange: ExchangeView): boolean {
    const baseMoved = this.base.onTick(market, accounts, exchange);
    const moved = this.update(market, accounts, exchange);
    if (!baseMoved && !moved) return false;
    this.rescale();
    return true;
  }

  /** Sets the schedule to the base's current one scaled by the factor. */
  protected rescale(): void {
    this.current = scaleTable(this.base.table(0), this.factor);
    this.scaledIm = new WeakMap();
  }

  /** The bracket's max leverage, from the account's IM schedule when the base has per-account ones. */
  override maxLeverage(notional: number, account: number): number {
    return this.imTable ? this.base.maxLeverage(notional, account) * this.factor : super.maxLeverage(notional, account);
  }

  /** notional / {@link maxLeverage}. */
  override initialMargin(notional: number, account: number): number {
    return notional / this.maxLeverage(notional, account);
  }

  /** The base's reduce-only rule. */
  reduceOnly(account: number): boolean {
    return this.base.reduceOnly?.(account) ?? false;
  }
}
