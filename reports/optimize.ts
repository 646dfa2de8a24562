/** The outputs of a policy optimisation: optimize.json, and the terminal table of its candidates. */
import { join } from 'path';
import { writeFileAtomic } from './atomic';
import { stableJson } from '../sim/run/run-scenario';
import { assertionLabel } from '../sim/run/assertions';
import type { OptimizeResult } from '../sim/run/optimize';

/** Writes optimize.json into `outDir`. */
export function writeOptimization(r: OptimizeResult, outDir: string): void {
  writeFileAtomic(join(outDir, 'optimize.json'), stableJson(r));
}

const num = (x: number | null | undefined): string => (x === null || x === undefined ? 'n/a' : Math.abs(x) >= 1e4 ? Math.round(x).toLocaleString('en-US') : Number(x.toPrecision(4)).toString());

/**
 * The candidates, furthest round first and then by the objective: parameters, seeds, the
 * objective's statistic (±95% CI half-width of the mean), each constraint's value, and whether it
 * met them; the best is marked `*`.
 */
export function optimizeTable(r: OptimizeResult): string {
  const params = Object.keys(r.candidates[0]?.params ?? {});
  const labels = [...new Set(r.candidates.flatMap((c) => c.evaluations.at(-1)!.constraints.map(assertionLabel)))];
  const ranked = [...r.candidates].sort((a, b) => {
    const x = a.evaluations.at(-1)!, y = b.evaluations.at(-1)!;
    return y.round - x.round || (y.objective.value ?? -Infinity) - (x.objective.value ?? -Infinity) || (a.name < b.name ? -1 : 1);
  });
  const header = ['', 'candidate', ...params, 'seeds', `${r.objective.maximize} ${r.objective.stat}`, ...labels, 'feasible'];
  const rows = ranked.map((c) => {
    const e = c.evaluations.at(-1)!;
    const ci = r.objective.stat === 'mean' && e.objective.ci95 ? ` ±${num((e.objective.ci95[1] - e.objective.ci95[0]) / 2)}` : '';
    const constraint = (l: string) => num(e.constraints.find((x) => assertionLabel(x) === l)?.value);
    return [r.best?.name === c.name ? '*' : '', c.name, ...params.map((p) => num(c.params[p])), String(e.seeds.length), `${num(e.objective.value)}${ci}`, ...labels.map(constraint), e.feasible ? 'yes' : 'no'];
  });
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((row) => row[j]!.length)));
  const fmt = (row: string[]) => ' ' + row.map((c, j) => (j < 2 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ');
  const line = '─'.repeat(widths.reduce((s, w) => s + w + 2, 1));
  const best = r.best ? `best: ${r.best.name} (${params.map((p) => `${p} ${num(r.best!.params[p])}`).join(', ')}) on ${r.best.seeds.length} seeds` : 'best: none (no candidate met the constraints)';
  return ` ${r.scenario}: ${r.method}, ${r.rounds.length} round(s), ${r.runs} of ${r.budget} runs\n${line}\n${fmt(header)}\n${line}\n${rows.map(fmt).join('\n')}\n${line}\n ${best}`;
}
