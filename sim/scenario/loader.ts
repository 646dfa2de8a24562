/**
 * Loads a scenario file: parses YAML with positions, applies `--set` overrides, validates against
 * the schema and the semantic rules, and resolves strategy modules. Every problem is collected and
 * reported at once with file:line:col, field path, what was found and what is allowed.
 */
import { createHash } from 'crypto';
import { existsSync, readFileSync } from 'fs';
import { dirname, resolve } from 'path';
import { pathToFileURL } from 'url';
import { LineCounter, parseDocument, isMap, isSeq, isPair, isScalar, parse as parseYaml, type Document, type Node } from 'yaml';
import { STRATEGIES, STRATEGY_NAMES } from '../../agents/registry';
import type { StrategyDefinition } from '../../agents/strategy';
import type { DistSpec } from '../../agents/distributions';
import { PRESETS, PRESET_NAMES } from '../exchange/policies/presets';
import { compileTiers } from '../exchange/margin';
import { loadPriceCsv, PriceCsvError } from '../market/processes';
import { SUMMARY_PATHS } from '../metrics/summary';
import { CLEARING_SUMMARY_PATHS, isClearingSummaryPath } from '../metrics/clearing-summary';
import { DEFAULTS } from './defaults';
import { BadInputError, didYouMean, pathString, show, type ScenarioIssue } from './errors';
import { AgentSchema, PolicySchema, ProcessSchema, ScenarioSchema, ShockSchema, type AgentConfig, type PolicyConfig, type ScenarioConfig } from './schema';
import type { PolicyFactory } from '../run/policy-factory';
import { flattenIssues, type FlatIssue } from './zod-issues';

/** A validated scenario, with everything resolved that the run needs. */
export interface LoadedScenario {
  config: ScenarioConfig;
  /** Absolute path of the file. */
  file: string;
  /** sha256 of the file's bytes (overrides are recorded separately). */
  sha256: string;
  /** `--set` overrides applied, as given. */
  overrides: string[];
  /** Strategy of each `agents[i]`. */
  strategies: StrategyDefinition[];
  /** Replay path prices, when the process is `replay`. */
  replayPrices?: Float64Array;
  /** Custom policy modules, by the path written in the scenario. */
  policyModules: ReadonlyMap<string, PolicyFactory>;
}

/** Bytes of state per agent, accounts and population together, before strategy parameters. */
const BYTES_PER_AGENT = 160;
const BYTES_PER_PARAM = 8;

/** Parses `agents[0].count` into ['agents', 0, 'count']; null when malformed. */
export function parsePath(s: string): (string | number)[] | null {
  const out: (string | number)[] = [];
  const re = /([A-Za-z_$][\w$-]*)|\[(\d+)\]|(\.)/gy;
  let m: RegExpExecArray | null;
  let expectKey = true;
  while (re.lastIndex < s.length && (m = re.exec(s))) {
    if (m[1] !== undefined) { if (!expectKey) return null; out.push(m[1]); expectKey = false; }
    else if (m[2] !== undefined) { out.push(Number(m[2])); expectKey = false; }
    else { if (expectKey) return null; expectKey = true; }
  }
  return re.lastIndex === s.length && out.length > 0 && !expectKey ? out : null;
}

