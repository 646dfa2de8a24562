// Loads the project's TypeScript without type checking, behind a disk cache: each .ts file is
// transpiled to CommonJS by TypeScript's own transpileModule once per content, and the result is
// kept in node_modules/.cache/levsim/ts-js (or the user's cache folder when that is read-only). Used by the `levsim` command and the pool's worker
// threads, and by bin/run-ts.js through ts-node (ts-node-transpiler.js). Measured reasons (README "Performance"):
// - ts-node loads the whole TypeScript compiler (~0.4 s) even with its swc transpiler, on every
//   start; with the cache a command starts by reading compiled files;
// - in worker threads, swc's native addon crashed a process that started a second pool after the
//   first one's threads exited; esbuild's CJS output reaches imports through getters, and the hot
//   loops ran 2x slower.
// The command loads the TypeScript compiler only on a cache miss (the first run after an install or
// an edit); ts-node loads it on every start for its own configuration.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const os = require('os');

let ts;
let cacheDir; // undefined: not chosen yet; null: no usable cache folder (compile in memory)

/**
 * The first writable cache folder: $LEVSIM_TS_CACHE or node_modules/.cache/levsim/ts-js, then the
 * user's cache folder ($XDG_CACHE_HOME or ~/.cache)/levsim/ts-js; none (null) on a read-only install
 * without a home, in which case every start transpiles.
 */
function chooseCacheDir() {
  const user = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const candidates = [process.env.LEVSIM_TS_CACHE || path.join(__dirname, '..', '..', 'node_modules', '.cache', 'levsim', 'ts-js'), path.join(user, 'levsim', 'ts-js')];
  for (const dir of candidates) {
    try {
      fs.mkdirSync(dir, { recursive: true });
      fs.accessSync(dir, fs.constants.W_OK);
      return dir;
    } catch {
      // not usable: try the next
    }
  }
  return null;
}

/** Installs the .ts loader (idempotent). */
function register() {
  if (require.extensions['.ts'] === compileTs) return;
  require.extensions['.ts'] = compileTs;
}

function compileTs(module, filename) {
  module._compile(transpileCached(fs.readFileSync(filename, 'utf8'), filename), filename);
}

/**
 * The CommonJS of TypeScript source `src` (file `filename`): read from the disk cache, or transpiled
 * and cached. With `inlineMap`, the output ends with its source map as a data-URL comment (cached
 * apart): for ts-node's transpiler in bin/run-ts.js (ts-node-transpiler.js), so that the benchmarks
 * run the code the `levsim` command runs and their stack traces still name TypeScript lines.
 */
function transpileCached(src, filename, inlineMap = false) {
  if (cacheDir === undefined) cacheDir = chooseCacheDir();
  const hash = crypto.createHash('sha1').update(filename).update('\0').update(src);
  if (inlineMap) hash.update('\0inline-source-map');
  const key = hash.digest('hex');
  const file = cacheDir && path.join(cacheDir, `${key}.js`);
  let code;
  try {
    code = fs.readFileSync(file, 'utf8');
  } catch {
    code = transpile(src, filename, inlineMap);
    if (file) {
      const tmp = `${file}.tmp-${process.pid}-${require('worker_threads').threadId}`;
      try {
        fs.writeFileSync(tmp, code);
        fs.renameSync(tmp, file);
      } catch {
        fs.rmSync(tmp, { force: true }); // a full or read-only disk: run without caching this file
      }
    }
  }
  return code;
}

/** TypeScript to CommonJS; a syntax error throws a SyntaxError naming file:line:col (not a mangled module). */
function transpile(src, filename, inlineMap) {
  ts = ts || require('typescript');
  const out = ts.transpileModule(src, {
    fileName: filename,
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, isolatedModules: true, inlineSourceMap: inlineMap },
  });
  const d = (out.diagnostics || []).find((x) => x.category === ts.DiagnosticCategory.Error);
  if (d) {
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start || 0);
    throw new SyntaxError(`${filename}:${line + 1}:${character + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
  }
  return out.outputText;
}

module.exports = { register, transpileCached };
