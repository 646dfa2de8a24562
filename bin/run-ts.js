#!/usr/bin/env node
// Runs a TypeScript entry point through ts-node with its swc transpiler (type checking is `npm run
// typecheck`'s job; TypeScript's own transpiler cost ~2 s of start-up, swc ~0.1 s). Usage: node bin/run-ts.js file.ts [args...]
'use strict';
const path = require('path');
require('ts-node').register({ transpileOnly: true, swc: true, project: path.join(__dirname, '..', 'tsconfig.json') });
const entry = path.resolve(process.argv[2]);
process.argv.splice(1, 2, entry);
require(entry);
