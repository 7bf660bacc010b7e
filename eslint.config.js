// `npm run lint` (and so `npm test`): typescript-eslint's recommended rules (not type-aware, so it stays fast)
// plus the layer rule `layers/imports`, whose table is scripts/layers.mjs.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import { layersPlugin } from './scripts/layers.mjs';

const nodeGlobals = Object.fromEntries(
  [
    'process',
    'console',
    'URL',
    'Buffer',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'performance',
    'TextEncoder',
    'TextDecoder',
  ].map((g) => [g, 'readonly']),
);

export default defineConfig(
  { ignores: ['dist/**', 'dist-web/**', 'build/**', 'assembly/**', 'test/fixtures/**', 'node_modules/**', '.devkit/**'] },
  {
    files: ['**/*.{ts,js,mjs}'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    plugins: { layers: layersPlugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'layers/imports': 'error',
      // `_`-prefixed names are deliberately unused (a signature's slot, an ignored catch).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // Off: the code's idiom for two statements on one line, `(a = x), (b = y)` and `cond && f()` in loops
      // (it also flags every comma sequence, with no option to allow them).
      '@typescript-eslint/no-unused-expressions': 'off',
      // Off: regexes that mirror a formatted console line read better with the line's literal spaces.
      'no-regex-spaces': 'off',
    },
  },
  {
    // src/types is the contract every layer may import: declarations only, no code.
    files: ['src/types/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'Program > :not(TSInterfaceDeclaration, TSTypeAliasDeclaration, ImportDeclaration[importKind="type"], ExportNamedDeclaration[exportKind="type"])',
          message: 'src/types holds types only (interfaces, type aliases, import type, export type)',
        },
      ],
    },
  },
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: nodeGlobals },
  },
);