/** Reads and validates a scenario file. Throws {@link BadInputError} listing every problem. */
export async function loadScenario(fileArg: string, opts: { sets?: string[]; ticks?: number; seed?: number } = {}): Promise<LoadedScenario> {
  const file = resolve(fileArg);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw BadInputError.of(fileArg, code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, expected a scenario file' : `cannot read the file (${code ?? 'error'})`);
  }
  const text = bytes.toString('utf8');
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => lc.linePos(offset);
  if (doc.errors.length > 0) {
    throw new BadInputError(doc.errors.map((e) => {
      const p = at(e.pos[0]);
      return { file: fileArg, line: p.line, col: p.col, path: '', message: `invalid YAML: ${e.message.split('\n')[0]}` };
    }));
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    throw BadInputError.of(fileArg, 'the file is empty: expected a map with at least name, ticks and agents');
  }
  if (!isMap(doc.contents)) {
    const p = at(doc.contents.range?.[0] ?? 0);
    throw new BadInputError([{ file: fileArg, line: p.line, col: p.col, path: '', message: `expected a map of scenario settings, found ${isSeq(doc.contents) ? 'a list' : 'a single value'}` }]);
  }
  const overrides = [...(opts.sets ?? [])];
  if (opts.ticks !== undefined) overrides.push(`ticks=${opts.ticks}`);
  if (opts.seed !== undefined) overrides.push(`seed=${opts.seed}`);
  const setIssues: ScenarioIssue[] = [];
  for (const s of overrides) {
    const eq = s.indexOf('=');
    const path = eq > 0 ? parsePath(s.slice(0, eq)) : null;
    if (!path) {
      setIssues.push({ file: '--set', line: 0, col: 0, path: '', message: `'${s}' is not path=value (e.g. agents[0].count=100)` });
      continue;
    }
    doc.setIn(path, doc.createNode(parseYaml(s.slice(eq + 1))));
  }
  if (setIssues.length > 0) throw new BadInputError(setIssues);

  const raw = doc.toJS() as unknown;
  const parsed = ScenarioSchema.safeParse(raw, { reportInput: true });
  const flat: FlatIssue[] = parsed.success ? [] : flattenIssues(parsed.error.issues, ScenarioSchema, raw);
  // Semantic checks run on every section that parses, even when another section does not, so one
  // pass reports every problem.
  const sem = await semanticIssues(raw as Record<string, unknown>, dirname(file));
  flat.push(...sem.issues);
  if (flat.length > 0) throw new BadInputError(flat.map((f) => locate(f, doc, lc, fileArg)));
  return { config: parsed.data!, file, sha256: createHash('sha256').update(bytes).digest('hex'), overrides, strategies: sem.strategies, replayPrices: sem.replayPrices, policyModules: sem.policyModules };
}
/** Finds the line and column of an issue's node (the key itself for unknown keys). */
function locate(f: FlatIssue, doc: Document, lc: LineCounter, file: string): ScenarioIssue {
  const path = f.path;
  let offset: number | undefined;
  if (f.key !== undefined) {
    const parent = doc.getIn(path.slice(0, -1), true);
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === f.key);
      offset = (pair?.key as Node | undefined)?.range?.[0];
    }
  }
  // Walk up to the nearest node that exists in the file (a missing key points at its parent).
  for (let n = path.length; offset === undefined && n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as Node | undefined;
    if (node && typeof node === 'object' && 'range' in node && node.range) offset = node.range[0];
    else if (n === 0) offset = doc.contents?.range?.[0];
  }
  const fromSet = offset === undefined;
  const p = fromSet ? { line: 0, col: 0 } : lc.linePos(offset!);
  return { file: fromSet ? `${file} (--set)` : file, line: p.line, col: p.col, path: pathString(path), message: f.message };
}

/** What the semantic pass finds and resolves. */
interface Semantic {
  issues: FlatIssue[];
  strategies: StrategyDefinition[];
  replayPrices?: Float64Array;
  policyModules: Map<string, PolicyFactory>;
}

/**
 * Checks that need more than one field, or the outside world (presets, strategy modules, replay
 * files, memory). Each section is parsed on its own, so its checks run whatever else is wrong.
 */
