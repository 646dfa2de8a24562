// Sandboxed processor of the run queue: BullMQ forks a child process that loads this file, so a
// CPU-heavy run never blocks the worker's main process, which keeps renewing the job's lock. A .js
// shim because the child starts without the parent's TypeScript hook.
'use strict';
require('./v8-tuning').tuneV8();
require('./ts-cache').register();
module.exports = require('./queue-run').processRun;
