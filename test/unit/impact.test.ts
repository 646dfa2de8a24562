import { describe, expect, it } from 'vitest';
import { effectiveDepth, impactLog, type LiquidityParams } from '../../sim/market/liquidity';
import { Market } from '../../sim/market/market';
import { ReplayProcess } from '../../sim/market/processes';
import { ShockSchedule } from '../../sim/market/shocks';

const liq: LiquidityParams = { depth: 1_000_000, impact: 'linear', elasticity: 1, referenceVol: 0.001, minDepthFraction: 0.2 };

describe('price impact', () => {
  it('linear impact is proportional to flow; one depth moves the price 1%', () => {
    expect(impactLog(1_000_000, 1_000_000, 'linear')).toBeCloseTo(0.01, 15);
    expect(impactLog(-3_000_000, 1_000_000, 'linear')).toBeCloseTo(-0.03, 15);
    expect(impactLog(0, 1_000_000, 'linear')).toBe(0);
  });

  it('square-root impact grows with √flow and agrees with linear at one depth', () => {
    expect(impactLog(1_000_000, 1_000_000, 'sqrt')).toBeCloseTo(0.01, 15);
    expect(impactLog(4_000_000, 1_000_000, 'sqrt')).toBeCloseTo(0.02, 15);
    expect(impactLog(-250_000, 1_000_000, 'sqrt')).toBeCloseTo(-0.005, 15);
  });

  it('depth evaporates as realized volatility rises, down to its floor', () => {
    expect(effectiveDepth(liq, 0.0005, 1)).toBe(1_000_000);
    expect(effectiveDepth(liq, 0.002, 1)).toBeCloseTo(500_000, 6); // (2)^−1
    expect(effectiveDepth(liq, 0.1, 1)).toBeCloseTo(200_000, 6); // floor
    expect(effectiveDepth({ ...liq, elasticity: 2 }, 0.002, 1)).toBeCloseTo(250_000, 6);
    expect(effectiveDepth(liq, 0.0005, 0.5)).toBe(500_000); // market makers withdrew half
  });
});

describe('mark, premium and spillover', () => {
  const flat = () => new ReplayProcess(Float64Array.from([100]));
  it('impact moves the mark; the premium decays with its half-life', () => {
    const m = new Market({ startPrice: 100, liquidity: { ...liq, elasticity: 0 }, spillover: 0, premiumHalfLife: 10, volHalfLife: 10 }, flat(), new ShockSchedule());
    m.beginTick(0);
    m.applyFlow(1_000_000);
    expect(m.mark).toBeCloseTo(100 * Math.exp(0.01), 9);
    expect(m.index).toBe(100);
    const p0 = m.premium;
    for (let t = 1; t <= 10; t++) { m.endTick(); m.beginTick(t); }
    expect(m.premium).toBeCloseTo(p0 / 2, 9);
  });

  it('a spillover fraction of the impact moves the index too', () => {
    const m = new Market({ startPrice: 100, liquidity: { ...liq, elasticity: 0 }, spillover: 0.4, premiumHalfLife: 0, volHalfLife: 10 }, flat(), new ShockSchedule());
    m.beginTick(0);
    m.applyFlow(-2_000_000);
    expect(Math.log(m.mark / 100)).toBeCloseTo(-0.02, 12);
    expect(Math.log(m.index / 100)).toBeCloseTo(-0.008, 12);
  });
});

describe('impact within a tick', () => {
  const flat = () => new ReplayProcess(Float64Array.from([100]));
  const sqrtLiq: LiquidityParams = { ...liq, impact: 'sqrt', elasticity: 0 };
  it('walks down one book: k batches of F move the price like one batch of kF', () => {
    const a = new Market({ startPrice: 100, liquidity: sqrtLiq, spillover: 0, premiumHalfLife: 0, volHalfLife: 10 }, flat(), new ShockSchedule());
    const b = new Market({ startPrice: 100, liquidity: sqrtLiq, spillover: 0, premiumHalfLife: 0, volHalfLife: 10 }, flat(), new ShockSchedule());
    a.beginTick(0);
    b.beginTick(0);
    for (let r = 0; r < 4; r++) a.applyFlow(-250_000);
    b.applyFlow(-1_000_000);
    expect(a.mark).toBeCloseTo(b.mark, 9);
    expect(Math.log(b.mark / 100)).toBeCloseTo(-0.01, 12);
  });
  it('the book refills between ticks, and the band caps the cumulative impact of a tick', () => {
    const m = new Market({ startPrice: 100, liquidity: { ...sqrtLiq, maxImpact: 0.05 }, spillover: 0, premiumHalfLife: 0, volHalfLife: 10 }, flat(), new ShockSchedule());
    m.beginTick(0);
    m.applyFlow(-1_000_000);
    m.endTick();
    m.beginTick(1);
    m.applyFlow(-1_000_000);
    expect(Math.log(m.mark / 100)).toBeCloseTo(-0.02, 12); // a fresh book each tick
    for (let r = 0; r < 100; r++) m.applyFlow(-10_000_000);
    expect(Math.log(m.mark / 100)).toBeCloseTo(-0.01 - 0.05, 12); // tick 1 alone never exceeds the band
  });
});

describe('previewing a fill', () => {
  it('previewFillPrice is the price applyFlow then fills at, to the bit, and moves nothing', () => {
    const m = new Market({ startPrice: 100, liquidity: { ...liq, impact: 'sqrt', elasticity: 0, maxImpact: 0.03 }, spillover: 0, premiumHalfLife: 0, volHalfLife: 10 }, new ReplayProcess(Float64Array.from([100])), new ShockSchedule());
    m.beginTick(0);
    for (const flow of [-800_000, 0, 300_000, -5_000_000, -50_000_000]) {
      const mark = m.mark;
      const preview = m.previewFillPrice(flow);
      expect(m.mark).toBe(mark);
      expect(m.applyFlow(flow)).toBe(preview);
    }
  });
});
