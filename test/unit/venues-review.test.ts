/**
 * Defects a review found in the world of venues (each test failed before its fix): the links-cut
 * world must hold the same money and trade on no venue's book, venues must not share random
 * streams, and token prices must be current when a venue checks margin.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../sim/scenario/loader';
import { buildWorld } from '../../sim/run/build';
import { nodeTotals, shockOnNode, templateShock } from '../../sim/run/contagion-matrix';
import { runToEnd } from '../../sim/run/run-error';

const DIR = 'test/fixtures/venues/review';

describe('the world with every link cut', () => {
  it('holds the same money as the linked world when populations share a reserve wallet', async () => {
    const s = await loadScenario(`${DIR}/reserve.yaml`);
    const linked = buildWorld(s).multiVenue!;
    const cut = buildWorld(s, { cutLinks: true }).multiVenue!;
    expect(cut.wallets.quoteDeposits).toBeCloseTo(linked.wallets.quoteDeposits, 9);
    expect(cut.wallets.quoteDeposits).toBeGreaterThan(0);
  });

  it('a protocol trades on no venue\'s book: the venue\'s token spot market stays at its index', async () => {
    const s = await loadScenario(`${DIR}/leak.yaml`);
    const w = buildWorld(s, { cutLinks: true });
    const mv = w.multiVenue!;
    let worst = 0;
    w.bus.tick$.subscribe(() => {
      const m = mv.spot.get(0, 1).market;
      worst = Math.max(worst, Math.abs(m.mark / m.index - 1));
    });
    runToEnd(w, s);
    expect(mv.protocols[0]!.pool.totals.seizedValue).toBeGreaterThan(0); // the protocol did sell
    expect(worst).toBeLessThan(1e-12);
  });
});

describe('venues draw from their own random streams', () => {
  it('a liquidation module\'s draws on one venue do not shift another\'s, links cut', async () => {
    const s = await loadScenario(`${DIR}/crn.yaml`);
    const shock = templateShock(s.config)!;
    // b alone shocked, against a and b both shocked: b's liquidations must not depend on a's.
    const onB = { ...s, config: shockOnNode(s.config, shock, 1) };
    const both = { ...s, config: { ...onB.config, venues: onB.config.venues!.map((v, k) => (k === 0 ? { ...v, shocks: s.config.venues![0]!.shocks } : v)) } };
    const x = nodeTotals(onB, 4, undefined, true), y = nodeTotals(both, 4, undefined, true);
    expect(y.liquidated[0]).toBeGreaterThan(x.liquidated[0]!); // a's shock does liquidate on a
    expect(y.liquidated[1]).toBe(x.liquidated[1]);
  });
});

describe('token prices during a tick', () => {
  it('a venue checks margin at the token price after a protocol\'s sales moved its book', async () => {
    const s = await loadScenario(`${DIR}/leak.yaml`);
    const w = buildWorld(s);
    const mv = w.multiVenue!;
    let stale = 0;
    w.bus.tick$.subscribe(() => {
      const tc = mv.venues[0]!.venue.tokens!;
      stale = Math.max(stale, Math.abs(tc.markets[0]!.price() / tc.price(0) - 1));
    });
    runToEnd(w, s);
    expect(stale).toBeLessThan(1e-12);
  });
});

describe('token holders and insolvency', () => {
  it('cross accounts holding most of their collateral in a token open positions on their whole equity', async () => {
    const s = await loadScenario(`${DIR}/tokens.yaml`);
    const w = buildWorld(s);
    // Before any tick: the seeded book of alpha's cross crowd (share 0.95 of 5,000 in USDe, 30–50x).
    const ex = w.multiVenue!.venues[0]!.markets[0]!.exchange;
    let notional = 0;
    for (let i = 1; i <= 100; i++) notional += Math.abs(ex.accounts.size[i]!) * ex.market.mark;
    // About 80 open at ~40 × 5,000 = 200,000 each: 16M, not 40 × 250 of quote each (0.8M).
    expect(notional).toBeGreaterThan(10e6);
  });

  it('a venue that starts with no insurance fund is not insolvent for that alone', async () => {
    const { NodeTimeline } = await import('../../sim/metrics/systemic');
    const t = new NodeTimeline([{ name: 'a', kind: 'venue', fundStart: 0 }], 3);
    for (let k = 0; k < 3; k++) t.push(k, [{ liquidated: 0, insuranceFund: 0, badDebt: 0, adl: 0, deposits: 1000 }]);
    const s = t.summary(null);
    expect(s.nodes.a!.insolvent).toBe(false);
    expect(s.systemic.insolventCount).toBe(0);
  });
});

describe('a shock injected into a world of venues', () => {
  it('moves the traded assets and leaves a token alone', async () => {
    const { of } = await import('rxjs');
    const s = await loadScenario(`${DIR}/tokens.yaml`);
    const w = buildWorld(s);
    const [btc, usde] = w.multiVenue!.indices;
    let seen = { btc: 0, usde: 0 };
    w.bus.tick$.subscribe((t) => { if (t.tick === 3) seen = { btc: btc!.lastExternal, usde: usde!.lastExternal }; });
    let err: unknown;
    w.simulation.run({ shocks: of({ tick: 3, ret: -0.2 }) }).subscribe({ error: (e: unknown) => (err = e) });
    expect(err).toBeUndefined();
    expect(seen.btc).toBeCloseTo(Math.log(0.8), 12);
    expect(seen.usde).toBe(0);
  });
});

describe('the portfolio model of a venue', () => {
  it('takes the correlation of the assets it lists, in its listing order', async () => {
    const { simulationOptions } = await import('../../sim/run/build');
    const s = await loadScenario(`${DIR}/subset.yaml`);
    const { options } = simulationOptions(s);
    expect(options.venues![0]!.margin!.correlation).toEqual([[1, 0.5], [0.5, 1]]);
    const w = buildWorld(s);
    runToEnd(w, s);
    expect(w.multiVenue!.venues[0]!.venue.margin.scan).not.toBeNull();
  });
});
