// The @swc/jest setup docs/testing-setup.md shows for a `pulumi new typescript` project: swc
// strips the types (Pulumi's are large; ts-jest would check them again), tsc type-checks.
module.exports = {
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
  },
};
