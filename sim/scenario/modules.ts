/**
 * Module resolution: the custom strategy and policy modules a scenario names by path. A module that
 * cannot be loaded is bad input (exit 2) with the real reason: a syntax error with its place, an
 * error thrown while importing, a package it imports that is not installed. A loaded strategy is
 * guarded, so that what it does wrong during a run is its own error, naming the module, the
 * population and the tick (exit 1), and a non-finite order or deposit never reaches the exchange.
 */
import { existsSync } from 'fs';
import { relative, resolve } from 'path';
import { STRATEGIES, STRATEGY_NAMES } from '../../agents/registry';
import type { StrategyDefinition } from '../../agents/strategy';
import type { LiquidationSizerFactory } from '../exchange/params';
import type { PolicyFactory } from '../run/policy-factory';
import { didYouMean, show } from './errors';
import type { AgentConfig } from './schema';
import type { FlatIssue } from './zod-issues';
import { drawRange } from './checks/bounds';

/** The largest magnitude of a strategy parameter without bounds of its own. */
const PARAM_LIMIT = 1e9;

/** An error of a user module during a run: its message names the module and population. */
export class ModuleError extends Error {
  /** @param message names the module, the population and what went wrong */
  constructor(message: string) {
    super(message);
    this.name = 'ModuleError';
  }
}

/** Imports a module; on failure, the reason in one line (never "does not export"). */
async function importModule(abs: string): Promise<{ mod?: Record<string, unknown>; error?: string }> {
  try {
    return { mod: (await import(abs)) as Record<string, unknown> };
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { loc?: string };
    const missing = err.code === 'MODULE_NOT_FOUND' || err.code === 'ERR_MODULE_NOT_FOUND' ? /Cannot find (?:module|package) '([^']+)'/.exec(err.message) : null;
    if (missing && resolve(missing[1]!) !== abs) return { error: `it imports ${show(missing[1])}, which cannot be found (not installed, or a wrong path)` };
    if (err.name === 'SyntaxError') return { error: `it has a syntax error${err.message.startsWith(`${abs}:`) ? ' at ' : ': '}${err.message.replace(`${abs}:`, '').split('\n')[0]}` };
    return { error: `it threw while loading: ${err.name ?? 'Error'}: ${String(err.message).split('\n')[0]}` };
  }
}

/** True when a strategy is named by a module path (relative, absolute, or ending in .ts/.js) rather than a built-in name. */
export const isModulePath = (s: string) => s.startsWith('./') || s.startsWith('../') || s.startsWith('/') || /\.(ts|js|cjs|mjs)$/.test(s);

/** Resolves one population's strategy (a built-in name, or a module path relative to the scenario) and checks its params. */
export async function resolveStrategy(a: AgentConfig, k: number, dir: string): Promise<{ strategy?: StrategyDefinition; issues: FlatIssue[] }> {
  const issues: FlatIssue[] = [];
  const path: (string | number)[] = ['agents', k, 'strategy'];
  let def: StrategyDefinition | undefined = STRATEGIES[a.strategy];
  if (!def && isModulePath(a.strategy)) {
    const abs = resolve(dir, a.strategy);
    if (!existsSync(abs)) {
      return { issues: [{ path, message: `found ${show(a.strategy)}: no such module (looked for ${abs}); allowed: a built-in strategy (${STRATEGY_NAMES.join(', ')}) or a path to a .ts/.js module` }] };
    }
    const { mod, error } = await importModule(abs);
    if (!mod) return { issues: [{ path, message: `module ${show(a.strategy)} cannot be loaded: ${error}` }] };
    const cand = (mod.default ?? mod.strategy) as StrategyDefinition | undefined;
    if (!cand || typeof cand.decide !== 'function' || typeof cand.params !== 'object') {
      return { issues: [{ path, message: `module ${show(a.strategy)} does not export a strategy; allowed: a module whose default (or 'strategy') export has name, params and decide()` }] };
    }
    def = guardStrategy(cand, a.strategy);
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
    if (ps.population && typeof spec !== 'number' && spec.dist !== 'fixed') {
      issues.push({ path: ['agents', k, 'params', pname], message: `found a ${spec.dist} distribution; allowed: one number (${def.name}'s ${pname} is the whole population's)` });
      continue;
    }
    // Parameters are held in single precision: beyond ±PARAM_LIMIT they would overflow it or what they multiply.
    const lo = ps.min ?? -PARAM_LIMIT, hi = ps.max ?? PARAM_LIMIT;
    const [a0, a1] = drawRange(spec);
    if (a0 < lo || a1 > hi) {
      const fixed = typeof spec === 'number' || spec.dist === 'fixed';
      issues.push({ path: ['agents', k, 'params', pname], message: `${fixed ? 'found' : `a ${spec.dist} distribution that can draw`} ${a0 < lo ? a0 : a1}; allowed: ${lo} to ${hi} (${ps.unit})` });
    }
  }
  return { strategy: def, issues };
}

/**
 * Loads a module whose default (or `named`) export is a factory (params, ctx) → `what`; an issue at
 * `path` when it cannot.
 */
