import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FixedPolicy } from '../../sim/exchange/policies/fixed';
import { TieredPolicy } from '../../sim/exchange/policies/tiered';
import { PRESETS } from '../../sim/exchange/policies/presets';
import { AccountState } from '../../sim/exchange/accounts';
import { TICK_SUMMARY_FIELDS } from '../../sim/engine/events';
import { scripted } from '../../agents/scripted';
import { buildWorld } from '../helpers/world';

const agentArb = fc.record({
  side: fc.constantFrom(1 as const, -1 as const),
  leverage: fc.double({ min: 1, max: 120, noNaN: true }),
  collateral: fc.double({ min: 50, max: 500_000, noNaN: true }),
  openTick: fc.integer({ min: 0, max: 20 }),
  closeTick: fc.integer({ min: -1, max: 30 }),
});

const scenarioArb = fc.record({
  agents: fc.array(agentArb, { minLength: 2, maxLength: 80 }),
  shocks: fc.array(fc.record({ tick: fc.integer({ min: 1, max: 29 }), ret: fc.double({ min: -0.35, max: 0.35, noNaN: true }), overTicks: fc.integer({ min: 1, max: 4 }) }), { maxLength: 3 }),
  policy: fc.constantFrom('fixed-20', 'fixed-100', 'binance-btcusdt', 'bybit-btcusdt', 'hyperliquid-btc', 'dydx-large-cap'),
  mode: fc.constantFrom('full' as const, 'partial' as const, 'fraction' as const),
  partialTarget: fc.constantFrom('maintenance' as const, 'initial' as const),
  deficit: fc.constantFrom('adl' as const, 'socialized' as const, 'none' as const),
  insuranceFund: fc.constantFrom(0, 5_000, 1_000_000),
  depth: fc.double({ min: 50_000, max: 50_000_000, noNaN: true }),
  impact: fc.constantFrom('linear' as const, 'sqrt' as const),
  spillover: fc.double({ min: 0, max: 1, noNaN: true }),
  funding: fc.integer({ min: 0, max: 7 }),
  sigma: fc.double({ min: 0, max: 3, noNaN: true }),
  roundCap: fc.integer({ min: 1, max: 60 }),
  seed: fc.integer(),
});

function policyFor(name: string) {
  if (name === 'fixed-20') return new FixedPolicy(20, 0.025);
  if (name === 'fixed-100') return new FixedPolicy(100, 0.005);
  return new TieredPolicy(name, PRESETS[name]!.tiers);
}

describe('the money ledger and book invariants hold on random books, shocks and policies', () => {
  it('every tick: residual ≤ 1e-9 relative, Σ size = 0, all finite; liquidations only below MM; none left below MM', () => {
    let liquidatingRuns = 0;
    fc.assert(fc.property(scenarioArb, (sc) => {
      const w = buildWorld({
        seed: sc.seed,
        ticks: 30,
        policy: policyFor(sc.policy),
        populations: [scripted('book', sc.agents)],
        market: {
          process: { kind: 'gbm', mu: 0, sigma: sc.sigma },
          shocks: sc.shocks,
          liquidity: { depth: sc.depth, impact: sc.impact, elasticity: 0.7, referenceVol: 0.001, minDepthFraction: 0.1 },
          spillover: sc.spillover,
          funding: { intervalTicks: sc.funding, interest: 0.0001, band: 0.0005, cap: 0.0075 },
        },
        exchange: {
          insuranceFund: sc.insuranceFund,
          deficit: sc.deficit,
          backstopCollateral: 1e8,
          liquidation: { mode: sc.mode, partialTarget: sc.partialTarget, roundCap: sc.roundCap, cooldownTicks: 2 } as never,
        },
      });
      const ex = w.exchange;
      const a = ex.accounts;
      let liquidated = 0;
      // Violations are collected, not thrown: an error thrown inside an RxJS subscriber is reported
      // asynchronously, where fast-check could not see it or shrink the case.
      const bad: string[] = [];
      w.bus.liquidations$.subscribe((b) => {
        liquidated += b.accounts.length;
        for (let n = 0; n < b.accounts.length; n++) {
          if (!(b.equity[n]! < b.maintenance[n]!)) bad.push(`tick ${b.tick}: account ${b.accounts[n]} liquidated above maintenance`);
        }
      });
      w.simulation.run().subscribe((s) => {
        for (const f of TICK_SUMMARY_FIELDS) if (!Number.isFinite(s[f])) bad.push(`tick ${s.tick}: ${f} = ${s[f]}`);
        const rel = s.relativeResidual;
        if (!(rel <= 1e-9)) bad.push(`tick ${s.tick}: relative residual ${rel}`);
        let net = 0, gross = 0;
        for (let i = 0; i < a.count; i++) {
          net += a.size[i]!;
          gross += Math.abs(a.size[i]!);
          if (!(Number.isFinite(a.collateral[i]!) && Number.isFinite(a.size[i]!) && Number.isFinite(a.entry[i]!))) bad.push(`tick ${s.tick}: account ${i} not finite`);
        }
        if (!(Math.abs(net) <= 1e-9 * Math.max(1, gross))) bad.push(`tick ${s.tick}: Σ size = ${net}`);
        for (let i = 1; i < a.count; i++) if (a.size[i] === 0 && a.collateral[i]! < -1e-6) bad.push(`tick ${s.tick}: account ${i} flat with collateral ${a.collateral[i]}`);
        let active = 0;
        for (let i = 0; i < a.count; i++) active += +(a.state[i] === AccountState.Active);
        if (s.activeAccounts !== active) bad.push(`tick ${s.tick}: activeAccounts ${s.activeAccounts}, state column says ${active}`);
        if (s.roundCapHit === 0) {
          for (let i = 0; i < a.count; i++) {
            if (a.state[i] === AccountState.House || a.size[i] === 0) continue;
            const cooling = sc.mode === 'fraction' && s.tick - a.lastLiqTick[i]! < 2;
            if (!cooling && ex.isBelowMaintenance(i, s.mark)) bad.push(`tick ${s.tick}: account ${i} left below maintenance`);
          }
        }
      });
      expect(bad.slice(0, 5)).toEqual([]);
      if (liquidated > 0) liquidatingRuns++;
    }), { numRuns: 300, seed: 424242 });
    expect(liquidatingRuns).toBeGreaterThan(100);
  });
});
