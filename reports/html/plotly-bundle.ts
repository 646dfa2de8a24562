/**
 * plotly.js-dist, minified with esbuild and cached, for inlining into reports (they must open
 * offline: there is no CDN). The 9.7 MB bundle minifies to ~4.8 MB in ~2.5 s; the result is cached
 * under node_modules/.cache/levsim/, keyed by plotly's version.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';

let memo: string | undefined;

/** The minified plotly bundle (computed once per machine and version). */
export function plotlyMinified(): string {
  if (memo) return memo;
  const pkgFile = require.resolve('plotly.js-dist/package.json');
  const version = (JSON.parse(readFileSync(pkgFile, 'utf8')) as { version: string }).version;
  // <root>/node_modules/plotly.js-dist/package.json → <root>/node_modules/.cache/levsim/
  const cacheFile = join(dirname(pkgFile), '..', '.cache', 'levsim', `plotly-${version}.min.js`);
  if (existsSync(cacheFile)) return (memo = readFileSync(cacheFile, 'utf8'));
  // esbuild is loaded only here: running a simulation never needs it.
  const esbuild = require('esbuild') as typeof import('esbuild');
  const src = readFileSync(join(dirname(pkgFile), 'plotly.js'), 'utf8');
  const code = esbuild.transformSync(src, { minify: true, legalComments: 'none' }).code;
  mkdirSync(dirname(cacheFile), { recursive: true });
  const tmp = `${cacheFile}.tmp-${process.pid}`;
  writeFileSync(tmp, code);
  renameSync(tmp, cacheFile);
  return (memo = code);
}
