/**
 * The short bench run of CI: measures the ratios of bench/ratios.ts at a small size and fails
 * (exit 1) when one breaks its budget in bench/budgets.json.
 *
 *   node --expose-gc bin/run-ts.js bench/check.ts
 */
import { readFileSync } from 'fs';
import { measureRatios, type Ratios } from './ratios';

interface Budget { min?: number; max?: number; note: string }

async function check(): Promise<void> {
  const budgets = JSON.parse(readFileSync('bench/budgets.json', 'utf8')) as { agents: number; ticks: number; activeTicks: number; ratios: Record<string, Budget> };
  const r = await measureRatios(budgets.agents, budgets.ticks, budgets.activeTicks);
  let failed = 0;
  for (const [name, b] of Object.entries(budgets.ratios)) {
    const v = r[name as keyof Ratios];
    const ok = (b.min === undefined || v >= b.min) && (b.max === undefined || v <= b.max);
    if (!ok) failed++;
    console.log(`${ok ? 'PASS' : 'FAIL'}  ${name} = ${v.toFixed(2)}  (${b.min !== undefined ? `min ${b.min}` : ''}${b.max !== undefined ? `max ${b.max}` : ''})  ${b.note}`);
  }
  console.log(`levsim ${(r.levsimAgentTicksPerSecond / 1e6).toFixed(1)} M agent-ticks/s, baseline ${(r.baselineAgentTicksPerSecond / 1e6).toFixed(1)} M, full tick ${r.fullTickNsPerAgent.toFixed(1)} ns/agent, kernel ${r.kernelNsPerCheck.toFixed(2)} ns/check (${r.agents} agents, ${r.ticks} ticks); bench-active: levsim ${(r.levsimActiveAgentTicksPerSecond / 1e6).toFixed(1)} M, per-order baseline ${(r.activeBaselineAgentTicksPerSecond / 1e6).toFixed(1)} M agent-ticks/s (${r.activeTicks} ticks)`);
  if (failed > 0) process.exitCode = 1;
}

check().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
