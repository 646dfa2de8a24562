#!/usr/bin/env node
// Runs a TypeScript entry point through ts-node, transpiled as the `levsim` command transpiles it
// (sim/run/ts-node-transpiler.js: TypeScript's transpileModule behind the command's disk cache; type
// checking is `npm run typecheck`'s job). Usage: node bin/run-ts.js file.ts [args...]
'use strict';
require('../sim/run/v8-tuning').tuneV8();
const path = require('path');
require('ts-node').register({ transpileOnly: true, transpiler: require.resolve('../sim/run/ts-node-transpiler.js'), project: path.join(__dirname, '..', 'tsconfig.json') });
const entry = path.resolve(process.argv[2]);
process.argv.splice(1, 2, entry);
require(entry);
