import { programName, scriptInvocation } from './command-args.js';
import { jest } from './jest.js';
import { mocha } from './mocha.js';
import { nodeTest } from './node-test.js';
import { playwright } from './playwright.js';
import { pytest } from './pytest.js';
import { tap } from './tap.js';
import { UnknownRunnerError } from '../errors.js';
import { TEST_RUNNER_NAMES, type TestRunner, type TestRunnerName } from './test-runner.js';
import { vitest } from './vitest.js';

const RUNNERS: Readonly<Record<TestRunnerName, TestRunner>> = {
  jest,
  vitest,
  node: nodeTest,
  tap,
  pytest,
  mocha,
  playwright,
};

/** Whether `name` is one of {@link TEST_RUNNER_NAMES}. */
export function isTestRunnerName(name: string): name is TestRunnerName {
  return (TEST_RUNNER_NAMES as readonly string[]).includes(name);
}

/**
 * The runner called `name`.
 *
 * @param name - a `depCi.runner` value or `--runner` flag, e.g. `vitest`
 * @returns its {@link TestRunner}
 * @throws {@link UnknownRunnerError} when `name` is not one of {@link TEST_RUNNER_NAMES}
 */
export function runnerByName(name: string): TestRunner {
  if (!isTestRunnerName(name)) throw new UnknownRunnerError(name);
  return RUNNERS[name];
}

/** What {@link detectRunner} looks at. */
export interface DetectRunnerInput {
  /** The user's command after `--`, e.g. `['npm', 'test']`. */
  command: readonly string[];
  /** The root `package.json`, parsed (any shape; what is not understood is ignored). */
  packageJson?: unknown;
  /** The repository's files, root-relative POSIX (from `readWorkTree`). */
  files: ReadonlySet<string>;
  /**
   * Reads a root-relative file as text, or returns undefined when it cannot; used only to look inside
   * `pyproject.toml`, `setup.cfg` and `tox.ini` for a pytest section. Without it those files are not
   * evidence.
   */
  readFile?: (path: string) => string | undefined;
}

/** Program names that are a runner whatever follows them. */
const PROGRAMS: Readonly<Record<string, TestRunnerName>> = {
  jest: 'jest',
  vitest: 'vitest',
  tap: 'tap',
  pytest: 'pytest',
  'py.test': 'pytest',
  mocha: 'mocha',
  _mocha: 'mocha',
};

/**
 * The runner named by a command's words: the first of `jest`, `vitest`, `tap`, `pytest` (also reached as
 * `python -m pytest`), `mocha`, `node … --test`, `playwright test`, by program name.
 */
function runnerInWords(words: readonly string[]): TestRunnerName | undefined {
  for (const [i, word] of words.entries()) {
    const program = programName(word);
    const runner = PROGRAMS[program];
    if (runner !== undefined) return runner;
    if (program === 'playwright' && words[i + 1] === 'test') return 'playwright';
    if (program === 'node' && words.slice(i + 1).includes('--test')) return 'node';
  }
  return undefined;
}

