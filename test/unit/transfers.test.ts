import { describe, expect, it } from 'vitest';
import { lastValueFrom } from 'rxjs';
import type { Exchange } from '../../sim/exchange/exchange';
import type { PopulationContext, PopulationSpec, TraderPopulation } from '../../sim/exchange/population';
import { Transfers } from '../../sim/world/transfers';
import { Wallets } from '../../sim/world/wallets';
import { scripted } from '../../agents/scripted';
import { venuesWorld } from '../helpers/venues';
import { basket, venueWorld } from '../helpers/venue';
import type { AgentPopulation, PopulationConfig } from '../../agents/population';
import type { StrategyDefinition } from '../../agents/strategy';
import { initPopulations, populationSpec } from '../../sim/run/build';
import { loadScenario } from '../../sim/scenario/loader';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { AccountState } from '../../sim/exchange/accounts';

/** An exchange stand-in that records deposits in the order they arrive. */
function recorder(log: string[], name: string): Exchange {
  return { accounts: { state: new Uint8Array(8) }, deposit: (i: number, amount: number) => log.push(`${name}:${i}:${amount}`) } as unknown as Exchange;
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

  it('withdraws only free collateral from a cross account with a position, from any of its markets (review finding: it threw)', () => {
    // 10,000 on a 2x BTC long (20,000 at 50x: IM 400): 9,600 is free. Asked through the market it
    // is flat in, the withdrawal threw "has an open position".
    const calm = { process: { kind: 'gbm' as const, mu: 0, sigma: 0 }, funding: { intervalTicks: 0, interest: 0, band: 0, cap: 0 } };
    const w = venueWorld({
      assets: [{ name: 'BTC', market: { ...calm, startPrice: 20_000 } }, { name: 'ETH', market: { ...calm, startPrice: 1_000 } }],
      populations: [basket('c', 'cross', [{ collateral: 10_000, notionals: [20_000, 0] }])],
      ticks: 2, exchange: { takerFee: 0, makerFee: 0 },
    });
    w.simulation.run().subscribe({ error: (e: unknown) => { throw e; } });
    const v = w.venue, eth = w.markets[1]!.exchange;
    const free = v.equity(1) - v.requirement(1, 'initial');
    expect(Math.abs(free - 9_600)).toBeLessThan(2);
    const t = new Transfers(new Wallets(10, 2));
    expect(t.withdrawToWallet(5, 1, 0, eth, 100, 6)).toBe(100);
    expect(v.margin.wallet(1)).toBeCloseTo(9_900, 9);
    expect(eth.withdrawFree(1, 1e9)).toBeCloseTo(free - 100, 6);
    expect(v.equity(1) - v.requirement(1, 'initial')).toBeCloseTo(0, 6);
    expect(eth.withdrawFree(1, 1)).toBe(0);
    expect(eth.treasury.withdrawals).toBeCloseTo(free, 6);
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
    expect(mv.transfers.deliveredTo[1]).toBe(mv.transfers.deliveredTotal);
    expect(mv.transfers.withdrawnFrom[0]).toBe(mv.transfers.withdrawnTotal);
    expect(inFlight).toBeGreaterThanOrEqual(2);
    for (const r of worst) expect(r).toBeLessThanOrEqual(1e-9);
  });
});

/** Opens once at tick 0 at the drawn leverage and side, then holds. */
const holder: StrategyDefinition = {
  name: 'holder', summary: 'open once, hold', params: {},
  decide(pop, tick, market, ex) {
    if (tick !== 0) return;
    for (let k = 0; k < pop.count; k++) pop.orderTo(k, (pop.side[k]! * pop.leverage[k]! * ex.accounts.collateral[pop.first + k]!) / market.mark, ex);
  },
};

/**
 * One 20x long of 1,000 at 100 per population (liquidated below ≈95.5), topping up 1,000 when
 * MM / equity ≥ 0.5 (at ≈95.9) from a reserve of 1,000; the index replays `PATH` exactly (no impact,
 * no fees, no funding). `pops`: venue, leverage (default 20) and sharedReserve per population.
 */
