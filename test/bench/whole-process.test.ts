import { existsSync, readdirSync } from 'fs';
import { tmpdir } from 'os';
import { describe, expect, it } from 'vitest';
import { manifests, speedup, wholeProcess } from '../../bench/whole-process';

describe('bench/whole-process', () => {
  it('times a whole levsim process, reads the CPU of all its threads, and removes its output', () => {
    let folder = '';
    // 2 runs of 2,000 agents × 200 ticks on 2 workers: the workers' CPU is the process's.
    const f = wholeProcess('scenarios/bench-mc.yaml', ['--workers', '2', '--set', 'runs.seeds=1', '--ticks', '200'], (out) => {
      folder = out;
      return { runs: manifests<{ finishedAt: string }>(out).length };
    });
    expect(f.runs).toBe(2);
    expect(f.seconds).toBeGreaterThan(0);
    expect(f.runsPhaseSeconds).toBeGreaterThan(0);
    expect(f.runsPhaseSeconds).toBeLessThan(f.seconds);
    // Process start-up alone takes CPU; the two workers' runs add theirs.
    expect(f.cpuSeconds).toBeGreaterThan(0.1);
    expect(existsSync(folder)).toBe(false);
  }, 60_000);

  it('removes the output folder when the process fails', () => {
    const ours = () => readdirSync(tmpdir()).filter((n) => n.startsWith('levsim-bench-')).sort();
    const before = ours();
    let caught: unknown;
    try {
      wholeProcess('scenarios/bench-mc.yaml', ['--ticks', '10'], () => ({}));
    } catch (e) {
      caught = e;
    }
    // warmupTicks 60 ≥ 10 ticks: the command refuses the scenario (exit 2).
    expect((caught as { status?: number }).status).toBe(2);
    expect(ours()).toEqual(before);
  }, 60_000);

  it('gives the speed-up and its ceiling from the CPU the 2-worker process used', () => {
    const one = { seconds: 30, cpuSeconds: 33, runsPhaseSeconds: 28 };
    const two = { seconds: 20, cpuSeconds: 36, runsPhaseSeconds: 18 };
    const s = speedup(one, two, 2);
    expect(s.speedup).toBeCloseTo(1.5, 12);
    expect(s.runsPhaseSpeedup).toBeCloseTo(28 / 18, 12);
    // 36 CPU seconds on 2 cores take at least 18 s: 30 / 18.
    expect(s.ceiling).toBeCloseTo(30 / 18, 12);
    expect(s.oneWorkerCores).toBeCloseTo(1.1, 12);
  });
});
