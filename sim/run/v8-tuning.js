// V8 settings for levsim's processes: the `levsim` command, its run queue's child processes and
// the benchmarks' loader (bin/run-ts.js) call tuneV8() first thing. Worker threads share their
// process's settings.
'use strict';
const v8 = require('v8');

/**
 * The inlining budget of V8's optimizing compiler, in bytecodes inlined into one function (V8's
 * default: 920). Why raised: levsim's hot loops are kernels over columns that call small helpers
 * (a margin check, an order, a fill, a liquidation price, a heap entry); at the default budget the
 * engine stops inlining them part-way through a loop, and each helper left out costs a call with
 * its doubles boxed and makes the loop re-read its columns through their objects after it. Which
 * helpers are left out also varies from process to process. Measured in alternated processes
 * (README, Performance): warm bench-active runs take less CPU at 2,000 and more so at 4,000, but
 * 4,000 left bench-1m's RSS ~3 bytes an agent higher at the end of set-up and ~12 at the end of
 * the run (the cause was not traced), where 2,000 left it the same at set-up and ~3 higher at the
 * end. Inlining never changes what a program computes: every output is the same.
 */
const INLINING_BUDGET = 2000;

/** The V8 flags tuneV8() sets. */
const FLAGS = [`--max-inlined-bytecode-size-cumulative=${INLINING_BUDGET}`];

/** Sets {@link FLAGS} through `set` (v8.setFlagsFromString); call before the hot code is compiled. Returns the flags set. */
function tuneV8(set = v8.setFlagsFromString) {
  for (const f of FLAGS) set(f);
  return FLAGS;
}

module.exports = { tuneV8, FLAGS };
