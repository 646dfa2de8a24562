/**
 * A run that failed (exit 1). Its message names the module at fault and the tick: a user module
 * (strategy, with its population; policy) when the error came from one, else the levsim file that
 * threw, so an internal error is as easy to place as a user's; a broken ledger names the ledger.
 */
import { dirname, resolve } from 'path';
import type { World } from './world';
import type { LoadedScenario } from '../scenario/loader';
import { firstFrame, ModuleError, moduleInStack } from '../scenario/modules';
import { LedgerBroken } from '../metrics/ledger-check';

/** A failed run; the CLI prints `levsim: run <message>` and exits 1. */
export class RunFailure extends Error {
  /** @param message `failed at tick 20: …`, or with the run named first: `(policy a, seed 3) failed at …` */
  constructor(message: string) {
    super(message);
    this.name = 'RunFailure';
  }
}

/** Names where an error thrown during a run of `s` came from. */
function culprit(e: unknown, s: LoadedScenario): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (e instanceof ModuleError) return msg;
  // The check that found a broken ledger is not where the money went: no file is named.
  if (e instanceof LedgerBroken) return `${e.name}: ${msg}`;
  const dir = dirname(s.file);
  const policy = moduleInStack(e, new Map([...s.policyModules.keys()].map((m) => [resolve(dir, m), m])));
  if (policy) return `policy module ${policy} threw: ${msg}`;
  const sizer = s.liquidationModule && moduleInStack(e, new Map([[resolve(dir, s.liquidationModule.path), s.liquidationModule.path]]));
  if (sizer) return `liquidation module ${sizer} threw: ${msg}`;
  const where = firstFrame(e);
  return `internal error${where ? ` in ${where}` : ''}: ${e instanceof Error ? e.name : 'Error'}: ${msg}`;
}

/** The failure of a run of `s` at `tick` (-1: while setting up, before tick 0). */
export function runFailure(e: unknown, tick: number, s: LoadedScenario): RunFailure {
  return new RunFailure(`failed ${tick < 0 ? 'while setting up (before tick 0)' : `at tick ${tick}`}: ${culprit(e, s)}`);
}

/**
 * Runs `world` of scenario `s` to its end, synchronously. The run reports its errors through the
 * Observable: without this handler RxJS would rethrow them later, after a summary of the ticks
 * before had been written as if the run were complete. An error calls `abort` (drop partial
 * files) and is thrown here as the located {@link RunFailure}.
 */
export function runToEnd(world: World, s: LoadedScenario, abort: () => void = () => {}): void {
  let failure: { error: unknown } | undefined;
  world.simulation.run().subscribe({ error: (error: unknown) => (failure = { error }) });
  if (!failure) return;
  abort();
  throw runFailure(failure.error, world.simulation.clock.tick, s);
}

/** A comparison stopped by SIGINT or SIGTERM, once its workers have stopped (exit 130 / 143). */
export class Interrupted extends Error {
  /** @param signal the signal that stopped it */
  constructor(readonly signal: 'SIGINT' | 'SIGTERM') {
    super(`interrupted (${signal})`);
    this.name = 'Interrupted';
  }
}
