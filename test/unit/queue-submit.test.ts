import { describe, expect, it } from 'vitest';
import type { JobBundle } from '../../sim/run/bundle';
import type { RunJob } from '../../sim/run/compare';
import { runJobId, sweepFailure } from '../../sim/run/queue-submit';

const bundle: JobBundle = { scenario: 's.yaml', files: [], hash: 'h', inLevsim: false, levsim: '0', nodeMajor: 20, sets: [] };
const todo: RunJob[] = [1, 2, 3].map((seed) => ({ policy: 'a', seed, outDir: `out/a/${seed}` }));

/**
 * A stand-in for BullMQ's runs queue: seed 1 is waiting out a retry, and seed 2's last attempt (its
 * third) ends at the first state query that concerns it, after the sweep's parent already failed
 * (through another run): the race a real cluster runs into with two workers.
 */
function racingQueue() {
  let ended = false;
  const snapshot = (seed: number) => (seed === 2 && ended ? { attemptsMade: 3, failedReason: 'boom at attempt 3' } : { attemptsMade: 2, failedReason: 'boom at attempt 2' });
  const state = (seed: number) => {
    if (seed !== 2) return 'delayed';
    ended = true;
    return 'failed';
  };
  const seedOf = (id: string) => todo.find((j) => runJobId(bundle, j) === id)!.seed;
  return {
    getJobState: async (id: string) => state(seedOf(id)),
    getJob: async (id: string) => snapshot(seedOf(id)),
  };
}

describe('a queued sweep that failed', () => {
  it('names the first failed run in plan order with its final attempts and error, even when its last attempt ended while it was being looked up', async () => {
    const f = await sweepFailure(racingQueue() as never, bundle, todo, new Error('parent failed'));
    expect(f.message).toBe('(policy a, seed 2) failed on the queue after 3 attempt(s): boom at attempt 3');
  });
});
