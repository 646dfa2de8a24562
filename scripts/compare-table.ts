/**
 * Prints a Markdown table of a comparison's metrics from its compare.json: per arm the mean (±95%
 * half-interval) of each metric, and each arm's paired difference against the baseline, for the
 * README's measured tables. Usage:
 *   node bin/run-ts.js scripts/compare-table.ts out/cross-asset-crash/compare.json contagion.matrix.ETH.BTC ledger.badDebt ...
 * A metric may carry a label after `=` (`contagion.matrix.ETH.BTC=ETH → BTC`).
 */
import { readFileSync } from 'fs';
import type { CompareResult } from '../sim/run/compare';
import { short } from './short-number';


/** The table's Markdown. */
export function compareTable(r: CompareResult, metrics: readonly string[]): string {
  const cols = metrics.map((m) => { const [path, label] = m.split('='); return { path: path!, label: label ?? path! }; });
  const head = `| metric | ${r.policies.map((p) => `\`${p.name}\``).join(' | ')} | ${r.paired.map((d) => `${d.name} − ${d.against}`).join(' | ')} |`;
  const rule = `|---|${r.policies.map(() => '---|').join('')}${r.paired.map(() => '---|').join('')}`;
  const rows = cols.map(({ path, label }) => {
    const arms = r.policies.map((p) => { const e = p.metrics[path]; return e ? `${short(e.mean)} ± ${short(e.ci95 ? (e.ci95[1] - e.ci95[0]) / 2 : null)}` : 'n/a'; });
    const diffs = r.paired.map((d) => { const e = d.metrics[path]; return e ? `${e.mean! >= 0 ? '+' : ''}${short(e.mean)} ± ${short(e.ci95 ? (e.ci95[1] - e.ci95[0]) / 2 : null)}` : 'n/a'; });
    return `| ${label} | ${arms.join(' | ')} | ${diffs.join(' | ')} |`;
  });
  return [head, rule, ...rows].join('\n') + '\n';
}

if (process.argv[1] === __filename) {
  const [file, ...metrics] = process.argv.slice(2);
  process.stdout.write(compareTable(JSON.parse(readFileSync(file!, 'utf8')) as CompareResult, metrics));
}