const PATH = [100, 100, 99, 98, 95.9, 95.9, 95.2, 95.2, 95.2, 95.2, 95.2, 95.2, 95.2, 95.2];
async function reserveWorld(pops: { venue: number; leverage?: number; sharedReserve?: PopulationConfig['sharedReserve']; reentry?: PopulationConfig['behaviours']['reentry'] }[]) {
  const created: AgentPopulation[] = [];
  const specs = pops.map((p, k) => ({
    ...populationSpec({
      name: `p${k}`, count: 1, strategy: holder, collateral: 1_000, leverage: p.leverage ?? 20, reserve: 1_000, longBias: 1, activity: 1, startOpen: 0, params: {},
      behaviours: { topUp: { threshold: 0.5, probability: 1, amount: 1 }, ...(p.reentry ? { reentry: p.reentry } : {}) }, ...(p.sharedReserve ? { sharedReserve: p.sharedReserve } : {}),
    }, 60, created),
    venue: p.venue,
  }));
  const still = { liquidity: { depth: Infinity, impact: 'linear' as const, elasticity: 0, referenceVol: 0.001, minDepthFraction: 0.01 }, premiumHalfLife: 0, funding: { intervalTicks: 0, interest: 0, band: 0, cap: 0 } };
  const w = venuesWorld({
    assets: [{ name: 'BTC', market: { process: { kind: 'replay', prices: Float64Array.from(PATH) } } }],
    venues: [{ name: 'A', market: still, exchange: { takerFee: 0, makerFee: 0 } }, { name: 'B', market: still, exchange: { takerFee: 0, makerFee: 0 } }],
    populations: specs, ticks: PATH.length - 1,
  });
  initPopulations(w, created);
  const mv = w.multiVenue!;
  const sent: number[] = [], collateral: number[][] = [], liquidated: number[][] = [], residuals: number[] = [], inTransit: number[] = [];
  w.bus.tick$.subscribe((s) => {
    sent.push(mv.transfers.sentTotal);
    inTransit.push(mv.transfers.inTransit);
    collateral.push(created.map((p, k) => mv.venues[pops[k]!.venue]!.markets[0]!.exchange.accounts.collateral[p.first]!));
    liquidated.push(mv.lastVenueSummaries.map((v) => v.liquidations));
    residuals.push(s.relativeResidual, ...mv.lastVenueSummaries.map((v) => v.relativeResidual));
  });
  await lastValueFrom(w.simulation.run());
  return { sent, collateral, liquidated, residuals, inTransit, mv, created };
}

