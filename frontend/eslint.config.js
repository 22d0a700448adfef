import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Feature boundaries: a feature imports another feature only through its public
// index (`@/features/<name>`), never its internals, and never the app shell.
const featureBoundary = {
  files: ['src/features/**/*.{ts,tsx}'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: '^@/features/[^/]+/.+',
            message: 'Import another feature only through its index: @/features/<name>.',
          },
          {
            regex: '^(\\.\\./){2,}',
            message: 'Leave the feature folder through @/ aliases, not ../../.',
          },
          { regex: '^@/app(/|$)', message: 'Features must not import the app shell.' },
        ],
      },
    ],
  },
};

// The light public pages (citizen/) share no code or UI library with the staff app.
const citizenBoundary = {
  files: ['citizen/**/*.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          { regex: '^@/', message: 'The public pages share no staff code.' },
          { regex: '^(react|react-dom|antd|@ant-design/.*|@tanstack/.*|i18next|react-i18next|dayjs|echarts)$', message: 'No UI library in the public pages.' },
          { regex: '(^|/)src/', message: 'The public pages share no staff code.' },
        ],
      },
    ],
  },
};

export default defineConfig(
  { ignores: ['dist', 'node_modules', 'coverage', 'e2e/artifacts', 'src/api/generated'] },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      ecmaVersion: 2022,
      globals: { ...globals.browser },
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js', 'vite.config.ts', 'vite.citizen.config.ts', 'e2e/*.mjs', 'scripts/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-confusing-void-expression': 'off',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  featureBoundary,
  citizenBoundary,
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { ...globals.node } },
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.test.{ts,tsx}', 'test/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
