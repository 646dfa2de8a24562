/** Run warnings on stderr, each distinct one once per process (a sweep repeats them per run). */
const printed = new Set<string>();

/** Writes each warning of `list` not yet printed by this process to stderr. */
export function printWarningsOnce(list: readonly string[]): void {
  for (const w of list) {
    if (printed.has(w)) continue;
    printed.add(w);
    process.stderr.write(`levsim: warning: ${w}\n`);
  }
}
