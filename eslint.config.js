// @ts-check
import sdl from '@microsoft/eslint-plugin-sdl';
import security from 'eslint-plugin-security';
import tseslint from 'typescript-eslint';

const securityRules = Object.fromEntries(Object.keys(security.configs.recommended.rules ?? {}).map((rule) => [rule, 'error']));

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/src/generated/**',
      '**/coverage/**',
      'prisma/tools/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
      '.pressbox/**',
      // Projects that stand outside the repository; their own strict compile is their check.
      'test/consumers/*/src/**',
      'test/frontend/**',
    ],
  },
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    plugins: { security },
    rules: {
      ...securityRules,
      // Flags every `object[key]`; with noUncheckedIndexedAccess and typed keys the compiler already
      // forces the checks this rule asks for, and its false positives would train people to ignore it.
      'security/detect-object-injection': 'off',
    },
  },
  ...sdl.configs.common,
  ...sdl.configs.node,
  {
    rules: {
      '@microsoft/sdl/no-insecure-random': 'error',
      '@microsoft/sdl/no-insecure-url': [
        'error',
        {
          exceptions: [
            '^http://(localhost|127\\.0\\.0\\.1|\\[::1\\])([:/].*)?$',
            '^http://www\\.w3\\.org/',
            '^http://purl\\.org/',
            '^http://(backend\\.)?userland\\.com/',
            '^http://my\\.netscape\\.com/',
          ],
        },
      ],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'n/no-deprecated-api': 'error',
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      'security/detect-non-literal-fs-filename': 'off',
      '@microsoft/sdl/no-insecure-url': 'off',
      '@microsoft/sdl/no-insecure-random': 'off',
    },
  },
);
