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
import { checkRuns } from './checks/runs';
import { BadInputError, type ScenarioIssue } from './errors';
import { namedPaths, readNamedFiles, scenarioHash } from './files';
import { applyOverrides, locate, readScenarioText, type Override, type ScenarioText } from './read';
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
  /** `compare.variants`: each arm's scenario (the file with the arm's `set` applied), by name. */
  variants?: ReadonlyMap<string, LoadedScenario>;
  /** This is the arm of that name of a `compare.variants` list, with its overrides as `path=value`. */
  variant?: { name: string; sets: string[] };
}

/**
 * Reads and validates a scenario file. Throws {@link BadInputError} listing every problem. A
 * scenario with `compare.variants` also loads each variant (the file with the command-line
 * overrides, then the variant's `set`), and reports a variant's problems at its line.
 */
export async function loadScenario(fileArg: string, opts: { sets?: string[]; ticks?: number; seed?: number } = {}): Promise<LoadedScenario> {
  const given: Override[] = (opts.sets ?? []).map((text) => ({ text, flag: '--set' }));
  if (opts.ticks !== undefined) given.push({ text: `ticks=${opts.ticks}`, flag: '--ticks' });
  if (opts.seed !== undefined) given.push({ text: `seed=${opts.seed}`, flag: '--seed' });
  const { loaded, t } = await loadWith(fileArg, given);
  const list = loaded.config.compare?.variants;
  if (!list || list.length === 0) return loaded;
  const variants = new Map<string, LoadedScenario>();
  const issues: ScenarioIssue[] = [];
  for (const [k, v] of list.entries()) {
    const entries = Object.entries(v.set);
    // The value goes through JSON, which is YAML: the override machinery parses it back unchanged.
    const sets: Override[] = entries.map(([key, value]) => ({ text: `${key}=${JSON.stringify(value)}`, flag: `${VARIANT_FLAG}${key}` }));
    try {
      const vl = (await loadWith(fileArg, [...given, ...sets])).loaded;
      // A variant is one arm of this file: the file's hash and the command line's overrides, so
      // resuming recognises its runs by the arm's name like a policy arm's.
      variants.set(v.name, { ...vl, sha256: loaded.sha256, overrides: loaded.overrides, variant: { name: v.name, sets: sets.map((o) => o.text) } });
    } catch (e) {
      if (!(e instanceof BadInputError)) throw e;
      issues.push(...e.issues.map((i) => variantIssue(i, t, k, v.name)));
    }
  }
  if (issues.length > 0) throw new BadInputError(issues);
  return { ...loaded, variants };
}

/** The pseudo-flag of a variant's override (followed by its path as written), so its problems can be found again. */
const VARIANT_FLAG = '\0variant:';

/**
 * A problem of variant `k` located in the file: one on a field the variant sets points at that
 * entry of its `set` (the variant's line); any other (a shock beyond a shortened run, say) keeps
 * its own place. Both name the variant.
 */
function variantIssue(i: ScenarioIssue, t: ScenarioText, k: number, name: string): ScenarioIssue {
  const where = `variant ${name} (compare.variants[${k}])`;
  if (!i.file.startsWith(VARIANT_FLAG)) return { ...i, message: `under ${where}: ${i.message}` };
  const key = i.file.slice(VARIANT_FLAG.length);
  const at = locate({ path: ['compare', 'variants', k, 'set', key], key, message: '' }, t, new Map());
  return { ...at, path: i.path || key, message: `set by ${where}: ${i.message}` };
}

/** Loads the file with `given` overrides applied (the document is kept, to locate a variant's problems). */
async function loadWith(fileArg: string, given: Override[]): Promise<{ loaded: LoadedScenario; t: ScenarioText }> {
  const t = readScenarioText(fileArg);
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
  flat.push(...checkBounds(ctx), ...market.issues, ...assets.issues, ...checkVenues(ctx), ...policies.issues, ...liquidation.issues, ...compare.issues, ...checkRuns(ctx), ...agents.issues, ...checkAssert(ctx, compare.names), ...(await checkOptimize(ctx)));
  if (flat.length > 0) throw new BadInputError(flat.map((f) => locate(f, t, setPaths)));
  const files = namedPaths(parsed.data!, policies.policyModules.keys());
  const loaded: LoadedScenario = {
    config: parsed.data!, file: t.file, sha256: scenarioHash(t.bytes, readNamedFiles(ctx.dir, files)), overrides, files,
    strategies: agents.strategies, replayPrices: market.replayPrices,
    ...(parsed.data!.assets ? { assetReplayPrices: assets.replayPrices } : {}), policyModules: policies.policyModules,
    liquidationModule: liquidation.module,
  };
  return { loaded, t };
}
