import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/** The core (signature, body, verification, catalog, records, stores) runs without Nest. */
const PURE_CORE = {
  patterns: [
    {
      group: ['@nestjs/*'],
      message:
        'core/, events/, queue/, records/ and store/ import nothing from Nest: put Nest glue in src/nest/.',
    },
    {
      regex: '(^|/)nest/',
      message: 'core/, events/, queue/, records/ and store/ never call up into src/nest/.',
    },
  ],
};

/** Tests may use everything; nothing else may use the tests. */
const NO_TESTS = {
  regex: '(^|/)test/',
  message: 'Nothing outside test/ imports from test/.',
};

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'dist-sample/',
      'dist-bench/',
      'coverage/',
      '.readme-snippets/',
      'node_modules/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-warning-comments': ['error', { terms: ['todo', 'fixme', 'xxx'] }],
    },
  },
  {
    files: ['src/**', 'sample/**', 'bench/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [NO_TESTS] }] },
  },
  {
    files: ['src/core/**', 'src/events/**', 'src/queue/**', 'src/records/**', 'src/store/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...PURE_CORE.patterns, NO_TESTS] }] },
  },
  {
    files: ['src/cli/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            NO_TESTS,
            {
              regex: '^\\.\\./(?!index\\.js$|testing/index\\.js$)',
              message:
                "The CLI uses the package's public entry points only: '../index.js' and '../testing/index.js'.",
            },
          ],
        },
      ],
    },
  },
);
