/**
 * Loads the account-column kernels (kernels.wat, compiled to kernels.wasm by
 * `npm run build:wasm`) and binds them to one memory. Compiled once per process (a synchronous
 * compile of a 1 kB module), instantiated once per {@link Accounts}.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

/** The exported kernels; pointers are byte offsets into the bound memory (see kernels.wat). */
export interface ColumnKernels {
  /** The book pass over accounts [0, n); results at byte 0 (7 f64, see kernels.wat). */
  book(size: number, entry: number, coll: number, liqPrice: number, n: number, mark: number, h5: number, h10: number): void;
  /**
   * Takes the leverage terms |size| / equity of the open accounts of [lo, hi) with equity > 0 out of
   * `sum`, one at a time in id order; returns the sum, and writes the count taken out to byte 56.
   */
  unbook(size: number, entry: number, coll: number, lo: number, hi: number, mark: number, sum: number): number;
  /** Counts (and with `out` ≠ 0 lists) open positions below maintenance margin; returns the count. */
  scan(size: number, entry: number, coll: number, n: number, mark: number, lines: number, nLines: number, deep: number, out: number): number;
}

let compiled: WebAssembly.Module | undefined;

/** Instantiates the kernels over `memory`. */
export function columnKernels(memory: WebAssembly.Memory): ColumnKernels {
  compiled ??= new WebAssembly.Module(readFileSync(join(__dirname, 'kernels.wasm')));
  return new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as ColumnKernels;
}
