/**
 * Checks of the seeds a sweep runs (`runs.seeds`, and `optimize`'s): a list's are distinct (a
 * repeated seed would be run twice into one run folder, and counted twice in the comparison's
 * statistics as another independent sample), and seeds counted from `seed` on end within
 * 2^53 − 1, where whole numbers are exact (the schema bounds `seed` and a list's seeds; beyond it
 * two seeds can be one number).
 */
import { show } from '../errors';
import { get, type CheckContext, type Issues } from './context';

/** Checks `runs.seeds` (a count from `seed` on, or a list), and the seeds `optimize` can run from `seed` on. */
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
  const o = get(c.raw, 'optimize');
  const budget = get(o, 'budget'), first = get(o, 'seeds') ?? 2;
  if (typeof budget === 'number' && Number.isInteger(budget) && budget > 0 && typeof first === 'number' && Number.isInteger(first) && first > 0 && typeof seed === 'number' && Number.isSafeInteger(seed)) {
    // A round doubles its seeds only when the new ones fit in the budget, so the most any round can
    // run is the first doubling of `seeds` past the budget.
    let most = first;
    while (most <= budget) most *= 2;
    if (most - 1 > Number.MAX_SAFE_INTEGER - seed) {
      out.push({ path: ['optimize', 'budget'], message: `found ${budget}: from seed ${seed} an optimisation can run up to ${most} seeds (doubling from ${first} while a round fits in the budget), the last ${BigInt(seed) + BigInt(most) - 1n}; allowed: a budget or a seed that keeps them within 2^53 − 1 = ${Number.MAX_SAFE_INTEGER}` });
    }
  }
  return out;
}
