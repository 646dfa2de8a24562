#!/usr/bin/env node
// Compiles sim/exchange/wasm/kernels.wat to kernels.wasm with wabt (the WebAssembly Binary
// Toolkit's own JavaScript build). The .wasm is committed so that running levsim needs no
// toolchain; test/unit/wasm-build.test.ts checks that it is this source's build, byte for byte.
//   npm run build:wasm            # writes kernels.wasm
'use strict';
const fs = require('fs');
const path = require('path');

const WAT = path.join(__dirname, '..', 'sim', 'exchange', 'wasm', 'kernels.wat');

/** Resolves to the binary of kernels.wat. */
async function buildKernels() {
  const wabt = await require('wabt')();
  const mod = wabt.parseWat(path.basename(WAT), fs.readFileSync(WAT, 'utf8'), { simd: true });
  try {
    mod.validate();
    return Buffer.from(mod.toBinary({}).buffer);
  } finally {
    mod.destroy();
  }
}

module.exports = { buildKernels };

if (require.main === module) {
  buildKernels().then((bin) => {
    const out = WAT.replace(/\.wat$/, '.wasm');
    fs.writeFileSync(`${out}.tmp`, bin);
    fs.renameSync(`${out}.tmp`, out);
    console.log(`wrote ${path.relative(process.cwd(), out)} (${bin.length} bytes)`);
  }).catch((e) => {
    console.error(e.message);
    process.exitCode = 1;
  });
}
