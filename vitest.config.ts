import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Browser-backed and emulator-backed suites are heavy on a 2-core machine.
    maxWorkers: 2,
  },
});
