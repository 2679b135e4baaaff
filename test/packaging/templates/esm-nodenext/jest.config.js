// An ES module project ("type": "module", module nodenext): jest runs CommonJS, so ts-jest emits
// it, one file at a time ("isolatedModules": true in tsconfig.json); tsc type-checks.
export default {
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  // Relative imports name the emitted file (`./main.js`); jest loads the source.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: { module: 'commonjs', moduleResolution: 'node10' } }] },
};
