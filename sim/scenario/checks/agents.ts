/**
 * Checks of `agents`: unique names, distributions that can be drawn (ordered bounds, weights),
 * money and leverage in range, the memory the populations and the tick columns need, and each
 * population's strategy (built in or a module) with its parameters.
 */
import type { DistSpec } from '../../../agents/distributions';
import type { StrategyDefinition } from '../../../agents/strategy';
import { TICK_SUMMARY_FIELDS } from '../../engine/events';
import { DEFAULTS } from '../defaults';
import { show } from '../errors';
import { resolveStrategy } from '../modules';
import { AgentSchema } from '../schema';
import { agentBoundIssues } from './bounds';
import { type CheckContext, type Issues } from './context';

/** The strategy name of cross-venue arbitrageurs (a population of its own, not a registry strategy). */
export const CROSS_VENUE_ARB = 'cross-venue-arb';

/** Bytes of state per agent, accounts and population together, before strategy parameters. */
const BYTES_PER_AGENT = 160;
const BYTES_PER_PARAM = 8;
/** Bytes per tick: one Float64 per tick-summary column, plus the run's own per-tick series. */
const BYTES_PER_TICK = 8 * (TICK_SUMMARY_FIELDS.length + 4);

/** What the agents check finds, and each population's strategy. */
export interface AgentsCheck {
  issues: Issues;
  strategies: StrategyDefinition[];
}

const GiB = 1024 ** 3;

/** Checks every population. */
export async function checkAgents(c: CheckContext): Promise<AgentsCheck> {
  const out: Issues = [];
  const strategies: StrategyDefinition[] = [];
  const agents = Array.isArray(c.raw.agents) ? c.raw.agents : [];
  const names = new Map<string, number>();
  let bytes = 0;
  let reported = false;
  for (let k = 0; k < agents.length; k++) {
    const parsed = AgentSchema.safeParse(agents[k]);
    if (!parsed.success) continue;
    const a = parsed.data;
    if (names.has(a.name)) out.push({ path: ['agents', k, 'name'], message: `found ${show(a.name)}, already the name of agents[${names.get(a.name)}]; allowed: a name used once` });
    names.set(a.name, k);
    for (const [field, spec] of [['collateral', a.collateral], ['leverage', a.leverage], ['reserve', a.reserve]] as const) out.push(...distIssues(spec, ['agents', k, field]));
    for (const [pname, spec] of Object.entries(a.params)) out.push(...distIssues(spec, ['agents', k, 'params', pname]));
    out.push(...agentBoundIssues({ collateral: a.collateral, leverage: a.leverage, reserve: a.reserve }, k));
    bytes += a.count * (BYTES_PER_AGENT + BYTES_PER_PARAM * (3 + Object.keys(a.params).length));
    if (!reported && bytes > DEFAULTS.memoryBudgetBytes) {
      out.push({ path: ['agents', k, 'count'], message: `found ${a.count}: the populations up to here need about ${(bytes / GiB).toFixed(1)} GiB; allowed: at most ${(DEFAULTS.memoryBudgetBytes / GiB).toFixed(0)} GiB of agent state in all` });
      reported = true;
    }
    if (a.strategy === CROSS_VENUE_ARB) {
      // Not an AgentPopulation strategy: a population of its own (agents/cross-venue-arb.ts).
      if (!a.arbitrage) out.push({ path: ['agents', k, 'arbitrage'], message: `is required with strategy ${CROSS_VENUE_ARB}: { counterVenue, threshold, latencyTicks, maxStep }` });
      if (typeof a.collateral !== 'number') out.push({ path: ['agents', k, 'collateral'], message: `found a distribution; allowed: one number with strategy ${CROSS_VENUE_ARB} (each arbitrageur splits it over its two venues)` });
      if (typeof a.leverage !== 'number') out.push({ path: ['agents', k, 'leverage'], message: `found a distribution; allowed: one number with strategy ${CROSS_VENUE_ARB} (the leverage of both legs)` });
      continue;
    }
    if (a.arbitrage) out.push({ path: ['agents', k, 'arbitrage'], message: `found arbitrage: with strategy ${show(a.strategy)}; allowed: arbitrage: with strategy ${CROSS_VENUE_ARB} only` });
    const r = await resolveStrategy(a, k, c.dir);
    out.push(...r.issues);
    if (r.strategy) strategies[k] = r.strategy;
  }
  if (!reported && c.ticks !== undefined && bytes + c.ticks * BYTES_PER_TICK > DEFAULTS.memoryBudgetBytes) {
    out.push({ path: ['ticks'], message: `found ${c.ticks}: the run's per-tick columns and its agents need about ${((bytes + c.ticks * BYTES_PER_TICK) / GiB).toFixed(1)} GiB; allowed: at most ${(DEFAULTS.memoryBudgetBytes / GiB).toFixed(0)} GiB in all (about ${Math.floor((DEFAULTS.memoryBudgetBytes - bytes) / BYTES_PER_TICK).toLocaleString('en-US')} ticks with these agents)` });
  }
  return { issues: out, strategies };
}

/** A distribution whose bounds are out of order, or whose weights cannot be drawn from. */
function distIssues(spec: DistSpec, path: (string | number)[]): Issues {
  if (typeof spec === 'number') return [];
  if (spec.dist === 'uniform' && spec.min > spec.max) return [{ path: [...path, 'max'], message: `found ${spec.max}; allowed: a number ≥ min (${spec.min})` }];
  if (spec.dist === 'normal' && spec.min !== undefined && spec.max !== undefined && spec.min > spec.max) return [{ path: [...path, 'max'], message: `found ${spec.max}; allowed: a number ≥ min (${spec.min})` }];
  if (spec.dist === 'choice' && spec.weights) {
    if (spec.weights.length !== spec.values.length) return [{ path: [...path, 'weights'], message: `found ${spec.weights.length} weights; allowed: one weight per value (${spec.values.length})` }];
    if (!(spec.weights.reduce((s, w) => s + w, 0) > 0)) return [{ path: [...path, 'weights'], message: 'found weights that sum to 0; allowed: weights with a positive sum' }];
  }
  return [];
}
