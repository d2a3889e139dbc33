/**
 * Test runners: their default test files, how to run exactly some tests with each, and how to tell from
 * a command which runner it runs.
 *
 * @module
 */
export { appendArguments, programName, scriptInvocation } from './command-args.js';
export type { PackageManager, ScriptInvocation } from './command-args.js';
export { detectRunner, isTestRunnerName, runnerByName } from './detect-runner.js';
export type { DetectRunnerInput } from './detect-runner.js';
export { jest } from './jest.js';
export { mocha } from './mocha.js';
export { nodeTest } from './node-test.js';
export { playwright, playwrightFileFilter } from './playwright.js';
export { pytest } from './pytest.js';
export { tap } from './tap.js';
export { TEST_RUNNER_NAMES } from './test-runner.js';
export type { TestRunner, TestRunnerName } from './test-runner.js';
export { vitest } from './vitest.js';
