#!/usr/bin/env node
// Runs a TypeScript entry point through ts-node (transpile-only: type checking is `npm run typecheck`'s job,
// and skipping it keeps start-up near 1 s). Usage: node bin/run-ts.js file.ts [args...]
'use strict';
const path = require('path');
require('ts-node').register({ transpileOnly: true, project: path.join(__dirname, '..', 'tsconfig.json') });
const entry = path.resolve(process.argv[2]);
process.argv.splice(1, 2, entry);
require(entry);