async function resolveFactory<F>(module: string, path: (string | number)[], dir: string, named: string, what: string): Promise<{ factory?: F; issues: FlatIssue[] }> {
  const abs = resolve(dir, module);
  if (!existsSync(abs)) return { issues: [{ path, message: `found ${show(module)}: no such module (looked for ${abs}); allowed: a path to a .ts/.js module whose default export builds a ${what}` }] };
  const { mod, error } = await importModule(abs);
  if (!mod) return { issues: [{ path, message: `module ${show(module)} cannot be loaded: ${error}` }] };
  const f = mod.default ?? mod[named];
  if (typeof f !== 'function') return { issues: [{ path, message: `module ${show(module)} does not export a ${what} factory; allowed: a default export (params, ctx) => ${what}` }] };
  return { factory: f as F, issues: [] };
}

/** Loads a custom policy module's factory; an issue at `path` when it cannot. */
export function resolvePolicyModule(module: string, path: (string | number)[], dir: string): Promise<{ factory?: PolicyFactory; issues: FlatIssue[] }> {
  return resolveFactory<PolicyFactory>(module, path, dir, 'policy', 'LeveragePolicy');
}

/** Loads a liquidation-sizing module's factory (`liquidation: { mode: module, module }`). */
export function resolveLiquidationModule(module: string, path: (string | number)[], dir: string): Promise<{ factory?: LiquidationSizerFactory; issues: FlatIssue[] }> {
  return resolveFactory<LiquidationSizerFactory>(module, path, dir, 'sizer', 'LiquidationSizer');
}

/**
 * A user strategy behind a guard: an error it throws becomes a {@link ModuleError} naming the
 * module and the population, and after each decide() the population's orders and collateral
 * must be finite (a NaN or infinite order or deposit is refused before the exchange executes it).
 */
export function guardStrategy(def: StrategyDefinition, module: string): StrategyDefinition {
  const who = (pop: { name: string }) => `strategy module ${module} (population ${pop.name})`;
  const call = <T>(pop: { name: string }, hook: string, f: () => T): T => {
    let r: T;
    try {
      r = f();
    } catch (e) {
      if (e instanceof ModuleError) throw e;
      throw new ModuleError(`${who(pop)} threw: ${e instanceof Error ? e.message : String(e)}`);
    }
    refusePromise(r, who(pop), hook);
    return r;
  };
  return {
    name: def.name,
    summary: def.summary,
    params: def.params,
    historyLength: def.historyLength && ((pop) => call(pop, 'historyLength', () => def.historyLength!(pop))),
    init: def.init && ((pop, market) => call(pop, 'init', () => def.init!(pop, market))),
    depthFactor: def.depthFactor && ((pop, market) => call(pop, 'depthFactor', () => def.depthFactor!(pop, market))),
    decide(pop, tick, market, ex) {
      call(pop, 'decide', () => def.decide(pop, tick, market, ex));
      const orders = ex.orders, collateral = ex.accounts.collateral;
      for (let i = pop.first; i < pop.first + pop.count; i++) {
        if (!Number.isFinite(orders[i]!)) throw new ModuleError(`${who(pop)} ordered ${orders[i]} for account ${i} (agent ${i - pop.first} of the population); allowed: a finite signed size`);
        if (!Number.isFinite(collateral[i]!)) throw new ModuleError(`${who(pop)} left account ${i} (agent ${i - pop.first} of the population) with collateral ${collateral[i]}; allowed: finite deposits`);
      }
    },
  };
}

/**
 * Refuses what a user module's hook returned when it is a Promise (or any thenable): levsim calls
 * hooks synchronously and never awaits, so an `async` hook would run on after its tick and its
 * error would be lost, or crash the process after the run was written as complete. The thenable
 * gets a no-op rejection handler (its later rejection must not kill the process with a stack trace),
 * and the hook fails now, at this tick, as if it had thrown.
 * @param r what the hook returned
 * @param who the module, as an error names it (e.g. `strategy module ./m.ts (population p)`)
 * @param hook the hook's name (`decide`, `onTick`, …)
 * @throws {ModuleError} when `r` is a thenable
 */
export function refusePromise(r: unknown, who: string, hook: string): void {
  if (r === null || (typeof r !== 'object' && typeof r !== 'function') || typeof (r as PromiseLike<unknown>).then !== 'function') return;
  Promise.resolve(r as PromiseLike<unknown>).catch(() => {});
  throw new ModuleError(`${who}: ${hook}() returned a Promise; allowed: a synchronous ${hook}() (levsim does not await it: what it does later, or throws, would be lost)`);
}

/** The user module (of `modules`, absolute paths) an error's stack passes through, if any, as written in the scenario. */
export function moduleInStack(err: unknown, modules: ReadonlyMap<string, string>): string | undefined {
  const stack = err instanceof Error ? err.stack ?? '' : '';
  for (const [abs, written] of modules) if (stack.includes(abs)) return written;
  return undefined;
}

/** The file an error was thrown in, relative to the repository (for internal errors). */
export function firstFrame(err: unknown): string | undefined {
  const root = resolve(__dirname, '..', '..');
  const m = /\(?((?:\/|[A-Za-z]:\\)[^():]+):\d+:\d+\)?/.exec(err instanceof Error ? err.stack ?? '' : '');
  return m ? relative(root, m[1]!) : undefined;
}
