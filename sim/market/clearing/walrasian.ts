/**
 * The walrasian market of Thurner, Farmer & Geanakoplos (2012): one asset with a fixed supply of N
 * shares, noise traders and leveraged value funds, cleared every tick at the price where total
 * demand equals N. One tick ({@link WalrasianMarket.step}):
 *
 * 1. funds out of business for T_r ticks re-enter with W_0 of new money;
 * 2. the noise traders' log cash moves: log ξ_t = ρ·log ξ_{t−1} + σ·χ_t + (1 − ρ)·log(V·N);
 * 3. the price clears ξ_t/p + Σ_h D_h(p) = N ({@link clearingPrice}); a fund that defaulted last
 *    tick demands nothing, so its shares are absorbed here;
 * 4. everyone trades at p: funds to D_h(p), noise traders to ξ_t/p; a defaulted fund's remaining
 *    wealth is paid out to its investors if positive, or written off by the bank as bad debt;
 * 5. investors move money: r_h = W_h(t)/W_h(t−1) − 1, r_perf = (1 − a)·r_perf + a·r_h,
 *    F_h = max(−1, b·(r_perf − r_b))·max(W_h, 0), added to the fund's cash;
 * 6. a fund whose wealth is below W_min defaults.
 *
 * The ledger is checked every tick: shares are conserved (Σ_h D_h + D_noise = N) and the funds'
 * cash changes only by the noise traders' exogenous cash (what they pay for shares), investor
 * flows, re-entry deposits, payouts and bad debt. State is columnar; a tick allocates nothing.
 */
import { atCap, fundDemand, NoiseTraders, ValueFunds, type DemandCurve } from './demand';
import type { WalrasianParams } from './params';
import { ClearingScratch, clearingPrice } from './root';
import { checkLedger } from '../../metrics/ledger-check';

/** A fund's state. */
export const FUND = { active: 0, defaulted: 1, out: 2 } as const;

/** What one tick did, for the statistics. */
export interface ClearingTick {
  price: number;
  /** ln(p_t / p_{t−1}). */
  logReturn: number;
  /** Funds that defaulted this tick. */
  defaults: number;
  /** Active funds at their leverage cap at the clearing price. */
  atCap: number;
  activeFunds: number;
}

/** The market's state and its tick. */
export class WalrasianMarket {
  readonly supply: number;
  /** The value funds' demand columns (shares, cash, β, live). */
  readonly funds: ValueFunds;
  readonly noise: NoiseTraders;
  /** {@link FUND} state of each fund. */
  readonly state: Uint8Array;
  /** Tick at which an out-of-business fund re-enters. */
  readonly reenterAt: Int32Array;
  /** r_perf, the investors' smoothed view of each fund's return. */
  readonly perf: Float64Array;
  /** Wealth after last tick's flows: the base of this tick's return. */
  readonly lastWealth: Float64Array;
  price: number;
  logXi: number;
  /** The ledger: money in and out of the funds, cumulative (quote). */
  readonly ledger = { initialCash: 0, noiseCash: 0, investorFlows: 0, reentryDeposits: 0, payouts: 0, badDebt: 0, maxShareResidual: 0, maxCashResidual: 0 };
  private readonly curves: readonly DemandCurve[];
  private readonly scratch: ClearingScratch;
  private readonly logMeanCash: number;

  constructor(readonly p: WalrasianParams) {
    const f = p.funds.beta.length;
    this.supply = p.shares;
    this.funds = new ValueFunds(p.funds.beta, p.funds.wealth, p.value);
    // Start at the fundamental: ξ_0 = V·N, so the noise traders hold every share at p = V.
    this.logMeanCash = Math.log(p.value * p.shares);
    this.logXi = this.logMeanCash;
    this.noise = new NoiseTraders(p.value * p.shares, p.shares);
    this.curves = [this.noise, this.funds];
    this.scratch = new ClearingScratch(this.curves);
    this.state = new Uint8Array(f);
    this.reenterAt = new Int32Array(f);
    this.perf = new Float64Array(f);
    this.lastWealth = new Float64Array(f).fill(p.funds.wealth);
    this.price = p.value;
    this.ledger.initialCash = f * p.funds.wealth;
  }

