// The ts-jest setup docs/testing-setup.md shows for module node16/nodenext: ts-jest compiles each
// file alone (isolatedModules in tsconfig.json) to CommonJS for jest; tsc type-checks.
export default {
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  // Relative imports name the emitted file (`./main.js`); jest loads the source.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: { module: 'commonjs', moduleResolution: 'node10' } }] },
};
