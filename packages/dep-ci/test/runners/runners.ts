import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import picomatch from 'picomatch';
import t, { type Test } from 'tap';
import { InternalError } from '@velocity/core';
import {
  jest,
  mocha,
  nodeTest,
  playwright,
  playwrightFileFilter,
  pytest,
  tap,
  TEST_RUNNER_NAMES,
  vitest,
  type TestRunner,
} from '../../src/runners/index.js';

const execFileAsync = promisify(execFile);

const ALL: readonly TestRunner[] = [jest, vitest, nodeTest, tap, pytest, mocha, playwright];

/** Asserts which of `paths` the runner's default globs select (with the options dep-ci matches with). */
function checkGlobs(
  t: Test,
  runner: TestRunner,
  tests: readonly string[],
  others: readonly string[],
): void {
  const include = picomatch([...runner.defaultTestGlobs], { dot: true });
  const exclude = picomatch([...runner.defaultExcludeGlobs], { dot: true });
  const isTest = (path: string) => include(path) && !exclude(path);
  for (const path of tests) t.ok(isTest(path), `${runner.name} runs ${path}`);
  for (const path of others) t.notOk(isTest(path), `${runner.name} does not run ${path}`);
}

t.test('every runner name has a runner, and each refuses an empty test list', async (t) => {
  t.strictSame(
    ALL.map((runner) => runner.name),
    [...TEST_RUNNER_NAMES],
  );
  for (const runner of ALL) {
    t.throws(() => runner.buildCommand(['x'], []), InternalError, runner.name);
  }
});

t.test('jest passes exact paths after --runTestsByPath', async (t) => {
  t.strictSame(jest.buildCommand(['npx', 'jest', '--ci'], ['src/a.test.ts', '-b.test.ts']), [
    'npx',
    'jest',
    '--ci',
    '--runTestsByPath',
    'src/a.test.ts',
    './-b.test.ts',
  ]);
  t.strictSame(jest.buildCommand(['npm', 'test'], ['a (1).test.js']), [
    'npm',
    'test',
    '--',
    '--runTestsByPath',
    'a (1).test.js',
  ]);
});

t.test('jest default globs: __tests__ folders and .test/.spec files', async (t) => {
  checkGlobs(
    t,
    jest,
    [
      'src/__tests__/a.ts',
      '__tests__/b.jsx',
      'a.test.ts',
      'src/b.spec.mjs',
      'c.test.cjs',
      'd.spec.tsx',
    ],
    ['src/a.ts', 'a.test.py', 'test/a.ts', 'node_modules/x/a.test.js'],
  );
});

t.test('vitest runs ./path filters and adds run to a bare vitest', async (t) => {
  t.strictSame(vitest.buildCommand(['npx', 'vitest'], ['src/a.test.ts']), [
    'npx',
    'vitest',
    'run',
    './src/a.test.ts',
  ]);
  t.strictSame(vitest.buildCommand(['npx', 'vitest', '--coverage'], ['a.test.ts', 'b.test.ts']), [
    'npx',
    'vitest',
    'run',
    '--coverage',
    './a.test.ts',
    './b.test.ts',
  ]);
  t.strictSame(vitest.buildCommand(['npx', 'vitest', 'run'], ['a.test.ts']), [
    'npx',
    'vitest',
    'run',
    './a.test.ts',
  ]);
  t.strictSame(vitest.buildCommand(['pnpm', 'vitest', 'bench'], ['a.bench.ts']), [
    'pnpm',
    'vitest',
    'bench',
    './a.bench.ts',
  ]);
  t.strictSame(vitest.buildCommand(['npm', 'test'], ['-a.test.ts']), [
    'npm',
    'test',
    '--',
    './-a.test.ts',
  ]);
});

t.test('vitest default globs: .test/.spec files of any JS or TS flavour', async (t) => {
  checkGlobs(
    t,
    vitest,
    ['a.test.ts', 'src/b.spec.js', 'c.test.mts', 'd.spec.cjs', 'e.test.tsx', 'f.spec.jsx'],
    ['__tests__/a.ts', 'a.ts', 'a.test.py', 'node_modules/a/b.test.ts', '.git/a.test.ts'],
  );
});

t.test('node --test gets the files as arguments', async (t) => {
  t.strictSame(nodeTest.buildCommand(['node', '--test'], ['test/a.js', 'b.test.mjs']), [
    'node',
    '--test',
    'test/a.js',
    'b.test.mjs',
  ]);
  t.strictSame(nodeTest.buildCommand(['npm', 'test'], ['a.test.js']), [
    'npm',
    'test',
    '--',
    'a.test.js',
  ]);
});

t.test('node --test default globs follow Node 20', async (t) => {
  checkGlobs(
    t,
    nodeTest,
    [
      'a.test.js',
      'a-test.mjs',
      'a_test.cjs',
      'test-a.js',
      'test.js',
      'lib/test.cjs',
      'test/x.js',
      'a/test/deep/x.mjs',
    ],
    ['a.test.ts', 'a.spec.js', 'testing.js', 'test/x.ts', 'node_modules/test/a.js'],
  );
});

