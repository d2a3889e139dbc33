import { appendArguments, pathArgument, requireTests } from './command-args.js';
import type { TestRunner } from './test-runner.js';

/**
 * pytest: the test files as arguments (`pytest a/test_x.py`).
 *
 * @remarks A path holding `::` would be read as a test id; such file names are not supported.
 *
 * @see {@link https://docs.pytest.org/en/stable/reference/reference.html#confval-python_files}
 * @see {@link https://docs.pytest.org/en/stable/reference/reference.html#confval-norecursedirs}
 */
export const pytest: TestRunner = {
  name: 'pytest',
  defaultTestGlobs: ['**/test_*.py', '**/*_test.py'],
  defaultExcludeGlobs: [
    '**/*.egg/**',
    '**/.*/**',
    '**/_darcs/**',
    '**/build/**',
    '**/CVS/**',
    '**/dist/**',
    '**/node_modules/**',
    '**/venv/**',
    '**/{arch}/**',
  ],
  buildCommand(command, tests) {
    requireTests('pytest', tests);
    return appendArguments(command, tests.map(pathArgument));
  },
};
