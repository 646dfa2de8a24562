/** The built-in strategies by name. */
import { basisArb } from './basis-arb';
import { contrarian } from './contrarian';
import { crossMomentum } from './cross-momentum';
import { marginUtilisation } from './margin-utilisation';
import { marketMaker } from './market-maker';
import { noise } from './noise';
import { pairTrade } from './pair-trade';
import { pairs } from './pairs';
import { portfolio } from './portfolio';
import type { StrategyDefinition } from './strategy';
import { trend } from './trend';
import { value } from './value';
import { volTarget } from './vol-target';

/** Every built-in strategy, keyed by the name scenario files use. */
export const STRATEGIES: Readonly<Record<string, StrategyDefinition>> = {
  noise, trend, contrarian, 'vol-target': volTarget, value, 'market-maker': marketMaker, 'basis-arb': basisArb, pairs,
  'pair-trade': pairTrade, portfolio, 'cross-momentum': crossMomentum, 'margin-utilisation': marginUtilisation,
};

/** Names of the built-in strategies. */
export const STRATEGY_NAMES = Object.keys(STRATEGIES);
