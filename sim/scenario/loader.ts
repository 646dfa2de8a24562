/**
 * Loads a scenario: reads and locates (read.ts), applies `--set` overrides, validates against the
 * schema and each section's checker (checks/), and resolves modules (modules.ts). Every problem is
 * collected and reported at once with file:line:col (or `--set`), field path, what was found and
 * what is allowed.
 */
import { dirname } from 'path';
import type { StrategyDefinition } from '../../agents/strategy';
import type { LiquidationSizerFactory } from '../exchange/params';
import type { PolicyFactory } from '../run/policy-factory';
import { checkAgents } from './checks/agents';
import { checkAssert } from './checks/assert';
import { checkAssets } from './checks/assets';
import { checkVenues } from './checks/venues';
import { checkBounds } from './checks/bounds';
import { checkCompare } from './checks/compare';
import { checkOptimize } from './checks/optimize';
import { checkLiquidation } from './checks/liquidation';
import type { CheckContext } from './checks/context';
import { checkMarket } from './checks/market';
import { checkPolicies } from './checks/policies';
import { BadInputError } from './errors';
import { namedPaths, readNamedFiles, scenarioHash } from './files';
import { applyOverrides, locate, readScenarioText, type Override } from './read';
import { ScenarioSchema, type ScenarioConfig } from './schema';
import { flattenIssues, type FlatIssue } from './zod-issues';

/** A validated scenario, with everything resolved that the run needs. */
export interface LoadedScenario {
  config: ScenarioConfig;
  /** Absolute path of the file. */
  file: string;
  /** sha256 of the file's bytes and of every module and data file it names (overrides are recorded separately): see {@link scenarioHash}. */
  sha256: string;
  /** The modules and data files the scenario names, as written (relative to its folder, or absolute), sorted. */
  files: string[];
  /** `--set` overrides applied, as given. */
  overrides: string[];
  /** Strategy of each `agents[i]`. */
  strategies: StrategyDefinition[];
  /** Replay path prices, when the process is `replay`. */
  replayPrices?: Float64Array;
  /** Each asset's replay path prices (by asset number), for assets whose process is `replay`. */
  assetReplayPrices?: (Float64Array | undefined)[];
  /** Custom policy modules, by the path written in the scenario. */
  policyModules: ReadonlyMap<string, PolicyFactory>;
  /** The liquidation-sizing module of mode `module`, with its path as written. */
  liquidationModule?: { path: string; factory: LiquidationSizerFactory };
}

/** Reads and validates a scenario file. Throws {@link BadInputError} listing every problem. */
export async function loadScenario(fileArg: string, opts: { sets?: string[]; ticks?: number; seed?: number } = {}): Promise<LoadedScenario> {
  const t = readScenarioText(fileArg);
  const given: Override[] = (opts.sets ?? []).map((text) => ({ text, flag: '--set' }));
  if (opts.ticks !== undefined) given.push({ text: `ticks=${opts.ticks}`, flag: '--ticks' });
  if (opts.seed !== undefined) given.push({ text: `seed=${opts.seed}`, flag: '--seed' });
  const overrides = given.map((o) => o.text);
  const setPaths = applyOverrides(t.doc, given);

  const raw = t.doc.toJS() as Record<string, unknown>;
  const parsed = ScenarioSchema.safeParse(raw, { reportInput: true });
  const flat: FlatIssue[] = parsed.success ? [] : flattenIssues(parsed.error.issues, ScenarioSchema, raw);
  // Each section's checker runs on whatever of its section parses, even when another section does
  // not, so one pass reports every problem.
  const ctx: CheckContext = { raw, dir: dirname(t.file), ticks: typeof raw.ticks === 'number' && Number.isInteger(raw.ticks) && raw.ticks > 0 ? raw.ticks : undefined };
  const market = checkMarket(ctx);
  const assets = checkAssets(ctx);
  const policies = await checkPolicies(ctx);
  const agents = await checkAgents(ctx);
  const compare = checkCompare(ctx);
  const liquidation = await checkLiquidation(ctx);
  flat.push(...checkBounds(ctx), ...market.issues, ...assets.issues, ...checkVenues(ctx), ...policies.issues, ...liquidation.issues, ...compare.issues, ...agents.issues, ...checkAssert(ctx, compare.names), ...(await checkOptimize(ctx)));
  if (flat.length > 0) throw new BadInputError(flat.map((f) => locate(f, t, setPaths)));
  const files = namedPaths(parsed.data!, policies.policyModules.keys());
  return {
    config: parsed.data!, file: t.file, sha256: scenarioHash(t.bytes, readNamedFiles(ctx.dir, files)), overrides, files,
    strategies: agents.strategies, replayPrices: market.replayPrices,
    ...(parsed.data!.assets ? { assetReplayPrices: assets.replayPrices } : {}), policyModules: policies.policyModules,
    liquidationModule: liquidation.module,
  };
}
