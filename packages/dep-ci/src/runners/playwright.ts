import { appendArguments, requireTests } from './command-args.js';
import type { TestRunner } from './test-runner.js';

/**
 * The Playwright argument that matches exactly the file at root-relative `path`: a regular expression
 * anchored at a path separator and at the end, each segment escaped.
 *
 * @example `e2e/a.spec.ts` → `(?:^|[\\/])e2e[\\/]a\.spec\.ts$`
 */
export function playwrightFileFilter(path: string): string {
  const escaped = path
    .split('/')
    .map((segment) => segment.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&'))
    .join('[\\\\/]');
  return `(?:^|[\\\\/])${escaped}$`;
}

/**
 * Playwright Test: `playwright test` with one anchored regular expression per file.
 *
 * @remarks
 * Playwright reads each positional argument as a regular expression tested against the absolute test
 * file path (and `file:line` as a location), so a plain `a.spec.ts` would also run `ba.spec.ts`. dep-ci
 * escapes the path and anchors it (see {@link playwrightFileFilter}), which matches the one file on
 * POSIX and Windows.
 *
 * @see {@link https://playwright.dev/docs/test-cli}
 * @see {@link https://playwright.dev/docs/api/class-testconfig#test-config-test-match}
 */
export const playwright: TestRunner = {
  name: 'playwright',
  defaultTestGlobs: ['**/*.@(spec|test).?(c|m)[jt]s?(x)'],
  defaultExcludeGlobs: ['**/node_modules/**'],
  buildCommand(command, tests) {
    requireTests('playwright', tests);
    return appendArguments(command, tests.map(playwrightFileFilter));
  },
};
