/**
 * Runs one scenario under one seed and policy, and writes its outputs: summary.json, ticks.csv,
 * cascades.csv, liquidations.csv (streamed to disk as the run goes), their Parquet twins when
 * `outputs.format` asks for them, and, last, manifest.json.
 * Every file is atomic; a failed run throws a {@link RunFailure} naming the module and tick, and
 * leaves no output files behind.
 */
import { join } from 'path';
import type { CascadeRecord } from '../engine/events';
import type { LeveragePolicy } from '../exchange/policies/types';
import type { CascadeEpisode } from '../metrics/episodes';
import { computeSummary, noLeverage, type RunSummary } from '../metrics/summary';
import { TickColumns } from '../metrics/tick-columns';
import { populationOutcomes } from '../metrics/populations';
import { fieldsOf } from '../metrics/reporters';
import { ContagionRecorder } from '../metrics/contagion';
import { UsageSnapshots } from '../metrics/usage';
import { WORLD_FIELDS } from '../world/summary';
import { anyOf, episodesOf, mergeCascades, multiAssetSummary } from './multi-summary';
import { MarketRecorder } from './market-recorder';
import { printWarningsOnce } from '../../reports/warnings';
import { readFileSync } from 'fs';
import type { LoadedScenario } from '../scenario/loader';
import { recordedFiles, recordFilesIn, writeFileAtomic } from '../../reports/atomic';
import { ticksCsv } from '../../reports/csv';
import { writeParquet } from '../../reports/parquet';
import { levsimVersion, now, OUTPUT_FORMAT, type Manifest } from '../../reports/manifest';
import { buildWorld, type PolicyChoice } from './build';
import { runFailure, runToEnd } from './run-error';
import { runVenues } from './run-venues';
import { writeRunReport } from '../../reports/html/run-report';
import { outputFormats, ticksTable } from '../../reports/parquet-tables';

/** Options of one run. */
export interface ScenarioRunOptions {
  outDir: string;
  /** Overrides the scenario's seed. */
  seed?: number;
  /**
   * Runs under this policy instead of the scenario's: an entry with its label (one instance is
   * built per market), or a ready instance (one-market scenarios only).
   */
  policy?: PolicyChoice | LeveragePolicy;
  /** Called every tick with (ticks done, total). */
  onProgress?: (done: number, total: number) => void;
  /** Write report.html (default: the scenario's outputs.report). */
  report?: boolean;
  /** The compared arm's name, recorded as the run's policy (summary and manifest) in place of the policy's label: a `compare.variants` arm. */
  arm?: string;
}

/** A finished run: its summary and what it collected, for reports and the terminal. */
export interface RunResult {
  summary: RunSummary;
  outDir: string;
  cols: TickColumns;
  cascades: CascadeRecord[];
  episodes: CascadeEpisode[];
}

/** JSON with non-finite numbers as null and stable 2-space layout. */
export function stableJson(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}

/**
 * The manifest of a finished run of `s` (written last: a folder with a manifest holds a complete
 * run), with the run's own fields `extra` (a run of several assets or venues names them) and the
 * files written into `outDir` so far (call it once they are all written, before the report).
 */
export function runManifest(
  s: LoadedScenario, outDir: string, seed: number, policy: string, startedAt: string, recorders: readonly MarketRecorder[], extra: Partial<Manifest>,
): Manifest {
  return {
    levsim: levsimVersion(), outputFormat: OUTPUT_FORMAT, scenario: s.file, scenarioSha256: s.sha256, overrides: s.overrides, seed,
    policy, startedAt, finishedAt: now(), node: process.version, files: recordedFiles(outDir), executedOrders: recorders.reduce((n, r) => n + r.executedOrders, 0),
    ...extra,
  };
}

/** The scenario as it ran: the file's text, with the command-line overrides noted at the top. */
export function scenarioEcho(s: LoadedScenario): string {
  const head = s.overrides.length > 0 ? `# overrides: ${s.overrides.join(' ')}\n` : '';
  const arm = s.variant ? `# variant ${s.variant.name}: ${s.variant.sets.join(' ') || '(no overrides)'}\n` : '';
  return head + arm + readFileSync(s.file, 'utf8');
}

