/**
 * The optimisation report (`report.html` beside optimize.json): for each constrained metric, every
 * candidate's objective against the metric, the Pareto frontier, and the chosen point; and a table
 * of the candidates. Built from optimize.json alone.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { OptimizeResult } from '../../sim/run/optimize';
import { writeFileAtomic } from '../atomic';
import { esc, figureSection, fmt, layout, page, type Figure } from './page';
import { plotlyMinified } from './plotly-bundle';

/** The optimisation report of `dir` (a folder with optimize.json), as HTML. */
export function optimizeReportHtml(dir: string): string {
  const r = JSON.parse(readFileSync(join(dir, 'optimize.json'), 'utf8')) as OptimizeResult;
  const objective = `${r.objective.maximize} (${r.objective.stat})`;
  const last = (name: string) => r.candidates.find((c) => c.name === name)!.evaluations.at(-1)!;
  const figures: Figure[] = r.frontiers.map((f, k) => {
    // Every candidate's last evaluation: the metric's mean over its seeds against the objective.
    const all = r.candidates.map((c) => {
      const e = c.evaluations.at(-1)!;
      return { name: c.name, feasible: e.feasible, objective: e.objective.value, risk: e.means[f.metric] ?? null };
    });
    const group = (feasible: boolean) => all.filter((p) => p.feasible === feasible);
    const chosen = all.find((p) => p.name === r.best?.name);
    return {
      id: `chart-frontier-${k}`,
      data: [
        ...[true, false].map((feasible) => ({ type: 'scatter', mode: 'markers', name: feasible ? 'feasible' : 'infeasible', x: group(feasible).map((p) => p.risk), y: group(feasible).map((p) => p.objective), text: group(feasible).map((p) => p.name), marker: { size: 8, color: feasible ? '#1f5fbf' : '#b0b6c0' } })),
        { type: 'scatter', mode: 'lines', name: 'Pareto frontier', x: f.points.map((p) => p.risk), y: f.points.map((p) => p.objective), line: { color: '#d9534f', shape: 'hv' } },
        ...(chosen ? [{ type: 'scatter', mode: 'markers+text', name: `chosen: ${chosen.name}`, x: [chosen.risk], y: [chosen.objective], text: [chosen.name], textposition: 'top center', marker: { size: 14, color: '#2a9d3f', symbol: 'star' } }] : []),
      ],
      layout: layout(`${r.objective.maximize} against ${f.metric}`, `${f.metric} (mean over seeds; ${f.direction === 'min' ? 'lower' : 'higher'} is safer)`, objective),
      caption: `One point per candidate, at its last round's seeds (points may rest on different numbers of seeds). The red line joins the candidates no other beats on both axes; the star is the best feasible candidate.`,
    };
  });
  const params = Object.keys(r.candidates[0]?.params ?? {});
  const rows = r.candidates.map((c) => {
    const e = last(c.name);
    return `<tr><td>${esc(c.name)}${c.name === r.best?.name ? ' (best)' : ''}</td>${params.map((p) => `<td class="num">${fmt(c.params[p])}</td>`).join('')}<td class="num">${e.seeds.length}</td><td class="num">${fmt(e.objective.value)}${e.objective.ci95 && r.objective.stat === 'mean' ? `<br><span class="ci">±${fmt((e.objective.ci95[1] - e.objective.ci95[0]) / 2)}</span>` : ''}</td><td>${e.feasible ? 'yes' : 'no'}</td></tr>`;
  }).join('');
  const table = `<section><h2>Candidates</h2><table id="optimize-table"><thead><tr><th>candidate</th>${params.map((p) => `<th>${esc(p)}</th>`).join('')}<th>seeds</th><th>${esc(objective)}</th><th>feasible</th></tr></thead><tbody>${rows}</tbody></table>
<p class="caption">Each candidate at its last round, with the half-width of the 95% interval of the mean.</p></section>`;
  const subtitle = `${r.method}: ${r.rounds.length} round(s), ${r.runs} of ${r.budget} runs; best ${r.best ? r.best.name : 'none (no candidate met the constraints)'}`;
  return page(`levsim optimisation: ${r.scenario}`, subtitle, [table, ...figures.map(figureSection)].join('\n'), figures, plotlyMinified());
}

/** Writes `report.html` into the optimisation folder `dir`. */
export function writeOptimizeReport(dir: string): string {
  const file = join(dir, 'report.html');
  writeFileAtomic(file, optimizeReportHtml(dir));
  return file;
}
