import { appendArguments, pathArgument, requireTests } from './command-args.js';
import type { TestRunner } from './test-runner.js';

/**
 * Mocha: the test files as arguments.
 *
 * @remarks
 * Mocha's default spec is `./test/*.{js,cjs,mjs}`, not recursive (`--recursive` or a `spec` glob in
 * `.mocharc.*` widens it; set `depCi.testGlobs` then). Mocha uses an argument that names an existing
 * file as is and expands anything else as a glob.
 *
 * @see {@link https://mochajs.org/#the-test-directory}
 */
export const mocha: TestRunner = {
  name: 'mocha',
  defaultTestGlobs: ['test/*.{js,cjs,mjs}'],
  defaultExcludeGlobs: [],
  buildCommand(command, tests) {
    requireTests('mocha', tests);
    return appendArguments(command, tests.map(pathArgument));
  },
};
