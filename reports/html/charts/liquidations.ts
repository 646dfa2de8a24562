/** Liquidation charts: notional per tick (longs and shorts stacked), the cascades table and the CCDF of cascade sizes. */
import type { MarketData, RunData } from '../data';
import { binSums } from '../downsample';
import { esc, fmt, layout, ofMarket, type Figure } from '../page';
import { amplification } from '../../../sim/metrics/episodes';
import { money } from '../../format';

/** Liquidated notional per tick of one market, longs and shorts stacked. */
export function liquidationsFigure(d: MarketData, maxBars: number): Figure {
  const { id, title } = ofMarket(d.name, 'chart-liquidations', 'Liquidated notional per tick');
  const c = d.cascades;
  const span = d.span;
  const L = binSums(c.tick!, c.longNotional!, span, maxBars);
  const S = binSums(c.tick!, c.shortNotional!, span, maxBars);
  return {
    id,
    data: [
      { type: 'bar', name: 'longs', x: L.x, y: L.y, marker: { color: '#d9534f' } },
      { type: 'bar', name: 'shorts', x: S.x, y: S.y, marker: { color: '#5b8def' } },
    ],
    // The x-axis spans the whole run like the other charts; a log y-axis (button) shows the small cascades beside the largest.
    layout: layout(title, span > maxBars ? `tick (bins of ${Math.ceil(span / maxBars)})` : 'tick', 'notional (quote)', {
      barmode: 'stack',
      xaxis: { title: { text: span > maxBars ? `tick (bins of ${Math.ceil(span / maxBars)})` : 'tick' }, range: [0, span - 1] },
      updatemenus: [{
        type: 'buttons', direction: 'right', x: 1, xanchor: 'right', y: 1.18, showactive: true,
        buttons: [{ label: 'linear', method: 'relayout', args: [{ 'yaxis.type': 'linear' }] }, { label: 'log', method: 'relayout', args: [{ 'yaxis.type': 'log' }] }],
      }],
    }),
    caption: 'How much was liquidated in each tick, long positions in red and shorts in blue. Tall, isolated bars are cascades; a run of bars is an episode. Switch the y-axis to log to see the smaller cascades beside the largest.',
  };
}

/** The complementary CDF of cascade sizes on log–log axes. */
export function ccdfFigure(d: RunData): Figure {
  const c = d.cascades;
  const sizes = c.tick!.map((_, k) => c.longNotional![k]! + c.shortNotional![k]!).filter((x) => x > 0).sort((a, b) => b - a);
  return {
    id: 'chart-ccdf',
    data: [{ type: 'scatter', mode: 'markers', name: 'P(size ≥ x)', x: sizes, y: sizes.map((_, k) => (k + 1) / sizes.length), marker: { size: 5, color: '#1f5fbf' } }],
    layout: layout('Cascade sizes: complementary CDF', 'cascade notional x (quote, log)', 'share of cascades with size ≥ x (log)', { xaxis: { type: 'log', title: { text: 'cascade notional x (quote, log)' } }, yaxis: { type: 'log', title: { text: 'share of cascades with size ≥ x (log)' } } }),
    caption: 'Each point is a cascade tick: the share of cascades at least that large. A straight line on these log–log axes is a power-law tail: rare cascades far larger than typical ones.',
  };
}

/** The cascades table, largest first. */
export function cascadesTable(d: RunData, rows = 30): string {
  const c = d.cascades;
  const list = c.tick!.map((tick, k) => {
    const notional = c.longNotional![k]! + c.shortNotional![k]!;
    const amp = amplification(Math.log(c.markAfter![k]! / c.markOpen![k]!), c.exogenousReturn![k]!);
    return { tick, rounds: c.rounds![k]!, accounts: c.accounts![k]!, notional, amp, cap: c.roundCapHit![k]! };
  }).sort((a, b) => b.notional - a.notional).slice(0, rows);
  const body = list.map((r) => `<tr><td class="num">${r.tick}</td><td class="num">${r.rounds}${r.cap ? ' (cap)' : ''}</td><td class="num">${fmt(r.accounts)}</td><td class="num">${money(r.notional)}</td><td class="num">${fmt(r.amp)}</td></tr>`).join('');
  return `<section><h2>Cascades, largest first</h2>
<table id="cascades-table"><thead><tr><th>tick</th><th>rounds</th><th>accounts</th><th>notional (quote)</th><th>amplification</th></tr></thead><tbody>${body || '<tr><td colspan="5">no liquidations</td></tr>'}</tbody></table>
<p class="caption">${esc(`The ${list.length} largest cascade ticks of ${c.tick!.length}. Amplification is the tick's mark move over its exogenous move (n/a when the exogenous move is under 0.5%).`)}</p></section>`;
}
