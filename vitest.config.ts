import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The CLI the end-to-end tests run is dist/: compiled once, before any file starts.
    globalSetup: ['test/setup/build-dist.ts'],
    setupFiles: ['test/setup/stop-children.ts'],
    // Sized for a shared 2-core machine at load 10-20, where a whole CLI run takes several times what it
    // takes on a quiet one. Nothing here measures time; a timeout only catches a hang.
    testTimeout: 180_000,
    hookTimeout: 300_000,
    teardownTimeout: 60_000,
    // Browser-backed and emulator-backed suites are heavy on a 2-core machine.
    maxWorkers: 2,
  },
});
