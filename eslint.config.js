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
      // Input sanitising strips control characters on purpose (feeds, search queries, XML).
      'no-control-regex': 'off',
      // A binding a closure reads before its one assignment (a server, a scheduler) stays `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['**/browser.test.ts', '**/test/browser.ts', 'packages/dashboard/scripts/**'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
