import { defineConfig } from 'vitest/config';

/**
 * `npm run test:faults` (issue #8): hostile feed servers, kill -9 loops and other long runs that
 * spawn the real `signpost` process. Files run one at a time: each measures memory or kills processes.
 */
export default defineConfig({
  test: {
    include: ['src/faults/**/*.test.ts'],
    globalSetup: ['src/bundle.global-setup.ts'],
    passWithNoTests: false,
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
