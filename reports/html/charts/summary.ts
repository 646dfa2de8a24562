/** The summary table (every summary.json field with its definition), headline figures, and the scenario echo. */
import type { RunSummary } from '../../../sim/metrics/summary';
import { summaryField, summaryFields } from '../data';
import { esc, fmt } from '../page';
import { dustOf, money } from '../../format';

/** A summary field in quote money (its definition says so): shown with {@link money}. */
const isMoney = (definition: string) => definition.includes('(quote');

/** Every summary.json field, its value (exact in data-value) and its definition. */
export function summaryTable(s: RunSummary): string {
  const fields = summaryFields(s);
  const rows = fields.map(([path, def]) => {
    const f = summaryField(s, path);
    const v = Array.isArray(f) ? f.join('; ') : f; // a list field: its entries, one after another
    const exact = typeof v === 'number' ? String(v) : v === null ? 'null' : String(v);
    const shown = typeof v === 'number' ? (isMoney(def) ? money(v, dustOf(s)) : fmt(v)) : v === null ? 'n/a' : esc(String(v));
    return `<tr data-field="${path}"><td><code>${path}</code></td><td class="num" data-value="${esc(exact)}">${shown}</td><td>${esc(def)}</td></tr>`;
  }).join('');
  return `<section><h2>Summary</h2><table id="summary-table"><thead><tr><th>field</th><th>value</th><th>definition</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

/** The headline price figures of one market (`label`: its name, in a run of several): drawdown against the exogenous one, amplification. */
export function priceKpis(s: Pick<RunSummary, 'price' | 'amplification'>, label = ''): [string, string][] {
  return [
    [`max drawdown${label} (exogenous)`, `${(s.price.maxDrawdown * 100).toFixed(1)}% (${(s.price.exogenousMaxDrawdown * 100).toFixed(1)}%)`],
    [`amplification${label}`, fmt(s.amplification)],
  ];
}

/** A row of headline figures: `prices` (the run's own, or a market's in a run of several), then the run's liquidations and losses. */
export function kpis(s: RunSummary, prices: [string, string][] = priceKpis(s)): string {
  const k = (label: string, v: string) => `<div class="kpi">${esc(label)}<b>${v}</b></div>`;
  return `<section class="kpis">${[
    ...prices.map(([label, v]) => k(label, v)),
    k('liquidated notional', money(s.liquidations.notional, dustOf(s))),
    k('largest cascade', money(s.cascades.largestNotional, dustOf(s))),
    k('max rounds in a tick', String(s.cascades.maxRounds)),
    k('traders liquidated', `${(s.traders.liquidatedShare * 100).toFixed(1)}%`),
    k('bad debt', money(s.ledger.badDebt, dustOf(s))),
    k('ADL positions', fmt(s.adl.count)),
  ].join('')}</section>`;
}

/** The scenario as it ran. */
export function scenarioEcho(text: string): string {
  return `<section><h2>Scenario</h2><pre id="scenario-echo">${esc(text)}</pre></section>`;
}
