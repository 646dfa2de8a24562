/**
 * Checks of `exchange.liquidation`: mode `module` names a sizing module that loads, and a module is
 * named only with that mode.
 */
import type { LiquidationSizerFactory } from '../../exchange/params';
import { resolveLiquidationModule } from '../modules';
import { get, type CheckContext, type Issues } from './context';

/** What the liquidation check finds, and the sizing module it loads (with the path written). */
export interface LiquidationCheck {
  issues: Issues;
  module?: { path: string; factory: LiquidationSizerFactory };
}

/** Checks `exchange.liquidation` and loads its sizing module. */
export async function checkLiquidation(c: CheckContext): Promise<LiquidationCheck> {
  const lq = get(get(c.raw, 'exchange'), 'liquidation');
  const mode = get(lq, 'mode'), module = get(lq, 'module');
  const at = ['exchange', 'liquidation'];
  if (mode === 'module') {
    if (typeof module !== 'string' || module.length === 0) {
      return { issues: [{ path: [...at, 'module'], message: `found ${module === undefined ? 'nothing' : JSON.stringify(module)}; allowed: with mode module, a path to a liquidation-sizing module (e.g. ./liquidation/nibble.ts)` }] };
    }
    const r = await resolveLiquidationModule(module, [...at, 'module'], c.dir);
    return { issues: r.issues, module: r.factory && { path: module, factory: r.factory } };
  }
  if (module !== undefined) {
    return { issues: [{ path: [...at, 'module'], message: `found ${JSON.stringify(module)} with mode ${JSON.stringify(mode ?? 'full')}; allowed: a module only with mode: module` }] };
  }
  return { issues: [] };
}
