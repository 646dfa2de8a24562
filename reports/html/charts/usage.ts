/** Margin usage (maintenance requirement / equity) by margin mode over time, as percentile bands. */
import type { Columns } from '../data';
import { layout, type Figure } from '../page';
import { percentileBands } from './bands';

/** A colour ('r,g,b') per margin mode. */
const COLOURS: Record<string, string> = { isolated: '31,95,191', cross: '230,85,13', portfolio: '46,139,87' };

/** The usage distribution of one margin mode's accounts (usage.csv's rows of `mode`) over time. */
export function usageFigure(mode: string, u: Columns): Figure {
  const rgb = COLOURS[mode] ?? '90,97,112';
  return {
    id: `chart-usage-${mode}`,
    data: [
      ...percentileBands(u, 'usage', rgb),
      { type: 'scatter', mode: 'lines', x: u.tick, y: u.usageP99, name: '99th percentile', line: { color: `rgb(${rgb})`, width: 1, dash: 'dot' } },
    ],
    layout: layout(`Margin usage of ${mode} accounts`, 'tick', 'requirement / equity (log)', {
      yaxis: { title: { text: 'requirement / equity (log)' }, type: 'log', tickvals: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10] },
      shapes: [{ type: 'line', xref: 'paper', x0: 0, x1: 1, yref: 'y', y0: 1, y1: 1, line: { color: '#d9534f', width: 1, dash: 'dash' } }],
    }),
    caption: `Maintenance requirement over equity of the ${mode}-margined accounts holding positions, sampled: 1 (dashed) is the liquidation line, and an account at or below zero equity counts at the top. Bands rising towards the line before a shock are accounts with little room left; a portfolio account's requirement also moves with its other positions and the scan ranges.`,
  };
}
