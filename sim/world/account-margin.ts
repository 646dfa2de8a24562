/**
 * The account-level margin engines of a venue: cross and portfolio margin over the positions an
 * account holds in every market (DESIGN.md "Margin engines"). Isolated positions stay with each
 * market's exchange. An account's money is the sum of its collateral columns over the markets, so
 * every per-market operation (fills realizing PnL, fees, funding) keeps working unchanged.
 *
 *     equity      = Σ_m collateral_m + Σ_m size_m·(mark_m − entry_m) + Σ_k units_k·price_k·(1 − haircut_k)
 *     cross MM    = Σ_m tierMM_m(|x_m|)                                 x_m = size_m·mark_m
 *     cross IM    = Σ_m tierIM_m(|x_m|)
 *     portfolio MM = max( √(xᵀ·S·C·S·x), Σ_m tierMM_m(|x_m|) )          S = diag(scan), C = margin correlation
 *     portfolio IM = initialFactor × portfolio MM
 *
 * The portfolio's worst loss is the closed form of sim/exchange/margin/portfolio.ts: for linear
 * positions the worst point of the scan ellipsoid binds, so no scenario grid is walked per check
 * (the grid explains a requirement in reports). Its minimum charge is each position's tier MM under
 * the market's policy (OKX's MR7 idea: a perfect hedge is never free), so dynamic policies move it
 * as they move MMRs. The token term is the venue's collateral tokens (collateral.ts): zero for an
 * account that holds none, and for every account of a venue that accepts none.
 */
import type { Exchange } from '../exchange/exchange';
import { initialMargin, maintenanceMargin, type TierTable } from '../exchange/margin';
import type { CorrelationMatrix } from '../market/correlation';
import { isIncrease } from '../exchange/accounts';
import type { TokenCollateral } from './collateral';

/** Margin mode numbers in the venue's `mode` column. */
export const enum Mode {
  Isolated = 0,
  Cross = 1,
  Portfolio = 2,
}

/** The portfolio model's state: scan ranges (fractions of price) and M = S·C·S, row-major. */
export class ScanMatrix {
  readonly scan: Float64Array;
  readonly m: Float64Array;
  /** Bumped whenever the scan ranges change (margins of safety measured before are void). */
  version = 0;

  constructor(readonly correlation: CorrelationMatrix, scan: ArrayLike<number>) {
    const n = correlation.length;
    this.scan = new Float64Array(n);
    this.m = new Float64Array(n * n);
    this.set(scan);
  }

  /** Sets the scan ranges and recomputes M = S·C·S. */
  set(scan: ArrayLike<number>): void {
    const n = this.scan.length;
    for (let i = 0; i < n; i++) this.scan[i] = scan[i]!;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) this.m[i * n + j] = this.scan[i]! * this.correlation[i]![j]! * this.scan[j]!;
    this.version++;
  }

  /** The worst loss on the scan ellipsoid of notionals `x`: √(xᵀ·M·x). */
  worstLoss(x: Float64Array): number {
    const n = this.scan.length, m = this.m;
    let quad = 0;
    for (let i = 0; i < n; i++) {
      const xi = x[i]!;
      if (xi === 0) continue;
      let row = 0;
      for (let j = 0; j < n; j++) row += m[i * n + j]! * x[j]!;
      quad += xi * row;
    }
    return Math.sqrt(Math.max(0, quad));
  }
}

/** The largest MMR of a schedule: the steepest slope of its MM (continuous in notional). */
export function maxMaintenanceRate(t: TierTable): number {
  let r = 0;
  for (let b = 0; b < t.n; b++) r = Math.max(r, t.mmr[b]!);
  return r;
}

/**
 * Requirement, equity and order checks of cross and portfolio accounts over every market of a
 * venue. Position vectors are passed as sizes (base units, one per market); scratch arrays make
 * a check allocation-free.
 */
export class AccountMargin {
  readonly k: number;
  private readonly x: Float64Array;
  private readonly q: Float64Array;
  /** Scratch of {@link allowedOrder}: notionals, and each other market's requirement term. */
  private readonly fx: Float64Array;
  private readonly term: Float64Array;

  constructor(
    readonly exchanges: readonly Exchange[],
    /** Margin mode per account ({@link Mode}). */
    readonly mode: Uint8Array,
    /** The portfolio model (null when no account is portfolio-margined). */
    readonly scan: ScanMatrix | null,
    /** IM = MM × initialFactor for portfolio accounts. */
    readonly initialFactor: number,
  ) {
    this.k = exchanges.length;
    this.x = new Float64Array(this.k);
    this.q = new Float64Array(this.k);
    this.fx = new Float64Array(this.k);
    this.term = new Float64Array(this.k);
    this.rateOf = exchanges.map(() => null);
    this.rate = new Float64Array(this.k);
  }

  /** Per market, the last schedule seen and its largest MMR: schedules change rarely, accounts are many. */
  private readonly rateOf: (TierTable | null)[];
  private readonly rate: Float64Array;