async function semanticIssues(raw: Record<string, unknown>, dir: string): Promise<Semantic> {
  const out: FlatIssue[] = [];
  const get = (o: unknown, k: string): unknown => (o && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>)[k] : undefined);
  const ticks = typeof raw.ticks === 'number' && Number.isInteger(raw.ticks) && raw.ticks > 0 ? raw.ticks : undefined;
  const market = get(raw, 'market');
  const shocks = get(market, 'shocks');
  if (ticks !== undefined && Array.isArray(shocks)) {
    shocks.forEach((sh, k) => {
      const p = ShockSchema.safeParse(sh);
      if (p.success && p.data.tick >= ticks) out.push({ path: ['market', 'shocks', k, 'tick'], message: `found ${p.data.tick}; allowed: a tick before the end of the run (ticks = ${ticks}, so 0..${ticks - 1})` });
    });
  }
  const process = ProcessSchema.safeParse(get(market, 'process'));
  let replayPrices: Float64Array | undefined;
  if (process.success && process.data.type === 'garch' && !(process.data.alpha + process.data.beta < 1)) {
    out.push({ path: ['market', 'process', 'beta'], message: `alpha + beta = ${process.data.alpha + process.data.beta}; allowed: alpha + beta < 1 (a stationary GARCH)` });
  }
  if (process.success && process.data.type === 'replay') {
    try {
      replayPrices = loadPriceCsv(resolve(dir, process.data.file));
    } catch (e) {
      if (!(e instanceof PriceCsvError)) throw e;
      out.push({ path: ['market', 'process', 'file'], message: e.message });
    }
  }
  const policyModules = new Map<string, PolicyFactory>();
  const policyAt = async (v: unknown, path: (string | number)[]) => {
    const r = PolicySchema.safeParse(v);
    if (r.success) out.push(...(await policyIssues(r.data, path, dir, policyModules)));
  };
  await policyAt(get(get(raw, 'exchange'), 'policy'), ['exchange', 'policy']);
  const compare = get(raw, 'compare');
  const cmpPolicies = get(compare, 'policies');
  const names = new Map<string, number>();
  if (Array.isArray(cmpPolicies)) {
    for (let k = 0; k < cmpPolicies.length; k++) {
      await policyAt(get(cmpPolicies[k], 'policy'), ['compare', 'policies', k, 'policy']);
      const nm = get(cmpPolicies[k], 'name');
      if (typeof nm === 'string') {
        if (names.has(nm)) out.push({ path: ['compare', 'policies', k, 'name'], message: `found ${show(nm)}, already the name of compare.policies[${names.get(nm)}]; allowed: a name used once` });
        names.set(nm, k);
      }
    }
  }
  const grid = get(compare, 'grid');
  if (grid) {
    await policyAt(get(grid, 'policy'), ['compare', 'grid', 'policy']);
    const gp = PolicySchema.safeParse(get(grid, 'policy'));
    const param = get(grid, 'param');
    if (gp.success && typeof param === 'string') {
      const holder = 'module' in gp.data ? gp.data.params : (gp.data as Record<string, unknown>);
      const numeric = Object.keys(holder).filter((key) => typeof holder[key] === 'number');
      if (!numeric.includes(param)) out.push({ path: ['compare', 'grid', 'param'], message: `found ${show(param)}; allowed: a numeric parameter of the grid's policy (${numeric.join(', ') || 'none'})${didYouMean(param, numeric)}` });
    }
    const gname = get(grid, 'name'), values = get(grid, 'values');
    if (typeof gname === 'string' && Array.isArray(values)) for (const v of values) names.set(`${gname}-${String(v)}`, -1);
  }
  const baseline = get(compare, 'baseline');
  if (typeof baseline === 'string' && !names.has(baseline)) {
    out.push({ path: ['compare', 'baseline'], message: `found ${show(baseline)}; allowed: the name of a compared policy (${[...names.keys()].join(', ')})${didYouMean(baseline, [...names.keys()])}` });
  }
  const pairs = get(compare, 'pairs');
  if (Array.isArray(pairs)) {
    pairs.forEach((q, k) => {
      for (const f of ['policy', 'against']) {
        const nm = get(q, f);
        if (typeof nm === 'string' && !names.has(nm)) out.push({ path: ['compare', 'pairs', k, f], message: `found ${show(nm)}; allowed: the name of a compared policy (${[...names.keys()].join(', ')})${didYouMean(nm, [...names.keys()])}` });
      }
    });
  }
  const strategies: StrategyDefinition[] = [];
  const agents = Array.isArray(raw.agents) ? raw.agents : [];
  const agentNames = new Map<string, number>();
  let bytes = 0;
  for (let k = 0; k < agents.length; k++) {
    const parsed = AgentSchema.safeParse(agents[k]);
    if (!parsed.success) continue;
    const a = parsed.data;
    if (agentNames.has(a.name)) out.push({ path: ['agents', k, 'name'], message: `found ${show(a.name)}, already the name of agents[${agentNames.get(a.name)}]; allowed: a name used once` });
    agentNames.set(a.name, k);
    for (const [field, spec] of [['collateral', a.collateral], ['leverage', a.leverage], ['reserve', a.reserve]] as const) out.push(...distIssues(spec, ['agents', k, field]));
    for (const [pname, spec] of Object.entries(a.params)) out.push(...distIssues(spec, ['agents', k, 'params', pname]));
    bytes += a.count * (BYTES_PER_AGENT + BYTES_PER_PARAM * (3 + Object.keys(a.params).length));
    if (bytes > DEFAULTS.memoryBudgetBytes) {
      out.push({ path: ['agents', k, 'count'], message: `found ${a.count}: the populations up to here need about ${(bytes / 1024 ** 3).toFixed(1)} GiB; allowed: at most ${(DEFAULTS.memoryBudgetBytes / 1024 ** 3).toFixed(0)} GiB of agent state in all` });
      bytes = -Infinity; // report once
    }
    const r = await resolveStrategy(a, k, dir);
    out.push(...r.issues);
    if (r.strategy) strategies[k] = r.strategy;
  }
  const asserts = get(raw, 'assert');
  if (asserts && typeof asserts === 'object' && !Array.isArray(asserts)) {
    // A walrasian run has its own summary (sim/metrics/clearing-summary.ts).
    const walrasian = get(get(raw, 'market'), 'clearing') === 'walrasian';
    const paths = walrasian ? CLEARING_SUMMARY_PATHS : SUMMARY_PATHS;
    for (const [key, b] of Object.entries(asserts as Record<string, unknown>)) {
      if (walrasian ? !isClearingSummaryPath(key) : !SUMMARY_PATHS.includes(key)) out.push({ path: ['assert', key], key, message: `unknown summary metric${didYouMean(key, paths)}; allowed: ${paths.join(', ')}` });
      else if (b && typeof b === 'object' && get(b, 'min') === undefined && get(b, 'max') === undefined) out.push({ path: ['assert', key], message: 'found a bound with neither min nor max; allowed: { min: x }, { max: y } or both' });
    }
  }
  return { issues: out, strategies, replayPrices, policyModules };
}

