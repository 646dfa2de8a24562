import { it } from 'vitest';
import { basket, venueWorld } from './helpers/venue';
it('dbg', () => {
  const w = venueWorld({
    assets: [
      { name: 'A', market: { startPrice: 100, shocks: [{ tick: 10, ret: -0.2, overTicks: 1 }] } },
      { name: 'B', market: { startPrice: 1000 } },
    ],
    populations: [basket('c', 'cross', [{ collateral: 1000, notionals: [15000, 5000], openTick: 3 }]), basket('p', 'portfolio', [{ collateral: 1000, notionals: [3000, 1000], openTick: 3 }])],
    margin: { scan: [{ kind: 'fixed', range: 0.08 }, { kind: 'fixed', range: 0.08 }], initialFactor: 1.5 },
    ticks: 14,
  });
  w.bus.tick$.subscribe((t) => {
    for (const i of [1, 2]) console.log(t.tick, i, w.markets.map((h) => h.exchange.accounts.size[i]!.toFixed(3)), w.venue.equity(i).toFixed(1), w.venue.requirement(i, 'maintenance').toFixed(1), w.markets[0]!.exchange.accounts.state[i], t.liquidations);
  });
  w.simulation.run().subscribe({ error: (e: unknown) => console.log(e) });
});
