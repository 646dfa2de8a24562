#!/usr/bin/env node
// The `levsim` command: loads sim/cli.ts through the disk-cached TypeScript transpiler
// (sim/run/ts-cache.js) and hands over to it.
'use strict';
require('../sim/run/ts-cache').register();
require('../sim/cli').main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
