import { describe, expect, it } from 'vitest';
import { FixedPolicy } from '../../sim/exchange/policies/fixed';
import { FundingClock, fundingRate, type FundingParams } from '../../sim/market/funding';
import { scripted } from '../../agents/scripted';
import { buildWorld } from '../helpers/world';

const p: FundingParams = { intervalTicks: 8, interest: 0.0001, band: 0.0005, cap: 0.003 };

describe('funding rate', () => {
  it('is premium + clamp(interest − premium, ±band), clamped to ±cap (Binance form)', () => {
    expect(fundingRate(0, p)).toBeCloseTo(0.0001, 15); // interest passes through
    expect(fundingRate(0.0002, p)).toBeCloseTo(0.0001, 15); // inside the band: interest wins
    expect(fundingRate(0.002, p)).toBeCloseTo(0.002 - 0.0005, 15);
    expect(fundingRate(-0.002, p)).toBeCloseTo(-0.002 + 0.0005, 15);
    expect(fundingRate(0.05, p)).toBe(0.003);
    expect(fundingRate(-0.05, p)).toBe(-0.003);
  });

  it('settles every intervalTicks from the interval average premium', () => {
    const c = new FundingClock(p);
    const due: number[] = [];
    for (let t = 0; t < 24; t++) if (c.sample(t, 0.001)) due.push(t);
    expect(due).toEqual([7, 15, 23]);
    expect(c.lastPremium).toBeCloseTo(0.001, 15);
    expect(c.lastRate).toBeCloseTo(0.001 - 0.0005, 15);
  });
});

describe('funding payments', () => {
  it('longs pay shorts when the rate is positive, and the transfer is zero-sum', () => {
    const w = buildWorld({
      policy: new FixedPolicy(20, 0.01),
      populations: [scripted('l', [{ side: 1, leverage: 5, collateral: 10_000 }]), scripted('s', [{ side: -1, leverage: 3, collateral: 10_000 }])],
      ticks: 10,
      market: { process: { kind: 'replay', prices: Float64Array.from([20_000]) }, funding: { intervalTicks: 5, interest: 0.001, band: 0.0005, cap: 0.01 } },
    });
    const ex = w.exchange;
    const events: { rate: number; transferred: number }[] = [];
    w.bus.funding$.subscribe((e) => events.push(e));
    const before: number[] = [];
    w.bus.fills$.subscribe((f) => { if (f.tick === 0) for (let i = 0; i < 3; i++) before.push(ex.accounts.collateral[i]!); });
    w.simulation.run().subscribe();
    expect(events.length).toBe(2);
    expect(events[0]!.rate).toBeGreaterThan(0);
    const a = ex.accounts;
    const dLong = a.collateral[1]! - before[1]!;
    const dShort = a.collateral[2]! - before[2]!;
    const dHouse = a.collateral[0]! - before[0]!;
    expect(dLong).toBeLessThan(0); // the long paid
    expect(dShort).toBeGreaterThan(0); // the short received
    expect(Math.abs(dLong + dShort + dHouse)).toBeLessThan(1e-9 * 10_000);
  });
});
