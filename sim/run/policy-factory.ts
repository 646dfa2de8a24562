/** Builds a {@link LeveragePolicy} from a scenario's policy entry. */
import type { Tier } from '../exchange/margin';
import { BaselIIPolicy } from '../exchange/policies/basel-ii';
import { CircuitBreakerPolicy } from '../exchange/policies/circuit-breaker';
import { EsMarginPolicy } from '../exchange/policies/es-margin';
import { FixedPolicy } from '../exchange/policies/fixed';
import { OpenInterestPolicy } from '../exchange/policies/open-interest';
import { PRESETS } from '../exchange/policies/presets';
import { RiskScorePolicy } from '../exchange/policies/risk-score';
import { TieredPolicy } from '../exchange/policies/tiered';
import type { LeveragePolicy } from '../exchange/policies/types';
import { VolScaledPolicy } from '../exchange/policies/vol-scaled';
import type { BaseConfig, PolicyConfig } from '../scenario/schema';
import type { RandomStream, RandomStreams } from '../engine/rng';
import { ModuleError, refusePromise } from '../scenario/modules';

/** What a custom policy module's factory is given besides its `params`. */
export interface PolicyFactoryContext {
  /** The policy's label in outputs. */
  name: string;
  tickSeconds: number;
  onTighten?: string;
  graceTicks?: number;
  /** The asset whose market the policy serves, in a multi-asset world (absent with one market). */
  asset?: string;
  /**
   * The run's seeded stream named `stream` (`${seed}/policy/${stream}`, or
   * `${seed}/policy/${asset}/${stream}` in a multi-asset world, so each market's instance draws its
   * own numbers): keyed by the name the module asks for, never by the policy's label, so two
   * identical policies under different names draw the same numbers (common random numbers across
   * compared policies).
   */
  rng(stream: string): RandomStream;
}

/**
 * A custom policy module's default export: builds the policy from the scenario's `params`.
 * @example export default (params, ctx) => new MyPolicy(ctx.name, params.k as number, ctx.rng('my-policy'))
 */
export type PolicyFactory = (params: Record<string, unknown>, ctx: PolicyFactoryContext) => LeveragePolicy;

/** What building a policy needs besides its entry. */
export interface PolicyContext {
  tickSeconds: number;
  /** Resolved custom policy modules by the path written in the scenario. */
  modules: ReadonlyMap<string, PolicyFactory>;
  /** The run's random streams (its seed), for modules' `ctx.rng`; needed only by modules that draw. */
  streams?: RandomStreams;
  /** The asset whose market the policy serves (multi-asset worlds): keys the module's streams by it. */
  asset?: string;
}

/** The tiers of a static base schedule (`risk-score`'s `base`). */
export function baseTiers(b: BaseConfig): Tier[] {
  if ('preset' in b) return PRESETS[b.preset]!.tiers;
  if (b.type === 'fixed') return [{ floor: 0, cap: Infinity, maxLeverage: b.maxLeverage, mmr: b.mmr }];
  return b.tiers;
}

/** A default label for a policy entry. */
export function policyLabel(p: PolicyConfig): string {
  if ('preset' in p) return p.preset;
  if ('module' in p) return p.module.replace(/.*\//, '').replace(/\.[cm]?[jt]s$/, '');
  return p.type === 'fixed' ? `fixed-${p.maxLeverage}x` : p.type;
}

/** The members of a LeveragePolicy that a module's policy must have, with the type each must be. */
const POLICY_MEMBERS: readonly [string, 'string' | 'number' | 'function'][] = [
  ['name', 'string'], ['onTighten', 'string'], ['graceTicks', 'number'], ['onTick', 'function'], ['maxLeverage', 'function'],
  ['initialMargin', 'function'], ['maintenanceMargin', 'function'], ['table', 'function'], ['headline', 'function'],
];

/**
 * Refuses what a policy module's factory returned when it is no LeveragePolicy (a member missing or
 * of another type): an error of that module, naming what is missing, where the engine would fail
 * later on its first use with an error that names levsim's own code.
 * @throws {ModuleError}
 */
function checkPolicyShape(policy: unknown, who: string): asserts policy is LeveragePolicy {
  const p = (typeof policy === 'object' && policy !== null ? policy : {}) as Record<string, unknown>;
  const missing = POLICY_MEMBERS.filter(([k, type]) => typeof p[k] !== type).map(([k]) => k);
  if (missing.length > 0) {
    throw new ModuleError(`${who}: its factory returned no LeveragePolicy: found no ${missing.join(', ')}; allowed: an object with ${POLICY_MEMBERS.map(([k, t]) => `${k} (${t})`).join(', ')} (sim/exchange/policies/types.ts)`);
  }
}

/** Builds the policy; `name` labels it in outputs (default: {@link policyLabel}). */
export function buildPolicy(p: PolicyConfig, ctx: PolicyContext, name = policyLabel(p)): LeveragePolicy {
  const opts = { onTighten: p.onTighten, graceTicks: p.graceTicks };
  if ('preset' in p) return new TieredPolicy(name, PRESETS[p.preset]!.tiers, opts);
  if ('module' in p) {
    const streams = ctx.streams;
    const rng = (stream: string) => {
      if (!streams) throw new Error(`policy module ${p.module} asked for ctx.rng('${stream}'), but buildPolicy was given no streams`);
      return streams.stream(ctx.asset === undefined ? `policy/${stream}` : `policy/${ctx.asset}/${stream}`);
    };
    const asset = ctx.asset === undefined ? {} : { asset: ctx.asset };
    const who = `policy module ${p.module}`;
    const policy = ctx.modules.get(p.module)!(p.params, { name, tickSeconds: ctx.tickSeconds, onTighten: p.onTighten, graceTicks: p.graceTicks, ...asset, rng });
    refusePromise(policy, who, 'factory');
    checkPolicyShape(policy, who);
    // onTick is the policy's hook into the run: an async one would change the terms after its tick, unchecked.
    const onTick = policy.onTick;
    policy.onTick = function (this: LeveragePolicy, ...args) {
      const changed = onTick.apply(this, args);
      refusePromise(changed, who, 'onTick');
      return changed;
    };
    return policy;
  }
  switch (p.type) {
    case 'fixed': return new FixedPolicy(p.maxLeverage, p.mmr, { ...opts, name });
    case 'tiered': return new TieredPolicy(name, p.tiers, opts);
    case 'vol-scaled': return new VolScaledPolicy(name, { ...p, base: buildPolicy(p.base, ctx, `${name}.base`), tickSeconds: ctx.tickSeconds }, opts);
    case 'open-interest': return new OpenInterestPolicy(name, p, opts);
    case 'risk-score': return new RiskScorePolicy(name, { ...p, base: baseTiers(p.base) }, opts);
    case 'circuit-breaker': return new CircuitBreakerPolicy(name, { ...p, base: buildPolicy(p.base, ctx, `${name}.base`) }, opts);
    case 'es-margin': return new EsMarginPolicy(name, p, opts);
    case 'basel-ii': return new BaselIIPolicy(name, p, opts);
  }
}
