import { describe, expect, it } from 'vitest';
import { RandomStream, RandomStreams } from '../../sim/engine/rng';
import { createIndexProcesses, JointShocks, makeProcess, type IndexSpec, type ProcessSpec } from '../../sim/market/assets';
import { correlationFactor } from '../../sim/market/correlation';
import { GarchProcess, GbmProcess, MertonProcess, ReplayProcess, type IndexProcess } from '../../sim/market/processes';
import type { ProcessSpec as WorldProcessSpec } from '../../sim/run/world';
import type { ProcessSpec as IndexProcessSpec } from '../../sim/index';

const DT = 1 / (365 * 24);

const C3 = [
  [1, 0.8, 0.3],
  [0.8, 1, 0.5],
  [0.3, 0.5, 1],
];

/** σ·√dt = 1 and no drift: the returns are the shocks Z_i themselves. */
const UNIT_GBM: ProcessSpec = { kind: 'gbm', mu: 0.5 / DT, sigma: 1 / Math.sqrt(DT) };
const unitT = (nu: number): ProcessSpec => ({ ...UNIT_GBM, innovations: { dist: 't', nu } });

/** `ticks` ticks of every process, as Market.beginTick calls them: each asset once a tick, in order. */
function run(ps: IndexProcess[], ticks: number): Float64Array[] {
  const out = ps.map(() => new Float64Array(ticks));
  for (let t = 0; t < ticks; t++) for (let i = 0; i < ps.length; i++) out[i]![t] = ps[i]!.logReturn(t);
  return out;
}

function mean(x: Float64Array): number {
  let s = 0;
  for (const v of x) s += v;
  return s / x.length;
}

function variance(x: Float64Array): number {
  const m = mean(x);
  let s = 0;
  for (const v of x) s += (v - m) ** 2;
  return s / (x.length - 1);
}

