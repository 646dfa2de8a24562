/**
 * Agents grouped by a key (their parameters), for strategies whose signal is shared by every
 * agent with the same parameters: the signal is computed once per group, and members are visited
 * only when it fires.
 */
export interface AgentGroups {
  /** Number of groups. */
  count: number;
  /** Each agent's group. */
  groupOf: Int32Array;
  /** Members of group g are members[start[g] .. start[g + 1]), in agent order. */
  start: Int32Array;
  members: Int32Array;
  /** One member of each group (the first), to read the group's parameters from. */
  first: Int32Array;
}

/** Groups agents 0..n−1 by `key(k)`, numbering groups in order of first appearance. */
export function groupAgents(n: number, key: (k: number) => string): AgentGroups {
  const byKey = new Map<string, number>();
  const groupOf = new Int32Array(n);
  const firsts: number[] = [];
  for (let k = 0; k < n; k++) {
    const name = key(k);
    let g = byKey.get(name);
    if (g === undefined) {
      byKey.set(name, (g = byKey.size));
      firsts.push(k);
    }
    groupOf[k] = g;
  }
  const count = byKey.size;
  const start = new Int32Array(count + 1);
  for (let k = 0; k < n; k++) start[groupOf[k]! + 1]!++;
  for (let g = 0; g < count; g++) start[g + 1]! += start[g]!;
  const members = new Int32Array(n);
  const fill = start.slice(0, count);
  for (let k = 0; k < n; k++) members[fill[groupOf[k]!]!++] = k;
  return { count, groupOf, start, members, first: Int32Array.from(firsts) };
}
