import { describe, expect, it } from 'vitest';
import { FixedPolicy } from '../../sim/exchange/policies/fixed';
import { scripted } from '../../agents/scripted';
import { buildWorld } from '../helpers/world';

describe('Simulation.run runs once', () => {
  it('throws on a second call instead of re-running on the first run\'s state', () => {
    const w = buildWorld({ ticks: 5, policy: new FixedPolicy(20, 0.01), populations: [scripted('b', [{ side: 1, leverage: 5, collateral: 1000, openTick: 0, closeTick: -1 }])] });
    let n = 0;
    w.simulation.run().subscribe(() => n++);
    expect(n).toBe(5);
    expect(() => w.simulation.run()).toThrowErrorMatchingInlineSnapshot(`[Error: Simulation.run() was already called: a simulation runs once; build a new one to run again]`);
  });
});
