/**
 * The per-order baseline of bench-active: the mirrored-pairs workload (scenarios/bench-active.yaml
 * under its fixed 20x cap) written straightforwardly. One object per agent; every order checks the
 * policy's initial margin through a policy object, fills, and recomputes the account's liquidation
 * price; every tick rescans every agent for maintenance, and a liquidatable one is cut (partially)
 * back to maintenance against the house at the mark. Same rules as levsim's (GBM with Student-t(6)
 * innovations, no impact, no fees, partial liquidation to maintenance), so the ratio compares like
 * with like; it is not used anywhere but here.
 */
import { performance } from 'perf_hooks';
import seedrandom from 'seedrandom';

class Leg {
  size = 0;
  entry = 0;
  liqPrice = NaN;
  constructor(public collateral: number) {}
  equity(p: number): number { return this.collateral + this.size * (p - this.entry); }
  fill(dq: number, p: number): void {
    const q = this.size;
    if (q === 0 || Math.sign(q) === Math.sign(dq)) { this.entry = (q * this.entry + dq * p) / (q + dq); this.size = q + dq; return; }
    this.collateral += dq * (this.entry - p);
    this.size = q + dq;
    if (this.size === 0) this.entry = 0;
  }
}

class FixedCap {
  constructor(readonly maxLeverage: number, readonly mmr: number) {}
  initialMargin(notional: number): number { return notional / this.maxLeverage; }
  maintenanceMargin(notional: number): number { return notional * this.mmr; }
  /** The part of dq the initial-margin rule allows for `leg` at `p`. */
  allowed(leg: Leg, dq: number, p: number): number {
    const qn = leg.size + dq;
    if (Math.abs(qn) <= Math.abs(leg.size)) return dq;
    const qmax = leg.equity(p) / this.initialMargin(p);
    if (Math.abs(qn) <= qmax) return dq;
    return Math.sign(qn) * Math.max(qmax, Math.abs(leg.size)) - leg.size;
  }
  liquidationPrice(leg: Leg): number {
    // collateral + q (P − entry) = mmr |q| P  →  P = (q·entry − collateral) / (q − mmr·|q|)
    const q = leg.size;
    return q === 0 ? NaN : (q * leg.entry - leg.collateral) / (q - this.mmr * Math.abs(q));
  }
}

/** Figures of one baseline run. */
export interface ActiveBaselineFigure { agents: number; ticks: number; seconds: number; agentTicksPerSecond: number; orders: number; liquidations: number }

/** Runs the per-order baseline: `pairs` mirrored pairs (half adding 1% of equity a tick) for `ticks` ticks. */
export function runActiveBaseline(pairs: number, ticks: number): ActiveBaselineFigure {
  const rng = seedrandom.alea('active-baseline');
  const policy = new FixedCap(20, 0.025);
  const legs: Leg[] = [];
  for (let k = 0; k < 2 * pairs; k++) legs.push(new Leg(10_000));
  const house = new Leg(0);
  const nu = 6, scale = Math.sqrt((nu - 2) / nu), sigma = 1 / Math.sqrt(525_600);
  const normal = () => Math.sqrt(-2 * Math.log(rng() || 1e-12)) * Math.cos(2 * Math.PI * rng());
  const studentT = () => { let c = 0; for (let j = 0; j < nu; j++) { const z = normal(); c += z * z; } return normal() / Math.sqrt(c / nu); };
  let price = 60_000, orders = 0, liquidations = 0;
  const t0 = performance.now();
  for (let tick = 0; tick < ticks; tick++) {
    price *= Math.exp(-0.5 * sigma * sigma + sigma * scale * studentT());
    const placed: { leg: Leg; dq: number }[] = [];
    for (let j = 0; j < pairs; j++) {
      const long = legs[2 * j]!, short = legs[2 * j + 1]!;
      const e = Math.min(long.equity(price), short.equity(price));
      if (!(e > 0)) continue;
      const rate = long.size === 0 && short.size === 0 ? 2 : j < pairs / 2 ? 0.01 : 0;
      const want = (rate * e) / price;
      if (!(want > 0)) continue;
      const d = Math.min(policy.allowed(long, want, price), -policy.allowed(short, -want, price));
      if (d > 0) placed.push({ leg: long, dq: d }, { leg: short, dq: -d });
    }
    for (const o of placed) {
      const dq = policy.allowed(o.leg, o.dq, price);
      if (dq === 0) continue;
      o.leg.fill(dq, price);
      house.fill(-dq, price);
      o.leg.liqPrice = policy.liquidationPrice(o.leg);
      orders++;
    }
    for (const leg of legs) {
      if (leg.size === 0 || leg.equity(price) >= policy.maintenanceMargin(Math.abs(leg.size) * price)) continue;
      const eq = leg.equity(price), absQ = Math.abs(leg.size);
      const x = eq > 0 ? Math.min(absQ, (policy.mmr * absQ * price - eq) / (policy.mmr * price) + 1e-9 * absQ) : absQ;
      const dq = -Math.sign(leg.size) * x;
      leg.fill(dq, price);
      house.fill(-dq, price);
      if (leg.collateral < 0) leg.collateral = 0;
      leg.liqPrice = policy.liquidationPrice(leg);
      liquidations++;
    }
    const equity = legs.reduce((s, l) => s + l.equity(price), 0) + house.equity(price);
    if (!Number.isFinite(equity)) throw new Error('active baseline diverged');
  }
  const seconds = (performance.now() - t0) / 1000;
  return { agents: 2 * pairs, ticks, seconds, agentTicksPerSecond: (2 * pairs * ticks) / seconds, orders, liquidations };
}
