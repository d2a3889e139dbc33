import { appendArguments, pathArgument, requireTests } from './command-args.js';
import type { TestRunner } from './test-runner.js';

/**
 * Node's built-in test runner: `node --test` with the test files.
 *
 * @remarks
 * Node 20 takes each argument as a file path. Node 21 and later read arguments as glob patterns, so there
 * a path holding `*`, `?`, `[` or `{` may select other files too.
 *
 * @see {@link https://nodejs.org/docs/latest-v20.x/api/test.html#running-tests-from-the-command-line}
 */
export const nodeTest: TestRunner = {
  name: 'node',
  defaultTestGlobs: [
    '**/*.test.?(c|m)js',
    '**/*-test.?(c|m)js',
    '**/*_test.?(c|m)js',
    '**/test-*.?(c|m)js',
    '**/test.?(c|m)js',
    '**/test/**/*.?(c|m)js',
  ],
  defaultExcludeGlobs: ['**/node_modules/**'],
  buildCommand(command, tests) {
    requireTests('node', tests);
    return appendArguments(command, tests.map(pathArgument));
  },
};
