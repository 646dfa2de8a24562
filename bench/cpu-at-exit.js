// Preloaded (`node --require`) into a levsim process that a benchmark times from outside
// (bench/whole-process.ts): as the main thread exits, writes the process's CPU time to the file
// named by $LEVSIM_BENCH_CPU. process.cpuUsage() is getrusage(RUSAGE_SELF): every thread of the
// process, so the workers and V8's compiler and collector threads are in it.
'use strict';
const file = process.env.LEVSIM_BENCH_CPU;
if (file && require('worker_threads').isMainThread) {
  process.on('exit', () => {
    const u = process.cpuUsage();
    require('fs').writeFileSync(file, JSON.stringify({ cpuSeconds: (u.user + u.system) / 1e6 }));
  });
}