/** Checks one policy entry: presets exist, a fixed MMR is below its IMR, tiers compile, ramps are ordered, modules load. */
async function policyIssues(p: PolicyConfig, path: (string | number)[], dir: string, modules: Map<string, PolicyFactory>): Promise<FlatIssue[]> {
  const out: FlatIssue[] = [];
  const preset = (name: string, at: (string | number)[]) => {
    if (!(name in PRESETS)) out.push({ path: at, message: `unknown preset ${show(name)}${didYouMean(name, PRESET_NAMES)}; allowed: ${PRESET_NAMES.join(', ')}` });
  };
  const fixedMmr = (maxLeverage: number, mmr: number, at: (string | number)[]) => {
    if (!(mmr < 1 / maxLeverage)) out.push({ path: at, message: `found ${mmr}; allowed: below the initial margin rate 1/maxLeverage = ${1 / maxLeverage}` });
  };
  const tiers = (t: Parameters<typeof compileTiers>[0], at: (string | number)[]) => {
    try {
      compileTiers(t);
    } catch (e) {
      out.push({ path: at, message: (e as Error).message });
    }
  };
  if ('preset' in p) preset(p.preset, [...path, 'preset']);
  else if ('module' in p) {
    const abs = resolve(dir, p.module);
    if (!existsSync(abs)) out.push({ path: [...path, 'module'], message: `found ${show(p.module)}: no such module (looked for ${abs}); allowed: a path to a .ts/.js module whose default export builds a policy` });
    else {
      const mod = (await import(pathToFileURL(abs).href).catch(async () => import(abs))) as Record<string, unknown>;
      const f = mod.default ?? mod.policy;
      if (typeof f !== 'function') out.push({ path: [...path, 'module'], message: `module ${show(p.module)} does not export a policy factory; allowed: a default export (params, ctx) => LeveragePolicy` });
      else modules.set(p.module, f as PolicyFactory);
    }
  } else if (p.type === 'fixed') fixedMmr(p.maxLeverage, p.mmr, [...path, 'mmr']);
  else if (p.type === 'tiered') tiers(p.tiers, [...path, 'tiers']);
  else {
    if (p.type === 'open-interest' && !(p.upperCap > p.lowerCap)) out.push({ path: [...path, 'upperCap'], message: `found ${p.upperCap}; allowed: a cap above lowerCap (${p.lowerCap})` });
    if (p.type === 'circuit-breaker' && !(p.hard > p.soft)) out.push({ path: [...path, 'hard'], message: `found ${p.hard}; allowed: a threshold above soft (${p.soft})` });
    if (p.type === 'vol-scaled' && !(p.maxLeverage >= p.minLeverage)) out.push({ path: [...path, 'maxLeverage'], message: `found ${p.maxLeverage}; allowed: at least minLeverage (${p.minLeverage})` });
    if (p.type === 'risk-score') {
      const b = p.base;
      if ('preset' in b) preset(b.preset, [...path, 'base', 'preset']);
      else if (b.type === 'fixed') fixedMmr(b.maxLeverage, b.mmr, [...path, 'base', 'mmr']);
      else tiers(b.tiers, [...path, 'base', 'tiers']);
    } else if ('base' in p) out.push(...(await policyIssues(p.base, [...path, 'base'], dir, modules)));
  }
  return out;
}

