/**
 * Open-interest driven margin, after dYdX v4's liquidity tiers: the initial margin fraction rises
 * linearly from its base to 100% as open interest goes from the lower to the upper cap,
 *
 *     IMF(OI) = IMF₀ + (1 − IMF₀) × clamp((OI − lower) / (upper − lower), 0, 1),  MMF = IMF × mf,
 *
 * so the market's total leverage is capped. A variant drives the same ramp by the insurance fund's
 * health h = fund / fund at start: IMF rises from IMF₀ as h falls from 1 to `fundFloor`.
 * IMF moves in steps of `step` so limits do not change every tick.
 */
import type { MarketView } from '../../market/market';
import { flatTable } from './scale';
import { TablePolicy, type PolicyOptions } from './table-policy';
import type { AccountsView, ExchangeView, PolicyHeadline } from './types';

/** Parameters of {@link OpenInterestPolicy}. */
export interface OpenInterestParams {
  /** Base initial margin fraction (0.05 = 20x). */
  baseImf: number;
  /** Maintenance fraction: MMF = IMF × this (dYdX: 0.6). */
  maintenanceFraction: number;
  driver: 'open-interest' | 'insurance-fund';
  /** open-interest: the caps, quote notional (one side). */
  lowerCap: number;
  upperCap: number;
  /** insurance-fund: health at and below which IMF is 100%. */
  fundFloor: number;
  /** Granularity of IMF changes. */
  step: number;
}

/** IMF that rises with open interest (or falls with insurance-fund health). */
export class OpenInterestPolicy extends TablePolicy {
  /** Current initial margin fraction. */
  imf: number;

  constructor(name: string, private readonly p: OpenInterestParams, opts: PolicyOptions = {}) {
    super(name, [{ floor: 0, cap: Infinity, maxLeverage: 1 / p.baseImf, mmr: p.baseImf * p.maintenanceFraction }], opts);
    this.imf = p.baseImf;
  }

  /** The IMF for open interest `oi` (quote) or fund health `h`, before stepping. */
  rawImf(oi: number, health: number): number {
    const x = this.p.driver === 'open-interest'
      ? (oi - this.p.lowerCap) / (this.p.upperCap - this.p.lowerCap)
      : (1 - health) / (1 - this.p.fundFloor);
    return this.p.baseImf + (1 - this.p.baseImf) * Math.min(1, Math.max(0, x));
  }

  override onTick(_m: MarketView, _a: AccountsView, ex: ExchangeView): boolean {
    const health = ex.insuranceFundStart > 0 ? ex.insuranceFund / ex.insuranceFundStart : 1;
    const raw = this.rawImf(ex.openInterestNotional, health);
    const stepped = Math.min(1, this.p.baseImf + Math.ceil((raw - this.p.baseImf) / this.p.step - 1e-9) * this.p.step);
    if (Math.abs(stepped - this.imf) < 1e-12) return false;
    this.imf = stepped;
    this.current = flatTable(stepped, stepped * this.p.maintenanceFraction);
    return true;
  }

  override headline(): PolicyHeadline {
    return { maxLeverage: 1 / this.imf, marginMultiplier: this.imf / this.p.baseImf, regime: '' };
  }
}
