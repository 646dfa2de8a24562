/** Timing helpers for the benchmarks (wall clock lives here, never in sim/). */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { performance } from 'perf_hooks';

/** Milliseconds taken by `fn`. */
export function timeIt(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/** Median of a list of numbers. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs a full garbage collection when node was started with --expose-gc, so that set-up garbage is not collected during a timing. */
export function settle(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * Runs `fn` with a new folder under the system's temporary folder (named `prefix` + a random
 * suffix) and removes the folder when `fn` returns, throws, or its promise settles: a benchmark's
 * run outputs are read, never kept.
 */
export function inTempDir<T>(prefix: string, fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  let result: T;
  try {
    result = fn(dir);
  } catch (e) {
    remove();
    throw e;
  }
  if (result instanceof Promise) return result.finally(remove) as T;
  remove();
  return result;
}

/**
 * Peak resident set size of this process so far, in bytes: Linux's VmHWM. Not getrusage's
 * `maxRSS`: Linux carries a process's peak over `exec`, so a child started from a process holding
 * 500 MB reports at least 500 MB (`npm run bench` starts bench/fulltick.ts after the kernels
 * section's 10^7 accounts). `maxRSS` only where there is no /proc.
 */
export function peakRssBytes(): number {
  let status: string;
  try {
    status = readFileSync('/proc/self/status', 'utf8');
  } catch {
    return process.resourceUsage().maxRSS * 1024;
  }
  const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(status);
  if (!hwm) throw new Error('/proc/self/status has no VmHWM line');
  return Number(hwm[1]) * 1024;
}
