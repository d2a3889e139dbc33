import { appendArguments, pathArgument, requireTests } from './command-args.js';
import type { TestRunner } from './test-runner.js';

/**
 * Jest: runs test files given after `--runTestsByPath`.
 *
 * @remarks
 * Without `--runTestsByPath` Jest reads positional arguments as regular expressions over test paths,
 * so `a.test.ts` would also run `ba.test.ts` and `a(1).test.ts` would match nothing; with it, each
 * argument is one exact path.
 *
 * @see {@link https://jestjs.io/docs/cli#--runtestsbypath}
 * @see {@link https://jestjs.io/docs/configuration#testmatch-arraystring}
 */
export const jest: TestRunner = {
  name: 'jest',
  defaultTestGlobs: ['**/__tests__/**/*.?([mc])[jt]s?(x)', '**/?(*.)+(spec|test).?([mc])[jt]s?(x)'],
  defaultExcludeGlobs: ['**/node_modules/**'],
  buildCommand(command, tests) {
    requireTests('jest', tests);
    return appendArguments(command, ['--runTestsByPath', ...tests.map(pathArgument)]);
  },
};