  /** {@link maxMaintenanceRate} of market `m`'s schedule `t`, remembered while `t` stays the same. */
  private maxRate(m: number, t: TierTable): number {
    if (this.rateOf[m] !== t) {
      this.rateOf[m] = t;
      this.rate[m] = maxMaintenanceRate(t);
    }
    return this.rate[m]!;
  }

  /** The mark price of market `m` (what margin uses). */
  mark(m: number): number {
    return this.exchanges[m]!.market.markPrice;
  }

  /** The venue's collateral tokens (null when it accepts none): their haircut value is part of equity. */
  tokens: TokenCollateral | null = null;

  /** Account `i`'s equity over every market at the mark prices: Σ collateral + Σ unrealized PnL (+ its tokens' haircut value). */
  equity(i: number): number {
    let e = 0;
    for (let m = 0; m < this.k; m++) e += this.exchanges[m]!.accounts.equity(i, this.mark(m));
    if (this.tokens) e += this.tokens.marginValue(i);
    return e;
  }

  /** Σ collateral over the markets: the account's wallet (realized money). */
  wallet(i: number): number {
    let w = 0;
    for (let m = 0; m < this.k; m++) w += this.exchanges[m]!.accounts.collateral[i]!;
    return w;
  }

  /** Copies account `i`'s sizes into `out` (one per market) and returns it. */
  sizes(i: number, out: Float64Array = this.q): Float64Array {
    for (let m = 0; m < this.k; m++) out[m] = this.exchanges[m]!.accounts.size[i]!;
    return out;
  }

  /** Gross notional Σ |size_m|·mark_m (quote). */
  grossNotional(i: number): number {
    let g = 0;
    for (let m = 0; m < this.k; m++) g += Math.abs(this.exchanges[m]!.accounts.size[i]!) * this.mark(m);
    return g;
  }

  /**
   * The requirement of account `i` if it held sizes `q` (one per market), at prices `p(m)`
   * (default the marks): maintenance, or initial (orders). `ownMm`, when given, is the maintenance
   * schedule of market `own`'s position in place of the one it holds now (an order's, once filled:
   * MarginTerms.mmAfterIncrease).
   */
  requirementOf(i: number, q: ArrayLike<number>, kind: 'initial' | 'maintenance', price: (m: number) => number = (m) => this.mark(m), own = -1, ownMm: TierTable | null = null): number {
    const x = this.x;
    let tier = 0;
    for (let m = 0; m < this.k; m++) {
      const ex = this.exchanges[m]!;
      const qm = q[m]!;
      x[m] = qm * price(m);
      if (qm === 0) continue;
      const n = Math.abs(x[m]!);
      // Cross (and isolated) IM: each position's tier IM, under the terms its order would be checked against.
      tier += kind === 'initial' && this.mode[i] !== Mode.Portfolio ? initialMargin(n, ex.terms.im(i, ex.accounts.size[i]!)) : maintenanceMargin(n, m === own ? ownMm! : ex.mmTable(i));
    }
    if (this.mode[i] !== Mode.Portfolio) return tier;
    const mm = Math.max(this.scan!.worstLoss(x), tier);
    return kind === 'initial' ? mm * this.initialFactor : mm;
  }

  /** Account `i`'s requirement under its mode at the marks. */
  requirement(i: number, kind: 'initial' | 'maintenance'): number {
    return this.requirementOf(i, this.sizes(i), kind);
  }

  /**
   * What {@link assess} found: the account's maintenance requirement, and its exposure
   * E = Σ_m |x_m|·(1 + ρ_m), ρ_m bounding the requirement's slope per unit of notional (cross: the
   * schedule's largest MMR, MM being continuous in notional; portfolio: that or the scan range, as
   * √(xᵀMx) is a norm with |∂/∂x_m| ≤ scan_m). Equity moves by Σ x_m·δ_m exactly under relative
   * moves δ, so no move with every |δ_m| < (equity − requirement) / E makes the account liquidatable.
   */
  readonly assessed = { requirement: 0, exposure: 0, signs: 0 };

  /**
   * Account `i`'s equity at the mark prices `marks` (returned), with its maintenance requirement and
   * exposure left in {@link assessed}: the three figures a margin check needs, in one pass over the
   * markets (the cascade checks many accounts a round; the marks are read once for all of them).
   * `assessed.signs` is the account's sign pattern Σ_m d_m·3^m (d_m = 0 flat, 1 long, 2 short), or 0
   * when some ρ_m exceeds 1 (a favourable move could then hurt): the safety index files an account
   * against the adverse moves of its pattern only (safety.ts).
   */
  assess(i: number, marks: Float64Array): number {
    const x = this.x, portfolio = this.mode[i] === Mode.Portfolio;
    let e = 0, tier = 0, exposure = 0, signs = 0, digit = 1, bounded = true;
    for (let m = 0; m < this.k; m++, digit *= 3) {
      const ex = this.exchanges[m]!, a = ex.accounts;
      const q = a.size[i]!, p = marks[m]!;
      e += a.collateral[i]!;
      x[m] = q * p;
      if (q === 0) continue;
      signs += q > 0 ? digit : 2 * digit;
      e += q * (p - a.entry[i]!);
      const n = Math.abs(q) * p;
      const t = ex.mmTable(i);
      tier += maintenanceMargin(n, t);
      const rho = this.maxRate(m, t);
      const slope = portfolio ? Math.max(rho, this.scan!.scan[m]!) : rho;
      if (!(slope <= 1)) bounded = false;
      exposure += n * (1 + slope);
    }
    if (this.tokens) e += this.tokens.marginValue(i);
    this.assessed.requirement = portfolio ? Math.max(this.scan!.worstLoss(x), tier) : tier;
    this.assessed.exposure = exposure;
    this.assessed.signs = bounded ? signs : 0;
    return e;
  }

