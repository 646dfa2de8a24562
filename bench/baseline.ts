/**
 * The baseline: the noise-crowd workload (bench/noise-crowd.yaml) written the way a newcomer would
 * write it. One object per agent, tiers looked up with Array.find, a full rescan of every agent in
 * each cascade round, one RxJS emission per liquidation, per-tick statistics built with
 * filter/map/reduce. It keeps the same rules (tiered MM, IM cut, sqrt impact on net flow,
 * cascades, the ledger) so the ratio compares like with like; it is not used anywhere but here.
 */
import { Subject } from 'rxjs';
import { performance } from 'perf_hooks';
import seedrandom from 'seedrandom';
import { PRESETS } from '../sim/exchange/policies/presets';
import { deriveCum } from '../sim/exchange/margin';

interface Tier { floor: number; cap: number; maxLeverage: number; mmr: number; cum: number }

class Trader {
  size = 0;
  entry = 0;
  constructor(public collateral: number, public leverage: number) {}
  equity(p: number): number { return this.collateral + this.size * (p - this.entry); }
  fill(dq: number, p: number): void {
    const q = this.size;
    if (q === 0 || Math.sign(q) === Math.sign(dq)) { this.entry = (q * this.entry + dq * p) / (q + dq); this.size = q + dq; return; }
    const closed = Math.min(Math.abs(dq), Math.abs(q));
    this.collateral += Math.sign(q) * closed * (p - this.entry);
    this.size = q + dq;
    if (Math.abs(dq) > Math.abs(q)) this.entry = p;
    if (this.size === 0) this.entry = 0;
  }
}

/** Figures of one baseline run. */
export interface BaselineFigure { agents: number; ticks: number; seconds: number; agentTicksPerSecond: number; liquidations: number }

/** Runs the newcomer baseline with `n` agents for `ticks` ticks. */
export function runBaseline(n: number, ticks: number): BaselineFigure {
  const rng = seedrandom.alea('baseline');
  const tiers: Tier[] = deriveCum(PRESETS['binance-btcusdt']!.tiers).map((t) => ({ ...t, cap: t.cap === 500_000_000 ? Infinity : t.cap }));
  const tierOf = (notional: number) => tiers.find((t) => notional < t.cap) ?? tiers[tiers.length - 1]!;
  const mm = (notional: number) => { const t = tierOf(notional); return notional * t.mmr - t.cum; };
  const normal = () => Math.sqrt(-2 * Math.log(rng() || 1e-12)) * Math.cos(2 * Math.PI * rng());
  const traders: Trader[] = [];
  for (let k = 0; k < n; k++) traders.push(new Trader(300 * Math.pow(rng() || 1e-12, -1 / 1.8), 12 * Math.exp(0.5 * normal())));
  const house = new Trader(1e10, 1);
  const liquidations$ = new Subject<{ trader: Trader; price: number; tick: number }>();
  let liquidations = 0;
  liquidations$.subscribe(() => liquidations++);
  let index = 60_000, mark = 60_000;
  const depth = 40_000_000;
  const impact = (flow: number) => 0.01 * Math.sign(flow) * Math.sqrt(Math.abs(flow) / depth);
  for (const t of traders) if (rng() < 0.8) { const q = ((rng() < 0.75 ? 1 : -1) * t.leverage * t.collateral) / mark; t.fill(q, mark); house.fill(-q, mark); }
  const t0 = performance.now();
  for (let tick = 0; tick < ticks; tick++) {
    const shock = tick === Math.floor(ticks * 0.6) ? Math.log(0.9) : 0;
    const r = -0.5 * 0.25 / 525_600 + (0.5 / Math.sqrt(525_600)) * normal() + shock;
    const premium = (mark / index - 1) * Math.pow(0.5, 1 / 15);
    index *= Math.exp(r);
    mark = index * (1 + premium);
    // decide and execute
    const orders = traders.map((t) => {
      const u = rng();
      if (t.size === 0 && u < 0.01) {
        const want = ((rng() < 0.75 ? 1 : -1) * t.leverage * t.collateral) / mark;
        const eq = t.equity(mark);
        const maxQ = tiers.filter((x) => eq * x.maxLeverage >= x.floor).reduce((m, x) => Math.max(m, Math.min(eq * x.maxLeverage, x.cap)), 0) / mark;
        return Math.sign(want) * Math.min(Math.abs(want), maxQ);
      }
      if (t.size !== 0 && u < 0.0025) return -t.size;
      return 0;
    });
    const net = orders.reduce((a, b) => a + b, 0);
    mark *= Math.exp(impact(net * mark));
    orders.forEach((dq, k) => { if (dq !== 0) traders[k]!.fill(dq, mark); });
    house.fill(-net, mark);
    // cascade: rescan everyone each round, one emission per liquidation
    for (let round = 0; round < 50; round++) {
      const below = traders.filter((t) => t.size !== 0 && t.equity(mark) < mm(Math.abs(t.size) * mark));
      if (below.length === 0) break;
      const flow = below.reduce((a, t) => a - t.size, 0);
      mark *= Math.exp(impact(flow * mark));
      for (const t of below) {
        const q = t.size;
        t.fill(-q, mark);
        house.fill(q, mark);
        if (t.collateral < 0) t.collateral = 0;
        liquidations$.next({ trader: t, price: mark, tick });
      }
    }
    // statistics the newcomer way
    const open = traders.filter((t) => t.size !== 0);
    const equity = traders.map((t) => t.equity(mark)).reduce((a, b) => a + b, 0) + house.equity(mark);
    const avgLev = open.map((t) => (Math.abs(t.size) * mark) / t.equity(mark)).reduce((a, b) => a + b, 0) / Math.max(1, open.length);
    if (!Number.isFinite(equity + avgLev)) throw new Error('baseline diverged');
  }
  const seconds = (performance.now() - t0) / 1000;
  return { agents: n, ticks, seconds, agentTicksPerSecond: (n * ticks) / seconds, liquidations };
}
