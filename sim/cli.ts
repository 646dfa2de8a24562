/**
 * The `levsim` command. Exit codes: 0 success, 1 a failed run or internal error, 2 bad input of any
 * kind (missing, unreadable or invalid file, bad option, unusable output folder), 3 a scenario
 * assertion failed, 130 / 143 a comparison interrupted by SIGINT / SIGTERM. Bad input never prints
 * a stack trace.
 */
import { Command, CommanderError } from 'commander';
import { SingleBar } from 'cli-progress';
import { existsSync, readFileSync, rmSync } from 'fs';
import { join, resolve } from 'path';
import { writeCompareReport } from '../reports/html/compare-report';
import { writeRunReport } from '../reports/html/run-report';
import { DataFileError } from '../reports/html/data';
import { performance } from 'perf_hooks';
import { writeFileAtomic } from '../reports/atomic';
import { junitXml, type JunitSuite } from '../reports/junit';
import { levsimVersion } from '../reports/manifest';
import { assertionTable, clearingTable, compareTable, summaryTable } from '../reports/terminal';
import { runClearingScenario } from './run/run-clearing';
import { comparePlan, finishComparison, planJobs, readPolicyRuns, type ComparePlan, type CompareResult } from './run/compare';
import { runProblem, runJobsPooled, runPlanPooled, runSlicePooled } from './run/pool';
import { optimize } from './run/optimize';
import { optimizeTable, writeOptimization } from '../reports/optimize';
import { writeOptimizeReport } from '../reports/html/optimize-report';
import { missingRuns, parseShard, sweepOrigin, type Shard } from './run/shard';
import type { QueuedSweep } from './run/queue-submit';
import { checkRedis, queueUrl } from './run/queue-config';
import { availableParallelism } from 'os';
import { assertionLabel, checkAssertions, type AssertionResult } from './run/assertions';
import { Interrupted, RunFailure } from './run/run-error';
import { checkOutputFile, OPTIMIZATION_FILES, prepareOutDir, removeStaleTemporaries } from './run/out-dir';
import { runScenario, stableJson } from './run/run-scenario';
import { BadInputError } from './scenario/errors';
import { loadScenario, type LoadedScenario } from './scenario/loader';
import { scenarioJsonSchema } from './scenario/schema';
import type { RunSummary } from './metrics/summary';
import type { ClearingSummary } from './metrics/clearing-summary';

/** Exit codes. */
export const EXIT = { ok: 0, internal: 1, badInput: 2, assertion: 3, sigint: 130, sigterm: 143 } as const;

/** Where a command writes: stdout and stderr, swappable in tests. */
export interface Io {
  out(s: string): void;
  err(s: string): void;
  /** True when progress bars may be drawn. */
  tty: boolean;
}

const processIo: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  tty: Boolean(process.stderr.isTTY),
};

