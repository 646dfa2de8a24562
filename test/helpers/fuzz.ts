/**
 * The scenario fuzzer: seeded structural and numeric mutations of the small example scenarios
 * (flash-crash, baseline, the multi-asset fixture and the linked venues fixture, cut to 50 ticks),
 * each run through the CLI and judged: no stack trace, never exit 1, and a run that is accepted
 * writes no NaN, Infinity or undocumented null, and keeps its ledger residual (and each lending
 * protocol's) ≤ 1e-9.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import seedrandom from 'seedrandom';
import { parse, stringify } from 'yaml';
import { cli } from './cli';

type Json = unknown;
type Rng = () => number;

/** Values a leaf can be replaced with: zero, negatives, extremes, text that looks numeric, nulls, garbage. */
const NASTY: Json[] = [0, -1, -1e6, 1e308, -1e308, 5e-324, 'NaN', Number.NaN, Infinity, null, '', 'garbage', { foo: 'bar' }, [], true, 2 ** 53, 0.5, 1e15];

/** The two bases, cut to 50 ticks with their shock inside the run and no HTML report. */
export function bases(): Record<string, Record<string, Json>> {
  const load = (f: string) => parse(readFileSync(f, 'utf8')) as Record<string, Json>;
  const flash = load('scenarios/flash-crash.yaml');
  const market = flash.market as Record<string, Json>;
  market.warmupTicks = 10;
  market.shocks = [{ tick: 30, return: -0.12 }];
  const baseline = load('scenarios/baseline.yaml');
  (baseline.market as Record<string, Json>).warmupTicks = 10;
  // Three assets in every margin mode, the ETH crash inside the run.
  const multi = load('test/fixtures/multi-asset.yaml');
  const mm = multi.market as Record<string, Json>;
  mm.warmupTicks = 10;
  mm.shocks = [{ tick: 30, return: -0.15, assets: ['ETH'] }];
  // Three venues and a lending pool tied by every kind of link (spillover, arbitrageurs, a shared
  // reserve, an oracle on a venue's spot), a collateral token, local and oracle shocks inside 50 ticks.
  const venues = load('test/fixtures/venues/linked.yaml');
  for (const s of [flash, baseline, multi, venues]) {
    s.ticks = 50;
    s.outputs = { report: false };
  }
  return { 'flash-crash': flash, baseline, 'multi-asset': multi, venues };
}

/** Every path to a map entry or list item of `x`, leaves and inner nodes alike. */
function paths(x: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (x === null || typeof x !== 'object') return [];
  const keys: (string | number)[] = Array.isArray(x) ? x.map((_, k) => k) : Object.keys(x);
  return keys.flatMap((k) => [[...prefix, k], ...paths((x as Record<string | number, Json>)[k], [...prefix, k])]);
}

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;

/** Applies 1–3 seeded mutations to a deep copy of `base` (populations capped at 10^5 agents); returns it and a description. */
export function mutate(base: Record<string, Json>, seed: number): { doc: Record<string, Json>; what: string[] } {
  const rng = seedrandom.alea(`fuzz/${seed}`);
  const doc = structuredClone(base);
  const what: string[] = [];
  const n = 1 + Math.floor(rng() * 3);
  for (let m = 0; m < n; m++) {
    const all = paths(doc);
    if (all.length === 0) break;
    const path = pick(rng, all);
    const parent = path.slice(0, -1).reduce<Json>((o, k) => (o as Record<string | number, Json>)[k], doc) as Record<string | number, Json>;
    const key = path[path.length - 1]!;
    const old = parent[key];
    const kind = rng();
    if (kind < 0.15) {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      what.push(`delete ${path.join('.')}`);
    } else if (kind < 0.45 && typeof old === 'number') {
      const v = old * 10 ** (Math.floor(rng() * 13) - 6) * (rng() < 0.2 ? -1 : 1);
      parent[key] = v;
      what.push(`${path.join('.')} = ${v}`);
    } else {
      const v = pick(rng, NASTY);
      parent[key] = v;
      what.push(`${path.join('.')} = ${JSON.stringify(v)}`);
    }
  }
  // A valid count of 50 million agents runs for minutes: cap populations so that a case takes seconds.
  for (const a of Array.isArray(doc.agents) ? doc.agents : []) {
    if (a && typeof a === 'object' && typeof (a as { count?: Json }).count === 'number' && (a as { count: number }).count > 1e5) (a as { count: number }).count = 1e5;
  }
  return { doc, what };
}

