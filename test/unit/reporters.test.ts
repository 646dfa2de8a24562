import { describe, expect, it } from 'vitest';
import { scripted } from '../../agents/scripted';
import { TICK_COLUMNS, TICK_SUMMARY_FIELDS, type TickSummary } from '../../sim/engine/events';
import { FixedPolicy } from '../../sim/exchange/policies/fixed';
import { REPORTERS, fieldsOf, tickSummary } from '../../sim/metrics/reporters';
import { TickColumns } from '../../sim/metrics/tick-columns';
import { liquidationRows, ticksCsv } from '../../reports/csv';
import { buildWorld } from '../helpers/world';

/** ticks.csv's columns as they were before the declaration: the order must not move. */
const FORMAT_1_COLUMNS = [
  'tick', 'index', 'mark', 'markPrice', 'exogenousReturn', 'premium', 'depth', 'realizedVol', 'fundingRate',
  'openInterest', 'openInterestNotional', 'volume', 'liquidations', 'liqLongNotional', 'liqShortNotional',
  'cascadeRounds', 'roundCapHit', 'adlCount', 'adlNotional', 'positions', 'activeAccounts', 'avgLeverage',
  'nearLiq5', 'nearLiq10', 'policyMaxLeverage', 'equity', 'houseEquity', 'housePnl', 'insuranceFund', 'feeRevenue', 'badDebt',
  'deposits', 'withdrawals', 'residual', 'relativeResidual',
];

/** A small book with a drop that liquidates its 25x long, run to the end. */
function smallRun() {
  const w = buildWorld({
    policy: new FixedPolicy(50, 0.01),
    populations: [scripted('book', [
      { side: 1, leverage: 25, collateral: 10_000 },
      { side: -1, leverage: 5, collateral: 10_000 },
      { side: 1, leverage: 3, collateral: 10_000, openTick: 2 },
    ])],
    ticks: 30,
    market: { shocks: [{ tick: 10, ret: -0.06 }] },
    exchange: { backstopCollateral: 1e10, insuranceFund: 1_000 },
  });
  const ticks: TickSummary[] = [];
  const cols = new TickColumns(30);
  w.bus.tick$.subscribe((s) => {
    ticks.push(s);
    cols.push(s);
  });
  w.simulation.run().subscribe({ error: (e: unknown) => { throw e; } });
  return { w, ticks, cols };
}

describe('the per-tick reporters', () => {
  it('declare every field once, with a unit, a definition, a scope and a compute', () => {
    expect(TICK_SUMMARY_FIELDS).toEqual(FORMAT_1_COLUMNS);
    expect(Object.keys(REPORTERS).sort()).toEqual([...TICK_SUMMARY_FIELDS].sort());
    for (const f of TICK_SUMMARY_FIELDS) {
      const c = TICK_COLUMNS[f];
      expect(c.unit, f).toMatch(/\S/);
      expect(c.doc, f).toMatch(/\S/);
      expect(['key', 'market', 'ledger'], f).toContain(c.scope);
      expect(typeof REPORTERS[f], f).toBe('function');
    }
  });

  it('give ticks.csv its header, in declaration order', () => {
    const { cols } = smallRun();
    const csv = ticksCsv(cols);
    expect(csv.slice(0, csv.indexOf('\n'))).toBe(TICK_SUMMARY_FIELDS.join(','));
    expect(csv.trimEnd().split('\n')).toHaveLength(31);
  });

  it('partition the fields by scope: the key in every file, each other field in exactly one', () => {
    const key = fieldsOf('key');
    const market = fieldsOf('market');
    const ledger = fieldsOf('ledger');
    expect(key).toEqual(['tick']);
    expect(market.slice(0, key.length)).toEqual(key);
    expect(ledger.slice(0, key.length)).toEqual(key);
    const own = [...market.slice(key.length), ...ledger.slice(key.length)];
    expect(new Set(own).size).toBe(own.length);
    expect([...key, ...own].sort()).toEqual([...TICK_SUMMARY_FIELDS].sort());
    expect(ledger.slice(key.length)).toEqual([
      'equity', 'houseEquity', 'housePnl', 'insuranceFund', 'feeRevenue', 'badDebt', 'deposits', 'withdrawals', 'residual', 'relativeResidual',
    ]);
    // Column order within a scope is the declaration's.
    for (const list of [market, ledger]) expect(list).toEqual(TICK_SUMMARY_FIELDS.filter((f) => list.includes(f)));
  });

  it('compute the summary a world emits: finite, in column order, the ledger closed, liquidations seen', () => {
    const { w, ticks } = smallRun();
    expect(ticks).toHaveLength(30);
    for (const s of ticks) {
      expect(Object.keys(s)).toEqual(TICK_SUMMARY_FIELDS);
      for (const f of TICK_SUMMARY_FIELDS) expect(Number.isFinite(s[f]), `tick ${s.tick} ${f}`).toBe(true);
      expect(s.relativeResidual).toBeLessThan(1e-9);
      expect(s.openInterestNotional).toBe(s.openInterest * s.markPrice);
      expect(s.houseEquity - s.housePnl).toBe(1e10);
      expect(s.policyMaxLeverage).toBe(50);
    }
    expect(ticks.reduce((n, s) => n + s.liquidations, 0)).toBeGreaterThan(0);
    // The compute is a function of the state alone: the world's state after the run gives the last row again.
    const last = ticks[ticks.length - 1]!;
    const { exchange, market } = w;
    const ctx = {
      tick: last.tick, market, exchange, book: exchange.bookStats(market.markPrice), fundingRate: last.fundingRate,
      headline: exchange.policy.headline(), treasury: exchange.treasury, cascade: exchange.lastCascade,
    };
    const again = tickSummary(ctx);
    expect(again).toEqual(last);
    // The summary's builder is generated from the field names: each field is its own reporter's compute.
    for (const f of TICK_SUMMARY_FIELDS) expect(Object.is(again[f], REPORTERS[f](ctx)), f).toBe(true);
  });
});

describe('liquidations.csv rows', () => {
  it('price a backstop takeover at the mark it closed at, the round\'s other closes at its fill price', () => {
    const rows = liquidationRows({
      tick: 7, round: 1, accounts: Int32Array.of(3, 4), closed: Float64Array.of(-2, 1.5), equity: Float64Array.of(-10, 5),
      maintenance: Float64Array.of(40, 30), price: 19_800, markBefore: 20_000, markAfter: 19_700,
      longNotional: 0, shortNotional: 0, bankrupt: 1, backstopTakeovers: 1, takeover: Uint8Array.of(1, 0),
    });
    expect(rows).toBe('7,1,3,long,2,20000,-10,40\n7,1,4,short,1.5,19800,5,30\n');
  });
});
