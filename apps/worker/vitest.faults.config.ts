import { defineConfig } from 'vitest/config';
import { scaled } from '../../vitest.shared.ts';

/**
 * `npm run test:faults` (issue #8): hostile feed servers, kill -9 loops and other long runs that
 * spawn the real `signpost` process. Files run one at a time: each measures memory or kills processes.
 * Budgets scale with the machine as in vitest.shared.ts.
 */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    globalSetup: ['test/bundle.global-setup.ts'],
    passWithNoTests: false,
    fileParallelism: false,
    testTimeout: scaled(600_000),
    hookTimeout: scaled(120_000),
  },
});
