// @swc/jest in an ES module project: swc strips the types, tsc type-checks.
export default {
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  // Relative imports name the emitted file (`./main.js`); jest loads the source.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
  },
};
