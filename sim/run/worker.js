// Worker-thread entry of the run pool: loads the TypeScript it requires through the disk-cached
// transpiler (ts-cache.js), then hands over to worker-task.ts. A .js shim because worker threads
// start without the main thread's hooks.
'use strict';
require('./ts-cache').register();
module.exports = require('./worker-task').runTask;