function distIssues(spec: DistSpec, path: (string | number)[]): FlatIssue[] {
  if (typeof spec === 'number') return [];
  if (spec.dist === 'uniform' && spec.min > spec.max) return [{ path: [...path, 'max'], message: `found ${spec.max}; allowed: a number ≥ min (${spec.min})` }];
  if (spec.dist === 'normal' && spec.min !== undefined && spec.max !== undefined && spec.min > spec.max) return [{ path: [...path, 'max'], message: `found ${spec.max}; allowed: a number ≥ min (${spec.min})` }];
  if (spec.dist === 'choice' && spec.weights && spec.weights.length !== spec.values.length) {
    return [{ path: [...path, 'weights'], message: `found ${spec.weights.length} weights; allowed: one weight per value (${spec.values.length})` }];
  }
  return [];
}

const isModulePath = (s: string) => s.startsWith('./') || s.startsWith('../') || s.startsWith('/') || /\.(ts|js|cjs|mjs)$/.test(s);

/** Resolves one population's strategy (a built-in name, or a module path relative to the scenario) and checks its params. */
async function resolveStrategy(a: AgentConfig, k: number, dir: string): Promise<{ strategy?: StrategyDefinition; issues: FlatIssue[] }> {
  const issues: FlatIssue[] = [];
  const path: (string | number)[] = ['agents', k, 'strategy'];
  let def: StrategyDefinition | undefined = STRATEGIES[a.strategy];
  if (!def && isModulePath(a.strategy)) {
    const abs = resolve(dir, a.strategy);
    if (!existsSync(abs)) {
      return { issues: [{ path, message: `found ${show(a.strategy)}: no such module (looked for ${abs}); allowed: a built-in strategy (${STRATEGY_NAMES.join(', ')}) or a path to a .ts/.js module` }] };
    }
    const mod = (await import(pathToFileURL(abs).href).catch(async () => import(abs))) as Record<string, unknown>;
    const cand = (mod.default ?? mod.strategy) as StrategyDefinition | undefined;
    if (!cand || typeof cand.decide !== 'function' || typeof cand.params !== 'object') {
      return { issues: [{ path, message: `module ${show(a.strategy)} does not export a strategy; allowed: a module whose default (or 'strategy') export has name, params and decide()` }] };
    }
    def = cand;
  }
  if (!def) {
    return { issues: [{ path, message: `unknown strategy ${show(a.strategy)}${didYouMean(a.strategy, STRATEGY_NAMES)}; allowed: ${STRATEGY_NAMES.join(', ')}, or a path like ./my-strategy.ts` }] };
  }
  const known = Object.keys(def.params);
  for (const [pname, spec] of Object.entries(a.params)) {
    const ps = def.params[pname];
    if (!ps) {
      issues.push({ path: ['agents', k, 'params', pname], key: pname, message: `unknown parameter of strategy ${def.name}${didYouMean(pname, known)}; allowed: ${known.join(', ') || 'none'}` });
      continue;
    }
    const v = typeof spec === 'number' ? spec : spec.dist === 'fixed' ? spec.value : undefined;
    if (v !== undefined && ((ps.min !== undefined && v < ps.min) || (ps.max !== undefined && v > ps.max))) {
      issues.push({ path: ['agents', k, 'params', pname], message: `found ${v}; allowed: ${ps.min ?? '−∞'} to ${ps.max ?? '∞'} (${ps.unit})` });
    }
  }
  return { strategy: def, issues };
}
