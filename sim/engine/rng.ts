/**
 * Seeded randomness. Every random number in levsim comes from here: named seedrandom streams
 * (alea, seeded with `${seed}/${name}`) and, for per-agent decisions, a counter-based hash keyed by
 * a stream-drawn key. `Math.random` is never used.
 */
import seedrandom from 'seedrandom';

/** One named, seeded stream of uniform and normal variates. */
export class RandomStream {
  private readonly prng: seedrandom.PRNG;
  private spare = NaN;
  /** The last point of {@link disc}. */
  private u = 0;
  private v = 0;

  /** Creates the stream `${seed}/${name}`; the same pair always yields the same sequence. */
  constructor(readonly seed: string | number, readonly name: string) {
    // alea: fast, passes BigCrush, and unlike the default ARC4 it costs ~10 ns a draw.
    this.prng = seedrandom.alea(`${seed}/${name}`);
  }

  /** Uniform on [0, 1). */
  next(): number {
    return this.prng();
  }

  /** Uniform on the open interval (0, 1): safe for logarithms. */
  open(): number {
    let u = this.prng();
    while (u === 0) u = this.prng();
    return u;
  }

  /** A signed 32-bit integer, used to key counter-based per-agent draws. */
  int32(): number {
    return this.prng.int32();
  }

  /** Standard normal by the Marsaglia polar method; the second variate of each pair is kept. */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const s = this.spare;
      this.spare = NaN;
      return s;
    }
    const s = this.disc();
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = this.v * m;
    return this.u * m;
  }

  /**
   * Student-t variate with ν > 0 degrees of freedom, by Bailey's polar method (Math. Comp. 1994):
   * (U, V) uniform on the unit disc, W = U² + V², T = U·√(ν·(W^(−2/ν) − 1) / W).
   */
  studentT(nu: number): number {
    const w = this.disc();
    return this.u * Math.sqrt((nu * (Math.pow(w, -2 / nu) - 1)) / w);
  }

  /**
   * A point (u, v) uniform on the unit disc without its centre, by rejection from the square;
   * leaves it in `u`, `v` and returns u² + v².
   */
  private disc(): number {
    let s: number;
    do {
      this.u = 2 * this.prng() - 1;
      this.v = 2 * this.prng() - 1;
      s = this.u * this.u + this.v * this.v;
    } while (s >= 1 || s === 0);
    return s;
  }

  /** Poisson variate with mean `lambda` (Knuth's product method; lambda is small per tick). */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.prng();
    while (p > limit) {
      k++;
      p *= this.prng();
    }
    return k;
  }
}

/** The factory of named streams for one run: `streams.stream('market/index')`. */
export class RandomStreams {
  private readonly cache = new Map<string, RandomStream>();

  /** Binds the factory to the run's seed. */
  constructor(readonly seed: string | number) {}

  /** The stream with this name, created on first use; names are independent of creation order. */
  stream(name: string): RandomStream {
    let s = this.cache.get(name);
    if (!s) {
      s = new RandomStream(this.seed, name);
      this.cache.set(name, s);
    }
    return s;
  }
}

/** A 32-bit avalanche mixer (Wellons' lowbias32): every input bit flips each output bit with p≈1/2. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * Counter-based uniform on (0, 1) for agent `agent` at tick `tick`, purpose `salt`, under `key`.
 * Why: a decision drawn this way does not depend on how many draws other agents made before it, so
 * two policies that liquidate different agents still give every surviving agent the same random
 * decisions (common random numbers), and a million agents need no million generator objects.
 */
export function hashUniform(key: number, agent: number, tick: number, salt: number): number {
  let h = mix32(key ^ Math.imul(agent + 1, 0x9e3779b9));
  h = mix32(h ^ Math.imul(tick + 1, 0x85ebca6b) ^ Math.imul(salt + 1, 0xc2b2ae35));
  return (h + 0.5) / 4294967296;
}

/** Longest wait {@link geometricWait} returns: far beyond any run, and safe in an Int32 tick column. */
export const NEVER = 1 << 28;

/**
 * Ticks to wait for the first success of a per-tick Bernoulli(p) trial, counting from now: 0 means
 * "this tick", and P(wait ≥ g) = (1 − p)^g, by inversion of the uniform `u` ∈ (0, 1).
 * Why: an agent that acts with probability p each tick can draw the tick it next acts once, and be
 * skipped until then by one integer comparison instead of a draw every tick; the waiting times
 * have exactly the Bernoulli process's distribution (it is memoryless, so a wait can be redrawn
 * from any tick). Capped at {@link NEVER}; p ≤ 0 never acts.
 */
export function geometricWait(u: number, p: number): number {
  if (p >= 1) return 0;
  if (!(p > 0)) return NEVER;
  return Math.min(NEVER, Math.floor(Math.log(u) / Math.log1p(-p)));
}
