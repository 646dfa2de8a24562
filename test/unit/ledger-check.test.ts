import { describe, expect, it } from 'vitest';
import { checkedSummary, checkLedger, LEDGER_TOLERANCE, LedgerBroken } from '../../sim/metrics/ledger-check';
import type { TickSummary } from '../../sim/engine/events';
import { loadScenario } from '../../sim/scenario/loader';
import { buildWorld } from '../../sim/run/build';
import type { VenueWorld } from '../../sim/run/venue-world';

describe('checkedSummary', () => {
  const tick = (residual: number, deposits: number, equity: number, housePnl: number) =>
    ({ tick: 353, residual, relativeResidual: Math.abs(residual) / deposits, equity, housePnl }) as TickSummary;
  it('judges the residual against the deposits, or the money in play when a market has run away (review of a bench run)', () => {
    // bench-3assets, tick 353: prices ×1,800, equity 1.7e14 on 6.3e9 of traders' deposits, rounding of 6.3.
    expect(() => checkedSummary('the venue', tick(-6.33, 6.31e9, 1.716e14, -1.716e14))).not.toThrow();
    // The same residual with the money where it started is lost money.
    expect(() => checkedSummary('the venue', tick(-6.33, 6.31e9, 6.3e9, -1e9))).toThrow(LedgerBroken);
    expect(() => checkedSummary('the book', tick(1000, 1e6, 1.2e6, 2e5))).toThrow('the book: ledger broken at tick 353: residual 1000 quote');
    expect(() => checkedSummary('the book', tick(Number.NaN, 1e6, 1e6, 0))).toThrow(LedgerBroken);
    // A venue with nothing in it yet (no equity, no house PnL) balances: 0 / 0 is not a broken ledger.
    expect(() => checkedSummary('venue B', tick(0, 1, 0, 0))).not.toThrow();
  });
});

describe('checkLedger', () => {
  it('lets rounding through and stops anything above 1e-9, or not a number', () => {
    expect(() => checkLedger('the book', 3, 1e-5, LEDGER_TOLERANCE)).not.toThrow();
    expect(() => checkLedger('the book', 3, 2e-5, 2e-9)).toThrow(LedgerBroken);
    expect(() => checkLedger('the book', 3, 2e-5, 2e-9)).toThrow('the book: ledger broken at tick 3: residual 0.00002 quote, 2e-9 relative (allowed: at most 1e-9)');
    expect(() => checkLedger('asset ETH\'s units', 4, Number.NaN, Number.NaN, 'units')).toThrow('asset ETH\'s units: ledger broken at tick 4: residual NaN units, NaN relative');
  });
});

/**
 * Runs the lending fixture (a venue, ETH spot, a lending pool) with `tamper` applied to the world
 * after tick 20's summary, a defect stand-in; returns the run's error.
 */
async function tampered(tamper: (w: VenueWorld) => void): Promise<unknown> {
  const s = await loadScenario('test/fixtures/venues/lending.yaml', { ticks: 70 });
  const world = buildWorld(s, { seed: 2 });
  const w = world.multiVenue!;
  world.bus.tick$.subscribe((t) => { if (t.tick === 20) tamper(w); });
  let error: unknown;
  world.simulation.run().subscribe({ error: (e: unknown) => (error = e) });
  return error;
}

describe('the ledgers of a world of venues, checked every tick', () => {
  it('runs the fixture to its end untampered', async () => {
    expect(await tampered(() => {})).toBeUndefined();
  });

  it('stops at an asset\'s units made from nowhere in a wallet', async () => {
    const e = await tampered((w) => { w.wallets.units(0)[5] += 3; });
    expect(e).toBeInstanceOf(LedgerBroken);
    expect((e as Error).message).toMatch(/^asset ETH's units: ledger broken at tick 21: residual 3(\.0+\d*)? units, /);
  });

  it('stops at money made in a lending pool\'s cash', async () => {
    const e = await tampered((w) => { w.protocols[0]!.pool.cash += 1000; });
    expect((e as Error).message).toMatch(/^protocol pool: ledger broken at tick 21: residual 1000(\.0+\d*)? quote, 0\.0000200+\d* relative \(allowed: at most 1e-9\); money was made or lost/);
  });

  it('stops at a lending pool\'s collateral units that do not match its deposits', async () => {
    const e = await tampered((w) => { w.protocols[0]!.pool.deposited[0] += 2; });
    expect((e as Error).message).toMatch(/^protocol pool's ETH units: ledger broken at tick 21: residual -2(\.0+\d*)? units, 0\.000143\d+ relative \(allowed: at most 1e-9\); units were made or lost/);
  });

  it('stops at a venue\'s money written into an account directly', async () => {
    const e = await tampered((w) => { w.markets[0]!.exchange.accounts.collateral[3] -= 50; });
    expect((e as Error).message).toMatch(/^venue dex: ledger broken at tick 21: residual -50(\.0+\d*)? quote, /);
  });
});
