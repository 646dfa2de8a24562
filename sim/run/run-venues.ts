/**
 * Runs a scenario of several venues and writes its outputs: the world's ticks.csv (every venue's
 * ledger terms summed, with the money outside the venues closing the world's identity),
 * ticks-<venue>.csv (each venue's totals and ledger), the per-market files of every venue
 * (ticks-/cascades-/liquidations-/book-/liqmap-<venue>-<asset>.csv), nodes.csv (each venue's and
 * protocol's liquidations, insurance fund, bad debt and ADL per tick), summary.json with a section
 * per venue and the systemic measures, report.html when asked, and the manifest last.
 */
import { join } from 'path';
import { computeSummary, noLeverage, type RunSummary } from '../metrics/summary';
import { TickColumns } from '../metrics/tick-columns';
import { combineVenueOutcomes, populationOutcomes, type PopulationOutcome } from '../metrics/populations';
import { fieldsOf } from '../metrics/reporters';
import { NodeTimeline, type VenueSections } from '../metrics/systemic';
import { WORLD_FIELDS } from '../world/summary';
import { anyOf, episodesOf, mergeCascades } from './multi-summary';
import { MarketRecorder } from './market-recorder';
import { printWarningsOnce } from '../../reports/warnings';
import type { LoadedScenario } from '../scenario/loader';
import { writeFileAtomic } from '../../reports/atomic';
import { ticksCsv } from '../../reports/csv';
import { now } from '../../reports/manifest';
import { outputFormats, ticksTable } from '../../reports/parquet-tables';
import { writeParquet } from '../../reports/parquet';
import { writeRunReport } from '../../reports/html/run-report';
import { runToEnd } from './run-error';
import { ProtocolRecorder } from './protocol-recorder';
import { SpotRecorder } from './spot-recorder';
import { contagionCsv, contagionMatrix, nodeShocks, type NodeShock } from './contagion-matrix';
import type { World } from './world';
import type { VenueWorld } from './venue-world';
import type { RunResult, ScenarioRunOptions } from './run-scenario';
import { runManifest, scenarioEcho, stableJson } from './run-scenario';

