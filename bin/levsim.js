#!/usr/bin/env node
// The `levsim` command: registers ts-node (transpile-only, swc) and hands over to sim/cli.ts.
'use strict';
const path = require('path');
require('ts-node').register({ transpileOnly: true, swc: true, project: path.join(__dirname, '..', 'tsconfig.json') });
require('../sim/cli').main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