t.test('the built command runs exactly the chosen file with node --test', async (t) => {
  const dir = t.testdir({
    'a.test.js': "console.log('ran a');",
    'b.test.js': "console.log('ran b');",
    'ab.test.js': "console.log('ran ab');",
  });
  const [program, ...args] = nodeTest.buildCommand([process.execPath, '--test'], ['b.test.js']);
  const { stdout } = await execFileAsync(program as string, args, { cwd: dir });
  t.match(stdout, /ran b/);
  t.notMatch(stdout, /ran a/);
});

t.test('tap gets the files as arguments', async (t) => {
  t.strictSame(tap.buildCommand(['npx', 'tap'], ['test/a.ts']), ['npx', 'tap', 'test/a.ts']);
  t.strictSame(tap.buildCommand(['npm', 'test'], ['test/a.ts', 'test/b.ts']), [
    'npm',
    'test',
    '--',
    'test/a.ts',
    'test/b.ts',
  ]);
});

t.test(
  'tap default globs: test folders, .test/.spec files, top-level test files; no fixtures',
  async (t) => {
    checkGlobs(
      t,
      tap,
      [
        'test/a.ts',
        'tests/b/c.mjs',
        '__tests__/d.tsx',
        'pkg/test/e.cts',
        'a.test.js',
        'b.spec.ts',
        'test.js',
      ],
      [
        'test/fixtures/a.js',
        'test/fixture/b.ts',
        'dist/test/a.js',
        'src/a.ts',
        'test/a.py',
        'tap-snapshots/test/a.ts',
      ],
    );
  },
);

t.test('pytest gets the files as arguments', async (t) => {
  t.strictSame(pytest.buildCommand(['python', '-m', 'pytest', '-q'], ['tests/test_a.py']), [
    'python',
    '-m',
    'pytest',
    '-q',
    'tests/test_a.py',
  ]);
  t.strictSame(pytest.buildCommand(['pytest'], ['a_test.py', '-x_test.py']), [
    'pytest',
    'a_test.py',
    './-x_test.py',
  ]);
});

t.test(
  'pytest default globs: test_*.py and *_test.py outside build and hidden folders',
  async (t) => {
    checkGlobs(
      t,
      pytest,
      ['test_a.py', 'tests/test_b.py', 'pkg/c_test.py'],
      [
        'a.py',
        'testa.py',
        'build/test_a.py',
        '.venv/lib/test_a.py',
        'venv/test_b.py',
        'test_a.pyc',
      ],
    );
  },
);

t.test('mocha gets the files as arguments', async (t) => {
  t.strictSame(mocha.buildCommand(['npx', 'mocha', '--exit'], ['test/a.js']), [
    'npx',
    'mocha',
    '--exit',
    'test/a.js',
  ]);
  t.strictSame(mocha.buildCommand(['yarn', 'test'], ['test/a.js']), ['yarn', 'test', 'test/a.js']);
});

t.test('mocha default globs: the files directly in test/', async (t) => {
  checkGlobs(
    t,
    mocha,
    ['test/a.js', 'test/b.cjs', 'test/c.mjs'],
    ['test/deep/a.js', 'a.test.js', 'test/a.ts'],
  );
});

t.test('playwright gets one anchored, escaped expression per file', async (t) => {
  t.strictSame(playwright.buildCommand(['npx', 'playwright', 'test'], ['e2e/a.spec.ts']), [
    'npx',
    'playwright',
    'test',
    '(?:^|[\\\\/])e2e[\\\\/]a\\.spec\\.ts$',
  ]);
  t.strictSame(playwright.buildCommand(['npm', 'run', 'e2e'], ['a.spec.ts']), [
    'npm',
    'run',
    'e2e',
    '--',
    '(?:^|[\\\\/])a\\.spec\\.ts$',
  ]);
});

t.test(
  'a playwright filter matches its file and no other, on POSIX and Windows paths',
  async (t) => {
    // Playwright builds `new RegExp(arg, 'gi')` and tests it against the absolute path.
    const matches = (path: string, file: string) =>
      new RegExp(playwrightFileFilter(path), 'gi').test(file);
    t.ok(matches('e2e/a.spec.ts', '/repo/e2e/a.spec.ts'));
    t.ok(matches('e2e/a.spec.ts', 'C:\\repo\\e2e\\a.spec.ts'));
    t.notOk(matches('e2e/a.spec.ts', '/repo/e2e/ba.spec.ts'));
    t.notOk(matches('e2e/a.spec.ts', '/repo/e2e/a.spec.tsx'));
    t.notOk(matches('e2e/a.spec.ts', '/repo/e2e/aXspec.ts'));
    t.ok(matches('e2e/a (1)[x]+$.spec.ts', '/repo/e2e/a (1)[x]+$.spec.ts'));
  },
);

t.test('playwright default globs: .spec/.test files of any JS or TS flavour', async (t) => {
  checkGlobs(t, playwright, ['e2e/a.spec.ts', 'b.test.mjs', 'c.spec.tsx'], ['a.ts', 'a.e2e.ts']);
});