/** Runs a built world of venues; the caller has built `world` from `s` under `seed`. */
export function runVenues(s: LoadedScenario, o: ScenarioRunOptions, world: World, seed: number): RunResult {
  const c = s.config;
  const w = world.multiVenue!;
  const startedAt = now();
  const formats = outputFormats(c.outputs.format);
  const report = o.report ?? c.outputs.report;
  const recorders = world.markets.map((h) => new MarketRecorder(h, {
    ticks: c.ticks, outDir: o.outDir, suffix: `-${h.name}`, formats, liquidations: c.outputs.liquidations,
    withTicks: c.outputs.ticks, fields: fieldsOf('market'),
  }));
  // A venue's cross and portfolio accounts are its venue's, not one market's.
  let m = 0;
  for (const vh of w.venues) for (let k = 0; k < vh.markets.length; k++) recorders[m++]!.book.excluded = vh.venue.managed;
  const worldCols = new TickColumns(c.ticks);
  worldCols.collect(world.bus.tick$);
  const venueCols = w.venues.map(() => new TickColumns(c.ticks));
  const timeline = new NodeTimeline([
    ...w.venues.map((vh) => ({ name: vh.name, kind: 'venue' as const, fundStart: vh.venue.exchanges[0]!.insuranceFundStart })),
    ...w.protocols.map((p) => ({ name: p.name, kind: 'protocol' as const, fundStart: 0 })),
  ], c.ticks);
  const assetNames = c.assets!.map((a) => a.name);
  const protocolRows = w.protocols.map((p) => new ProtocolRecorder(p, assetNames));
  const spotRows = w.spot.markets.map((sm) => new SpotRecorder(sm));
  world.bus.tick$.subscribe((t) => {
    w.lastVenueSummaries.forEach((vs, v) => venueCols[v]!.push(vs));
    for (const r of protocolRows) r.sample(t.tick);
    for (const r of spotRows) r.sample(t.tick);
    timeline.push(t.tick, [
      ...w.lastVenueSummaries.map((vs, v) => ({
        liquidated: vs.liqLongNotional + vs.liqShortNotional, insuranceFund: vs.insuranceFund, badDebt: vs.badDebt,
        adl: vs.adlNotional, deposits: vs.deposits - w.venues[v]!.venue.treasury.houseDeposits,
      })),
      ...w.protocols.map((p) => ({ liquidated: p.tick.seizedValue, insuranceFund: 0, badDebt: p.pool.badDebt, adl: 0, deposits: p.pool.supplied })),
    ]);
    o.onProgress?.(t.tick + 1, c.ticks);
  });
  runToEnd(world, s, () => { for (const r of recorders) r.abort(); });
  const names = c.agents.map((a) => a.name);
  const warnings = world.markets.flatMap((h) => h.exchange.warnings.list().map((x) => `${h.name}: ${x}`));
  const cascades = mergeCascades(recorders.map((r) => r.cascades));
  const liquidated = anyOf(recorders.map((r) => r.liquidated));
  let liquidatedAccounts = 0;
  for (let i = 0; i < liquidated.length; i++) liquidatedAccounts += liquidated[i]!;
  const first = world.markets[0]!;
  const fundStart = w.venues.reduce((x, vh) => x + vh.venue.exchanges[0]!.insuranceFundStart, 0);
  const base = computeSummary({
    scenario: c.name, policy: o.arm ?? first.exchange.policy.name, seed, agents: first.exchange.accounts.count - 1, cols: worldCols, cascades,
    episodes: episodesOf(cascades), liquidatedAccounts, liquidationEvents: recorders.reduce((n, r) => n + r.events, 0),
    insuranceFundStart: fundStart, exogenousPath: new Float64Array(0),
    // Leverage percentiles are each market's (markets.<asset>.leverage): the world has none, not the first market's.
    leverage: recorders.length > 1 ? noLeverage() : recorders[0]!.leverage(),
    populations: venuePopulations(w, recorders, names, liquidated),
    bankrupt: w.venues.reduce((x, vh) => x + vh.venue.groups.bankrupt.reduce((a, b) => a + b, 0), 0),
    warnings,
  });
  const shock = localShock(s);
  const protocols = Object.fromEntries(w.protocols.map((p, k) => {
    const tot = p.pool.totals;
    return [p.name, {
      liquidations: tot.liquidations, repaid: tot.repaid, seizedValue: tot.seizedValue, proceeds: tot.proceeds, badDebt: p.pool.badDebt,
      debtEnd: p.pool.totalDebt(), cashEnd: p.pool.cash, maxRelativeResidual: protocolRows[k]!.maxRelativeResidual,
    }];
  }));
  const matrix = c.outputs.contagionMatrix ? contagionMatrix(s, seed, o.policy && 'spec' in o.policy ? o.policy : undefined) : null;
  const sections: VenueSections = { venues: w.venues.map((vh) => vh.name), ...timeline.summary(shock), protocols, unitsMaxRelativeResidual: w.ledgers.unitsMaxRelativeResidual, ...(matrix ? { contagionMatrix: matrix } : {}) };
  const summary: RunSummary = { ...base, ...sections };
  printWarningsOnce(summary.warnings);
  for (const r of recorders) r.commit(report);
  // As in a run of one venue: the tables as CSV when CSV is asked for or the report reads them.
  if (c.outputs.ticks && (formats.csv || report)) {
    writeFileAtomic(join(o.outDir, 'ticks.csv'), ticksCsv(worldCols, WORLD_FIELDS));
    w.venues.forEach((vh, v) => writeFileAtomic(join(o.outDir, `ticks-${vh.name}.csv`), ticksCsv(venueCols[v]!, WORLD_FIELDS)));
    writeFileAtomic(join(o.outDir, 'nodes.csv'), timeline.csv());
    w.protocols.forEach((p, k) => writeFileAtomic(join(o.outDir, `protocol-${p.name}.csv`), protocolRows[k]!.csv()));
    for (const r of spotRows) writeFileAtomic(join(o.outDir, `spot-${w.venues[r.s.venue]!.name}-${assetNames[r.s.asset]}.csv`), r.csv());
    if (matrix) writeFileAtomic(join(o.outDir, 'contagion.csv'), contagionCsv(matrix));
  }
  if (c.outputs.ticks && formats.parquet) {
    writeParquet(join(o.outDir, 'ticks.parquet'), ticksTable(worldCols, WORLD_FIELDS));
    w.venues.forEach((vh, v) => writeParquet(join(o.outDir, `ticks-${vh.name}.parquet`), ticksTable(venueCols[v]!, WORLD_FIELDS)));
  }
  writeFileAtomic(join(o.outDir, 'scenario.yaml'), scenarioEcho(s));
  writeFileAtomic(join(o.outDir, 'summary.json'), stableJson(summary));
  const manifest = runManifest(s, o.outDir, seed, o.arm ?? first.exchange.policy.name, startedAt, recorders, { assets: world.markets.map((h) => h.name), venues: sections.venues });
  // The report reads the data files above (not the manifest, which holds wall-clock times).
  if (report) writeRunReport(o.outDir);
  // Written last: a folder with a manifest holds a complete run.
  writeFileAtomic(join(o.outDir, 'manifest.json'), stableJson(manifest));
  return { summary, outDir: o.outDir, cols: worldCols, cascades, episodes: episodesOf(cascades) };
}

/**
 * Each population's outcome over every venue: each venue's own (its markets, its group ledger, its
 * liquidation flags, its tokens) summed, an account counted once (sim/metrics/populations.ts).
 */
function venuePopulations(w: VenueWorld, recorders: readonly MarketRecorder[], names: readonly string[], liquidated: Uint8Array): Record<string, PopulationOutcome> {
  let m = 0;
  const perVenue = w.venues.map((vh) => {
    const own = recorders.slice(m, m + vh.markets.length);
    m += vh.markets.length;
    const [h0, ...rest] = vh.markets;
    const tokens = vh.venue.tokens;
    return populationOutcomes(h0!.exchange, names, anyOf(own.map((r) => r.liquidated)), h0!.market.markPrice,
      rest.map((h) => ({ exchange: h.exchange, markPrice: h.market.markPrice })), tokens ? (i) => tokens.heldValue(i) : undefined);
  });
  const group = w.venues[0]!.markets[0]!.exchange.accounts.group;
  const anywhere = names.map(() => 0);
  for (let i = 0; i < liquidated.length; i++) if (liquidated[i] && group[i]! > 0) anywhere[group[i]! - 1]++;
  return combineVenueOutcomes(perVenue, names, anywhere);
}

/**
 * The first local shock of the scenario (a venue's own price move or flow, or a protocol's oracle shock):
 * its node number (venues first, then protocols) and tick; null when none.
 */
function localShock(s: LoadedScenario): { node: number; tick: number } | null {
  let best: NodeShock | null = null;
  for (const x of nodeShocks(s.config)) if (!best || x.tick < best.tick) best = x;
  return best ? { node: best.node, tick: best.tick } : null;
}
