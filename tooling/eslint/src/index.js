// Shared flat config: typescript-eslint's recommended rules plus the layer-direction rule.
import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'
import { plugin } from './layer-direction.js'

export { plugin as skillosPlugin }

export const ignores = ['**/dist/**', '**/node_modules/**', '**/.turbo/**', '**/coverage/**']

/** @type {import('eslint').Linter.Config[]} */
export const config = [
  { ignores },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { skillos: plugin },
    rules: {
      'skillos/layer-direction': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  {
    files: [
      '**/*.test.ts',
      '**/*.bench.ts',
      '**/bench/**',
      '**/*.config.ts',
      '**/bin.ts',
      '**/*.mjs',
      '**/*.js',
    ],
    rules: { 'no-console': 'off' },
  },
]

export default config
