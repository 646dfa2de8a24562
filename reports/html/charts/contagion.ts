/** The contagion matrix of a run of several assets as a heatmap: shocked market × market where liquidations happened. */
import type { ContagionSummary } from '../../../sim/metrics/contagion';
import { money } from '../../format';
import { layout, type Figure } from '../page';

/** Rows (shocked markets) × columns (liquidated markets) of one matrix, in the order of `assets`. */
const cells = (m: Record<string, Record<string, number>>, assets: readonly string[]) => assets.map((a) => assets.map((b) => m[a]?.[b] ?? 0));

/**
 * Liquidated notional in each market (column) within the window of the shocks to each market (row),
 * all accounts, with buttons that show the liquidations of one margin mode (`modes`: those the run had).
 */
export function contagionFigure(c: ContagionSummary, assets: readonly string[], modes: readonly string[]): Figure {
  const shocks = (a: string) => c.shocks.filter((e) => e.market === a).length;
  const rows = assets.map((a) => `${a} (${shocks(a)} shock${shocks(a) === 1 ? '' : 's'})`);
  // each button swaps the matrix and its cell labels (money, empty for no liquidations)
  const view = (m: Record<string, Record<string, number>>) => {
    const z = cells(m, assets);
    return { z: [z], text: [z.map((row) => row.map((v) => (v > 0 ? money(v) : '')))] };
  };
  const all = view(c.matrix);
  const byMode = modes.map((md) => ({ label: md, ...view((c.byMode as Record<string, Record<string, Record<string, number>>>)[md] ?? {}) }));
  return {
    id: 'chart-contagion',
    data: [{
      type: 'heatmap', x: [...assets], y: rows, z: all.z[0], text: all.text[0], colorscale: [[0, '#fff5eb'], [0.25, '#fdae6b'], [0.6, '#e6550d'], [1, '#7f2704']],
      texttemplate: '%{text}', colorbar: { title: { text: 'notional' } },
      hovertemplate: 'shock to %{y}<br>liquidated in %{x}: %{z:,.0f}<extra></extra>',
    }],
    layout: layout('Contagion: shock here, liquidations there', 'market where liquidations happened', 'shocked market', {
      yaxis: { title: { text: 'shocked market' }, autorange: 'reversed', automargin: true },
      updatemenus: [{
        type: 'buttons', direction: 'right', x: 1, xanchor: 'right', y: 1.18, showactive: true,
        buttons: [{ label: 'all modes', method: 'restyle', args: [{ z: all.z, text: all.text }] }, ...byMode.map((m) => ({ label: m.label, method: 'restyle', args: [{ z: m.z, text: m.text }] }))],
      }],
    }),
    caption: `Each cell is the notional liquidated in the column's market within ${c.windowTicks} ticks of a shock to the row's market (an exogenous move of its index of at least ${(c.minMove * 100).toFixed(1)}% in log terms; overlapping windows count each tick once). Off the diagonal is contagion: a shock to one market liquidating positions in another, through shared collateral (cross and portfolio margin) or correlated prices. The buttons show the liquidations of one margin mode. A row without shocks stays empty; a joint shock opens a window in each of its markets' rows.`,
  };
}
