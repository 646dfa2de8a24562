/** The tables and headline figures of a run of several assets: a column per market, a column per margin mode. */
import type { MultiRunData } from '../data';
import { esc, fmt } from '../page';
import { dustOf, money } from '../../format';
import { kpis, priceKpis } from './summary';

type Summary = MultiRunData['summary'];
/** A row: its label, its value for one entity, and how it is shown (money to the unit, a fraction as a percentage, else 6 digits). */
type Field<T> = [label: string, value: (x: T) => number | null, kind?: 'money' | 'pct'];

/**
 * A table with one row per field and one column per entity (a market, a margin mode): `entities` are
 * [key, header html, value], each cell's exact value in `data-value`, its row's field in `data-field`.
 */
function table<T>(id: string, title: string, entities: [string, string, T][], fields: Field<T>[], dust: number, caption: string): string {
  const show = (v: number | null, kind?: 'money' | 'pct') => (v === null ? 'n/a' : kind === 'money' ? money(v, dust) : kind === 'pct' ? `${(v * 100).toFixed(1)}%` : fmt(v));
  const body = fields.map(([h, f, kind]) => `<tr data-field="${esc(h)}"><td>${esc(h)}</td>${entities.map(([k, , x]) => {
    const v = f(x);
    return `<td class="num" data-key="${esc(k)}" data-value="${v === null ? 'null' : String(v)}">${show(v, kind)}</td>`;
  }).join('')}</tr>`).join('');
  return `<section><h2>${esc(title)}</h2><table id="${id}"><thead><tr><th></th>${entities.map(([, head]) => `<th class="num">${head}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table>
<p class="caption">${esc(caption)}</p></section>`;
}

type Market = Summary['markets'][string];
const MARKET_FIELDS: Field<Market>[] = [
  ['price at start', (m) => m.price.start], ['price at end', (m) => m.price.end], ['lowest price', (m) => m.price.min],
  ['max drawdown', (m) => m.price.maxDrawdown, 'pct'], ['exogenous drawdown', (m) => m.price.exogenousMaxDrawdown, 'pct'], ['amplification', (m) => m.amplification],
  ['liquidations', (m) => m.liquidations.count], ['liquidated notional', (m) => m.liquidations.notional, 'money'],
  ['cascade ticks', (m) => m.cascades.count], ['largest cascade', (m) => m.cascades.largestNotional, 'money'], ['max rounds', (m) => m.cascades.maxRounds],
  ['ADL positions', (m) => m.adl.count], ['traders liquidated', (m) => m.traders.liquidated], ['managed bad debt', (m) => m.managedBadDebt, 'money'],
  ['avg open interest', (m) => m.efficiency.avgOpenInterest, 'money'], ['leverage p50', (m) => m.leverage.p50], ['leverage p90', (m) => m.leverage.p90],
];

/** One column per market: its prices, liquidations, cascades and the bad debt attributed to it. */
export function marketTable(s: Summary): string {
  return table('market-table', 'Markets', s.assets.map((a) => [a, esc(a), s.markets[a]!]), MARKET_FIELDS, dustOf(s),
    'Each market\'s summary (summary.json markets.<asset>): prices in quote, drawdowns of the mark and of the exogenous path alone, amplification (null under a 0.5% exogenous move), its liquidations and cascade ticks, positions auto-deleveraged, traders liquidated there, the bad debt of cross and portfolio accounts attributed to it (pro rata to the loss it realized), and time-average open interest and leverage percentiles.');
}

type Mode = NonNullable<Summary['modes'][keyof Summary['modes']]>;
const MODE_FIELDS: Field<Mode>[] = [
  ['accounts', (m) => m.accounts], ['liquidated accounts', (m) => m.liquidatedAccounts], ['liquidations', (m) => m.liquidations],
  ['liquidated notional', (m) => m.liquidatedNotional, 'money'], ['bankrupt closes', (m) => m.bankrupt], ['pnl', (m) => m.pnl, 'money'],
  ['ADL loss', (m) => m.adlLoss, 'money'], ['socialized loss', (m) => m.socializedLoss, 'money'],
  ['usage p50', (m) => m.usage?.usageP50 ?? null], ['usage p90', (m) => m.usage?.usageP90 ?? null], ['usage p99', (m) => m.usage?.usageP99 ?? null],
];

/** The margin modes that have accounts in the run (summary.json lists every mode). */
export function activeModes(s: Summary): (keyof Summary['modes'])[] {
  return (Object.keys(s.modes) as (keyof Summary['modes'])[]).filter((md) => (s.modes[md]?.accounts ?? 0) > 0);
}

/** One column per margin mode the run had (headed with its populations): their outcomes summed and the time-average usage. */
export function modeTable(s: Summary): string {
  const modes = activeModes(s).map((md): [string, string, Mode] => [md, `${esc(md)}<br><span class="ci">${esc(s.modes[md]!.populations.join(', '))}</span>`, s.modes[md]!]);
  return table('mode-table', 'Margin modes', modes, MODE_FIELDS, dustOf(s),
    'The outcomes of each margin mode\'s populations (summary.json modes.<mode>), summed over their markets, and the time-average of the sampled usage percentiles (requirement / equity; 1 is the liquidation line).');
}

/** The headline figures of the world, led by the market with the largest drawdown. */
export function multiKpis(s: Summary): string {
  const worst = s.assets.reduce((a, b) => (s.markets[b]!.price.maxDrawdown > s.markets[a]!.price.maxDrawdown ? b : a));
  return kpis(s, priceKpis(s.markets[worst]!, ` ${worst}`));
}
