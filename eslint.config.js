import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: ['dist/', 'node_modules/', 'coverage/', 'test/fixtures/', 'examples/', 'schema/'],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/exec/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'node:child_process', message: 'Only src/exec/ may run processes (DESIGN invariant 1).' },
            { name: 'child_process', message: 'Only src/exec/ may run processes (DESIGN invariant 1).' },
            { name: 'ssh2', message: 'Only src/exec/ may open SSH connections (DESIGN invariant 1).' },
          ],
        },
      ],
    },
  },
  prettier,
);
