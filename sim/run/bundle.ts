/**
 * A queued sweep's job bundle: the scenario's text and every module and data file it names, with
 * the hash over all of them, the levsim version and Node major version that made it. A worker
 * writes the bundle into a folder of its own (once per hash) and loads the scenario from there, so
 * it runs exactly what the submitter loaded; it refuses a bundle made by another levsim or Node
 * major version, or whose files do not hash to the bundle's hash.
 */
import { createHash } from 'crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'path';
import { levsimVersion } from '../../reports/manifest';
import { readNamedFiles, scenarioHash } from '../scenario/files';
import type { LoadedScenario } from '../scenario/loader';

/** One file of a bundle: its path relative to the bundle's root (with `/`), its bytes in base64. */
export interface BundleFile {
  path: string;
  base64: string;
}

/** What every job of a queued sweep carries. */
export interface JobBundle {
  /** The scenario file, relative to the bundle's root. */
  scenario: string;
  /** The scenario first, then each named file. */
  files: BundleFile[];
  /** {@link scenarioHash} over them: the scenario's sha256, as its manifests record it. */
  hash: string;
  /** True when the root is levsim's own folder: the bundle's modules may import levsim's files by relative path. */
  inLevsim: boolean;
  levsim: string;
  nodeMajor: number;
  /** How the scenario was loaded: `--set` overrides (with `--ticks` / `--seed` as `ticks=` / `seed=`). */
  sets: string[];
}

/** levsim's own folder (the package root). */
const LEVSIM_ROOT = resolve(__dirname, '..', '..');

/** This process's Node major version. */
export function nodeMajor(): number {
  return Number(process.versions.node.split('.')[0]);
}

const toPosix = (p: string) => p.split(sep).join('/');

/** The deepest folder holding every one of `files` (absolute paths). */
function commonFolder(files: readonly string[]): string {
  let root = dirname(files[0]!);
  while (files.some((f) => relative(root, f).startsWith('..'))) root = dirname(root);
  return root;
}

/** The bundle of a loaded scenario (its files are read again, and must hash to what was loaded). */
export function makeBundle(s: LoadedScenario): JobBundle {
  const dir = dirname(s.file);
  const named = readNamedFiles(dir, s.files);
  const abs = [s.file, ...s.files.map((f) => resolve(dir, f))];
  const inLevsim = abs.every((f) => !relative(LEVSIM_ROOT, f).startsWith('..') && !isAbsolute(relative(LEVSIM_ROOT, f)));
  const root = inLevsim ? LEVSIM_ROOT : commonFolder(abs);
  const bytes = readFileSync(s.file);
  const hash = scenarioHash(bytes, named);
  if (hash !== s.sha256) throw new Error(`${s.file} or a file it names changed while the sweep was being submitted`);
  return {
    scenario: toPosix(relative(root, s.file)),
    files: [{ path: toPosix(relative(root, s.file)), base64: bytes.toString('base64') }, ...named.map((f, k) => ({ path: toPosix(relative(root, abs[k + 1]!)), base64: f.bytes.toString('base64') }))],
    hash, inLevsim, levsim: levsimVersion(), nodeMajor: nodeMajor(), sets: s.overrides,
  };
}

/** Why this process must not run the bundle's jobs (another levsim or Node major version), or null. */
export function versionMismatch(b: Pick<JobBundle, 'levsim' | 'nodeMajor'>): string | null {
  if (b.levsim === levsimVersion() && b.nodeMajor === nodeMajor()) return null;
  return `the job was submitted by levsim ${b.levsim} on Node ${b.nodeMajor}; this worker runs levsim ${levsimVersion()} on Node ${nodeMajor()}; allowed: the same levsim version and Node major version on the submitter and every worker`;
}

/**
 * Writes the bundle's files into `<tmp>/levsim-jobs/<hash>-<install>/` (once: a complete folder is
 * renamed into place; `<install>` names this levsim's folder, since the links below point into it)
 * and returns the scenario's path there. When the bundle comes from levsim's own
 * folder, levsim's top-level entries are linked beside its files, so that a module's relative
 * imports of levsim (`../../sim/...`) reach this worker's levsim.
 */
export function materialize(b: JobBundle, base = join(tmpdir(), 'levsim-jobs')): string {
  const dir = join(base, `${b.hash}-${createHash('sha256').update(LEVSIM_ROOT).digest('hex').slice(0, 12)}`);
  if (!existsSync(dir)) {
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    for (const f of b.files) {
      const file = resolve(tmp, f.path);
      if (relative(tmp, file).startsWith('..')) throw new Error(`job bundle file ${f.path} is outside its folder`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, Buffer.from(f.base64, 'base64'));
    }
    const own = new Set(b.files.map((f) => f.path.split('/')[0]));
    const links = b.inLevsim ? readdirSync(LEVSIM_ROOT) : ['node_modules'];
    for (const e of links) if (!own.has(e)) symlinkSync(join(LEVSIM_ROOT, e), join(tmp, e));
    try {
      renameSync(tmp, dir);
    } catch (e) {
      // Another process of this machine materialized the same bundle first: theirs is identical.
      rmSync(tmp, { recursive: true, force: true });
      if (!existsSync(dir)) throw e;
    }
  }
  return join(dir, b.scenario);
}
