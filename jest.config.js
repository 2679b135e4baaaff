/** One jest run over every package, the cross-package tests and the examples. */
const swc = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // Separate workers even on a 2-core machine (one worker would mean one process for every suite,
  // whose module registries and fuzz plans then pile up past the heap limit), each replaced once it
  // holds more than this after a test file.
  maxWorkers: 2,
  workerIdleMemoryLimit: '1536MB',
  reporters: ['default', '<rootDir>/scripts/jest-summary.js'],
  transform: { '^.+\\.ts$': swc },
  // Tests import the packages' sources, so no build is needed before a test run.
  moduleNameMapper: {
    '^@tailkube/([a-z0-9-]+)$': '<rootDir>/packages/$1/src/index.ts',
    '^@tailkube/([a-z0-9-]+)/([a-z0-9-]+)$': '<rootDir>/packages/$1/src/$2.ts',
  },
  testMatch: [
    '<rootDir>/packages/*/test/**/*.test.ts',
    '<rootDir>/test/**/*.test.ts',
    '<rootDir>/examples/*/test/**/*.test.ts',
  ],
  // The packaging test's consumer projects run these with their own jest and tsc.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/packaging/(programs|templates)/'],
  modulePathIgnorePatterns: [
    '<rootDir>/dist/',
    '<rootDir>/packages/[^/]+/dist/',
    '<rootDir>/examples/[^/]+/dist/',
  ],
};
