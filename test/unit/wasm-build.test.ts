import { readFileSync } from 'fs';
import { join } from 'path';
import { describe, expect, it } from 'vitest';

describe('the committed kernels.wasm', () => {
  it('is the build of kernels.wat, byte for byte (run `npm run build:wasm` after editing the .wat)', async () => {
    const { buildKernels } = require('../../scripts/build-wasm.js') as { buildKernels(): Promise<Buffer> };
    const built = await buildKernels();
    const committed = readFileSync(join(__dirname, '../../sim/exchange/wasm/kernels.wasm'));
    expect(built.equals(committed)).toBe(true);
  });
});