/**
 * Documented nulls in summary.json. In any run: amplification below a 0.5% exogenous move, and the
 * average leverage of a run in which no tick had an isolated position. In a run of several assets
 * or venues: the world's price fields, average leverage and leverage percentiles (each market has
 * its own), each market's average leverage likewise and its open interest per collateral
 * (collateral is the venue's), the usage of a margin mode without accounts, and the first
 * liquidation of a node (venue or protocol) that has none.
 */
const ANY_RUN = [/^amplification$/, /^efficiency\.avgLeverage$/];
const MULTI_RUN = [
  /^price\./, /^leverage\.p(50|90|99)$/, /^markets\.[^.]+\.amplification$/, /^markets\.[^.]+\.efficiency\.(avgLeverage|openInterestPerCollateral)$/, /^modes\.[^.]+\.usage$/,
  // A venue or protocol that never liquidates (sim/metrics/systemic.ts: null means none).
  /^nodes\.[^.]+\.firstLiquidation(Tick|AfterShock)$/,
];

/** Finds nulls outside {@link ANY_RUN} (and {@link MULTI_RUN} in a run of several markets) and non-finite numbers in a parsed JSON value. */
function badJson(x: Json, path = '', multi = false): string[] {
  if (x === null) return ANY_RUN.some((r) => r.test(path)) || (multi && MULTI_RUN.some((r) => r.test(path))) ? [] : [`${path} is null`];
  if (typeof x === 'number') return Number.isFinite(x) ? [] : [`${path} is ${x}`];
  if (typeof x !== 'object') return [];
  return Object.entries(x as Record<string, Json>).flatMap(([k, v]) => badJson(v, path ? `${path}.${k}` : k, multi));
}

/** One fuzz case's verdict: problems found (empty when fine), the exit code and what was mutated. */
export interface FuzzVerdict {
  problems: string[];
  code: number;
  what: string[];
}

/** Runs one mutated scenario through the CLI and checks what it did. */
export async function fuzzCase(baseName: string, base: Record<string, Json>, seed: number): Promise<FuzzVerdict> {
  const { doc, what } = mutate(base, seed);
  const dir = mkdtempSync(join(tmpdir(), 'levsim-fuzz-'));
  try {
    const file = join(dir, `${baseName}.yaml`);
    writeFileSync(file, stringify(doc));
    const out = join(dir, 'out');
    const r = await cli('run', file, '--out', out, '--quiet', '--ticks', '50');
    const problems: string[] = [];
    if (![0, 2, 3].includes(r.code)) problems.push(`exit ${r.code}: ${r.err.slice(0, 500)}`);
    if (/\n\s+at /.test(r.err)) problems.push(`stack trace: ${r.err.slice(0, 500)}`);
    if (r.code === 2) {
      for (const line of r.err.trim().split('\n')) if (!/^(\S+\.yaml(:\d+:\d+)?|--\w+): /.test(line)) problems.push(`unplaced message: ${line}`);
      if (existsSync(join(out, 'manifest.json'))) problems.push('bad input, yet a manifest was written');
    }
    if (r.code === 0 || r.code === 3) {
      const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Json;
      const assets = (summary as { assets?: string[] }).assets;
      // A world of venues spans several markets like a multi-asset run: its world-level price fields are null by design.
      const several = assets !== undefined || (summary as { venues?: string[] }).venues !== undefined;
      problems.push(...badJson(summary, '', several).map((p) => `summary.json: ${p}`));
      const residual = (summary as { ledger: { maxRelativeResidual: number } }).ledger.maxRelativeResidual;
      if (!(residual <= 1e-9)) problems.push(`ledger residual ${residual}`);
      // Each lending protocol's own ledger (cash + debt + bad debt = supplied) balances too.
      for (const [name, p] of Object.entries((summary as { protocols?: Record<string, { maxRelativeResidual: number }> }).protocols ?? {})) {
        if (!(p.maxRelativeResidual <= 1e-9)) problems.push(`protocol ${name} ledger residual ${p.maxRelativeResidual}`);
      }
      const suffixes = assets ? assets.map((a) => `-${a}`) : [''];
      // A world of venues names its tables by venue and market (ticks-<venue>-<asset>.csv, protocol-<name>.csv): check every table.
      const venueTables = (summary as { venues?: string[] }).venues ? readdirSync(out).filter((f) => f.endsWith('.csv')) : [];
      for (const f of new Set(['ticks.csv', 'usage.csv', ...suffixes.flatMap((x) => [`ticks${x}.csv`, `cascades${x}.csv`, `liquidations${x}.csv`]), ...venueTables])) {
        if (existsSync(join(out, f)) && /NaN|Infinity|,null|,,/.test(readFileSync(join(out, f), 'utf8'))) problems.push(`${f} holds NaN, Infinity or an empty cell`);
      }
    }
    return { problems, code: r.code, what };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
