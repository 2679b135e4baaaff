import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const frameworks = ['cdk8s', 'cdk8s/*', 'constructs', '@pulumi/*'];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // `FooArgs extends FooProps` is the pattern even when it adds nothing (STYLE.md).
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // The direction of dependencies (DESIGN.md): core imports no framework.
    files: ['packages/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: frameworks, message: '@tailkube/core is framework-free' },
            {
              group: ['@tailkube/*', '!@tailkube/policy', '!@tailkube/policy/internal'],
              message: 'core depends on no tailkube package but @tailkube/policy',
            },
          ],
        },
      ],
    },
  },
  {
    // The policy engine knows nothing of constructs, Kubernetes or frameworks.
    files: ['packages/policy/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: frameworks, message: '@tailkube/policy is framework-free' },
            { group: ['@tailkube/*'], message: '@tailkube/policy depends on no other tailkube package' },
          ],
        },
      ],
    },
  },
  {
    // Flavors never import each other.
    files: ['packages/cdk8s/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@tailkube/pulumi', '@pulumi/*'], message: 'flavors never import each other' },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/pulumi/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@tailkube/cdk8s', 'cdk8s', 'constructs'], message: 'flavors never import each other' },
          ],
        },
      ],
    },
  },
  {
    // The CLI reads what programs write; it builds on the policy engine and core, never a flavor.
    files: ['packages/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: frameworks, message: '@tailkube/cli is framework-free' },
            {
              group: ['@tailkube/*', '!@tailkube/policy', '!@tailkube/policy/internal', '!@tailkube/core'],
              message: 'the CLI depends on no tailkube package but @tailkube/policy and @tailkube/core',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
      },
    },
  },
  prettier,
);
