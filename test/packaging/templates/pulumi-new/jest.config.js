// @swc/jest in a CommonJS project: swc strips the types, tsc type-checks (Pulumi's types are large;
// swc does not read them).
module.exports = {
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
  },
};