function corr(a: Float64Array, b: Float64Array): number {
  const ma = mean(a), mb = mean(b);
  let sab = 0, saa = 0, sbb = 0;
  for (let k = 0; k < a.length; k++) {
    sab += (a[k]! - ma) * (b[k]! - mb);
    saa += (a[k]! - ma) ** 2;
    sbb += (b[k]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** The empirical q-quantile of x. */
function quantile(x: Float64Array, q: number): number {
  const s = Float64Array.from(x).sort();
  return s[Math.floor(q * (s.length - 1))]!;
}

/** P(a < its q-quantile and b < its q-quantile), empirically. */
function jointTail(a: Float64Array, b: Float64Array, q: number): number {
  const qa = quantile(a, q), qb = quantile(b, q);
  let both = 0;
  for (let k = 0; k < a.length; k++) if (a[k]! < qa && b[k]! < qb) both++;
  return both / a.length;
}

describe('createIndexProcesses: one asset', () => {
  const prices = Float64Array.from([100, 101, 99.5, 102, 103]);
  const cases: [string, ProcessSpec, (rng: RandomStream) => IndexProcess][] = [
    ['gbm', { kind: 'gbm', mu: 0.1, sigma: 0.8 }, (r) => new GbmProcess(0.1, 0.8, DT, r)],
    ['gbm t', { kind: 'gbm', mu: 0.1, sigma: 0.8, innovations: { dist: 't', nu: 4 } }, (r) => new GbmProcess(0.1, 0.8, DT, r, { dist: 't', nu: 4 })],
    ['merton', { kind: 'merton', mu: 0, sigma: 0.6, lambda: 200, jumpMean: -0.05, jumpStd: 0.02 }, (r) => new MertonProcess(0, 0.6, 200, -0.05, 0.02, DT, r)],
    ['garch', { kind: 'garch', omega: 1e-6, alpha: 0.1, beta: 0.85 }, (r) => new GarchProcess(1e-6, 0.1, 0.85, r)],
    ['garch t', { kind: 'garch', omega: 1e-6, alpha: 0.1, beta: 0.85, innovations: { dist: 't', nu: 6 } }, (r) => new GarchProcess(1e-6, 0.1, 0.85, r, { dist: 't', nu: 6 })],
    ['replay', { kind: 'replay', prices }, () => new ReplayProcess(prices)],
  ];
  for (const [label, spec, direct] of cases) {
    it(`${label}: the same returns and jumps as the process built directly on stream 'market/index', with or without C = [[1]]`, () => {
      const expected = direct(new RandomStream(7, 'market/index'));
      const ticks = 5000;
      const want = run([expected], ticks)[0]!;
      for (const c of [undefined, [[1]]]) {
        const [p] = createIndexProcesses([{ name: 'BTC', process: spec }], c, DT, new RandomStreams(7));
        const got = new Float64Array(ticks);
        let jumps = 0;
        for (let t = 0; t < ticks; t++) {
          got[t] = p!.logReturn(t);
          if (p!.lastJump !== 0) jumps++;
        }
        expect(Buffer.from(got.buffer).equals(Buffer.from(want.buffer))).toBe(true);
        if (spec.kind === 'merton') expect(jumps).toBeGreaterThan(50);
      }
      const viaMake = run([makeProcess(spec, DT, new RandomStreams(7))], ticks)[0]!;
      expect(Buffer.from(viaMake.buffer).equals(Buffer.from(want.buffer))).toBe(true);
    });
  }

  it('ProcessSpec stays reachable from sim/run/world.ts and sim/index.ts', () => {
    const a: WorldProcessSpec = UNIT_GBM;
    const b: IndexProcessSpec = a;
    const c: ProcessSpec = b;
    expect(c.kind).toBe('gbm');
  });
});

describe('createIndexProcesses: correlated assets', () => {
  const names = ['BTC', 'ETH', 'SOL'];
  const three = (spec: ProcessSpec | ((i: number) => ProcessSpec)): IndexSpec[] =>
    names.map((name, i) => ({ name, process: typeof spec === 'function' ? spec(i) : spec }));

  it('200k joint normal draws have the target 3×3 correlation (±0.01) and unit variance', () => {
    const r = run(createIndexProcesses(three(UNIT_GBM), C3, DT, new RandomStreams(11)), 200_000);
    for (let i = 0; i < 3; i++) {
      expect(Math.abs(variance(r[i]!) - 1)).toBeLessThan(0.015);
      for (let j = i + 1; j < 3; j++) expect(Math.abs(corr(r[i]!, r[j]!) - C3[i]![j]!)).toBeLessThan(0.01);
    }
  });

  it('no correlation: independent assets', () => {
    const r = run(createIndexProcesses(three(UNIT_GBM), undefined, DT, new RandomStreams(12)), 200_000);
    for (let i = 0; i < 3; i++) for (let j = i + 1; j < 3; j++) expect(Math.abs(corr(r[i]!, r[j]!))).toBeLessThan(0.01);
  });

  it('a semi-definite (rank-deficient) matrix: perfectly (anti)correlated assets move exactly together', () => {
    // BTC and ETH identical, SOL their mirror image: rank 1, Cholesky's second pivot is 0.
    const c = [
      [1, 1, -1],
      [1, 1, -1],
      [-1, -1, 1],
    ];
    expect(correlationFactor(c).method).toBe('eigen');
    const r = run(createIndexProcesses(three(UNIT_GBM), c, DT, new RandomStreams(13)), 10_000);
    for (let t = 0; t < 10_000; t++) {
      expect(r[1]![t]).toBeCloseTo(r[0]![t]!, 12);
      expect(r[2]![t]).toBeCloseTo(-r[0]![t]!, 12);
    }
    expect(Math.abs(variance(r[0]!) - 1)).toBeLessThan(0.05);
  });

  it('throws a RangeError on a matrix of the wrong size, a non-correlation matrix, repeated names', () => {
    const s = new RandomStreams(1);
    expect(() => createIndexProcesses(three(UNIT_GBM), [[1, 0.5], [0.5, 1]], DT, s)).toThrow(RangeError);
    expect(() => createIndexProcesses(three(UNIT_GBM), [[1, 0.5], [0.5, 1]], DT, s)).toThrow(/2 rows but there are 3 assets \(BTC, ETH, SOL\)/);
    expect(() => createIndexProcesses([{ name: 'BTC', process: UNIT_GBM }], C3, DT, s)).toThrow(/3 rows but there are 1 assets/);
    expect(() => createIndexProcesses(three(UNIT_GBM), [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]], DT, s)).toThrow(/not positive semi-definite/);
    expect(() => createIndexProcesses([{ name: 'BTC', process: UNIT_GBM }, { name: 'BTC', process: UNIT_GBM }], undefined, DT, s)).toThrow(/'BTC' is used twice/);
    expect(() => createIndexProcesses([], undefined, DT, s)).toThrow(RangeError);
  });

  it('GARCH reads its own component, scaled by its own conditional variance; replay ignores the shocks', () => {
    const prices = Float64Array.from([100, 110, 99]);
    const specs: IndexSpec[] = [
      { name: 'BTC', process: UNIT_GBM },
      { name: 'ETH', process: { kind: 'garch', omega: 1e-6, alpha: 0.1, beta: 0.85 } },
      { name: 'REC', process: { kind: 'replay', prices } },
    ];
    const c = [[1, 0.7, 0.2], [0.7, 1, 0.2], [0.2, 0.2, 1]];
    const r = run(createIndexProcesses(specs, c, DT, new RandomStreams(14)), 200_000);
    expect(variance(r[1]!) / (1e-6 / 0.05)).toBeCloseTo(1, 1);
    // GARCH's return is σ_t·x_ETH, σ_t > 0: its correlation with BTC's x_BTC keeps the sign and most of 0.7
    const rho = corr(r[0]!, r[1]!);
    expect(rho).toBeGreaterThan(0.6);
    expect(rho).toBeLessThan(0.71);
    expect(Array.from(r[2]!.subarray(0, 3))).toEqual([Math.log(110 / 100), Math.log(99 / 110), 0]);
  });
});

describe('createIndexProcesses: multivariate Student-t', () => {
  const rho = 0.5;
  const c2 = [[1, rho], [rho, 1]];
  const pair = (spec: ProcessSpec): IndexSpec[] => [{ name: 'BTC', process: spec }, { name: 'ETH', process: spec }];
  const N = 400_000;

  it('one common χ² a tick: joint crashes far more often than under the normal with the same correlation', () => {
    const t = run(createIndexProcesses(pair(unitT(4)), c2, DT, new RandomStreams(21)), N);
    const g = run(createIndexProcesses(pair(UNIT_GBM), c2, DT, new RandomStreams(21)), N);
    const pt = jointTail(t[0]!, t[1]!, 0.01);
    const pg = jointTail(g[0]!, g[1]!, 0.01);
    // P(both below their 1% quantile) at ρ = 0.5, seed 21, 400k ticks: t₄ 0.0029 (1167 joint
    // exceedances), normal 0.0013 (524); independence would be 0.0001.
    expect(pt).toBeGreaterThan(1.5 * pg);
    expect(corr(t[0]!, t[1]!)).toBeCloseTo(rho, 1);
  });

  it('tail dependence even at zero correlation: independent t draws per asset would not give it', () => {
    const t = run(createIndexProcesses(pair(unitT(4)), undefined, DT, new RandomStreams(22)), N);
    // Independence: 0.01² = 1e-4.
    expect(jointTail(t[0]!, t[1]!, 0.01)).toBeGreaterThan(4e-4);
    expect(Math.abs(corr(t[0]!, t[1]!))).toBeLessThan(0.02);
  });

  it('t components have unit variance and the target correlation', () => {
    const r = run(createIndexProcesses([0, 1, 2].map((i) => ({ name: `A${i}`, process: unitT(8) })), C3, DT, new RandomStreams(23)), 200_000);
    for (let i = 0; i < 3; i++) {
      expect(Math.abs(variance(r[i]!) - 1)).toBeLessThan(0.03);
      for (let j = i + 1; j < 3; j++) expect(Math.abs(corr(r[i]!, r[j]!) - C3[i]![j]!)).toBeLessThan(0.02);
    }
  });

  it('normal assets in the same world read the unscaled components: a t neighbour does not change them', () => {
    const withT = run(createIndexProcesses([{ name: 'BTC', process: UNIT_GBM }, { name: 'ETH', process: unitT(5) }], c2, DT, new RandomStreams(24)), 2000);
    const allNormal = run(createIndexProcesses(pair(UNIT_GBM), c2, DT, new RandomStreams(24)), 2000);
    expect(Array.from(withT[0]!)).toEqual(Array.from(allNormal[0]!));
    expect(Array.from(withT[1]!)).not.toEqual(Array.from(allNormal[1]!));
  });

  it('Student-t assets must share one ν', () => {
    expect(() => createIndexProcesses([{ name: 'BTC', process: unitT(4) }, { name: 'ETH', process: unitT(6) }], undefined, DT, new RandomStreams(1)))
      .toThrow(/share one ν.*'BTC' has ν = 4, 'ETH' has ν = 6/);
    const garchT: ProcessSpec = { kind: 'garch', omega: 1e-6, alpha: 0.1, beta: 0.8, innovations: { dist: 't', nu: 4 } };
    expect(() => createIndexProcesses([{ name: 'BTC', process: unitT(4) }, { name: 'ETH', process: garchT }], undefined, DT, new RandomStreams(1))).not.toThrow();
  });
});

describe('createIndexProcesses: determinism', () => {
  const merton = (name: string): IndexSpec => ({ name, process: { kind: 'merton', mu: 0, sigma: 0.6, lambda: 400, jumpMean: -0.03, jumpStd: 0.02 } });

  function jumps(p: IndexProcess, ticks: number): number[] {
    const out: number[] = [];
    for (let t = 0; t < ticks; t++) {
      p.logReturn(t);
      out.push(p.lastJump);
    }
    return out;
  }

  it('the same seed gives the same paths, another seed other paths', () => {
    const specs = [merton('BTC'), { name: 'ETH', process: unitT(5) }, { name: 'SOL', process: UNIT_GBM }];
    const a = run(createIndexProcesses(specs, C3, DT, new RandomStreams('s')), 3000);
    const b = run(createIndexProcesses(specs, C3, DT, new RandomStreams('s')), 3000);
    const c = run(createIndexProcesses(specs, C3, DT, new RandomStreams('t')), 3000);
    for (let i = 0; i < 3; i++) {
      expect(Buffer.from(a[i]!.buffer).equals(Buffer.from(b[i]!.buffer))).toBe(true);
      expect(Buffer.from(a[i]!.buffer).equals(Buffer.from(c[i]!.buffer))).toBe(false);
    }
  });

  it("adding an asset does not change another asset's jumps (its own stream), though the joint vector changes with n", () => {
    // Market.beginTick order: every asset once a tick.
    const two = createIndexProcesses([merton('BTC'), merton('ETH')], undefined, DT, new RandomStreams(5));
    const three = createIndexProcesses([merton('BTC'), merton('ETH'), merton('SOL')], undefined, DT, new RandomStreams(5));
    const j2: number[][] = [[], []], j3: number[][] = [[], [], []];
    const r2: number[] = [], r3: number[] = [];
    for (let t = 0; t < 3000; t++) {
      two.forEach((p, i) => { const r = p.logReturn(t); if (i === 0) r2.push(r); j2[i]!.push(p.lastJump); });
      three.forEach((p, i) => { const r = p.logReturn(t); if (i === 0) r3.push(r); j3[i]!.push(p.lastJump); });
    }
    expect(j2[0]!.filter((j) => j !== 0).length).toBeGreaterThan(50);
    expect(j3[0]).toEqual(j2[0]);
    expect(j3[1]).toEqual(j2[1]);
    expect(j3[0]).not.toEqual(j3[1]);
    expect(r3).not.toEqual(r2); // diffusion: z has one entry per asset
    // the jumps are the single-asset Merton's draws on the asset's own stream
    expect(j3[2]).toEqual(jumps(new MertonProcess(0, 0.6, 400, -0.03, 0.02, DT, new RandomStream(5, 'market/index/SOL'), () => 0), 3000));
  });
});

describe('JointShocks', () => {
  it('draws one vector a tick, whatever the number of reads, and x = L·z', () => {
    const f = correlationFactor(C3);
    const s = new JointShocks(3, f, new RandomStream(3, 'market/joint'));
    const ref = new RandomStream(3, 'market/joint');
    for (let t = 0; t < 100; t++) {
      const x = [s.normal(2, t), s.normal(0, t), s.normal(1, t), s.normal(0, t)];
      const z = [ref.normal(), ref.normal(), ref.normal()];
      const want = [0, 1, 2].map((i) => f.l[i * 3]! * z[0]! + f.l[i * 3 + 1]! * z[1]! + f.l[i * 3 + 2]! * z[2]!);
      expect(x[1]).toBe(want[0]);
      expect(x[3]).toBe(want[0]);
      expect(x[2]).toBe(want[1]);
      expect(x[0]).toBe(want[2]);
      expect(s.studentT(1, t)).toBe(want[1]); // no ν: the t component is the normal one
    }
  });

  it('validates ν and the factor size', () => {
    const r = new RandomStream(1, 'j');
    expect(() => new JointShocks(2, correlationFactor(C3), r)).toThrow(/3×3 but there are 2 assets/);
    expect(() => new JointShocks(2, undefined, r, 2, r)).toThrow(/ν > 2/);
    expect(() => new JointShocks(2, undefined, r, 4)).toThrow(/χ²/);
  });
});
