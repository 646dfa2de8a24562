/**
 * Systemic margin risk across venues (and, through their rows, protocols): each node's
 * liquidations, insurance-fund drawdown, ADL and bad debt tick by tick, and the measures of a
 * run as a whole:
 * - insolvent nodes: a venue whose insurance fund was exhausted or that wrote off bad debt (more
 *   than {@link BAD_DEBT_DUST} of what was deposited with it), a protocol with bad debt;
 * - total bad debt over every node;
 * - the largest cross-venue cascade: the most notional liquidated in one world cascade episode (a
 *   run of consecutive ticks with liquidations anywhere) that touched two nodes or more;
 * - the share of all liquidated notional outside the shocked node (when the scenario's shock is
 *   local to one node), and each node's first liquidation after the shock.
 */

import type { ContagionMatrix } from '../run/contagion-matrix';

/** Bad debt below this fraction of a node's deposits is rounding dust, not insolvency. */
export const BAD_DEBT_DUST = 1e-9;

/** One node's figures at one tick. */
export interface NodeTick {
  /** Notional liquidated this tick (quote). */
  liquidated: number;
  /** Insurance fund at the end of the tick (a protocol: 0). */
  insuranceFund: number;
  /** Bad debt written off, cumulative (quote). */
  badDebt: number;
  /** Notional auto-deleveraged this tick (quote). */
  adl: number;
  /** What was deposited with the node so far (quote): the scale of its dust. */
  deposits: number;
}

/** One node's section of summary.json. */
export interface NodeSummary {
  kind: 'venue' | 'protocol';
  liquidatedNotional: number;
  cascadeTicks: number;
  insuranceFund: { start: number; min: number; end: number; drawdown: number; exhausted: boolean };
  adlNotional: number;
  badDebt: number;
  /** First tick with a liquidation (null: none). */
  firstLiquidationTick: number | null;
  /** Ticks from the shock to the first liquidation at or after it (null: no shock, or none after). */
  firstLiquidationAfterShock: number | null;
  insolvent: boolean;
}

/** The run's systemic measures. */
export interface SystemicSummary {
  nodes: string[];
  insolvent: string[];
  insolventCount: number;
  totalBadDebt: number;
  largestCrossVenueCascade: number;
  /** The node the scenario's shock hit (null: the shock hit the shared index, or none). */
  shockedNode: string | null;
  shockTick: number | null;
  /** Liquidated notional outside the shocked node / all liquidated notional (null without a local shock or liquidations). */
  lossOutsideShare: number | null;
}

/** Per-tick figures of every node (venues first, then protocols), filled as the run goes. */
export class NodeTimeline {
  private readonly liq: Float64Array[];
  private readonly fund: Float64Array[];
  private readonly bad: Float64Array[];
  private readonly adl: Float64Array[];
  private readonly deposits: Float64Array[];
  length = 0;

  constructor(readonly nodes: readonly { name: string; kind: 'venue' | 'protocol'; fundStart: number }[], ticks: number) {
    const cols = () => nodes.map(() => new Float64Array(ticks));
    this.liq = cols();
    this.fund = cols();
    this.bad = cols();
    this.adl = cols();
    this.deposits = cols();
  }

  /** Records tick `t` (ticks arrive in order) from each node's figures, in node order. */
  push(t: number, figures: readonly NodeTick[]): void {
    figures.forEach((f, n) => {
      this.liq[n]![t] = f.liquidated;
      this.fund[n]![t] = f.insuranceFund;
      this.bad[n]![t] = f.badDebt;
      this.adl[n]![t] = f.adl;
      this.deposits[n]![t] = f.deposits;
    });
    this.length = t + 1;
  }

  /** Liquidated notional of node `n` at each tick so far. */
  liquidated(n: number): Float64Array {
    return this.liq[n]!.subarray(0, this.length);
  }

