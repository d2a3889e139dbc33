/** The test runners dep-ci knows, by the name `depCi.runner` takes. */
export const TEST_RUNNER_NAMES = [
  'jest',
  'vitest',
  'node',
  'tap',
  'pytest',
  'mocha',
  'playwright',
] as const;

/** One of {@link TEST_RUNNER_NAMES}. */
export type TestRunnerName = (typeof TEST_RUNNER_NAMES)[number];

/**
 * What dep-ci needs to know about a test runner: which files are its tests by default, and how to make
 * it run exactly some of them.
 */
export interface TestRunner {
  readonly name: TestRunnerName;
  /**
   * Globs (root-relative POSIX, picomatch syntax) matching the runner's test files when it is not
   * configured otherwise: the runner's own defaults.
   */
  readonly defaultTestGlobs: readonly string[];
  /** Globs (root-relative POSIX) the runner never treats as tests by default, even when they match. */
  readonly defaultExcludeGlobs: readonly string[];
  /**
   * The argv that runs exactly `tests`.
   *
   * @param command - the user's command after `--`, e.g. `['npm', 'test']` or `['npx', 'vitest', 'run']`
   * @param tests - test files, root-relative POSIX, the command being run from the root; at least one
   * @returns a new argv: `command` with the runner's arguments for `tests` added
   * @throws {@link InternalError} when `tests` is empty (most runners would then run every test)
   */
  buildCommand(command: readonly string[], tests: readonly string[]): string[];
}
