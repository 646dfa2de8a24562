import { defineConfig } from 'vitest/config';

// `npm test` runs everything (CI sets CI=true). `npm run test:quick` skips suites named
// *.heavy.test.ts (browser, many-scenario end-to-end), for a fast local loop. Each project's scratch
// files go to one temporary folder, removed at the end (test/global-setup.ts).
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'quick', globalSetup: ['test/global-setup.ts'], include: ['test/**/*.test.ts'], exclude: ['test/**/*.heavy.test.ts'], testTimeout: 60_000 } },
      { test: { name: 'heavy', globalSetup: ['test/global-setup.ts'], include: ['test/**/*.heavy.test.ts'], testTimeout: 600_000, hookTimeout: 600_000 } },
    ],
  },
});
