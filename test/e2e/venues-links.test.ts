/**
 * Issue 13, "Done when": with every link cut (no spillover into the index, arbitrageurs idle, no
 * shared wallet, every oracle on the index: sim/run/venue-world.ts `cutLinks`), a shock to one node
 * causes nothing on any other. test/fixtures/venues/linked.yaml ties three venues and a lending pool
 * by every kind of link. We run it with only one shock (venue alpha's ETH perpetual move, or the
 * pool's oracle shock) and with no shock, both cut, same seed (common random numbers), and compare
 * every other node tick by tick: each venue's summary (every field), its liquidation events, and the
 * pool's state. The same pair of runs with the links in place must differ on some other node, or
 * the fixture's links would be decorative and the cut test would prove nothing.
 */
import { describe, expect, it } from 'vitest';
import { buildWorld } from '../../sim/run/build';
import { loadScenario, type LoadedScenario } from '../../sim/scenario/loader';
import type { ScenarioConfig } from '../../sim/scenario/schema';
import { worldViolations } from '../helpers/venue-scenarios';

const FIXTURE = 'test/fixtures/venues/linked.yaml';

/** Per node (venues in order, then protocols), everything observable tick by tick, as plain data. */
type Trace = unknown[][];

/**
 * The scenario with only the shocks `keep` selects: alpha's local shock (on the markets `market`
 * names: its perpetual, or its perpetual and spot markets), the pool's oracle shock, or none.
 */
function only(c: ScenarioConfig, keep: 'venue' | 'oracle' | 'none', market: 'perp' | 'both' = 'perp'): ScenarioConfig {
  return {
    ...c,
    venues: c.venues!.map((v, k) => ({ ...v, shocks: keep === 'venue' && k === 0 ? v.shocks.map((sh) => ({ ...sh, market })) : [] })),
    protocols: c.protocols.map((p) => ({ ...p, shocks: keep === 'oracle' ? p.shocks : [] })),
  };
}

/** Runs `config` (cut or linked) and records each node's trace; also checks the ledgers every tick. */
function trace(s: LoadedScenario, config: ScenarioConfig, cutLinks: boolean): Trace {
  const world = buildWorld({ ...s, config }, cutLinks ? { cutLinks: true } : {});
  const w = world.multiVenue!;
  const nodes: Trace = [...w.venues.map(() => []), ...w.protocols.map(() => [])];
  // Liquidation events of each venue's markets, as they happen (accounts, sizes, prices).
  w.venues.forEach((vh, v) => vh.markets.forEach((h) => h.bus.liquidations$.subscribe((e) => nodes[v]!.push({ market: h.name, liquidation: structuredClone(e) }))));
  const problems: string[] = [];
  world.bus.tick$.subscribe((summary) => {
    problems.push(...worldViolations(w, summary));
    w.lastVenueSummaries.forEach((vs, v) => nodes[v]!.push({ ...vs }));
    w.protocols.forEach((p, k) => nodes[w.venues.length + k]!.push({
      tick: { ...p.tick, seizedUnits: [...p.tick.seizedUnits] }, debt: [...p.pool.debt], units: p.pool.units.map((u) => [...u]),
      cash: p.pool.cash, badDebt: p.pool.badDebt, prices: [...p.prices],
    }));
  });
  let failure: unknown;
  world.simulation.run().subscribe({ error: (e: unknown) => (failure = e) });
  if (failure) throw failure;
  expect(problems).toEqual([]);
  return nodes;
}

/** Names of the nodes whose traces differ between `a` and `b`. */
function differing(a: Trace, b: Trace, names: readonly string[]): string[] {
  return names.filter((_, k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

/** Σ liquidations over a venue trace's summaries. */
const liquidations = (t: unknown[]): number => t.reduce<number>((n, x) => n + ((x as { liquidations?: number }).liquidations ?? 0), 0);

describe('with every link cut, a shock to one node changes no other', async () => {
  const s = await loadScenario(FIXTURE);
  const c = s.config;
  const names = [...c.venues!.map((v) => v.name), ...c.protocols.map((p) => p.name)];
  const none = { cut: trace(s, only(c, 'none'), true), linked: trace(s, only(c, 'none'), false) };

  for (const market of ['perp', 'both'] as const) {
    it(`a local shock on alpha's ETH ${market === 'perp' ? 'perpetual' : 'perpetual and spot'}: beta, gamma and the pool are identical tick by tick to the run without it`, () => {
      const cut = trace(s, only(c, 'venue', market), true);
      // The shock does something where it lands: more liquidations on alpha.
      expect(liquidations(cut[0]!)).toBeGreaterThan(liquidations(none.cut[0]!));
      expect(differing(cut, none.cut, names)).toEqual(['alpha']);
      // Deep equality, field by field, for the record of what "identical" means here.
      for (let k = 1; k < names.length; k++) expect(cut[k]).toEqual(none.cut[k]);
      // With the links in place the same shock reaches some other node.
      const linked = trace(s, only(c, 'venue', market), false);
      expect(differing(linked, none.linked, names).filter((n) => n !== 'alpha').length).toBeGreaterThan(0);
    });
  }

  it('an oracle shock on the pool: every venue is identical tick by tick to the run without it', () => {
    const cut = trace(s, only(c, 'oracle'), true);
    const pool = names.length - 1;
    // The oracle shock liquidates loans the run without it does not.
    expect(JSON.stringify(cut[pool])).not.toBe(JSON.stringify(none.cut[pool]));
    expect(differing(cut, none.cut, names)).toEqual(['pool']);
    const linked = trace(s, only(c, 'oracle'), false);
    expect(differing(linked, none.linked, names).filter((n) => n !== 'pool').length).toBeGreaterThan(0);
  });
});
