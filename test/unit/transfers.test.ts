import { describe, expect, it } from 'vitest';
import { lastValueFrom } from 'rxjs';
import type { Exchange } from '../../sim/exchange/exchange';
import type { PopulationContext, PopulationSpec, TraderPopulation } from '../../sim/exchange/population';
import { Transfers } from '../../sim/world/transfers';
import { Wallets } from '../../sim/world/wallets';
import { scripted } from '../../agents/scripted';
import { venuesWorld } from '../helpers/venues';

/** An exchange stand-in that records deposits in the order they arrive. */
function recorder(log: string[], name: string): Exchange {
  return { deposit: (i: number, amount: number) => log.push(`${name}:${i}:${amount}`) } as unknown as Exchange;
}

describe('Transfers', () => {
  it('sends no more than the wallet holds and lands each transfer at its tick, in (arrival, send) order', () => {
    const wallets = new Wallets(4, 1);
    wallets.endow(1, 100);
    wallets.endow(2, 50);
    const tr = new Transfers(wallets);
    const log: string[] = [];
    const a = recorder(log, 'a'), b = recorder(log, 'b');
    expect(tr.send(0, 1, 0, a, 30, 5)).toBe(30);
    expect(tr.send(0, 2, 1, b, 80, 3)).toBe(50); // only what the wallet holds
    expect(tr.send(1, 1, 1, b, 20, 5)).toBe(20); // same arrival as the first: lands after it
    expect(tr.send(1, 2, 0, a, 10, 4)).toBe(0); // wallet 2 is empty
    expect(wallets.quote[1]).toBe(50);
    expect(wallets.quote[2]).toBe(0);
    expect(tr.inTransit).toBe(100);
    expect(tr.deliver(2)).toBe(0);
    expect(tr.deliver(3)).toBe(1);
    expect(log).toEqual(['b:2:50']);
    expect(tr.deliver(5)).toBe(2);
    expect(log).toEqual(['b:2:50', 'a:1:30', 'b:1:20']);
    expect([tr.sentTotal, tr.deliveredTotal, tr.inTransit]).toEqual([100, 100, 0]);
    expect(() => tr.send(6, 1, 0, a, 1, 5)).toThrow(/arrives at 5/);
  });

  it('withdraws only free collateral (equity above initial margin) from an open isolated account, and refreshes its liquidation price', async () => {
    const w = venuesWorld({ venues: [{ name: 'A' }, { name: 'B' }], populations: [scripted('x', [{ side: 1, leverage: 5, collateral: 10_000 }, { side: 1, leverage: 5, collateral: 10_000, openTick: 99 }])], ticks: 2 });
    await lastValueFrom(w.simulation.run());
    const mv = w.multiVenue!, ex = mv.venues[0]!.markets[0]!.exchange, tr = mv.transfers;
    const [open, flat] = [1, 2];
    const free = ex.freeCollateral(open);
    expect(free).toBeGreaterThan(0);
    expect(free).toBeLessThan(10_000);
    const lp = ex.accounts.liqPrice[open]!;
    expect(tr.withdrawToWallet(2, open, 0, ex, 1e9, 4)).toBeCloseTo(free, 9);
    expect(ex.accounts.liqPrice[open]).toBeGreaterThan(lp); // less collateral under a long: liquidated sooner
    expect(ex.freeCollateral(open)).toBeCloseTo(0, 6);
    expect(tr.withdrawToWallet(2, flat, 0, ex, 1e9, 4)).toBe(10_000);
    expect(mv.wallets.quote[open]).toBe(0);
    tr.deliver(4);
    expect(mv.wallets.quote[open]).toBeCloseTo(free, 9);
    expect(mv.wallets.quote[flat]).toBe(10_000);
    expect(tr.returnedTotal).toBe(tr.withdrawnTotal);
  });

  it('the world ledger closes every tick with money in flight both ways', async () => {
    // Account 1 has a wallet; every 3 ticks it wires 1,000 to venue B (landing 4 ticks later) and
    // pulls 500 of free collateral from venue A back (landing 2 ticks later).
    const shuttle: PopulationSpec = {
      name: 'shuttle', count: 1,
      create: (ctx: PopulationContext): TraderPopulation => {
        const i = ctx.first;
        ctx.wallets!.endow(i, 10_000);
        ctx.exchange.deposit(i, 5_000);
        const b = ctx.venues![1]!.exchanges[0]!;
        return {
          name: 'shuttle', first: i, count: 1,
          decide(tick, market, ex) {
            if (tick === 1) ex.placeOrder(i, (3 * 5_000) / market.mark);
          },
          after(tick, _market, ex) {
            if (tick % 3 !== 0) return;
            ctx.transfers!.send(tick, i, 1, b, 1_000, tick + 4);
            ctx.transfers!.withdrawToWallet(tick, i, 0, ex, 500, tick + 2);
          },
        };
      },
    };
    const longs = scripted('longs', Array.from({ length: 10 }, () => ({ side: 1 as const, leverage: 10, collateral: 1_000 })));
    const w = venuesWorld({ venues: [{ name: 'A' }, { name: 'B' }], populations: [shuttle, longs], ticks: 40 });
    const mv = w.multiVenue!;
    const worst: number[] = [];
    let inFlight = 0;
    w.bus.tick$.subscribe((s) => {
      worst.push(s.relativeResidual, ...mv.lastVenueSummaries.map((v) => v.relativeResidual));
      inFlight = Math.max(inFlight, mv.transfers.pending);
    });
    await lastValueFrom(w.simulation.run());
    expect(mv.transfers.sentTotal).toBeGreaterThan(0);
    expect(mv.transfers.withdrawnTotal).toBeGreaterThan(0);
    expect(inFlight).toBeGreaterThanOrEqual(2);
    for (const r of worst) expect(r).toBeLessThanOrEqual(1e-9);
  });
});
