// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Where code may run decides what it may import (Signal Desktop's discipline, in folders):
// only electron/main.ts, electron/preload.ts and electron/shell/ know Electron; adapters know
// neither the engine nor the UI; the renderer reaches the engine only through the Api contract.
const electronBan = {
  paths: [
    {
      name: 'electron',
      message: 'Only electron/main.ts, electron/preload.ts and electron/shell/ may import electron.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', electronBan],
    },
  },
  {
    files: ['electron/main.ts', 'electron/preload.ts', 'electron/shell/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['adapters/**'],
    ignores: ['adapters/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...electronBan,
          patterns: [
            { group: ['**/electron/**', '**/renderer/**'], message: 'Adapters never import the engine or the UI.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          ...electronBan,
          patterns: [
            {
              regex: '/electron/(?!core/(contract|model)(/|$))',
              message:
                'The renderer talks to the engine only through the Api contract (electron/core/contract, electron/core/model).',
            },
          ],
        },
      ],
    },
  },
);
