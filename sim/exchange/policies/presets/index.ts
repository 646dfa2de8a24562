/**
 * Tier presets reproducing ../shared/reference/exchange-margin.md. Published `cum`/deduction values
 * are kept as published; the tests check each against the derivation rule.
 */
import type { Tier } from '../../margin';

/** A named preset: its tiers and where they come from. */
export interface Preset {
  tiers: Tier[];
  source: string;
}

const rows = (r: [number, number, number, number, number?][]): Tier[] =>
  r.map(([floor, cap, maxLeverage, mmr, cum]) => (cum === undefined ? { floor, cap, maxLeverage, mmr } : { floor, cap, maxLeverage, mmr, cum }));

/** Hyperliquid tiers: MMR is half the IMR at the tier's max leverage; deductions derived. */
const hyperliquid = (r: [number, number, number][]): Tier[] =>
  r.map(([floor, cap, maxLeverage]) => ({ floor, cap, maxLeverage, mmr: 0.5 / maxLeverage }));

/** Every built-in preset by name. */
export const PRESETS: Readonly<Record<string, Preset>> = {
  'binance-btcusdt': {
    source: 'Binance USDT-M BTCUSDT, snapshot A',
    tiers: rows([
      [0, 50_000, 125, 0.004, 0],
      [50_000, 250_000, 100, 0.005, 50],
      [250_000, 3_000_000, 50, 0.01, 1_300],
      [3_000_000, 20_000_000, 20, 0.025, 46_300],
      [20_000_000, 40_000_000, 10, 0.05, 546_300],
      [40_000_000, 100_000_000, 5, 0.1, 2_546_300],
      [100_000_000, 120_000_000, 4, 0.125, 5_046_300],
      [120_000_000, 200_000_000, 3, 0.15, 8_046_300],
      [200_000_000, 300_000_000, 2, 0.25, 28_046_300],
      [300_000_000, 500_000_000, 1, 0.5, 103_046_300],
    ]),
  },
  'binance-ethusdt': {
    source: 'Binance USDT-M ETHUSDT, snapshot A',
    tiers: rows([
      [0, 10_000, 100, 0.005, 0],
      [10_000, 100_000, 75, 0.0065, 15],
      [100_000, 500_000, 50, 0.01, 365],
      [500_000, 1_000_000, 25, 0.02, 5_365],
      [1_000_000, 2_000_000, 10, 0.05, 35_365],
      [2_000_000, 5_000_000, 5, 0.1, 135_365],
      [5_000_000, 10_000_000, 4, 0.125, 260_365],
      [10_000_000, 20_000_000, 3, 0.15, 510_365],
      [20_000_000, Infinity, 2, 0.25, 2_510_365],
    ]),
  },
  'bybit-btcusdt': {
    source: 'Bybit USDT perpetual BTCUSDT risk limits',
    tiers: rows([
      [0, 2_000_000, 100, 0.005, 0],
      [2_000_000, 2_600_000, 90, 0.0056, 1_200],
      [2_600_000, 3_200_000, 80, 0.0063, 3_020],
      [3_200_000, 3_800_000, 75, 0.0067, 4_300],
      [3_800_000, 4_400_000, 70, 0.0071, 5_820],
      [4_400_000, 5_000_000, 65, 0.0077, 8_460],
      [5_000_000, 5_600_000, 55, 0.0091, 15_460],
      [5_600_000, 8_500_000, 50, 0.01, 20_500],
      [8_500_000, 10_000_000, 45, 0.013, 46_000],
      [10_000_000, 14_000_000, 40, 0.015, 66_000],
      [14_000_000, 20_000_000, 35, 0.016, 80_000],
      [20_000_000, 28_000_000, 30, 0.02, 160_000],
      [28_000_000, 38_000_000, 25, 0.025, 300_000],
      [38_000_000, 50_000_000, 20, 0.029, 452_000],
      [50_000_000, 55_000_000, 19, 0.03, 502_000],
      [55_000_000, 60_000_000, 18, 0.035, 777_000],
      [60_000_000, 65_000_000, 17, 0.036, 837_000],
      [65_000_000, 70_000_000, 16, 0.038, 967_000],
      [70_000_000, 75_000_000, 15, 0.04, 1_107_000],
      [75_000_000, 80_000_000, 14, 0.045, 1_482_000],
    ]),
  },
  'hyperliquid-btc': {
    source: 'Hyperliquid mainnet BTC: 0–150M 40x, above 20x; MMR = IMR/2',
    tiers: hyperliquid([[0, 150_000_000, 40], [150_000_000, Infinity, 20]]),
  },
  'hyperliquid-eth': {
    source: 'Hyperliquid mainnet ETH: 0–100M 25x, above 15x; MMR = IMR/2',
    tiers: hyperliquid([[0, 100_000_000, 25], [100_000_000, Infinity, 15]]),
  },
  'dydx-large-cap': {
    source: 'dYdX v4 genesis Large-Cap: IMF 5% (20x), MMF = 60% × IMF = 3%',
    tiers: rows([[0, Infinity, 20, 0.03]]),
  },
};

/** Names of the built-in presets. */
export const PRESET_NAMES = Object.keys(PRESETS);
