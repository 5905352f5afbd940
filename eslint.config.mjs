// Lint rules that protect the two things a type checker cannot:
// promises nobody awaits, and workflow code that would break determinism.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.flatMap((m) => [m, `node:${m}`]);
// A later block's no-restricted-imports replaces an earlier one's for the same files, so each
// block that sets the rule repeats this pattern.
const noMeasuringCode = {
  group: ['**/measure/**', '**/test/**'],
  message: 'Running code must not import measuring or test code.',
};
// Configuration is read at the top (the processes and tools) and handed down as values; the
// floors below may name its type, never read it (the floors themselves: .dependency-cruiser.cjs).
const configReadAtTheTop = {
  group: ['**/config', '**/config/index'],
  importNames: ['loadConfig', 'loadConfigOrExit'],
  message: 'Read the configuration at the top (api/, workers/, cli/, stack/) and hand the values down.',
};
const belowTheTop = ['orchestration/**', 'activities/**', 'db/**', 'adapters/**', 'trust/**'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tools/**', 'data/**', 'coverage/**', '**/*.mjs', '**/*.js', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // What runs the system and what ships to users never depends on what measures it.
    files: [
      'activities/**',
      'api/**',
      'cli/**',
      'client/**',
      'console/**',
      'config/**',
      'db/**',
      'domain/**',
      'adapters/**',
      'orchestration/**',
      'stack/**',
      'trust/**',
      'workers/**',
      'workflows/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [noMeasuringCode],
        },
      ],
    },
  },
  {
    files: belowTheTop,
    rules: { 'no-restricted-imports': ['error', { patterns: [noMeasuringCode, configReadAtTheTop] }] },
  },
  {
    // The console is a client like any other: the typed client of the contract, nothing of the server.
    files: ['console/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/api/**',
                '**/db/**',
                '**/domain/**',
                '**/adapters/**',
                '**/orchestration/**',
                '**/trust/**',
                '**/workflows/**',
                '**/activities/**',
                '**/config/**',
              ],
              message: 'The console reaches the system only through the typed client (client/).',
            },
            noMeasuringCode,
          ],
        },
      ],
    },
  },
  {
    // Workflow code is replayed: no I/O, no Node built-ins, no database clients.
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({
              name,
              message: 'Node built-ins are not deterministic in workflow code.',
            })),
            { name: 'pg', message: 'Workflows reach Postgres only through activities.' },
            { name: 'knex', message: 'Workflows reach Postgres only through activities.' },
            { name: '@temporalio/activity', message: 'Activities run in the worker, not in the workflow sandbox.' },
            { name: '@temporalio/client', message: 'Use workflow APIs inside workflows.' },
          ],
          patterns: [
            {
              group: ['**/activities/*', '**/db/*', '**/api/*', '**/workers/*'],
              allowTypeImports: true,
              message: 'Workflows may import these as types only.',
            },
            noMeasuringCode,
            configReadAtTheTop,
          ],
        },
      ],
    },
  },
);