  /** Runs tick `t` under the leverage cap `cap` with the noise innovation `chi` ~ N(0, 1); fills `out`. */
  step(t: number, cap: number, chi: number, out: ClearingTick): void {
    const p0 = this.p, F = this.funds, f = F.count, L = this.ledger;
    const shares = F.shares, cash = F.cash, live = F.live, state = this.state;
    for (let h = 0; h < f; h++) {
      if (state[h] === FUND.out && t >= this.reenterAt[h]!) {
        state[h] = FUND.active;
        live[h] = 1;
        cash[h] = p0.funds.wealth;
        this.perf[h] = 0;
        this.lastWealth[h] = p0.funds.wealth;
        L.reentryDeposits += p0.funds.wealth;
      }
    }
    this.logXi = p0.noise.rho * this.logXi + p0.noise.sigma * chi + (1 - p0.noise.rho) * this.logMeanCash;
    const xi = Math.exp(this.logXi);
    this.noise.xi = xi;
    const pPrev = this.price;
    const p = clearingPrice(this.curves, this.supply, cap, pPrev, this.scratch);
    this.price = p;

    // Trades at p. The cash the noise traders pay for their shares is their exogenous money.
    const noiseNew = xi / p;
    L.noiseCash += p * (noiseNew - this.noise.shares);
    this.noise.shares = noiseNew;
    let defaults = 0, capped = 0, active = 0;
    for (let h = 0; h < f; h++) {
      const st = state[h]!;
      if (st === FUND.out) continue;
      const d0 = shares[h]!;
      if (st === FUND.defaulted) {
        // Its shares were absorbed by this clearing; what is left settles with the bank.
        const left = cash[h]! + p * d0;
        if (left < 0) L.badDebt -= left;
        else L.payouts += left;
        shares[h] = 0;
        cash[h] = 0;
        state[h] = FUND.out;
        continue;
      }
      const beta = F.beta[h]!;
      const d = fundDemand(p, d0, cash[h]!, beta, F.value, cap);
      cash[h] = cash[h]! - p * (d - d0);
      shares[h] = d;
      if (atCap(p, beta, F.value, cap)) capped++;
      active++;
      // Investor flows on the tick's return against the benchmark.
      const w = d * p + cash[h]!;
      const r = w / this.lastWealth[h]! - 1;
      const perf = (1 - p0.investors.a) * this.perf[h]! + p0.investors.a * r;
      this.perf[h] = perf;
      const flow = Math.max(-1, p0.investors.b * (perf - p0.investors.benchmark)) * Math.max(w, 0);
      cash[h] = cash[h]! + flow;
      L.investorFlows += flow;
      const wAfter = w + flow;
      this.lastWealth[h] = wAfter;
      if (wAfter < p0.funds.minWealth) {
        state[h] = FUND.defaulted;
        live[h] = 0;
        this.reenterAt[h] = t + p0.funds.reentryTicks;
        defaults++;
      }
    }
    this.checkLedger(t);
    out.price = p;
    out.logReturn = Math.log(p / pPrev);
    out.defaults = defaults;
    out.atCap = capped;
    out.activeFunds = active;
  }

  /**
   * Shares: Σ_h D_h + D_noise = N. Cash: Σ_h M_h = initial cash + noise cash + flows + re-entry
   * deposits − payouts + bad debt (the bank's write-off puts the negative balance back to zero).
   * Throws (checkLedger, ledger-check.ts) when either is off by more than the ledgers' tolerance, relative.
   */
  private checkLedger(t: number): void {
    const L = this.ledger, F = this.funds;
    let s = this.noise.shares, m = 0, scale = L.initialCash + L.reentryDeposits;
    for (let h = 0; h < F.count; h++) {
      s += F.shares[h]!;
      m += F.cash[h]!;
      scale += Math.abs(F.cash[h]!);
    }
    const cash = m - (L.initialCash + L.noiseCash + L.investorFlows + L.reentryDeposits - L.payouts + L.badDebt);
    const shareRes = Math.abs(s - this.supply) / this.supply;
    const cashRes = Math.abs(cash) / (scale + Math.abs(L.noiseCash) + this.price * this.supply);
    if (shareRes > L.maxShareResidual) L.maxShareResidual = shareRes;
    if (cashRes > L.maxCashResidual) L.maxCashResidual = cashRes;
    checkLedger('the clearing market\'s shares', t, s - this.supply, shareRes, 'units');
    checkLedger('the clearing market\'s cash', t, cash, cashRes);
  }
}
