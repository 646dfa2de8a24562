import { describe, expect, it } from 'vitest';
import { scripted } from '../../agents/scripted';
import { FixedPolicy } from '../../sim/exchange/policies/fixed';
import { computeSummary } from '../../sim/metrics/summary';
import { TickColumns } from '../../sim/metrics/tick-columns';
import type { TickSummary } from '../../sim/engine/events';
import { buildWorld } from '../helpers/world';

/** A small book (traders' deposits 30,000) beside a house of 1e10, with a scheduled drop. */
function smallBook(leak?: { tick: number; amount: number }) {
  const w = buildWorld({
    policy: new FixedPolicy(20, 0.025),
    populations: [scripted('book', [
      { side: 1, leverage: 10, collateral: 10_000 },
      { side: -1, leverage: 5, collateral: 10_000 },
      { side: 1, leverage: 3, collateral: 10_000 },
    ])],
    ticks: 20,
    market: { shocks: [{ tick: 8, ret: -0.05 }] },
    exchange: { backstopCollateral: 1e10, insuranceFund: 0 },
  });
  const cols = new TickColumns(20);
  const ticks: TickSummary[] = [];
  w.bus.tick$.subscribe((s) => {
    ticks.push(s);
    cols.push(s);
    // A defect stand-in: money that vanishes from an account without a ledger entry.
    if (leak && s.tick === leak.tick) w.exchange.accounts.collateral[1] -= leak.amount;
  });
  let error: unknown;
  w.simulation.run().subscribe({ error: (e: unknown) => (error = e) });
  const summary = computeSummary({
    scenario: 't', policy: 'p', seed: 1, agents: 3, cols, cascades: [], episodes: [], liquidatedAccounts: 0,
    liquidationEvents: 0, insuranceFundStart: 0, exogenousPath: new Float64Array(20).fill(20_000),
    leverage: { p50: 0, p90: 0, p99: 0 }, populations: {}, bankrupt: 0, warnings: [],
  });
  return { w, ticks, summary, error };
}

describe('the ledger gate', () => {
  it('measures the residual against traders\' deposits, not the house\'s collateral', () => {
    // 5 quote lost out of 30,000 deposited by traders is 1.7e-4: far above 1e-9, so the run stops at
    // the next tick's check. Divided by deposits that include the house's 1e10 it read 5e-10, and passed.
    const { error, ticks } = smallBook({ tick: 5, amount: 5 });
    expect(ticks.map((s) => s.tick)).toEqual([0, 1, 2, 3, 4, 5]);
    const m = /^the book: ledger broken at tick 6: residual (\S+) quote, (\S+) relative/.exec((error as Error).message);
    expect(Number(m![1])).toBeCloseTo(-5, 6);
    // (judged against the deposits or the traders' equity, whichever is larger: 30,000 or a little more)
    expect(Number(m![2])).toBeCloseTo(5 / 30_000, 5);
    const clean = smallBook().summary;
    expect(clean.ledger.maxRelativeResidual).toBeLessThan(1e-14);
    // An empty fund counts as exhausted.
    expect(clean.insuranceFund.exhausted).toBe(true);
  });

  it('reports the house as its own term: traders\' equity + house equity + fund + fees − bad debt = net deposits', () => {
    const { ticks, summary, w } = smallBook();
    for (const s of ticks) {
      const left = s.equity + s.houseEquity + s.insuranceFund + s.feeRevenue - s.badDebt;
      expect(Math.abs(left - (s.deposits - s.withdrawals))).toBeLessThan(1e-4); // sums at 1e10: ulp 2e-6
      expect(s.houseEquity - 1e10).toBeCloseTo(s.housePnl, 4);
    }
    const last = ticks.at(-1)!;
    expect(last.housePnl).toBe(w.exchange.accounts.equity(w.exchange.backstop, last.mark));
    expect(summary.ledger.houseEquity).toBe(last.houseEquity);
    expect(summary.house.pnl).toBe(last.housePnl);
    // The traders hold net long exposure after the drop, so the house (net short) gained.
    expect(summary.house.pnl).toBeGreaterThan(0);
  });
});
