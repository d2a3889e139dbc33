import { runnerByName, TEST_RUNNER_NAMES } from './runners/index.js';

/**
 * Every runner's default test globs together: what counts as a test when neither config nor a command
 * names the runner (`dep-ci affected`). Safe: a file any runner would run is a test.
 *
 * @returns unique globs, in runner order
 */
export function allRunnerTestGlobs(): string[] {
  return [...new Set(TEST_RUNNER_NAMES.flatMap((name) => runnerByName(name).defaultTestGlobs))];
}
