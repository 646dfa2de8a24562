/**
 * The contagion matrix of a scenario of several venues and protocols (issue 13, "Contagion
 * metrics"): for a shock to node A (a venue or a protocol), the liquidated notional and bad debt
 * it causes on each node B, measured as
 *
 *     contagion[A][B] = figure_B(shock on A, every link) − figure_B(shock on A, every link cut)
 *
 * on the same seed (common random numbers: both runs draw the same index path and the same agent
 * decisions), so B's own noise cancels and what is left travelled through the links. Cutting every
 * link means: no market's impact spills into the index, populations that trade across venues stay
 * idle, and every oracle reads the index (sim/run/venue-world.ts `cutLinks`). The shock is the
 * scenario's first local shock (a venue's own price move, or a protocol's oracle shock), moved to
 * each node in turn: on a venue, a move of its markets of the shock's asset (of every perpetual
 * market when it lists none); on a protocol, an oracle shock of the same return.
 */
import type { LoadedScenario } from '../scenario/loader';
import type { ScenarioConfig } from '../scenario/schema';
import { buildWorld, type PolicyChoice } from './build';
import { runToEnd } from './run-error';

/** The template shock: tick, simple return, spread, and (venues) the asset and market kind it moves. */
export interface TemplateShock {
  tick: number;
  return: number;
  overTicks: number;
  asset?: string;
  market: 'perp' | 'spot' | 'both';
}

/** The shock a row of the matrix applied to its node: a venue's local move, or a protocol's oracle shock. */
export type RowShock =
  | { kind: 'venue'; tick: number; return: number; overTicks: number; market: 'perp' | 'spot' | 'both'; asset?: string }
  | { kind: 'oracle'; tick: number; return: number };

/** The matrix: rows the shocked node, columns the node affected, in node order (venues, then protocols). */
export interface ContagionMatrix {
  nodes: string[];
  /** The scenario's first local shock, which each row moves to its node. */
  shock: TemplateShock;
  /**
   * What each row applied: the same move where the node lists the shocked market; else (a venue
   * without it) the move on every perpetual market it lists, or (a protocol) an oracle shock of
   * the same return from the same tick, persistent. Rows are comparable only as far as these are.
   */
  rowShocks: RowShock[];
  /** Liquidated notional on B with the links minus with them cut (quote). */
  liquidated: number[][];
  /** Bad debt on B with the links minus with them cut (quote). */
  badDebt: number[][];
}

/** One local shock of a scenario: its node (venues first, then protocols), and the shock as written. */
export type NodeShock =
  | { node: number; tick: number; venue: NonNullable<ScenarioConfig['venues']>[number]['shocks'][number] }
  | { node: number; tick: number; oracle: ScenarioConfig['protocols'][number]['shocks'][number] };

/** Every local shock of the scenario: each venue's (moves and flows), then each protocol's oracle shocks. */
export function nodeShocks(c: ScenarioConfig): NodeShock[] {
  const venues = c.venues ?? [];
  return [
    ...venues.flatMap((v, n) => v.shocks.map((sh) => ({ node: n, tick: sh.tick, venue: sh }))),
    ...c.protocols.flatMap((p, n) => p.shocks.map((sh) => ({ node: venues.length + n, tick: sh.tick, oracle: sh }))),
  ];
}

/**
 * The scenario's first local shock that can be moved (null when it has none: the matrix then has
 * nothing to move). A flow shock is not moved (a protocol has no book for it).
 */
export function templateShock(c: ScenarioConfig): TemplateShock | null {
  let best: NodeShock | null = null;
  for (const x of nodeShocks(c)) if (!('venue' in x && x.venue.return === undefined) && (!best || x.tick < best.tick)) best = x;
  if (!best) return null;
  if ('oracle' in best) return { tick: best.tick, return: best.oracle.return, overTicks: 1, market: 'perp' };
  const sh = best.venue;
  return { tick: sh.tick, return: sh.return!, overTicks: sh.overTicks, ...(sh.asset ? { asset: sh.asset } : {}), market: sh.market };
}

