import { defineConfig } from 'vitest/config';
import { measureTimeFactor, TIME_FACTOR_ENV } from './packages/testing/src/time-factor.ts';

/**
 * Shared vitest settings: every package runs its own tests under turbo, in two projects.
 *
 * - `fast`: unit and in-process integration tests (`*.test.ts` beside the code, and in `test/`).
 * - `process`: tests that start processes, browsers or thousands of rows (`*.process.test.ts`).
 *   They run after `fast` (groupOrder), one file at a time, so they never compete with each other.
 *
 * `npm test` runs both (CI calls it); `npm run test:fast` only the first (`--project fast`).
 * Budgets are a quiet machine's figure times a factor measured here once per run (a short CPU probe
 * and the load average; `SIGNPOST_TEST_TIME_FACTOR` overrides it). The factor is passed to test
 * workers and their children in that variable, where `scaled()` from @signpost/testing reads it.
 */
const time = measureTimeFactor();
process.env[TIME_FACTOR_ENV] = String(time.factor);
// vitest evaluates this file again for each project; the variable set above makes those reuse the figure.
const printed = Symbol.for('signpost.time-factor-printed');
if (!(globalThis as Record<symbol, unknown>)[printed]) {
  (globalThis as Record<symbol, unknown>)[printed] = true;
  console.log(`vitest: time budgets x${time.factor} (${time.why})`);
}
/** A quiet machine's budget, scaled for this run (for configs; tests use `scaled` from @signpost/testing). */
export const scaled = (ms: number) => Math.round(ms * time.factor);

export const PROCESS_TESTS = ['src/**/*.process.test.{ts,tsx}', 'test/**/*.process.test.{ts,tsx}'];
const ALL_TESTS = ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts'];
/** The worker's fault suite runs only on demand (`npm run test:faults`, vitest.faults.config.ts). */
const ON_DEMAND = ['test/faults/**', '**/node_modules/**'];

export default defineConfig({
  test: {
    passWithNoTests: true,
    testTimeout: scaled(30_000),
    hookTimeout: scaled(60_000),
    projects: [
      { extends: true, test: { name: 'fast', include: ALL_TESTS, exclude: [...PROCESS_TESTS, ...ON_DEMAND] } },
      {
        extends: true,
        test: {
          name: 'process',
          include: PROCESS_TESTS,
          exclude: ON_DEMAND,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          testTimeout: scaled(120_000),
          hookTimeout: scaled(120_000),
        },
      },
    ],
  },
});
