// Worker-thread entry of the run pool: compiles the TypeScript it requires with TypeScript's own
// transpiler behind a disk cache, then hands over to worker-task.ts. A .js shim because worker
// threads start without the main thread's hooks. Measured reasons (bench/, README "Performance"):
// - ts-node with swc: a process that started a second pool after the first one's threads exited
//   crashed when the new threads loaded swc's native addon again;
// - esbuild's CJS output reaches imports through getters, and the hot loops ran 2x slower;
// - plain ts-node: each worker spent ~2.5 s transpiling at start.
// With the cache (keyed by path and content) a worker starts in a fraction of a second, and the
// TypeScript compiler is only loaded on a cache miss.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const cacheDir = path.join(__dirname, '..', '..', 'node_modules', '.cache', 'levsim', 'worker-js');
let ts;
require.extensions['.ts'] = function compileTs(module, filename) {
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
};
module.exports = require('./worker-task').runTask;