/** Splits a package.json script into words at whitespace and shell operators, dropping quotes. */
function scriptWords(script: string): string[] {
  return script
    .split(/\s+|&&|\|\||[;|()]/)
    .map((word) => word.replace(/^(["'])(.*)\1$/, '$2'))
    .filter((word) => word !== '');
}

/** A plain object's own property, or undefined. */
function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, key)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/** Most scripts followed through `npm run x` chains. */
const MAX_SCRIPT_DEPTH = 5;

/** The runner a package.json script runs, following `npm run <other>` into the other script. */
function runnerInScript(packageJson: unknown, script: string): TestRunnerName | undefined {
  const scripts = field(packageJson, 'scripts');
  let name: string | undefined = script;
  for (let depth = 0; depth < MAX_SCRIPT_DEPTH && name !== undefined; depth += 1) {
    const text = field(scripts, name);
    if (typeof text !== 'string') return undefined;
    const words = scriptWords(text);
    const runner = runnerInWords(words);
    if (runner !== undefined) return runner;
    name = scriptInvocation(words)?.script;
  }
  return undefined;
}

/** Dependencies that name a runner, most likely to run unit tests first. */
const DEPENDENCIES: ReadonlyArray<readonly [string, TestRunnerName]> = [
  ['vitest', 'vitest'],
  ['jest', 'jest'],
  ['mocha', 'mocha'],
  ['tap', 'tap'],
  ['@playwright/test', 'playwright'],
];

/** The runner named by a package.json config key (`jest`, `mocha`, `tap`) or dependency. */
function runnerInPackage(packageJson: unknown): TestRunnerName | undefined {
  for (const key of ['jest', 'mocha', 'tap'] as const) {
    if (field(packageJson, key) !== undefined) return key;
  }
  const dependencies = [field(packageJson, 'devDependencies'), field(packageJson, 'dependencies')];
  for (const [dependency, runner] of DEPENDENCIES) {
    if (dependencies.some((deps) => field(deps, dependency) !== undefined)) return runner;
  }
  return undefined;
}

/** Config file names at the root, each with its runner, in order of preference. */
const CONFIG_FILES: ReadonlyArray<readonly [RegExp, TestRunnerName]> = [
  [/^jest\.config\.(?:js|cjs|mjs|ts|cts|mts|json)$/, 'jest'],
  [/^vitest\.(?:config|workspace)\.(?:js|cjs|mjs|ts|cts|mts)$/, 'vitest'],
  [/^\.mocharc\.(?:js|cjs|mjs|json|jsonc|yaml|yml)$/, 'mocha'],
  [/^\.taprc$/, 'tap'],
  [/^playwright\.config\.(?:js|cjs|mjs|ts|cts|mts)$/, 'playwright'],
  [/^pytest\.ini$/, 'pytest'],
];

/** Root files that configure pytest only when they hold its section. */
const PYTEST_SECTIONS: ReadonlyArray<readonly [string, RegExp]> = [
  ['pyproject.toml', /^\[tool\.pytest\.ini_options\]/m],
  ['setup.cfg', /^\[tool:pytest\]/m],
  ['tox.ini', /^\[pytest\]/m],
];

/** The runner a root config file belongs to. */
function runnerInFiles(input: DetectRunnerInput): TestRunnerName | undefined {
  for (const [pattern, runner] of CONFIG_FILES) {
    for (const file of input.files) if (pattern.test(file)) return runner;
  }
  for (const [file, section] of PYTEST_SECTIONS) {
    if (input.files.has(file) && section.test(input.readFile?.(file) ?? '')) return 'pytest';
  }
  for (const file of input.files) {
    if (file === 'conftest.py' || file.endsWith('/conftest.py')) return 'pytest';
  }
  return undefined;
}

/**
 * Works out which test runner a command runs.
 *
 * @remarks
 * The first evidence found wins:
 * 1. the command's own words: `jest`, `vitest`, `tap`, `pytest` / `python -m pytest`, `mocha`,
 *    `node --test`, `playwright test` (by program name, so `./node_modules/.bin/jest` and `npx jest` count);
 * 2. the package.json script the command runs (`npm test` → `scripts.test`, `npm run x` → `scripts.x`,
 *    following `npm run` chains up to 5 deep), or `scripts.test` for any other command;
 * 3. package.json: a `jest`, `mocha` or `tap` config key, then a dependency or devDependency on `vitest`,
 *    `jest`, `mocha`, `tap`, `@playwright/test`, in that order;
 * 4. a root config file: `jest.config.*`, `vitest.config.*` / `vitest.workspace.*`, `.mocharc.*`,
 *    `.taprc`, `playwright.config.*`, `pytest.ini`; then `pyproject.toml` with `[tool.pytest.ini_options]`,
 *    `setup.cfg` with `[tool:pytest]`, `tox.ini` with `[pytest]`; then a `conftest.py` anywhere.
 *
 * Scripts are split into words at whitespace and `&& || ; | ( )`; quoting beyond one pair of quotes
 * around a word is not understood. Cost O(F) for F files.
 *
 * @param input - see {@link DetectRunnerInput}
 * @returns the runner, or undefined when nothing names one (the caller throws {@link RunnerNotFoundError})
 */
export function detectRunner(input: DetectRunnerInput): TestRunner | undefined {
  const script = scriptInvocation(input.command)?.script ?? 'test';
  const name =
    runnerInWords(input.command) ??
    runnerInScript(input.packageJson, script) ??
    runnerInPackage(input.packageJson) ??
    runnerInFiles(input);
  return name === undefined ? undefined : RUNNERS[name];
}