/** A progress reporter that draws a bar (with ETA) only on a TTY, and only once a run has taken a second. */
function progress(io: Io, quiet: boolean, label: string): { update(done: number, total: number): void; stop(): void } {
  if (quiet || !io.tty) return { update() {}, stop() {} };
  const t0 = performance.now();
  let bar: SingleBar | undefined;
  return {
    update(done, total) {
      if (!bar) {
        if (performance.now() - t0 < 1000) return;
        bar = new SingleBar({ format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`, hideCursor: true, stream: process.stderr });
        bar.start(total, done);
      }
      bar.update(done);
    },
    stop() {
      bar?.stop();
    },
  };
}

/**
 * The distributed sweep's submitter and worker (BullMQ, ioredis), each loaded when a command uses
 * it: loaded with the command, they took ~0.2 s of every start-up (`levsim --help`: 0.67–0.92 →
 * 0.51–0.72 s), which is part of a sweep's serial part.
 */
const queueSubmit = (): typeof import('./run/queue-submit') => require('./run/queue-submit');
/** See {@link queueSubmit}. */
const queueWorker = (): typeof import('./run/queue-worker') => require('./run/queue-worker');

function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

function int(name: string) {
  return (v: string): number => {
    if (!/^-?\d+$/.test(v)) throw new BadInputError([{ file: `--${name}`, line: 0, col: 0, path: '', message: `expected a whole number, found ${JSON.stringify(v)}` }]);
    return Number(v);
  };
}

/**
 * Reads result file `name` of the output folder `dir` for `levsim report`: bad input (exit 2, the
 * file named) when it is not a JSON object with each of `lists` a list, as a damaged or hand-edited
 * file may not be; the report is built from it.
 */
function readResultFile(dir: string, name: string, lists: readonly string[]): object {
  const file = join(dir, name);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw BadInputError.of(file, `found no JSON (${e instanceof Error ? e.message : String(e)}); allowed: the ${name} levsim wrote`);
  }
  const bad = typeof value !== 'object' || value === null || Array.isArray(value) ? 'the file' : lists.find((k) => !Array.isArray((value as Record<string, unknown>)[k]));
  if (bad) throw BadInputError.of(file, `${bad === 'the file' ? 'found no object' : `found no list at ${bad}`}; allowed: the ${name} levsim wrote`);
  return value as object;
}

/**
 * Refuses a run folder without a readable manifest.json: a run writes it last, so a folder without
 * it is a run that did not finish (stopped by a failure elsewhere in its sweep, say) even when its
 * summary.json and CSVs are there.
 */
function finishedRun(abs: string, shown: string): void {
  if (!existsSync(join(abs, 'manifest.json'))) throw BadInputError.of(shown, 'incomplete run: no manifest.json; allowed: the folder of a finished run');
  readResultFile(abs, 'manifest.json', []);
}

/** Parses `--junit`: a file that can be written, checked before anything runs (out-dir.ts checkOutputFile). */
function junitFile(path: string): string {
  return checkOutputFile('--junit', resolve(path));
}

interface RunFlags { seed?: number; out?: string; ticks?: number; set: string[]; quiet?: boolean; junit?: string; workers?: number; resume?: boolean; force?: boolean; shard?: Shard; queue?: string }

/** Loads scenario `file` with the run's overrides (`--set`, `--ticks`, `--seed`). */
function loadForRun(file: string, flags: RunFlags): Promise<LoadedScenario> {
  return loadScenario(file, { sets: flags.set, ticks: flags.ticks, seed: flags.seed });
}

/** Runs one loaded scenario, prints its summary and assertions; returns the exit code. */
async function runOne(s: LoadedScenario, flags: RunFlags, io: Io, suites: JunitSuite[]): Promise<number> {
  const outDir = resolve(flags.out ?? `out/${s.config.name}`);
  if (flags.workers !== undefined && flags.workers < 1) throw BadInputError.of('--workers', `found ${flags.workers}; allowed: a whole number ≥ 1`);
  if (flags.resume && flags.force) throw BadInputError.of('--force', 'with --resume the folder\'s complete runs are kept, which --force would remove; allowed: --resume or --force, not both');
  const plan = comparePlan(s);
  if (s.config.optimize) {
    for (const f of ['queue', 'shard'] as const) if (flags[f]) throw BadInputError.of(`--${f}`, `the scenario is an optimisation; allowed: optimize: on the local pool, without --${f}`);
    prepareOutDir(outDir, { force: Boolean(flags.force), resume: Boolean(flags.resume) });
    return runOptimization(s, outDir, flags, io, suites);
  }
  if (flags.shard && !plan) throw BadInputError.of('--shard', 'the scenario is a single run; allowed: --shard with a scenario that has compare: or runs:');
  if (flags.queue && !plan) throw BadInputError.of('--queue', 'the scenario is a single run; allowed: --queue with a scenario that has compare: or runs:');
  if (flags.queue && flags.shard) throw BadInputError.of('--shard', 'a queued sweep is not sliced; allowed: --queue or --shard, not both');
  if (flags.shard && flags.force) throw BadInputError.of('--force', 'with --shard the folder holds the other slices\' runs, which --force would remove; allowed: --shard without --force (a slice reruns its own runs, or --resume keeps the complete ones)');
  // Redis is asked before the folder is made ready: with --force that empties it.
  if (flags.queue) await checkRedis(flags.queue);
  // A slice shares its folder with the other slices: their runs there are expected.
  prepareOutDir(outDir, { force: Boolean(flags.force), resume: Boolean(flags.resume) || flags.shard !== undefined });
  let checks: AssertionResult[];
  if (plan && flags.queue) {
    // Interrupting the submitter leaves the sweep's jobs on the queue: a resubmission reuses them.
    const bar = progress(io, Boolean(flags.quiet), `${s.config.name} runs (queue)`);
    let queued: QueuedSweep;
    try {
      queued = await queueSubmit().runPlanQueued(s, plan, outDir, { url: flags.queue, resume: Boolean(flags.resume), onRun: (d, t) => bar.update(d, t) });
    } finally {
      bar.stop();
    }
    if (!flags.quiet) {
      io.out(queued.details.length > 0
        ? `the runs' detail files (ticks.csv, …) are in the workers' folders: ${queued.details.join(', ')}\n`
        : "the runs' detail files (ticks.csv, …) were not written: only workers started with --out DIR write them; this folder has each run's summary.json and manifest.json\n");
    }
    checks = comparisonChecks(s, plan, outDir, queued.result, Boolean(flags.quiet), io);
  } else if (plan) {
    const bar = progress(io, Boolean(flags.quiet), `${s.config.name} runs`);
    const r = await interruptible(outDir, bar, io, async (signal) => {
      const o = {
        workers: flags.workers ?? availableParallelism(), resume: Boolean(flags.resume),
        sets: flags.set, ticks: flags.ticks, seed: flags.seed, onRun: (d: number, t: number) => bar.update(d, t), signal,
      };
      if (flags.shard) return { slice: await runSlicePooled(s, plan, outDir, flags.shard, o) };
      return { result: await runPlanPooled(s, plan, outDir, o) };
    });
    if ('code' in r) return r.code;
    if ('slice' in r.done) {
      if (!flags.quiet) io.out(`slice ${flags.shard!.index}/${flags.shard!.count}: ${r.done.slice} run(s) written into ${outDir}/runs/<policy>/<seed>/; \`levsim aggregate ${outDir}\` once every slice is done\n`);
      return EXIT.ok;
    }
    checks = comparisonChecks(s, plan, outDir, r.done.result, Boolean(flags.quiet), io);
  } else {
    // A single run: the impact market's, or the walrasian clearing mode's with its own table.
    const bar = progress(io, Boolean(flags.quiet), s.config.name);
    const onProgress = (d: number, t: number) => bar.update(d, t);
    let summary: RunSummary | ClearingSummary;
    try {
      summary = s.config.market.clearing === 'walrasian' ? runClearingScenario(s, { outDir, onProgress }).summary : runScenario(s, { outDir, onProgress }).summary;
    } finally {
      bar.stop();
    }
    if (!flags.quiet) {
      const table = 'clearing' in summary ? clearingTable(summary) : summaryTable(summary);
      io.out(`${table}\nwrote ${outDir}/${s.config.outputs.report && !('clearing' in summary) ? ' (open report.html in a browser)' : ''}\n`);
    }
    checks = checkAssertions(s.config.assert, [{ policy: summary.policy, seeds: [summary.seed], summaries: [summary] }]);
  }
  suites.push({ name: s.config.name, results: checks });
  if (checks.length > 0) io.out(`${assertionTable(checks)}\n`);
  return checks.every((c) => c.pass) ? EXIT.ok : EXIT.assertion;
}

/**
 * Runs pooled `work`, which SIGINT and SIGTERM abort through its signal: the pool's runs leave the
 * main thread free, so an interrupt stops the workers, then removes their temporary files. (A
 * single run holds the thread until it ends; a later run into the folder removes what it left.)
 * Returns what `work` resolved to, or the exit code of the interrupt.
 */
async function interruptible<T>(outDir: string, bar: { stop(): void }, io: Io, work: (signal: AbortSignal) => Promise<T>): Promise<{ done: T } | { code: number }> {
  const interrupt = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => interrupt.abort(sig);
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    return { done: await work(interrupt.signal) };
  } catch (e) {
    if (!(e instanceof Interrupted)) throw e;
    bar.stop();
    removeStaleTemporaries(outDir);
    io.err(`levsim: ${e.message}; complete runs are kept, --resume continues\n`);
    return { code: e.signal === 'SIGINT' ? EXIT.sigint : EXIT.sigterm };
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    bar.stop();
  }
}

/**
 * Runs the scenario's `optimize:` on the pool: optimize.json, the candidates' runs, a table, and
 * report.html (its frontiers) when `outputs.report` is on. Its JUnit suite is the constraints of
 * the best candidate, or when none met them, of the candidate with the highest objective in the
 * last round. Exit 3 when no candidate met the constraints.
 */
async function runOptimization(s: LoadedScenario, outDir: string, flags: RunFlags, io: Io, suites: JunitSuite[]): Promise<number> {
  // optimize.json and its report describe finished runs: gone until these finish.
  for (const f of OPTIMIZATION_FILES) rmSync(join(outDir, f), { force: true });
  const bar = progress(io, Boolean(flags.quiet), `${s.config.name} candidates`);
  let before = 0;
  const r = await interruptible(outDir, bar, io, (signal) => optimize(s, outDir, async (jobs) => {
    await runJobsPooled(s, jobs, {
      workers: flags.workers ?? availableParallelism(), resume: Boolean(flags.resume),
      sets: flags.set, ticks: flags.ticks, seed: flags.seed, onRun: (d: number) => bar.update(before + d, s.config.optimize!.budget), signal,
    });
    before += jobs.length;
  }));
  if ('code' in r) return r.code;
  const result = r.done;
  writeOptimization(result, outDir);
  if (s.config.outputs.report) writeOptimizeReport(outDir);
  if (!flags.quiet) io.out(`${optimizeTable(result)}\nwrote ${outDir}/optimize.json and runs/<candidate>/<seed>/\n`);
  const shown = result.best?.name ?? result.rounds.at(-1)!.candidates.map((name) => ({ name, e: result.candidates.find((c) => c.name === name)!.evaluations.at(-1)! }))
    .reduce((a, b) => ((b.e.objective.value ?? -Infinity) > (a.e.objective.value ?? -Infinity) ? b : a)).name;
  suites.push({ name: s.config.name, results: result.candidates.find((c) => c.name === shown)!.evaluations.at(-1)!.constraints.map((r) => ({ ...r, policy: shown })) });
  return result.best ? EXIT.ok : EXIT.assertion;
}

/** Prints a finished comparison's table (unless quiet) and checks the scenario's assertions over its runs. */
function comparisonChecks(s: LoadedScenario, plan: ComparePlan, outDir: string, result: CompareResult, quiet: boolean, io: Io): AssertionResult[] {
  if (!quiet) io.out(`${compareTable(result)}\nwrote ${outDir}/compare.json, compare.csv and runs/<policy>/<seed>/\n`);
  return checkAssertions(s.config.assert, plan.policies.map((p) => readPolicyRuns(plan, outDir, p.name)));
}

/**
 * `levsim aggregate DIR`: the comparison of a sweep run in slices, from the scenario and overrides
 * its runs' manifests record. Bad input (exit 2) when a run is missing or was made from another
 * version of the scenario; exit 3 when an assertion fails.
 */
async function aggregateSlices(dir: string, quiet: boolean, io: Io, suites: JunitSuite[]): Promise<number> {
  const outDir = resolve(dir);
  const origin = sweepOrigin(outDir);
  const s = await loadScenario(origin.scenario, { sets: origin.overrides });
  const plan = comparePlan(s);
  if (!plan) throw BadInputError.of(dir, `${origin.scenario} is a single run; allowed: the folder of a sweep (compare: or runs:)`);
  const missing = missingRuns(planJobs(plan, outDir), (j) => runProblem(s, j));
  if (missing.length > 0) {
    throw BadInputError.of(dir, `${missing.length} run(s) of ${planJobs(plan, outDir).length} missing, damaged or not of this scenario (${missing.slice(0, 5).join('; ')}${missing.length > 5 ? '; …' : ''}); allowed: a folder where every slice has finished (rerun the slices of these runs, with --resume)`);
  }
  const checks = comparisonChecks(s, plan, outDir, finishComparison(s, plan, outDir), quiet, io);
  suites.push({ name: s.config.name, results: checks });
  if (checks.length > 0) io.out(`${assertionTable(checks)}\n`);
  return checks.every((c) => c.pass) ? EXIT.ok : EXIT.assertion;
}

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('levsim')
    .description('Agent-based simulation of leveraged crypto-derivatives markets: leverage policies, liquidation cascades, systemic margin risk.')
    .version(levsimVersion(), '-v, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError();

  const runFlags = (c: Command) => c
    .option('--seed <n>', 'override the scenario seed', int('seed'))
    .option('--out <dir>', 'output folder (default out/<scenario name>/)')
    .option('--ticks <n>', 'override the number of ticks', int('ticks'))
    .option('--set <path=value>', 'override a scenario field, e.g. agents[0].count=100 (repeatable)', collect, [])
    .option('--quiet', 'print nothing but errors and assertion results')
    .option('--junit <file>', 'write assertion results as JUnit XML', junitFile)
    .option('--workers <n>', 'worker threads for comparisons and Monte Carlo (default: the number of cores)', int('workers'))
    .option('--resume', 'skip the runs of a comparison that already completed (checked against the scenario hash and seed)')
    .option('--force', "write into a folder that holds another run's files, removing levsim's files there first (nothing else)")
    .option('--queue <url>', 'submit a sweep to BullMQ on Redis (redis://host:port/db) and wait for `levsim worker` processes to run it', queueUrl)
    .option('--shard <I/N>', 'run only the I-th of N slices of a sweep (batch array jobs); `levsim aggregate` combines them', parseShard);

  runFlags(program.command('run <scenario>').description('run a scenario and write its outputs'))
    .action(async (file: string, flags: RunFlags) => {
      if (flags.junit && flags.out && resolve(flags.junit) === resolve(flags.out)) throw BadInputError.of('--junit', `${resolve(flags.junit)} is the --out folder; allowed: a file path outside it or in it`);
      const suites: JunitSuite[] = [];
      code = await runOne(await loadForRun(file, flags), flags, io, suites);
      if (flags.junit) writeFileAtomic(resolve(flags.junit), junitXml(suites));
    });

  runFlags(program.command('test <scenarios...>').description('run scenarios and check their assert: blocks (exit 3 on a failure)'))
    .action(async (files: string[], flags: RunFlags) => {
      // Every file is checked before any runs: bad input writes nothing, not half the outputs.
      const issues: BadInputError['issues'] = [];
      const outOf = (f: string) => (flags.out && files.length > 1 ? `${flags.out}/${f.replace(/.*\//, '').replace(/\.ya?ml$/, '')}` : flags.out);
      const folders = new Map<string, string>();
      const loaded: LoadedScenario[] = [];
      for (const f of files) {
        try {
          const s = await loadForRun(f, flags);
          loaded.push(s);
          // Two scenarios writing one folder: the second would be refused, or with --force replace
          // the first's outputs, once the first had run.
          const dir = resolve(outOf(f) ?? `out/${s.config.name}`);
          const other = folders.get(dir);
          if (other !== undefined) throw BadInputError.of(f, `writes into ${dir}, as ${other} does; allowed: scenarios with different names (or file names, with --out)`);
          folders.set(dir, f);
        } catch (e) {
          if (!(e instanceof BadInputError)) throw e;
          issues.push(...e.issues);
        }
      }
      if (issues.length > 0) throw new BadInputError(issues);
      const suites: JunitSuite[] = [];
      for (const [k, f] of files.entries()) {
        const c = await runOne(loaded[k]!, { ...flags, quiet: true, out: outOf(f) }, io, suites);
        code = Math.max(code, c);
        if (c === EXIT.sigint || c === EXIT.sigterm) return; // interrupted: run no further scenario
      }
      if (flags.junit) writeFileAtomic(resolve(flags.junit), junitXml(suites));
      const failed = suites.flatMap((s) => s.results.filter((r) => !r.pass).map((r) => `${s.name}: ${assertionLabel(r)}`));
      io.out(failed.length === 0 ? `all assertions passed (${suites.length} scenario(s))\n` : `assertions failed: ${failed.join(', ')}\n`);
    });

  program.command('worker').description('run the jobs of sweeps submitted with --queue, until SIGINT or SIGTERM')
    .requiredOption('--queue <url>', 'the Redis server of the queue (redis://host:port/db)', queueUrl)
    .option('--concurrency <n>', 'runs at a time (default: the number of cores)', int('concurrency'))
    .option('--out <dir>', "also write each run's detail files into DIR/runs/<policy>/<seed>/ (a folder shared with the submitter)")
    .action(async (flags: { queue: string; concurrency?: number; out?: string }) => {
      const concurrency = flags.concurrency ?? availableParallelism();
      if (concurrency < 1) throw BadInputError.of('--concurrency', `found ${concurrency}; allowed: a whole number ≥ 1`);
      await checkRedis(flags.queue);
      if (flags.out) prepareOutDir(resolve(flags.out), { force: false, resume: true });
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
      try {
        await queueWorker().runWorker({ url: flags.queue, concurrency, out: flags.out, log: (l) => io.out(`${l}\n`), signal: stop.signal });
      } finally {
        process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
      }
    });

  program.command('aggregate <dir>').description('build compare.json, compare.csv and the report of a sweep run in slices (--shard) from its runs')
    .option('--quiet', 'print nothing but errors and assertion results')
    .option('--junit <file>', 'write assertion results as JUnit XML', junitFile)
    .action(async (dir: string, flags: { quiet?: boolean; junit?: string }) => {
      const suites: JunitSuite[] = [];
      code = await aggregateSlices(dir, Boolean(flags.quiet), io, suites);
      if (flags.junit) writeFileAtomic(resolve(flags.junit), junitXml(suites));
    });

  program.command('validate <scenarios...>').description('check scenario files without running them')
    .action(async (files: string[]) => {
      const issues: BadInputError['issues'] = [];
      for (const f of files) {
        try {
          await loadScenario(f);
          io.out(`${f}: ok\n`);
        } catch (e) {
          if (!(e instanceof BadInputError)) throw e;
          issues.push(...e.issues);
        }
      }
      if (issues.length > 0) throw new BadInputError(issues);
    });

  program.command('report <dir>').description('rebuild report.html of a finished run, comparison or optimisation from its data files')
    .action((dir: string) => {
      const abs = resolve(dir);
      if (existsSync(join(abs, 'optimize.json'))) {
        readResultFile(abs, 'optimize.json', ['rounds', 'candidates', 'frontiers']);
        io.out(`wrote ${writeOptimizeReport(abs)}\n`);
        return;
      }
      const isCompare = existsSync(join(abs, 'compare.json'));
      if (!isCompare && !existsSync(join(abs, 'summary.json'))) {
        throw BadInputError.of(dir, 'not a levsim output folder: expected summary.json (a run) or compare.json (a comparison)');
      }
      if (isCompare) {
        const r = readResultFile(abs, 'compare.json', ['seeds', 'metrics', 'policies', 'paired']) as { seeds: unknown[]; policies: { name?: unknown }[] };
        // The report reads the first seed's run of each policy where its folder exists.
        for (const p of r.policies) {
          const run = join(abs, 'runs', String(p.name), String(r.seeds[0]));
          if (existsSync(run)) finishedRun(run, join(dir, 'runs', String(p.name), String(r.seeds[0])));
        }
      } else {
        const summary = readResultFile(abs, 'summary.json', []) as { clearing?: string };
        finishedRun(abs, dir);
        if (summary.clearing === 'walrasian') {
          throw BadInputError.of(dir, 'a walrasian run has no run report (its statistics are in summary.json); a walrasian comparison folder has one');
        }
      }
      try {
        io.out(`wrote ${isCompare ? writeCompareReport(abs) : writeRunReport(abs)}\n`);
      } catch (e) {
        // A data file that is not what levsim wrote: bad input naming it, before report.html is replaced.
        if (e instanceof DataFileError) throw new BadInputError([{ file: e.file, line: e.line, col: 1, path: '', message: e.message }]);
        throw e;
      }
    });

  program.command('schema').description('print the JSON Schema of scenario files (for editors)')
    .option('--out <file>', 'write it to a file instead of stdout')
    .action((flags: { out?: string }) => {
      const text = stableJson(scenarioJsonSchema());
      if (flags.out) writeFileAtomic(checkOutputFile('--out', resolve(flags.out)), text);
      else io.out(text);
    });

  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT.ok;
    }
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? EXIT.ok : EXIT.badInput;
    }
    if (e instanceof BadInputError) {
      io.err(`${e.message}\n`);
      return EXIT.badInput;
    }
    if (e instanceof RunFailure) {
      io.err(`levsim: run ${e.message}\n`);
      return EXIT.internal;
    }
    io.err(`levsim: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return EXIT.internal;
  }
}
