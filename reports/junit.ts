/** JUnit XML for CI systems: one test suite per scenario, one test case per assertion. */
import { assertionLabel, type AssertionResult } from '../sim/run/assertions';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** One scenario's checked assertions. */
export interface JunitSuite {
  name: string;
  results: AssertionResult[];
}

/** Renders JUnit XML. */
export function junitXml(suites: JunitSuite[]): string {
  const total = suites.reduce((s, x) => s + x.results.length, 0);
  const failed = suites.reduce((s, x) => s + x.results.filter((r) => !r.pass).length, 0);
  let out = `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="levsim" tests="${total}" failures="${failed}">\n`;
  for (const s of suites) {
    const f = s.results.filter((r) => !r.pass).length;
    out += `  <testsuite name="${esc(s.name)}" tests="${s.results.length}" failures="${f}">\n`;
    for (const r of s.results) {
      out += `    <testcase classname="${esc(s.name)}" name="${esc(assertionLabel(r))}">`;
      if (!r.pass) out += `<failure message="${esc(`${assertionLabel(r)} = ${String(r.value)}${r.seed !== undefined && r.statistic === 'each' && r.policy ? ` (seed ${r.seed})` : ''}, expected ${[r.min !== undefined ? `≥ ${r.min}` : '', r.max !== undefined ? `≤ ${r.max}` : ''].filter(Boolean).join(' and ')}${r.note ? `: ${r.note}` : ''}`)}"/>`;
      out += '</testcase>\n';
    }
    out += '  </testsuite>\n';
  }
  return out + '</testsuites>\n';
}
