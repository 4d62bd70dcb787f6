// Test projects: domain unit tests, and the API suite run twice, once on SQLite and once on PostgreSQL.
import { defineConfig } from 'vitest/config';

const api = (db: 'sqlite' | 'postgres') => ({
  extends: true as const,
  test: {
    name: `api-${db}`,
    include: ['test/api/**/*.test.ts'],
    env: { FLOORBOARD_TEST_DB: db },
    globalSetup: db === 'postgres' ? ['test/support/postgres-setup.ts'] : [],
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
        test: { name: 'cli', include: ['test/cli/**/*.test.ts'], globalSetup: ['test/support/postgres-setup.ts'] },
      },
    ],
  },
});
