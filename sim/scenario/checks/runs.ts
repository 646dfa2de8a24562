/**
 * Checks of the seeds a sweep runs (`runs.seeds`): they are distinct (a repeated seed would be run
 * twice into one run folder, and counted twice in the comparison's statistics as another
 * independent sample), and a count from `seed` on ends within 2^53 − 1, where whole numbers are
 * exact (the schema bounds `seed` and a list's seeds; beyond it two seeds can be one number).
 */
import { show } from '../errors';
import { get, type CheckContext, type Issues } from './context';

/** Checks `runs.seeds` (a count from `seed` on, or a list). */
export function checkRuns(c: CheckContext): Issues {
  const out: Issues = [];
  const seed = get(c.raw, 'seed');
  const seeds = get(get(c.raw, 'runs'), 'seeds');
  if (Array.isArray(seeds)) {
    const first = new Map<number, number>();
    seeds.forEach((v, k) => {
      if (typeof v !== 'number') return; // the schema reports it
      if (first.has(v)) out.push({ path: ['runs', 'seeds', k], message: `found ${show(v)}, already runs.seeds[${first.get(v)}]; allowed: distinct seeds (each seed is one run of each arm)` });
      else first.set(v, k);
    });
  } else if (typeof seeds === 'number' && Number.isInteger(seeds) && seeds > 0 && typeof seed === 'number' && Number.isSafeInteger(seed)) {
    // A count runs seed, seed + 1, …: its last must still be exact.
    const room = Number.MAX_SAFE_INTEGER - seed + 1;
    if (seeds > room) out.push({ path: ['runs', 'seeds'], message: `found ${seeds} seeds from seed ${seed}, the last ${BigInt(seed) + BigInt(seeds) - 1n}; allowed: at most ${room} from this seed (seeds are whole numbers up to 2^53 − 1 = ${Number.MAX_SAFE_INTEGER})` });
  }
  return out;
}
