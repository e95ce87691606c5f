import { defineConfig } from 'vitest/config'

/**
 * Two projects, one rule (README, "Tests"): a unit test lives beside its code (`src/**\/*.test.ts`) and
 * needs no service; everything that talks to Redis, PostgreSQL, a server or several layers at once lives
 * in `test/` (integration). `npm run test:unit` runs the first alone, in seconds; `npm test` runs both.
 */
const TIMING = ['test/runtime/import-faults.test.ts', 'test/runtime/body-limits.test.ts', 'test/search-quality/query-cost.test.ts', 'test/faults/pg-lock.test.ts']

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Suites share one Redis and one PostgreSQL: isolation is by key prefix and schema, not by process.
    pool: 'forks',
    reporters: ['default'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts'] } },
      { extends: true, test: { name: 'integration', include: ['test/**/*.test.ts'], exclude: TIMING } },
      // Latency bounds (p99 of /health during a hostile import against real servers, worst-case search cost on
      // PostgreSQL, logins during a table lock): on two cores, other test files running beside them are what
      // the bound would measure. They run last, one at a time.
      { extends: true, test: { name: 'timing', include: TIMING, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
})