  /** Each node's section and the systemic measures; `shock` names the node and tick of a local shock. */
  summary(shock: { node: number; tick: number } | null): { nodes: Record<string, NodeSummary>; systemic: SystemicSummary } {
    const T = this.length;
    const out: Record<string, NodeSummary> = {};
    const insolvent: string[] = [];
    let totalBad = 0, all = 0, outside = 0;
    this.nodes.forEach((node, n) => {
      const liq = this.liq[n]!, fund = this.fund[n]!;
      let sum = 0, ticks = 0, first = -1, afterShock = -1, min = node.fundStart, adl = 0;
      for (let t = 0; t < T; t++) {
        const x = liq[t]!;
        if (x > 0) {
          sum += x;
          ticks++;
          if (first < 0) first = t;
          if (shock && afterShock < 0 && t >= shock.tick) afterShock = t - shock.tick;
        }
        min = Math.min(min, fund[t]!);
        adl += this.adl[n]![t]!;
      }
      const end = T > 0 ? fund[T - 1]! : node.fundStart;
      const bad = T > 0 ? this.bad[n]![T - 1]! : 0;
      const dep = T > 0 ? this.deposits[n]![T - 1]! : 0;
      // A venue with no fund to begin with has none to exhaust: it is insolvent only through bad debt.
      const exhausted = node.kind === 'venue' && node.fundStart > 0 && min <= BAD_DEBT_DUST * node.fundStart;
      const isInsolvent = exhausted || bad > BAD_DEBT_DUST * Math.max(1, dep);
      if (isInsolvent) insolvent.push(node.name);
      totalBad += bad;
      all += sum;
      if (shock && n !== shock.node) outside += sum;
      out[node.name] = {
        kind: node.kind, liquidatedNotional: sum, cascadeTicks: ticks,
        insuranceFund: { start: node.fundStart, min, end, drawdown: node.fundStart - min, exhausted },
        adlNotional: adl, badDebt: bad, firstLiquidationTick: first >= 0 ? first : null,
        firstLiquidationAfterShock: afterShock >= 0 ? afterShock : null, insolvent: isInsolvent,
      };
    });
    return {
      nodes: out,
      systemic: {
        nodes: this.nodes.map((x) => x.name), insolvent, insolventCount: insolvent.length, totalBadDebt: totalBad,
        largestCrossVenueCascade: this.largestCrossCascade(),
        shockedNode: shock ? this.nodes[shock.node]!.name : null, shockTick: shock ? shock.tick : null,
        lossOutsideShare: shock && all > 0 ? outside / all : null,
      },
    };
  }

  /** The most notional liquidated in one world cascade episode that touched two nodes or more. */
  private largestCrossCascade(): number {
    let best = 0, cur = 0, touched = 0;
    const seen = new Uint8Array(this.nodes.length);
    const close = () => {
      if (touched >= 2) best = Math.max(best, cur);
      cur = 0;
      touched = 0;
      seen.fill(0);
    };
    for (let t = 0; t < this.length; t++) {
      let any = false;
      for (let n = 0; n < this.nodes.length; n++) {
        const x = this.liq[n]![t]!;
        if (x <= 0) continue;
        any = true;
        cur += x;
        if (!seen[n]) {
          seen[n] = 1;
          touched++;
        }
      }
      if (!any) close();
    }
    close();
    return best;
  }

  /** The timeline as CSV, one row per tick and node: tick,node,kind,liquidatedNotional,insuranceFund,badDebt,adlNotional. */
  csv(): string {
    const rows = ['tick,node,kind,liquidatedNotional,insuranceFund,badDebt,adlNotional'];
    for (let t = 0; t < this.length; t++) {
      this.nodes.forEach((node, n) => rows.push(`${t},${node.name},${node.kind},${this.liq[n]![t]},${this.fund[n]![t]},${this.bad[n]![t]},${this.adl[n]![t]}`));
    }
    return rows.join('\n') + '\n';
  }
}

/** The sections a run of several venues adds to summary.json. */
export interface VenueSections {
  /** Venue names, in order. */
  venues: string[];
  /** Each venue's (and protocol's) liquidations, fund, ADL, bad debt, first liquidation and solvency. */
  nodes: Record<string, NodeSummary>;
  systemic: SystemicSummary;
  /** Each lending protocol's liquidations over the run and its ledger check. */
  protocols: Record<string, ProtocolSummary>;
  /** Largest |units residual| of any asset over the ticks, relative to the units that entered the world (≈ 0: units are conserved). */
  unitsMaxRelativeResidual: number;
  /** With `outputs.contagionMatrix: true`: what a shock to each node causes on every node, links against links cut. */
  contagionMatrix?: ContagionMatrix;
}

/** One lending protocol's section of summary.json. */
export interface ProtocolSummary {
  liquidations: number;
  /** Quote repaid by liquidators. */
  repaid: number;
  /** Collateral seized, valued at the oracle prices of its round (quote). */
  seizedValue: number;
  /** Quote the liquidators got selling it on the spot market. */
  proceeds: number;
  badDebt: number;
  /** Debt outstanding and the pool's cash at the end (quote). */
  debtEnd: number;
  cashEnd: number;
  /** Largest |cash + Σ debt + bad debt − supplied| / supplied over the ticks. */
  maxRelativeResidual: number;
}
