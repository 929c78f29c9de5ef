// What runs where (README "Tests"):
// - TEST_DATABASE_URL unset: the suite runs on in-memory PGlite ("pglite"), and the concurrency
//   tests (*.concurrency.test.ts) run against the local PostgreSQL when one answers
//   ("concurrency", see test/helpers/concurrency.global-setup.ts); PGlite runs one transaction
//   at a time, so those tests are never run on it.
// - TEST_DATABASE_URL set: every test file, concurrency tests included, runs on that server.
const common = {
  testEnvironment: 'node',
  rootDir: __dirname,
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  setupFiles: ['reflect-metadata'],
};

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60000,
  // Each test file starts its own server and database; two workers fit the 2-core machines.
  maxWorkers: 2,
  projects: onPostgres
    ? [{ ...common, displayName: 'postgres', testMatch: ['**/*.test.ts'] }]
    : [
        {
          ...common,
          displayName: 'pglite',
          testMatch: ['**/*.test.ts'],
          testPathIgnorePatterns: ['\\.concurrency\\.test\\.ts$'],
        },
        {
          ...common,
          displayName: 'concurrency',
          testMatch: ['**/*.concurrency.test.ts'],
          globalSetup: '<rootDir>/test/helpers/concurrency.global-setup.ts',
          setupFiles: ['reflect-metadata', '<rootDir>/test/helpers/concurrency.setup.ts'],
        },
      ],
};
