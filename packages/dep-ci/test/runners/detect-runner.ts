import t from 'tap';
import { UnknownRunnerError } from '../../src/errors.js';
import {
  detectRunner,
  isTestRunnerName,
  runnerByName,
  TEST_RUNNER_NAMES,
  type DetectRunnerInput,
} from '../../src/runners/index.js';

const NO_FILES: ReadonlySet<string> = new Set();

/** The detected runner's name, or undefined. */
function detect(input: Partial<DetectRunnerInput> & Pick<DetectRunnerInput, 'command'>) {
  return detectRunner({ files: NO_FILES, ...input })?.name;
}

t.test('the command words name the runner', async (t) => {
  const cases: Array<[string[], string]> = [
    [['npx', 'jest', '--ci'], 'jest'],
    [['./node_modules/.bin/jest'], 'jest'],
    [['npx', 'vitest', 'run'], 'vitest'],
    [['pnpm', 'exec', 'vitest'], 'vitest'],
    [['node', '--test'], 'node'],
    [['node', '--test-reporter=spec', '--test', 'test/'], 'node'],
    [['npx', 'tap'], 'tap'],
    [['pytest', '-q'], 'pytest'],
    [['python', '-m', 'pytest'], 'pytest'],
    [['python3', '-m', 'py.test'], 'pytest'],
    [['npx', 'mocha', '--reporter', 'tap'], 'mocha'],
    [['node', 'node_modules/mocha/bin/_mocha'], 'mocha'],
    [['npx', 'playwright', 'test'], 'playwright'],
  ];
  for (const [command, runner] of cases) t.equal(detect({ command }), runner, command.join(' '));
});

t.test('node without --test and playwright without test name no runner', async (t) => {
  t.equal(detect({ command: ['node', 'script.js'] }), undefined);
  t.equal(detect({ command: ['npx', 'playwright', 'install'] }), undefined);
});

t.test('the command words win over package.json and config files', async (t) => {
  t.equal(
    detect({
      command: ['npx', 'vitest'],
      packageJson: { scripts: { test: 'jest' }, devDependencies: { jest: '1' } },
      files: new Set(['jest.config.js']),
    }),
    'vitest',
  );
});

t.test('an npm script is read from package.json, following npm run chains', async (t) => {
  const packageJson = {
    scripts: {
      test: 'npm run test:unit',
      'test:unit': 'cross-env NODE_ENV=test "vitest" run && eslint .',
      e2e: 'playwright test --project=chromium',
      tap: 'tap',
    },
  };
  t.equal(detect({ command: ['npm', 'test'], packageJson }), 'vitest');
  t.equal(detect({ command: ['yarn', 'e2e'], packageJson }), 'playwright');
  t.equal(detect({ command: ['pnpm', 'run', 'tap'], packageJson }), 'tap');
  t.equal(detect({ command: ['make', 'test'], packageJson }), 'vitest', 'scripts.test otherwise');
});

t.test('a script loop or a script that names no runner falls through', async (t) => {
  const packageJson = {
    scripts: { test: 'npm run a', a: 'npm run test' },
    devDependencies: { mocha: '1' },
  };
  t.equal(detect({ command: ['npm', 'test'], packageJson }), 'mocha');
  t.equal(detect({ command: ['npm', 'run', 'missing'], packageJson: { scripts: {} } }), undefined);
});

t.test('package.json config keys, then dependencies, name the runner', async (t) => {
  t.equal(detect({ command: ['npm', 'test'], packageJson: { jest: {} } }), 'jest');
  t.equal(
    detect({
      command: ['npm', 'test'],
      packageJson: { mocha: {}, devDependencies: { vitest: '1' } },
    }),
    'mocha',
  );
  t.equal(
    detect({
      command: ['npm', 'test'],
      packageJson: { devDependencies: { jest: '1', vitest: '1' } },
    }),
    'vitest',
  );
  t.equal(
    detect({
      command: ['npm', 'test'],
      packageJson: { dependencies: { '@playwright/test': '1' } },
    }),
    'playwright',
  );
  t.equal(
    detect({ command: ['npm', 'test'], packageJson: { devDependencies: { tap: '1' } } }),
    'tap',
  );
});

t.test('a malformed package.json is ignored', async (t) => {
  for (const packageJson of [null, 'x', 42, { scripts: 'jest' }, { scripts: { test: 1 } }]) {
    t.equal(detect({ command: ['npm', 'test'], packageJson }), undefined);
  }
});

t.test('root config files name the runner', async (t) => {
  const cases: Array<[string, string]> = [
    ['jest.config.ts', 'jest'],
    ['vitest.config.mts', 'vitest'],
    ['vitest.workspace.ts', 'vitest'],
    ['.mocharc.yml', 'mocha'],
    ['.taprc', 'tap'],
    ['playwright.config.ts', 'playwright'],
    ['pytest.ini', 'pytest'],
    ['conftest.py', 'pytest'],
    ['tests/conftest.py', 'pytest'],
  ];
  for (const [file, runner] of cases) {
    t.equal(detect({ command: ['make'], files: new Set([file]) }), runner, file);
  }
  t.equal(
    detect({ command: ['make'], files: new Set(['pkg/jest.config.js']) }),
    undefined,
    'not at the root',
  );
});

t.test('pyproject.toml, setup.cfg and tox.ini count only with a pytest section', async (t) => {
  const contents: Record<string, string> = {
    'pyproject.toml': '[project]\nname = "x"\n\n[tool.pytest.ini_options]\naddopts = "-q"\n',
    'setup.cfg': '[tool:pytest]\n',
    'tox.ini': '[tox]\n[pytest]\n',
  };
  for (const file of Object.keys(contents)) {
    const files = new Set([file]);
    t.equal(
      detect({ command: ['make'], files, readFile: (path) => contents[path] }),
      'pytest',
      file,
    );
    t.equal(
      detect({ command: ['make'], files, readFile: () => '[tool.black]\n' }),
      undefined,
      file,
    );
    t.equal(detect({ command: ['make'], files }), undefined, `${file} unread`);
  }
});

t.test('nothing at all detects nothing', async (t) => {
  t.equal(detect({ command: ['make', 'test'] }), undefined);
});

t.test('runnerByName returns each runner and refuses unknown names', async (t) => {
  for (const name of TEST_RUNNER_NAMES) t.equal(runnerByName(name).name, name);
  t.equal(isTestRunnerName('jset'), false);
  const error = t.throws(() => runnerByName('jset'));
  t.type(error, UnknownRunnerError);
  t.match(error, { code: 'DEPCI_RUNNER_UNKNOWN', exitCode: 2, runner: 'jset' });
});
