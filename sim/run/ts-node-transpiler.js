// ts-node's transpiler for bin/run-ts.js (the benchmarks, examples and tools): the same TypeScript
// transpileModule output and disk cache as the `levsim` command (ts-cache.js), with a source map.
// Why not ts-node's swc transpiler: swc's CommonJS reaches every import through a getter
// (`AccountState.Active` from another module is a call), and warm bench-active runs took 1.5–1.65×
// as long under it as under the command (fixed-20x: 0.53–0.69 s against 0.35–0.42 s), so the
// in-process benchmarks measured code no user runs.
'use strict';
const { transpileCached } = require('./ts-cache');

const MAP_COMMENT = '//# sourceMappingURL=data:application/json;base64,';

/** ts-node's transpiler factory (its `transpiler` option, with `transpileOnly`). */
function create() {
  return {
    /** The command's CommonJS for `input`, and its source map (ts-node maps stack traces with it). */
    transpile(input, options) {
      const code = transpileCached(input, options.fileName, true);
      const at = code.lastIndexOf(MAP_COMMENT);
      return {
        outputText: code.slice(0, at),
        sourceMapText: Buffer.from(code.slice(at + MAP_COMMENT.length).trim(), 'base64').toString('utf8'),
      };
    },
  };
}

module.exports = { create };
