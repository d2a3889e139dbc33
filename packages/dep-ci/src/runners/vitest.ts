import { appendArguments, programName, requireTests } from './command-args.js';
import type { TestRunner } from './test-runner.js';

/** Vitest's subcommands; a bare `vitest` (which watches in a terminal) gets `run`. */
const SUBCOMMANDS = new Set(['run', 'related', 'watch', 'dev', 'bench', 'list', 'init']);

/**
 * Vitest: `vitest run` with each test as a `./path` filter.
 *
 * @remarks
 * Vitest has no exact-path option: each positional argument is a case-insensitive substring filter over
 * test paths relative to the project root. dep-ci passes `./<root-relative path>`, which Vitest resolves
 * against the working directory, so a filter always names the file's full directory path: `./src/a.test.ts`
 * never matches `src/xa.test.ts`. It can still match a longer name or a deeper copy of the same path
 * (`src/a.test.tsx`, `other/src/a.test.ts` when `other/` is a project root), which then runs too: more
 * tests than needed, never fewer.
 *
 * When the command invokes `vitest` directly with no subcommand, `run` is inserted after it so the run
 * ends instead of watching; an npm script is run as written.
 *
 * @see {@link https://vitest.dev/guide/filtering#cli}
 * @see {@link https://vitest.dev/config/#include}
 */
export const vitest: TestRunner = {
  name: 'vitest',
  defaultTestGlobs: ['**/*.{test,spec}.?(c|m)[jt]s?(x)'],
  defaultExcludeGlobs: ['**/node_modules/**', '**/.git/**'],
  buildCommand(command, tests) {
    requireTests('vitest', tests);
    const at = command.findIndex((word) => programName(word) === 'vitest');
    const next = command[at + 1];
    const withRun =
      at === -1 || (next !== undefined && SUBCOMMANDS.has(next))
        ? command
        : [...command.slice(0, at + 1), 'run', ...command.slice(at + 1)];
    return appendArguments(
      withRun,
      tests.map((path) => `./${path}`),
    );
  },
};
