/**
 * Expected-shortfall margin: initial margin rate = ES_q of h-tick returns over a rolling window,
 * maintenance = `maintenanceFraction` × initial,
 *
 *     IMR = clamp(max(ES_q(−r), ES_q(r)), minImr, 1),   r = ln(p_t / p_{t−h}) over the last `window` ticks,
 *     ES_q(x) = mean of the worst (1 − q) share of x,
 *
 * taken on both tails so longs and shorts face the same rate; max leverage = 1 / IMR. Until the
 * window has filled, `initialImr` applies. Updated every `updateEvery` ticks, and only when the rate
 * has moved more than `hysteresis` (relative).
 *
 * The volatility-based, Basel-II-like rule that Poledna, Thurner, Farmer & Geanakoplos (2014,
 * "Leverage-induced systemic risk under Basle II and other credit risk policies") compare with a
 * fixed leverage cap.
 */
import type { MarketView } from '../../market/market';
import { flatTable } from './scale';
import { TablePolicy, type PolicyOptions } from './table-policy';
import type { PolicyHeadline } from './types';

/** Parameters of {@link EsMarginPolicy}. */
export interface EsMarginParams {
  window: number;
  horizon: number;
  /** Confidence level (0.99: the worst 1%). */
  q: number;
  maintenanceFraction: number;
  minImr: number;
  initialImr: number;
  updateEvery: number;
  hysteresis: number;
}

/** ES_q of a sample: mean of its worst (largest) (1 − q) share, at least one value. */
export function expectedShortfall(losses: Float64Array, q: number): number {
  const s = Float64Array.from(losses).sort();
  // The 1e-9 keeps rounding from adding a sample: 100 × (1 − 0.95) is 5.000000000000004.
  const k = Math.max(1, Math.ceil(s.length * (1 - q) - 1e-9));
  let sum = 0;
  for (let j = s.length - k; j < s.length; j++) sum += s[j]!;
  return sum / k;
}

/** Margin from the expected shortfall of recent returns. */
export class EsMarginPolicy extends TablePolicy {
  /** Current initial margin rate. */
  imr: number;
  private readonly marks: Float64Array;
  private n = 0;

  constructor(name: string, private readonly p: EsMarginParams, opts: PolicyOptions = {}) {
    super(name, [{ floor: 0, cap: Infinity, maxLeverage: 1 / p.initialImr, mmr: p.initialImr * p.maintenanceFraction }], opts);
    this.imr = p.initialImr;
    this.marks = new Float64Array(p.window + p.horizon);
  }

  /** The IMR the last `window` h-tick returns of `path` (oldest first) call for. */
  imrFor(path: Float64Array): number {
    const h = this.p.horizon;
    const m = path.length - h;
    const down = new Float64Array(m), up = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      const r = Math.log(path[j + h]! / path[j]!);
      down[j] = -r;
      up[j] = r;
    }
    const es = Math.max(expectedShortfall(down, this.p.q), expectedShortfall(up, this.p.q));
    return Math.min(1, Math.max(this.p.minImr, 1 - Math.exp(-es)));
  }

  override onTick(m: MarketView): boolean {
    const len = this.marks.length;
    if (this.n < len) this.marks[this.n++] = m.mark;
    else {
      this.marks.copyWithin(0, 1);
      this.marks[len - 1] = m.mark;
    }
    if (this.n < len || m.tick % this.p.updateEvery !== 0) return false;
    const want = this.imrFor(this.marks);
    if (Math.abs(want - this.imr) <= this.p.hysteresis * this.imr) return false;
    this.imr = want;
    this.current = flatTable(want, want * this.p.maintenanceFraction);
    return true;
  }

  override headline(): PolicyHeadline {
    return { maxLeverage: 1 / this.imr, marginMultiplier: this.imr / this.p.initialImr, regime: '' };
  }
}