/** Runs the scenario and writes its outputs into `outDir`. */
export function runScenario(s: LoadedScenario, o: ScenarioRunOptions): RunResult {
  const c = s.config;
  const seed = o.seed ?? c.seed;
  // From here every file committed into the folder is hashed for the manifest (runVenues' too).
  recordFilesIn(o.outDir);
  let world: ReturnType<typeof buildWorld>;
  try {
    world = buildWorld(s, { seed, policy: o.policy });
  } catch (e) {
    throw runFailure(e, -1, s);
  }
  if (world.multiVenue) return runVenues(s, o, world, seed);
  const { bus, exchange, market, venue } = world;
  const multi = world.markets.length > 1;
  const startedAt = now();
  const formats = outputFormats(c.outputs.format);
  // A report is written with or without ticks.csv (it shows what the data allows).
  const report = o.report ?? c.outputs.report;
  const recorders = world.markets.map((h) => new MarketRecorder(h, {
    ticks: c.ticks, outDir: o.outDir, suffix: multi ? `-${h.name}` : '', formats, liquidations: c.outputs.liquidations,
    withTicks: c.outputs.ticks, fields: multi ? fieldsOf('market') : undefined,
  }));
  // A world of several assets: the world's own ticks (ledger and totals), usage by margin mode, contagion.
  const worldCols = multi ? new TickColumns(c.ticks) : recorders[0]!.cols;
  if (multi) worldCols.collect(bus.tick$);
  const usage = multi ? new UsageSnapshots(venue, c.ticks) : null;
  const contagion = multi ? new ContagionRecorder(world.markets.map((h) => h.name), c.ticks, venue.modes, c.outputs.contagionWindowTicks) : null;
  for (const [m, h] of world.markets.entries()) {
    if (!multi) break;
    recorders[m]!.book.excluded = venue.managed;
    h.bus.liquidations$.subscribe((b) => contagion!.liquidation(m, b));
    h.bus.shock$.subscribe((e) => contagion!.shock(m, e));
  }
  bus.tick$.subscribe((t) => {
    usage?.sample(t.tick, t.tick === c.ticks - 1);
    o.onProgress?.(t.tick + 1, c.ticks);
  });
  runToEnd(world, s, () => { for (const r of recorders) r.abort(); });
  const names = c.agents.map((a) => a.name);
  const r0 = recorders[0]!;
  const warnings = world.markets.flatMap((h) => h.exchange.warnings.list().map((w) => (multi ? `${h.name}: ${w}` : w)));
  const cascades = multi ? mergeCascades(recorders.map((r) => r.cascades)) : r0.cascades;
  const episodes = multi ? episodesOf(cascades) : r0.episodes;
  const liquidated = multi ? anyOf(recorders.map((r) => r.liquidated)) : r0.liquidated;
  // A reduce, not a loop here: a loop over the accounts would make this once-a-run function hot
  // enough for V8's optimizing compiler (see computeSummary's maxOf).
  const liquidatedAccounts = liquidated.reduce((n, x) => n + x, 0);
  const base = computeSummary({
    scenario: c.name, policy: o.arm ?? exchange.policy.name, seed, agents: exchange.accounts.count - 1, cols: worldCols, cascades, episodes,
    liquidatedAccounts, liquidationEvents: recorders.reduce((n, r) => n + r.events, 0), insuranceFundStart: c.exchange.insuranceFund,
    // A world of several assets has no one exogenous path: its price fields are each market's.
    exogenousPath: multi ? new Float64Array(0) : r0.exoPath,
    // Likewise its leverage percentiles: each market's own (markets.<asset>.leverage), not the first market's.
    leverage: multi ? noLeverage() : r0.leverage(),
    populations: populationOutcomes(exchange, names, liquidated, market.markPrice, world.markets.slice(1).map((h) => ({ exchange: h.exchange, markPrice: h.market.markPrice }))),
    bankrupt: exchange.groups.bankrupt.reduce((s, x) => s + x, 0),
    warnings,
  });
  const summary: RunSummary = multi ? { ...base, ...multiAssetSummary(world, recorders, names, base.populations, usage!, contagion!, c.exchange.insuranceFund) } : base;
  printWarningsOnce(summary.warnings);
  for (const r of recorders) r.commit(report);
  if (multi && c.outputs.ticks && (formats.csv || report)) {
    writeFileAtomic(join(o.outDir, 'ticks.csv'), ticksCsv(worldCols, WORLD_FIELDS));
    writeFileAtomic(join(o.outDir, 'usage.csv'), usage!.csv());
  }
  if (multi && c.outputs.ticks && formats.parquet) writeParquet(join(o.outDir, 'ticks.parquet'), ticksTable(worldCols, WORLD_FIELDS));
  writeFileAtomic(join(o.outDir, 'scenario.yaml'), scenarioEcho(s));
  writeFileAtomic(join(o.outDir, 'summary.json'), stableJson(summary));
  const manifest = runManifest(s, o.outDir, seed, o.arm ?? world.exchange.policy.name, startedAt, recorders, multi ? { assets: world.markets.map((h) => h.name) } : {});
  if (report) writeRunReport(o.outDir);
  // Written last: a folder with a manifest holds a complete run.
  writeFileAtomic(join(o.outDir, 'manifest.json'), stableJson(manifest));
  return { summary, outDir: o.outDir, cols: worldCols, cascades, episodes };
}
