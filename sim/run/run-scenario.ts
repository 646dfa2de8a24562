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
import { cascadeEpisodes, type CascadeEpisode } from '../metrics/episodes';
import { computeSummary, type RunSummary } from '../metrics/summary';
import { TickColumns } from '../metrics/tick-columns';
import { BookSnapshots, FOR_REPORT, SUMMARY_ONLY } from '../metrics/book-snapshots';
import { populationOutcomes } from '../metrics/populations';
import { printWarningsOnce } from '../../reports/warnings';
import { readFileSync } from 'fs';
import type { LoadedScenario } from '../scenario/loader';
import { AtomicWriter, writeFileAtomic } from '../../reports/atomic';
import { cascadesCsv, LIQUIDATION_HEADER, liquidationRows, ticksCsv } from '../../reports/csv';
import { levsimVersion, now, type Manifest } from '../../reports/manifest';
import { buildWorld, type PolicyChoice } from './build';
import { runFailure } from './run-error';
import { writeRunReport } from '../../reports/html/run-report';
import { LiquidationsParquet, outputFormats, writeRunParquet } from '../../reports/parquet-tables';

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

/** The scenario as it ran: the file's text, with the command-line overrides noted at the top. */
export function scenarioEcho(s: LoadedScenario): string {
  const head = s.overrides.length > 0 ? `# overrides: ${s.overrides.join(' ')}\n` : '';
  return head + readFileSync(s.file, 'utf8');
}

/** Runs the scenario and writes its outputs into `outDir`. */
export function runScenario(s: LoadedScenario, o: ScenarioRunOptions): RunResult {
  const c = s.config;
  const seed = o.seed ?? c.seed;
  let world: ReturnType<typeof buildWorld>;
  try {
    world = buildWorld(s, { seed, policy: o.policy });
  } catch (e) {
    throw runFailure(e, -1, s);
  }
  const { bus, exchange, market } = world;
  const startedAt = now();
  const cols = new TickColumns(c.ticks);
  cols.collect(bus.tick$);
  const cascades: CascadeRecord[] = [];
  const episodes: CascadeEpisode[] = [];
  bus.cascade$.subscribe((r) => cascades.push(r));
  bus.cascade$.pipe(cascadeEpisodes()).subscribe((e) => episodes.push(e));
  const liquidated = new Uint8Array(exchange.accounts.capacity);
  let events = 0;
  let executedOrders = 0;
  bus.fills$.subscribe((f) => { executedOrders += f.count; });
  const formats = outputFormats(c.outputs.format);
  // A report is written with or without ticks.csv (it shows what the data allows).
  const report = o.report ?? c.outputs.report;
  // The HTML reports read ticks, cascades, book and liqmap as CSV: written for a report whatever the format.
  const tablesCsv = formats.csv || report;
  const liqFile = c.outputs.liquidations && formats.csv ? new AtomicWriter(join(o.outDir, 'liquidations.csv')) : null;
  const liqParquet = c.outputs.liquidations && formats.parquet ? new LiquidationsParquet(o.outDir) : null;
  liqFile?.write(LIQUIDATION_HEADER);
  bus.liquidations$.subscribe((b) => {
    events += b.accounts.length;
    for (let n = 0; n < b.accounts.length; n++) liquidated[b.accounts[n]!] = 1;
    liqFile?.write(liquidationRows(b));
    liqParquet?.add(b);
  });
  const exoPath = new Float64Array(c.ticks);
  const start = market.p.startPrice; // the replay path's first price when replaying
  // Sampled whether or not the book files are written (summary.json's leverage percentiles use it),
  // but under a small budget when they are not.
  const book = new BookSnapshots(c.ticks, exchange.accounts.count, start, exchange.backstop, c.outputs.ticks ? FOR_REPORT : SUMMARY_ONLY);
  bus.tick$.subscribe((t) => {
    book.sample(t.tick, t.tick === c.ticks - 1, exchange.accounts, t.markPrice);
    exoPath[t.tick] = start * Math.exp(market.exogenousLogLevel);
    o.onProgress?.(t.tick + 1, c.ticks);
  });
  // The run reports its errors through the Observable: without this handler RxJS would rethrow them
  // later, after a summary of the ticks before had been written as if the run were complete.
  let failure: { error: unknown } | undefined;
  world.simulation.run().subscribe({ error: (error: unknown) => (failure = { error }) });
  if (failure) {
    liqFile?.abort();
    liqParquet?.abort();
    throw runFailure(failure.error, world.simulation.clock.tick, s);
  }
  let liquidatedAccounts = 0;
  for (let i = 0; i < liquidated.length; i++) liquidatedAccounts += liquidated[i]!;
  const summary = computeSummary({
    scenario: c.name, policy: exchange.policy.name, seed, agents: exchange.accounts.count - 1, cols, cascades, episodes,
    liquidatedAccounts, liquidationEvents: events, insuranceFundStart: c.exchange.insuranceFund,
    exogenousPath: exoPath,
    leverage: { p50: book.meanLeverage(50), p90: book.meanLeverage(90), p99: book.meanLeverage(99) },
    populations: populationOutcomes(exchange, c.agents.map((a) => a.name), liquidated, market.markPrice),
    bankrupt: exchange.groups.bankrupt.reduce((s, x) => s + x, 0),
    warnings: exchange.warnings.list(),
  });
  printWarningsOnce(summary.warnings);
  liqFile?.commit();
  liqParquet?.commit();
  if (c.outputs.ticks && tablesCsv) {
    writeFileAtomic(join(o.outDir, 'ticks.csv'), ticksCsv(cols));
    writeFileAtomic(join(o.outDir, 'book.csv'), book.leverageCsv());
    writeFileAtomic(join(o.outDir, 'liqmap.csv'), book.liqmapCsv());
  }
  if (tablesCsv) writeFileAtomic(join(o.outDir, 'cascades.csv'), cascadesCsv(cascades));
  if (formats.parquet) writeRunParquet(o.outDir, { cols, cascades, book, withTicks: c.outputs.ticks });
  writeFileAtomic(join(o.outDir, 'scenario.yaml'), scenarioEcho(s));
  writeFileAtomic(join(o.outDir, 'summary.json'), stableJson(summary));
  const manifest: Manifest = {
    levsim: levsimVersion(), scenario: s.file, scenarioSha256: s.sha256, overrides: s.overrides, seed,
    policy: world.exchange.policy.name, startedAt, finishedAt: now(), node: process.version, executedOrders,
  };
  if (report) writeRunReport(o.outDir);
  // Written last: a folder with a manifest holds a complete run.
  writeFileAtomic(join(o.outDir, 'manifest.json'), stableJson(manifest));
  return { summary, outDir: o.outDir, cols, cascades, episodes };
}
