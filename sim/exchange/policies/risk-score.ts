/**
 * Account risk score: a per-account max leverage. Each account's score in [0, 1] combines
 *
 *     s = (w_lev·min(1, L/L_ref) + w_conc·min(1, c/c_ref) + w_dist·(1 − min(1, d/d_ref)) + w_vol·min(1, v/v_ref)) / Σw
 *
 * with L its effective leverage, c its concentration (|size| / open interest), d its distance to
 * liquidation (|mark − LP| / mark) and v its recent PnL volatility (EWMA of squared relative equity
 * changes, per tick). The score maps to a leverage factor 1 − s·(1 − minFactor) on the base
 * table's max leverages, in `buckets` steps. It limits new exposure only: maintenance margin stays
 * the base table's, so liquidation prices do not move with the score.
 *
 * In the spirit of exchanges' per-account risk limits and of the "risk-based" margin of portfolio
 * margining systems (e.g. CME SPAN's concentration add-ons).
 */
import { unrealizedPnl } from '../accounts';
import { bracketOf, type Tier, type TierTable } from '../margin';
import type { MarketView } from '../../market/market';
import { ewmaDecay } from '../../engine/clock';
import { scaleLeverage } from './scale';
import { TablePolicy, type PolicyOptions } from './table-policy';
import type { AccountsView, ExchangeView } from './types';

/** Parameters of {@link RiskScorePolicy}. */
export interface RiskScoreParams {
  base: Tier[];
  weights: { leverage: number; concentration: number; distance: number; pnlVol: number };
  refs: { leverage: number; concentration: number; distance: number; pnlVol: number };
  /** Leverage factor at score 1 (0.2: the riskiest accounts get 20% of the base max leverage). */
  minFactor: number;
  buckets: number;
  /** Half-life of the PnL-volatility EWMA, ticks. */
  halfLife: number;
}

/** Per-account max leverage from a risk score. */
export class RiskScorePolicy extends TablePolicy {
  private readonly tables: TierTable[];
  private bucket = new Uint8Array(0);
  /** Score of each account at the last update. */
  score = new Float64Array(0);
  private prevEquity = new Float64Array(0);
  private pnlVar = new Float64Array(0);
  private readonly lambda: number;

  constructor(name: string, private readonly p: RiskScoreParams, opts: PolicyOptions = {}) {
    super(name, p.base, opts);
    this.tables = Array.from({ length: p.buckets + 1 }, (_, b) => scaleLeverage(p.base, 1 - (b / p.buckets) * (1 - p.minFactor)));
    this.lambda = ewmaDecay(Math.max(1, p.halfLife));
  }

  /** The score of one account from its four inputs (exported for tests and reports). */
  scoreOf(leverage: number, concentration: number, distance: number, pnlVol: number): number {
    const { weights: w, refs: r } = this.p;
    const total = w.leverage + w.concentration + w.distance + w.pnlVol;
    const s = w.leverage * Math.min(1, leverage / r.leverage) + w.concentration * Math.min(1, concentration / r.concentration)
      + w.distance * (1 - Math.min(1, distance / r.distance)) + w.pnlVol * Math.min(1, pnlVol / r.pnlVol);
    return total > 0 ? s / total : 0;
  }

  override onTick(m: MarketView, a: AccountsView, ex: ExchangeView): boolean {
    const n = a.count;
    if (this.score.length < n) {
      this.score = new Float64Array(n);
      this.bucket = new Uint8Array(n);
      this.prevEquity = new Float64Array(n).fill(NaN);
      this.pnlVar = new Float64Array(n);
    }
    const mark = m.mark;
    const oiBase = ex.openInterestNotional / mark;
    for (let i = 0; i < n; i++) {
      const q = a.size[i]!;
      const eq = a.collateral[i]! + unrealizedPnl(q, a.entry[i]!, mark);
      const prev = this.prevEquity[i]!;
      if (prev > 0) {
        const r = (eq - prev) / prev;
        this.pnlVar[i] = this.lambda * this.pnlVar[i]! + (1 - this.lambda) * r * r;
      }
      this.prevEquity[i] = eq;
      if (q === 0 || !(eq > 0)) {
        this.score[i] = 0;
        this.bucket[i] = 0;
        continue;
      }
      const lev = (Math.abs(q) * mark) / eq;
      const conc = oiBase > 0 ? Math.abs(q) / oiBase : 0;
      const lp = a.liqPrice[i]!;
      const dist = lp > 0 ? Math.abs(mark - lp) / mark : 1;
      const s = this.scoreOf(lev, conc, dist, Math.sqrt(this.pnlVar[i]!));
      this.score[i] = s;
      this.bucket[i] = Math.min(this.p.buckets, Math.floor(s * this.p.buckets));
    }
    return false; // maintenance margin never moves with the score
  }

  /** The scaled initial-margin schedule of the account's score bucket. */
  imTable(account: number): TierTable {
    return this.tables[this.bucket[account] ?? 0]!;
  }

  override maxLeverage(notional: number, account: number): number {
    const t = this.imTable(account);
    return t.maxLeverage[bracketOf(notional, t)]!;
  }

  override initialMargin(notional: number, account: number): number {
    return notional / this.maxLeverage(notional, account);
  }
}
