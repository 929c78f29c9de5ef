// The pure, table-driven tests of the rule modules (no database, no server): fast enough for
// mutation testing (stryker.config.json, `npm run test:mutation`).
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  rootDir: __dirname,
  roots: ['<rootDir>/test'],
  testMatch: [
    '**/loyalty/tiers.test.ts',
    '**/coverage/coverage.rules.test.ts',
    '**/risk/risk-rules.test.ts',
    '**/order/order.rules.test.ts',
    '**/policy/policy-rules.test.ts',
    '**/feedback/feedback.rules.test.ts',
    '**/claim/claim-status.test.ts',
    '**/*.rules.test.ts',
  ],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
};