/** The scenario with every local shock removed and `shock` put on node `node` (venues first, then protocols). */
export function shockOnNode(c: ScenarioConfig, shock: TemplateShock, node: number): ScenarioConfig {
  const venues = c.venues!.map((v) => ({ ...v, shocks: [] as typeof v.shocks }));
  const protocols = c.protocols.map((p) => ({ ...p, shocks: [] as typeof p.shocks }));
  if (node < venues.length) {
    const v = venues[node]!;
    const perps = v.markets ? v.markets.map((m) => m.asset) : c.assets!.filter((a) => !a.token).map((a) => a.name);
    const spots = v.spot.map((sp) => sp.asset);
    const has = (k: 'perp' | 'spot') => shock.asset !== undefined && (k === 'perp' ? perps : spots).includes(shock.asset);
    const lists = shock.market === 'both' ? has('perp') && has('spot') : has(shock.market);
    // A venue that does not list the shocked market takes the move on every perpetual market it lists.
    v.shocks = [lists
      ? { tick: shock.tick, return: shock.return, overTicks: shock.overTicks, market: shock.market, asset: shock.asset! }
      : { tick: shock.tick, return: shock.return, overTicks: shock.overTicks, market: 'perp' }];
  } else {
    protocols[node - venues.length]!.shocks = [{ tick: shock.tick, return: shock.return }];
  }
  return { ...c, venues, protocols };
}

/** Runs the world of `s` (under `seed`, `policy`, links cut or not) and returns each node's liquidated notional and final bad debt. */
export function nodeTotals(s: LoadedScenario, seed: number, policy: PolicyChoice | undefined, cutLinks: boolean): { liquidated: number[]; badDebt: number[] } {
  const world = buildWorld(s, { seed, ...(policy ? { policy } : {}), ...(cutLinks ? { cutLinks: true } : {}) });
  const w = world.multiVenue!;
  const n = w.venues.length + w.protocols.length;
  const liquidated = new Array<number>(n).fill(0);
  world.bus.tick$.subscribe(() => {
    w.lastVenueSummaries.forEach((vs, v) => { liquidated[v] += vs.liqLongNotional + vs.liqShortNotional; });
    w.protocols.forEach((p, k) => { liquidated[w.venues.length + k] += p.tick.seizedValue; });
  });
  runToEnd(world, s);
  const badDebt = [...w.lastVenueSummaries.map((vs) => vs.badDebt), ...w.protocols.map((p) => p.pool.badDebt)];
  return { liquidated, badDebt };
}

/** The contagion matrix of `s` under `seed` (2 runs per node); null when the scenario has no local shock. */
export function contagionMatrix(s: LoadedScenario, seed: number, policy?: PolicyChoice): ContagionMatrix | null {
  const c = s.config;
  const shock = templateShock(c);
  if (!shock) return null;
  const nodes = [...c.venues!.map((v) => v.name), ...c.protocols.map((p) => p.name)];
  const liquidated: number[][] = [];
  const badDebt: number[][] = [];
  const rowShocks: RowShock[] = [];
  const V = c.venues!.length;
  nodes.forEach((_, a) => {
    const variant: LoadedScenario = { ...s, config: shockOnNode(c, shock, a) };
    const vc = variant.config;
    const vs = vc.venues![a]?.shocks[0];
    rowShocks.push(a < V ? { kind: 'venue', tick: vs!.tick, return: vs!.return!, overTicks: vs!.overTicks, market: vs!.market, ...(vs!.asset ? { asset: vs!.asset } : {}) } : { kind: 'oracle', ...vc.protocols[a - V]!.shocks[0]! });
    const linked = nodeTotals(variant, seed, policy, false);
    const cut = nodeTotals(variant, seed, policy, true);
    liquidated.push(linked.liquidated.map((x, b) => x - cut.liquidated[b]!));
    badDebt.push(linked.badDebt.map((x, b) => x - cut.badDebt[b]!));
  });
  return { nodes, shock, rowShocks, liquidated, badDebt };
}

/** The matrix as CSV, one row per pair: from,to,liquidated,badDebt. */
export function contagionCsv(m: ContagionMatrix): string {
  const rows = ['from,to,liquidated,badDebt'];
  m.nodes.forEach((a, i) => m.nodes.forEach((b, j) => rows.push(`${a},${b},${m.liquidated[i]![j]},${m.badDebt[i]![j]}`)));
  return rows.join('\n') + '\n';
}