describe('a reserve in the world\'s wallets', () => {
  it('a top-up sent with transferTicks 5 lands exactly 5 ticks after the call, too late to save the account; with 0 it saves it', async () => {
    const late = await reserveWorld([{ venue: 0, sharedReserve: { transferTicks: 5 } }]);
    const call = late.sent.findIndex((s) => s > 0);
    expect(call).toBeGreaterThan(0);
    expect(late.sent[call]).toBe(1_000);
    expect(late.inTransit[call]).toBe(1_000);
    const liq = late.liquidated.findIndex((l) => l[0]! > 0);
    expect(liq).toBeGreaterThan(call);
    expect(liq).toBeLessThan(call + 5);
    // The account is flat from the liquidation on; its collateral moves only when the money lands.
    const landed = late.collateral.findIndex((c, t) => t > liq && c[0]! > late.collateral[liq]![0]!);
    expect(landed).toBe(call + 5);
    expect(late.collateral[landed]![0]! - late.collateral[landed - 1]![0]!).toBeCloseTo(1_000, 9);
    expect(late.inTransit[landed]).toBe(0);
    for (const r of late.residuals) expect(r).toBeLessThanOrEqual(1e-9);

    const now = await reserveWorld([{ venue: 0, sharedReserve: { transferTicks: 0 } }]);
    expect(now.sent.findIndex((s) => s > 0)).toBe(call);
    expect(now.liquidated.every((l) => l[0] === 0)).toBe(true);
    expect(now.collateral[call]![0]).toBe(2_000);
    for (const r of now.residuals) expect(r).toBeLessThanOrEqual(1e-9);
  });

  it('the reserve column (no sharedReserve) deposits at once and touches no wallet', async () => {
    const col = await reserveWorld([{ venue: 0 }]);
    expect(col.liquidated.every((l) => l[0] === 0)).toBe(true);
    expect(col.mv.transfers.sentTotal).toBe(0);
    expect(col.mv.wallets.quoteDeposits).toBe(0);
    expect(col.created[0]!.reserve[0]).toBe(0);
  });

  it('two venues drawing on one wallet: the first call takes it all and the second venue\'s call finds it empty', async () => {
    const r = await reserveWorld([{ venue: 0, sharedReserve: { transferTicks: 0 } }, { venue: 1, sharedReserve: { transferTicks: 0, wallet: 'p0' } }]);
    const [a, b] = r.created;
    expect(r.mv.wallets.quoteDeposits).toBe(1_000); // only the owner endows
    expect(r.mv.wallets.quote[a!.first]).toBe(0);
    expect(r.sent.at(-1)).toBe(1_000);
    // A was topped up and survives; B's call came second, found nothing and B was liquidated.
    expect(Math.max(...r.collateral.map((c) => c[0]!))).toBe(2_000);
    expect(r.liquidated.every((l) => l[0] === 0)).toBe(true);
    expect(r.liquidated.some((l) => l[1]! > 0)).toBe(true);
    expect(b!.reserveWallet.available(0)).toBe(0);
    for (const x of r.residuals) expect(x).toBeLessThanOrEqual(1e-9);
    // The wallet is one: when only B is called (A at 5x), B's top-up comes out of A's wallet and saves it.
    const onlyB = await reserveWorld([{ venue: 0, leverage: 5, sharedReserve: { transferTicks: 0 } }, { venue: 1, sharedReserve: { transferTicks: 0, wallet: 'p0' } }]);
    expect(onlyB.liquidated.every((l) => l[0] === 0 && l[1] === 0)).toBe(true);
    expect(Math.max(...onlyB.collateral.map((c) => c[1]!))).toBe(2_000);
    expect(onlyB.mv.wallets.quote[onlyB.created[0]!.first]).toBe(0);
  });
});

describe('a top-up in flight when its account leaves for good', () => {
  it('goes back to the wallet instead of landing in the abandoned account', async () => {
    // Called at tick 3 (lands at 8), liquidated at tick 5, leaves at once (re-entry probability 0).
    const r = await reserveWorld([{ venue: 0, sharedReserve: { transferTicks: 5 }, reentry: { cooldownTicks: 0, probability: 0 } }]);
    const [p] = r.created;
    const ex = r.mv.venues[0]!.markets[0]!.exchange;
    expect(ex.accounts.state[p!.first]).toBe(AccountState.Gone);
    expect(r.inTransit.at(-1)).toBe(0);
    // Before: the 1,000 landed at tick 8 in the account that had left (collateral 1,000, wallet 0), for good.
    expect(ex.accounts.collateral[p!.first]).toBe(0);
    expect(r.mv.wallets.quote[p!.first]).toBe(1_000);
    for (const x of r.residuals) expect(x).toBeLessThanOrEqual(1e-9);
  });
});

describe('sharedReserve.wallet naming a population that keeps its reserve in its column', () => {
  it('is refused: the sharer would draw on a wallet nobody endowed while the owner\'s reserve sits in its column', async () => {
    // p0 (no sharedReserve) has a reserve of 1,000 in its column; p1 names p0's wallet.
    // Before: nothing was sent (wallet 0), p0's 1,000 stayed in its column, and p1 was liquidated.
    await expect(reserveWorld([{ venue: 0, leverage: 5 }, { venue: 1, sharedReserve: { transferTicks: 0, wallet: 'p0' } }])).rejects.toThrow(/p0.*sharedReserve/);
  });

  it('a scenario naming such a population is refused, naming the path', async () => {
    const text = readFileSync('test/fixtures/venues/review/reserve.yaml', 'utf8').replace("reserve: 5000, leverage: 5, sharedReserve: { transferTicks: 2 } }", 'reserve: 5000, leverage: 5 }');
    const file = join(mkdtempSync(join(tmpdir(), 'levsim-reserve-')), 'owner-column.yaml');
    writeFileSync(file, text);
    await expect(loadScenario(file)).rejects.toThrow(/agents\[1\]\.sharedReserve\.wallet: population "pa" has no sharedReserve/);
  });
});
