import { basename } from 'node:path';
import { InternalError } from '@velocity/core';

/** Package managers whose scripts dep-ci can pass file arguments through. */
export type PackageManager = 'npm' | 'yarn' | 'pnpm';

/** A command that runs a package.json script, e.g. `npm run test:unit`. */
export interface ScriptInvocation {
  manager: PackageManager;
  /** The script's name in `package.json` `scripts`, e.g. `test`. */
  script: string;
}

const EXECUTABLE_EXTENSION = /\.(?:cmd|bat|exe|ps1|js|cjs|mjs)$/i;

/**
 * The program a command word names: its file name without directory or executable extension.
 *
 * @param word - e.g. `./node_modules/.bin/jest.cmd`
 * @returns e.g. `jest`
 */
export function programName(word: string): string {
  return basename(word.replaceAll('\\', '/')).replace(EXECUTABLE_EXTENSION, '');
}

const NPM_TEST_ALIASES = new Set(['test', 'tst', 't']);
const NPM_RUN_ALIASES = new Set(['run', 'run-script', 'rum', 'urn']);
/** Commands of yarn and pnpm that are not scripts (a script of another name is run as `yarn <name>`). */
const MANAGER_COMMANDS = new Set([
  'add',
  'bin',
  'dlx',
  'exec',
  'install',
  'node',
  'remove',
  'why',
  'workspace',
  'workspaces',
]);

/** The words of `command` after `from` that are not options (`--x`, `-x`, `--x=y`). */
function operands(command: readonly string[], from: number): string[] {
  return command.slice(from).filter((word) => !word.startsWith('-'));
}

/**
 * Whether `command` runs a package.json script, and which one.
 *
 * @remarks
 * Recognises `npm test` (or `t`, `tst`), `npm run <script>` (or `run-script`), and for yarn and pnpm
 * `test`, `run <script>` and `<script>`. Options before the script name are skipped when written as one
 * word (`--silent`, `--workspace=a`); an option taking a separate value (`--prefix dir`) is not
 * understood.
 *
 * @param command - the user's command after `--`
 * @returns the package manager and script, or undefined for any other command
 */
export function scriptInvocation(command: readonly string[]): ScriptInvocation | undefined {
  const program = command[0] === undefined ? '' : programName(command[0]);
  if (program !== 'npm' && program !== 'yarn' && program !== 'pnpm') return undefined;
  const [first, second] = operands(command, 1);
  if (first === undefined) return undefined;
  if (program === 'npm') {
    if (NPM_TEST_ALIASES.has(first)) return { manager: program, script: 'test' };
    if (NPM_RUN_ALIASES.has(first) && second !== undefined)
      return { manager: program, script: second };
    return undefined;
  }
  if (first === 'run')
    return second === undefined ? undefined : { manager: program, script: second };
  if (MANAGER_COMMANDS.has(first)) return undefined;
  return { manager: program, script: first };
}

/**
 * A test path as a command-line argument: a path starting with `-` gets `./` so it is not read as an
 * option.
 */
export function pathArgument(path: string): string {
  return path.startsWith('-') ? `./${path}` : path;
}

/**
 * Appends a runner's arguments to the user's command.
 *
 * @remarks
 * For `npm test` / `npm run <script>` the arguments go after `--` (added unless the command already has
 * one), which npm passes on to the script. yarn (1 and 2+) and pnpm (7+) pass every argument after the
 * script name on, and pnpm would pass a `--` on verbatim, so none is added for them. Any other command
 * gets the arguments at its end.
 *
 * @param command - the user's command after `--`
 * @param args - the runner's arguments
 * @returns a new argv
 */
export function appendArguments(command: readonly string[], args: readonly string[]): string[] {
  const npmScript = scriptInvocation(command)?.manager === 'npm';
  const separator = npmScript && !command.includes('--') ? ['--'] : [];
  return [...command, ...separator, ...args];
}

/**
 * Throws when there are no tests to pass: with no file arguments, runners run every test.
 *
 * @throws {@link InternalError} when `tests` is empty
 */
export function requireTests(runner: string, tests: readonly string[]): void {
  if (tests.length === 0) {
    throw new InternalError(
      `${runner}.buildCommand was called with no tests. Skip running the command when no test is affected.`,
    );
  }
}
