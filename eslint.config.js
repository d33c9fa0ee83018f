// ESLint (flat config): typescript-eslint's recommended rules over every package and app.
// Formatting is prettier's (`npm run format:check`); eslint checks code, not layout.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/.turbo/**', 'packages/db/migrations/**', '**/*.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // `_name` marks a parameter or binding kept on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['**/browser.test.ts', '**/test/browser.ts', 'packages/dashboard/scripts/**'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
