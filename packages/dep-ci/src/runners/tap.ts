import { appendArguments, pathArgument, requireTests } from './command-args.js';
import type { TestRunner } from './test-runner.js';

/** File extensions tap 21 runs with its default TypeScript plugin. */
const EXTENSIONS = '@(js|cjs|mjs|jsx|ts|cts|mts|tsx)';

/**
 * tap: the test files as arguments.
 *
 * @see {@link https://node-tap.org/cli/#include}
 */
export const tap: TestRunner = {
  name: 'tap',
  defaultTestGlobs: [
    `**/@(test?(s)|__test?(s)__)/**/*.${EXTENSIONS}`,
    `**/*.@(test?(s)|spec).${EXTENSIONS}`,
    `**/test?(s).${EXTENSIONS}`,
  ],
  defaultExcludeGlobs: [
    '**/@(fixture*(s)|dist)/**',
    '**/node_modules/**',
    '**/tap-snapshots/**',
    '**/.git/**',
  ],
  buildCommand(command, tests) {
    requireTests('tap', tests);
    return appendArguments(command, tests.map(pathArgument));
  },
};
