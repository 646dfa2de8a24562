#!/usr/bin/env node
// The `levsim` command: loads sim/cli.ts through the disk-cached TypeScript transpiler
// (sim/run/ts-cache.js) and hands over to it.
'use strict';
require('../sim/run/v8-tuning').tuneV8();
// A reader that stops early (`levsim schema | head -1`) closes the pipe: that ends the output, not in error.
process.stdout.on('error', (e) => { if (e.code === 'EPIPE') process.exit(0); else throw e; });
require('../sim/run/ts-cache').register();
require('../sim/cli').main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
