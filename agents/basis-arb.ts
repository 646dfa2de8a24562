import type { StrategyDefinition } from './strategy';

/**
 * Basis arbitrageurs. Rule: with premium π = mark / index − 1, each agent's target position is
 *
 *     target = −sign(π) × min(1, max(0, |π| − threshold) / scale) × leverage × equity / mark
 *
 * (short when the perp is rich, long when cheap, nothing inside the band). The population's
 * combined order is then capped at `speed` × the flow that would close the premium in the current
 * book (the liquidity model's inverse impact), and each agent's order scaled to fit: arbitrageurs
 * do not trade past fair value. Without that cap the desks' own impact overshoots the index and
 * they flip side every tick. Being short a rich perp they also collect the funding the premium
 * drives; their flow pulls the mark back toward the index.
 *
 * Parameters: `threshold`, `scale` (premium fractions), `speed` (fraction of the premium closed per tick).
 */
export const basisArb: StrategyDefinition = {
  name: 'basis-arb',
  summary: 'trade mark against index to pull the premium toward 0, never past it',
  params: {
    threshold: { default: 0.0005, min: 0, unit: 'fraction', doc: 'premium below which the agent holds nothing' },
    scale: { default: 0.005, min: 1e-9, unit: 'fraction', doc: 'premium above threshold at which the agent is at full leverage' },
    speed: { default: 0.5, min: 0, max: 1, population: true, unit: 'fraction per tick', doc: 'share of the premium the population closes per tick at most' },
  },
  decide(pop, tick, market, ex) {
    const a = ex.accounts;
    const p = market.mark;
    const premium = market.mark / market.index - 1;
    const thr = pop.param('threshold'), scale = pop.param('scale');
    const orders = pop.column('order');
    let total = 0;
    for (let k = 0; k < pop.count; k++) {
      orders[k] = 0;
      if (!pop.acts(k, tick, ex)) continue;
      const i = pop.first + k;
      const eq = a.equity(i, p);
      const strength = Math.min(1, Math.max(0, Math.abs(premium) - thr[k]!) / scale[k]!);
      const target = eq > 0 ? (-Math.sign(premium) * strength * pop.leverage[k]! * eq) / p : 0;
      orders[k] = target - a.size[i]!;
      total += orders[k]!;
    }
    if (total === 0) return;
    // The flow that closes `speed` of the premium (opposite sign to it); never more than that.
    const closing = Math.abs(market.flowForMove(-pop.param('speed')[0]! * Math.log1p(premium))) / p;
    const scaleDown = Math.min(1, closing / Math.abs(total));
    for (let k = 0; k < pop.count; k++) if (orders[k] !== 0) ex.placeOrder(pop.first + k, orders[k]! * scaleDown);
  },
};
