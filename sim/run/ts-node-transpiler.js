// ts-node's transpiler for bin/run-ts.js (the benchmarks, examples and tools): the same TypeScript
// transpileModule output and disk cache as the `levsim` command (ts-cache.js). Why not ts-node's swc
// transpiler: swc's CommonJS reaches every import through a getter (`AccountState.Active` is a call),
// and bench-active ran ~35% slower under it than under the command (warm fixed-20x runs: 0.53–0.69 s
// against 0.35–0.42 s), so in-process benchmarks measured code no user runs.
'use strict';
const { transpileCached } = require('./ts-cache');

/** No source map: the output keeps TypeScript's statements on their lines, as the command's does. */
const NO_MAP = JSON.stringify({ version: 3, sources: [], names: [], mappings: '' });

/** ts-node's transpiler factory (its `transpiler` option, with `transpileOnly`). */
function create() {
  return {
    transpile(input, options) {
      return { outputText: transpileCached(input, options.fileName), sourceMapText: NO_MAP };
    },
  };
}

module.exports = { create };
