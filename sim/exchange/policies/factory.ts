/** Builds a {@link LeveragePolicy} from a scenario's `exchange.policy` entry. */
import { FixedPolicy } from './fixed';
import { PRESETS } from './presets';
import { TieredPolicy } from './tiered';
import type { LeveragePolicy, TightenMode } from './types';

/** A policy entry as scenario files write it (validated). */
export type PolicySpec =
  | { preset: string; onTighten?: TightenMode; graceTicks?: number }
  | { type: 'fixed'; maxLeverage: number; mmr: number; onTighten?: TightenMode; graceTicks?: number }
  | { type: 'tiered'; tiers: { floor: number; cap: number; maxLeverage: number; mmr: number; cum?: number }[]; onTighten?: TightenMode; graceTicks?: number };

/** Builds the policy; `name` labels it in outputs (defaults to the preset or type). */
export function buildPolicy(spec: PolicySpec, name?: string): LeveragePolicy {
  const opts = { onTighten: spec.onTighten, graceTicks: spec.graceTicks };
  if ('preset' in spec) return new TieredPolicy(name ?? spec.preset, PRESETS[spec.preset]!.tiers, opts);
  if (spec.type === 'fixed') return new FixedPolicy(spec.maxLeverage, spec.mmr, { ...opts, name: name ?? `fixed-${spec.maxLeverage}x` });
  return new TieredPolicy(name ?? 'tiered', spec.tiers, opts);
}
