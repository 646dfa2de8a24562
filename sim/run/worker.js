// Worker-thread entry of the run pool: registers ts-node in this thread, then hands over to
// worker-task.ts. A .js shim because worker threads start without ts-node's hooks.
// TypeScript's own transpiler, not swc: @swc/core is a native addon, and a process that starts a
// second pool after the first one's threads exited crashed when the new threads loaded it again.
'use strict';
const path = require('path');
require('ts-node').register({ transpileOnly: true, project: path.join(__dirname, '..', '..', 'tsconfig.json') });
module.exports = require('./worker-task').runTask;
