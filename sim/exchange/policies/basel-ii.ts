/**
 * The Basel-II-like leverage limit of Poledna, Thurner, Farmer & Geanakoplos (2014, "Leverage-induced
 * systemic risk under Basle II and other credit risk policies", Journal of Banking & Finance 42),
 * section 2.3: the bank lends up to a leverage that falls as measured volatility rises,
 *
 *     λ_eff(t) = min(κ·λ_max, max(1, λ_max·σ_b / σ̂_t)),
 *
 * σ̂_t the root mean square of the last τ log returns of the price (per tick), σ_b the volatility
 * at and below which the full cap applies. Until τ returns have been seen, λ_eff = κ·λ_max. IM =
 * notional / λ_eff; MM = `maintenanceFraction` × IM.
 * @example new BaselIIPolicy('basel-ii', { maxLeverage: 10, sigmaB: 0.035, tau: 20, kappa: 1, maintenanceFraction: 0.5 })
 */
import type { MarketView } from '../../market/market';
import { flatTable } from './scale';
import { TablePolicy, type PolicyOptions } from './table-policy';
import type { TierTable } from '../margin';
import type { AccountsView, ExchangeView, PolicyHeadline } from './types';

/** Parameters of {@link BaselIIPolicy}. */
export interface BaselIIParams {
  /** λ_max, the cap at low volatility. */
  maxLeverage: number;
  /** σ_b, per-tick volatility of log returns below which the full cap applies. */
  sigmaB: number;
  /** τ, ticks in the volatility window. */
  tau: number;
  /** κ, a multiplier of λ_max (1 in the paper). */
  kappa: number;
  maintenanceFraction: number;
}

/** λ_eff = min(κ·λ_max, max(1, λ_max·σ_b/σ̂)); σ̂ = 0 gives κ·λ_max. */
export function baselIILeverage(lambdaMax: number, kappa: number, sigmaB: number, sigmaHat: number): number {
  return Math.min(kappa * lambdaMax, Math.max(1, sigmaHat > 0 ? (lambdaMax * sigmaB) / sigmaHat : Infinity));
}

/**
 * The maintenance rate at leverage λ: min(0.95, maintenanceFraction / λ). The cap keeps a table
 * valid (an MMR below the 1/λ initial rate) when λ_eff falls to 1 with a fraction near 1.
 */
function maintenanceRate(fraction: number, leverage: number): number {
  return Math.min(0.95, fraction / leverage);
}

/** A leverage cap that shrinks with the recent volatility of the price (Poledna et al. 2014). */
export class BaselIIPolicy extends TablePolicy {
  /** λ_eff now. */
  leverage: number;
  private readonly window: Float64Array;
  /** Returns seen so far. */
  private n = 0;
  private lastMark = NaN;
  /** The tier table is rebuilt only when asked for (the clearing mode asks only for the cap). */
  private stale = false;

  constructor(name: string, readonly params: BaselIIParams, opts: PolicyOptions = {}) {
    const start = params.kappa * params.maxLeverage;
    super(name, [{ floor: 0, cap: Infinity, maxLeverage: start, mmr: maintenanceRate(params.maintenanceFraction, start) }], opts);
    this.leverage = start;
    this.window = new Float64Array(params.tau);
  }

  /** Adds the last log return of the mark to the window and recomputes λ_eff; true when it changed. */
  override onTick(market: MarketView, _accounts: AccountsView, _exchange: ExchangeView): boolean {
    const mark = market.mark;
    if (Number.isNaN(this.lastMark)) {
      this.lastMark = mark;
      return false;
    }
    const r = Math.log(mark / this.lastMark);
    this.lastMark = mark;
    const tau = this.params.tau;
    this.window[this.n % tau] = r;
    this.n++;
    if (this.n < tau) return false;
    // Summed afresh each tick (τ terms): a running sum would drift with rounding over 10⁶ ticks.
    let ss = 0;
    for (let k = 0; k < tau; k++) ss += this.window[k]! * this.window[k]!;
    const next = baselIILeverage(this.params.maxLeverage, this.params.kappa, this.params.sigmaB, Math.sqrt(ss / tau));
    if (next === this.leverage) return false;
    this.leverage = next;
    this.stale = true;
    return true;
  }

  /** λ_eff. */
  override maxLeverage(_notional: number, _account: number): number {
    return this.leverage;
  }
  /** notional / λ_eff. */
  override initialMargin(notional: number, _account: number): number {
    return notional / this.leverage;
  }
  /** notional × min(0.95, maintenanceFraction / λ_eff). */
  override maintenanceMargin(notional: number, _account: number): number {
    return notional * maintenanceRate(this.params.maintenanceFraction, this.leverage);
  }
  /** One bracket at λ_eff. */
  override table(_account: number): TierTable {
    if (this.stale) {
      this.current = flatTable(1 / this.leverage, maintenanceRate(this.params.maintenanceFraction, this.leverage));
      this.stale = false;
    }
    return this.current;
  }
  /** λ_eff, with the multiplier λ_eff / λ_max. */
  override headline(): PolicyHeadline {
    return { maxLeverage: this.leverage, marginMultiplier: this.params.maxLeverage / this.leverage, regime: this.leverage < this.params.maxLeverage ? 'vol-limited' : '' };
  }
}
