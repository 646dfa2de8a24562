/** Scenario assertions: bounds on summary metrics, checked after a run (exit code 3 on failure). */
import { summaryValue, type RunSummary } from '../metrics/summary';
import type { ClearingSummary } from '../metrics/clearing-summary';

/** One checked bound. */
export interface AssertionResult {
  metric: string;
  value: number | null | undefined;
  min?: number;
  max?: number;
  pass: boolean;
}

/** Checks every bound of `bounds` against `summary`; a missing or null value fails. */
export function checkAssertions(bounds: Record<string, { min?: number; max?: number }> | undefined, summary: RunSummary | ClearingSummary): AssertionResult[] {
  return Object.entries(bounds ?? {}).map(([metric, b]) => {
    const raw = summaryValue(summary, metric);
    const value = typeof raw === 'boolean' ? +raw : raw; // a flag bounds as 0 or 1
    const pass = typeof value === 'number' && (b.min === undefined || value >= b.min) && (b.max === undefined || value <= b.max);
    return { metric, value, min: b.min, max: b.max, pass };
  });
}
