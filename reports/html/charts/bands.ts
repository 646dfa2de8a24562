/** Percentile bands over time: 10th–90th and 25th–75th shaded, the median as a line. */
import type { Columns } from '../data';

/**
 * The traces of `<prefix>P10` … `<prefix>P90` of `cols` against `cols.tick`, in the colour `rgb`
 * ('r,g,b'): two shaded bands and the median.
 */
export function percentileBands(cols: Columns, prefix: string, rgb: string): Record<string, unknown>[] {
  const band = (lo: number, hi: number, name: string, alpha: number) => [
    { type: 'scatter', mode: 'lines', x: cols.tick, y: cols[`${prefix}P${lo}`], line: { width: 0 }, showlegend: false, hoverinfo: 'skip' },
    { type: 'scatter', mode: 'lines', x: cols.tick, y: cols[`${prefix}P${hi}`], fill: 'tonexty', fillcolor: `rgba(${rgb},${alpha})`, line: { width: 0 }, name },
  ];
  const hex = `#${rgb.split(',').map((v) => Number(v).toString(16).padStart(2, '0')).join('')}`;
  return [
    ...band(10, 90, '10th–90th percentile', 0.15),
    ...band(25, 75, '25th–75th percentile', 0.3),
    { type: 'scatter', mode: 'lines', x: cols.tick, y: cols[`${prefix}P50`], name: 'median', line: { color: hex } },
  ];
}
