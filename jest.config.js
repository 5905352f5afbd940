const fs = require('node:fs');

/** @type {import('jest').Config} */
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
  ],
};

// The console's browser test (test/*.browser.ts) needs Debian's Chromium. Decided here, when jest
// collects the tests: without Chromium the file is not collected, and this says why.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const browserTests = fs.existsSync(chromium);
if (!browserTests && !process.argv.includes('--listTests')) {
  process.stderr.write(
    `jest: not running the console's browser tests (test/*.browser.ts): no Chromium at ${chromium} ` +
      '(apt-get install -y chromium, or set CHROMIUM_PATH)\n',
  );
}

module.exports = {
  testTimeout: 60_000,
  maxWorkers: 2,
  verbose: true,
  projects: [
    {
      // Pure logic, files and child processes: no Temporal server, no database (npm run test:unit).
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/unit'],
      testMatch: ['**/*.test.ts'],
      transform,
    },
    {
      // Against the real engines: one Temporal dev server and one fresh Postgres database for the run.
      // The browser test drives the console over the same engines.
      displayName: 'integration',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.test.ts', ...(browserTests ? ['**/*.browser.ts'] : [])],
      testPathIgnorePatterns: ['/test/unit/'],
      transform,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