  /**
   * The part of order `dq` of account `i` in market `ex` that its mode allows at price `pm` for
   * that market (the marks elsewhere), after a fee at `feeRate`: an order that raises exposure
   * must leave equity ≥ the initial requirement of the new portfolio. Reductions always pass; so
   * does a hedge that lowers the maintenance requirement by at least its fee. Otherwise it is cut to the largest size
   * that fits (bisection: the requirement is convex along one position), never below the part
   * that only reduces.
   */
  allowedOrder(ex: Exchange, i: number, dq: number, pm: number, feeRate: number): number {
    const m = this.exchanges.indexOf(ex);
    const a = ex.accounts;
    const q0 = a.size[i]!;
    const qn = q0 + dq;
    if (!isIncrease(q0, dq)) return dq;
    if (ex.policy.reduceOnly?.(i)) return q0 === 0 || (q0 > 0) === (qn > 0) ? 0 : -q0;
    const price = (k: number): number => (k === m ? pm : this.mark(k));
    let eq = 0;
    for (let k = 0; k < this.k; k++) eq += this.exchanges[k]!.accounts.equity(i, price(k));
    if (this.tokens) eq += this.tokens.marginValue(i);
    const q = this.sizes(i, new Float64Array(this.k));
    // The initial requirement as a function of this market's size alone: the other markets' terms
    // are computed once, and each evaluation adds them in market order as requirementOf does, so
    // it returns the very same number at a fraction of the cost (the bisection below evaluates it
    // some 40 times).
    const portfolio = this.mode[i] === Mode.Portfolio;
    const fx = this.fx, term = this.term;
    for (let k = 0; k < this.k; k++) {
      const e = this.exchanges[k]!;
      fx[k] = q[k]! * price(k);
      if (k === m || q[k] === 0) continue;
      const n = Math.abs(fx[k]!);
      term[k] = portfolio ? maintenanceMargin(n, e.mmTable(i)) : initialMargin(n, e.terms.im(i, e.accounts.size[i]!));
    }
    // The schedules the position will be on once filled: a flip or a position opened from flat is a
    // new position, on the current terms (MarginTerms.mmAfterIncrease, im).
    const ownMm = ex.terms.mmAfterIncrease(i, ex.tick, q0, qn);
    const own = portfolio ? ownMm : ex.terms.im(i, q0, qn);
    const initialReq = (size: number): number => {
      let tier = 0;
      for (let k = 0; k < this.k; k++) {
        if (k === m) {
          fx[m] = size * pm;
          if (size === 0) continue;
          const n = Math.abs(fx[m]!);
          tier += portfolio ? maintenanceMargin(n, own) : initialMargin(n, own);
        } else if (q[k] !== 0) tier += term[k]!;
      }
      if (!portfolio) return tier;
      return Math.max(this.scan!.worstLoss(fx), tier) * this.initialFactor;
    };
    const fits = (size: number): boolean => {
      q[m] = size;
      return eq - feeRate * Math.abs(size - q0) * pm >= initialReq(size);
    };
    if (fits(qn)) return dq;
    // A hedge passes whole when it makes the account safer even after its fee: the maintenance
    // requirement falls, and by at least the fee (else a hedge bought at a fee could itself
    // liquidate). One that leaves it as it was (an add too small to move it) is no hedge. After the
    // order, the position is margined on the terms the fill puts it on (a flip on the current ones).
    q[m] = q0;
    const before = this.requirementOf(i, q, 'maintenance', price);
    q[m] = qn;
    const drop = before - this.requirementOf(i, q, 'maintenance', price, m, ownMm);
    if (drop > 0 && drop >= feeRate * Math.abs(dq) * pm) return dq;
    const s = Math.sign(qn);
    const floorSize = q0 !== 0 && (q0 > 0) === (qn > 0) ? Math.abs(q0) : 0;
    if (!fits(s * floorSize)) return s * floorSize - q0;
    let lo = floorSize, hi = Math.abs(qn);
    for (let it = 0; it < 60 && hi - lo > 1e-12 * hi; it++) {
      const mid = 0.5 * (lo + hi);
      if (fits(s * mid)) lo = mid;
      else hi = mid;
    }
    return s * lo - q0;
  }
}
