// Test projects: domain unit tests, and the API suite run twice, once on SQLite and once on PostgreSQL.
import { defineConfig } from 'vitest/config';

const api = (db: 'sqlite' | 'postgres') => ({
  extends: true as const,
  test: {
    name: `api-${db}`,
    include: ['test/api/**/*.test.ts'],
    env: { FLOORBOARD_TEST_DB: db },
    // crash.test.ts runs the built command: compile it once before the files run in parallel.
    globalSetup: ['test/support/build-cli.ts', ...(db === 'postgres' ? ['test/support/postgres-setup.ts'] : [])],
  },
});

export default defineConfig({
  test: {
    // On CI a JSON report lets .ci/run print the plain "N passed, N failed" line.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'test-results/vitest.json' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts'] } },
      api('sqlite'),
      api('postgres'),
      {
        extends: true,
        test: {
          name: 'cli',
          include: ['test/cli/**/*.test.ts'],
          globalSetup: ['test/support/build-cli.ts', 'test/support/postgres-setup.ts'],
        },
      },
      {
        // Browser tests: each file runs the real server and Debian's Chromium. They run after the other
        // projects and one file at a time, so the machine's two cores are not fought over.
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // Each file runs on SQLite and on a scratch PostgreSQL database.
          globalSetup: ['test/support/build-cli.ts', 'test/e2e/build-web.ts', 'test/support/postgres-setup.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          testTimeout: 60_000,
          // A file's servers start in its hooks: seeding the demo on PostgreSQL takes a minute on a busy machine.
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
