/**
 * `npm run test:cluster`: the test job on `npm run cluster`'s stack (test/cluster/), apart from
 * `npm test` because it starts the real Temporal server, two workers and two APIs per case.
 * @type {import('jest').Config}
 */
const base = require('./jest.config');

module.exports = {
  testEnvironment: 'node',
  transform: base.projects[0].transform,
  roots: ['<rootDir>/test/cluster'],
  testMatch: ['**/*.cluster.ts'],
  testTimeout: 300_000,
  maxWorkers: 1,
  verbose: true,
};
