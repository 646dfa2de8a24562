/** Systemic-risk charts: insurance fund and bad debt with ADL events, funding and open interest, the policy's limit. */
import type { RunData } from '../data';
import { lineTrace } from '../downsample';
import { layout, type Figure } from '../page';

/** Insurance fund and cumulative bad debt, with ADL events marked (a run of several assets: the venue's, over its markets). */
export function insuranceFigure(d: Pick<RunData, 'ticks'>, maxPoints: number): Figure {
  const t = d.ticks;
  const adlTicks = t.tick!.filter((_, k) => t.adlCount![k]! > 0);
  const adlN = t.adlNotional!.filter((_, k) => t.adlCount![k]! > 0);
  return {
    id: 'chart-insurance',
    data: [
      lineTrace('insurance fund', t.tick!, t.insuranceFund!, maxPoints, { line: { color: '#2e8b57' } }),
      lineTrace('cumulative bad debt', t.tick!, t.badDebt!, maxPoints, { line: { color: '#d9534f' } }),
      { type: 'scatter', mode: 'markers', name: 'ADL events', x: adlTicks, y: adlTicks.map(() => 0), marker: { symbol: 'triangle-up', size: 9, color: '#7b3fbf' }, text: adlN.map((n) => `${Math.round(n).toLocaleString('en-US')} deleveraged`) },
    ],
    layout: layout('Insurance fund, bad debt and auto-deleveraging', 'tick', 'quote'),
    caption: 'The fund grows from liquidation fees and pays bankrupt remainders. Once it is empty, auto-deleveraging (purple) closes profitable opposite positions; what nothing covers is bad debt (red).',
  };
}

/** Funding rate and open interest. */
export function fundingFigure(d: RunData, maxPoints: number): Figure {
  const t = d.ticks;
  return {
    id: 'chart-funding',
    data: [
      lineTrace('open interest (quote)', t.tick!, t.openInterestNotional!, maxPoints, { line: { color: '#1f5fbf' } }),
      lineTrace('funding rate', t.tick!, t.fundingRate!, maxPoints, { yaxis: 'y2', line: { color: '#f0ad4e', shape: 'hv' } }),
    ],
    // automargin: the right axis's tick labels get room, so its title never sits on them.
    layout: layout('Funding rate and open interest', 'tick', 'open interest (quote)', {
      yaxis: { title: { text: 'open interest (quote)' }, automargin: true },
      yaxis2: { title: { text: 'funding rate per interval (fraction)', standoff: 12 }, overlaying: 'y', side: 'right', automargin: true, tickformat: '.2~e' },
      margin: { l: 70, r: 90, t: 50, b: 55 },
    }),
    caption: 'Open interest (one side, at the mark) and the last funding rate. A positive rate means longs pay shorts: a crowded long market shows it before the crash; open interest collapses as positions are liquidated.',
  };
}

/** The policy's headline max leverage over time (dynamic policies). */
export function policyFigure(d: RunData, maxPoints: number): Figure {
  const t = d.ticks;
  return {
    id: 'chart-policy',
    data: [lineTrace('max leverage', t.tick!, t.policyMaxLeverage!, maxPoints, { line: { color: '#7b3fbf', shape: 'hv' } })],
    layout: layout(`Policy max leverage (${d.summary.policy})`, 'tick', 'max leverage of the first bracket (x)'),
    caption: 'How the dynamic policy moved its limit. Steps down are tightenings that existing positions meet according to the policy\'s onTighten mode.',
  };
}

/** True when the policy's limit moved during the run. */
export function policyIsDynamic(d: RunData): boolean {
  const v = d.ticks.policyMaxLeverage!;
  return v.some((x) => x !== v[0]);
}
