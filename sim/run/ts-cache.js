// Loads the project's TypeScript without type checking, behind a disk cache: each .ts file is
// transpiled to CommonJS by TypeScript's own transpileModule once per content, and the result is
// kept in node_modules/.cache/levsim/ts-js. Used by the `levsim` command and the pool's worker
// threads. Measured reasons (README "Performance"):
// - ts-node loads the whole TypeScript compiler (~0.4 s) even with its swc transpiler, on every
//   start; with the cache a command starts by reading compiled files;
// - in worker threads, swc's native addon crashed a process that started a second pool after the
//   first one's threads exited; esbuild's CJS output reaches imports through getters, and the hot
//   loops ran 2x slower.
// The TypeScript compiler is loaded only on a cache miss (the first run after an install or an edit).
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const cacheDir = path.join(__dirname, '..', '..', 'node_modules', '.cache', 'levsim', 'ts-js');
let ts;

/** Installs the .ts loader (idempotent). */
function register() {
  if (require.extensions['.ts'] === compileTs) return;
  require.extensions['.ts'] = compileTs;
}

function compileTs(module, filename) {
  const src = fs.readFileSync(filename, 'utf8');
  const key = crypto.createHash('sha1').update(filename).update('\0').update(src).digest('hex');
  const file = path.join(cacheDir, `${key}.js`);
  let code;
  try {
    code = fs.readFileSync(file, 'utf8');
  } catch {
    ts = ts || require('typescript');
    code = ts.transpileModule(src, {
      fileName: filename,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, isolatedModules: true },
    }).outputText;
    fs.mkdirSync(cacheDir, { recursive: true });
    const tmp = `${file}.tmp-${process.pid}-${require('worker_threads').threadId}`;
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, file);
  }
  module._compile(code, filename);
}

module.exports = { register };
