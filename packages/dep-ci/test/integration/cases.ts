/**
 * End-to-end: the built `dep-ci` executable on small repositories, one per case dep-ci must get right.
 */
import t from 'tap';
import {
  affected,
  commitAll,
  depCiBuilt,
  initRepo,
  runDepCi,
  writeFiles,
} from '../helpers/git-repo.js';

t.before(() => {
  if (!depCiBuilt()) throw new Error('dist/bin/dep-ci is missing: run npm run build first');
});

const tsMonorepo = {
  'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*'] }),
  'tsconfig.json': JSON.stringify({
    compilerOptions: { baseUrl: '.', paths: { '@app/*': ['src/*'] }, module: 'NodeNext' },
  }),
  'src/math.ts': 'export const add = (a: number, b: number) => a + b;\n',
  'src/format.ts':
    "import { add } from './math.js';\nexport const show = (n: number) => String(add(n, 0));\n",
  'src/unrelated.ts': 'export const x = 1;\n',
  'test/math.test.ts':
    "import { add } from '@app/math';\nimport { test } from 'node:test';\ntest('add', () => add(1, 2));\n",
  'test/format.test.ts': "import { show } from '../src/format.js';\nshow(1);\n",
  'test/unrelated.test.ts': "import { x } from '../src/unrelated';\nx;\n",
  'packages/util/package.json': JSON.stringify({
    name: '@mono/util',
    main: 'dist/index.js',
    types: 'dist/index.d.ts',
  }),
  'packages/util/src/index.ts': "export { pad } from './pad.js';\n",
  'packages/util/src/pad.ts': 'export const pad = (s: string) => ` ${s}`;\n',
  'packages/app/package.json': JSON.stringify({ name: '@mono/app' }),
  'packages/app/test/app.test.ts': "import { pad } from '@mono/util';\npad('x');\n",
  'test/__snapshots__/format.test.ts.snap': 'exports[`x`] = `1`;\n',
  '.gitignore': 'node_modules/\n.velocity/\n',
};

t.test(
  'tsconfig paths, relative .js imports and workspaces select exactly the right tests',
  async (t) => {
    const dir = t.testdir();
    initRepo(dir, tsMonorepo);
    writeFiles(dir, { 'src/math.ts': 'export const add = (a: number, b: number) => b + a;\n' });
    commitAll(dir, 'change math');
    const result = affected(dir, ['--base', 'HEAD~1']);
    t.strictSame(result.changed, ['src/math.ts']);
    t.strictSame(result.tests, ['test/format.test.ts', 'test/math.test.ts']);
    t.strictSame(result.reasons['test/format.test.ts'], [
      'src/math.ts',
      'src/format.ts',
      'test/format.test.ts',
    ]);
    t.equal(result.runAll, false);

    writeFiles(dir, {
      'packages/util/src/pad.ts': 'export const pad = (s: string) => `  ${s}`;\n',
    });
    commitAll(dir, 'change pad');
    t.strictSame(affected(dir, ['--base', 'HEAD~1']).tests, ['packages/app/test/app.test.ts']);
  },
);

t.test('a deleted file selects the tests that imported it', async (t) => {
  const dir = t.testdir();
  initRepo(dir, tsMonorepo);
  writeFiles(dir, { 'src/unrelated.ts': null });
  commitAll(dir, 'delete');
  t.strictSame(affected(dir, ['--base', 'HEAD~1']).tests, ['test/unrelated.test.ts']);
});

t.test('a snapshot change selects its test', async (t) => {
  const dir = t.testdir();
  initRepo(dir, tsMonorepo);
  t.strictSame(affected(dir, ['--changed', 'test/__snapshots__/format.test.ts.snap']).tests, [
    'test/format.test.ts',
  ]);
});

t.test('a lockfile or tsconfig change runs everything, saying why', async (t) => {
  const dir = t.testdir();
  initRepo(dir, tsMonorepo);
  writeFiles(dir, { 'package-lock.json': '{}\n', 'tsconfig.json': '{"compilerOptions":{}}\n' });
  commitAll(dir, 'config');
  const result = affected(dir, ['--base', 'HEAD~1']);
  t.equal(result.runAll, true);
  t.strictSame(result.runAllReasons, [
    'lockfile changed: package-lock.json',
    'TypeScript config changed: tsconfig.json',
  ]);
  t.equal(result.tests.length, 4);
});

t.test('a base commit that is not there runs everything and says how to fetch it', async (t) => {
  const dir = t.testdir();
  initRepo(dir, tsMonorepo);
  const result = affected(dir, ['--base', 'deadbeefdeadbeefdeadbeefdeadbeefdeadbeef']);
  t.equal(result.runAll, true);
  t.match(result.runAllReasons[0], /deadbeef.*(fetch|not found)/i);
});

t.test('python: relative imports, __init__ chains, conftest.py and pytest_plugins', async (t) => {
  const dir = t.testdir();
  initRepo(dir, {
    'src/shop/__init__.py': '',
    'src/shop/cart.py':
      'from .prices import price\n\ndef total(items):\n    return sum(price(i) for i in items)\n',
    'src/shop/prices.py': 'def price(item):\n    return 1\n',
    'src/shop/users.py': 'NAME = "x"\n',
    'tests/conftest.py': 'import pytest\n\npytest_plugins = ["shop.fixtures"]\n',
    'src/shop/fixtures.py': 'import pytest\n\n@pytest.fixture\ndef cart():\n    return []\n',
    'tests/test_cart.py':
      'from shop.cart import total\n\ndef test_total():\n    assert total([1]) == 1\n',
    'tests/test_users.py': 'from shop import users\n\ndef test_name():\n    assert users.NAME\n',
    'other/test_alone.py': 'def test_x():\n    pass\n',
    'pyproject.toml': '[project]\nname = "shop"\n',
  });
  t.strictSame(affected(dir, ['--changed', 'src/shop/prices.py']).tests, ['tests/test_cart.py']);
  t.strictSame(affected(dir, ['--changed', 'tests/conftest.py']).tests, [
    'tests/test_cart.py',
    'tests/test_users.py',
  ]);
  t.strictSame(affected(dir, ['--changed', 'src/shop/__init__.py']).tests, [
    'tests/test_cart.py',
    'tests/test_users.py',
  ]);
  t.strictSame(
    affected(dir, ['--changed', 'src/shop/fixtures.py']).tests,
    ['tests/test_cart.py', 'tests/test_users.py'],
    'a pytest plugin module reaches the tests below the conftest.py that requires it',
  );
});

t.test('why prints the import chain, or says there is none', async (t) => {
  const dir = t.testdir();
  initRepo(dir, tsMonorepo);
  const yes = runDepCi(dir, ['why', 'test/format.test.ts', '--changed', 'src/math.ts']);
  t.equal(yes.code, 0, yes.stderr);
  t.equal(
    yes.stdout,
    'src/math.ts\n  imported by src/format.ts\n  imported by test/format.test.ts\n',
  );
  const no = runDepCi(dir, ['why', 'test/unrelated.test.ts', '--changed', 'src/math.ts']);
  t.equal(no.stdout, 'test/unrelated.test.ts does not depend on src/math.ts\n');
});

t.test('run passes the affected files to the runner and returns its exit code', async (t) => {
  const dir = t.testdir();
  initRepo(dir, {
    'package.json': JSON.stringify({ name: 'r', type: 'module' }),
    'lib/a.js': 'export const a = () => 1;\n',
    'lib/b.js': 'export const b = () => 2;\n',
    'test/a.test.js':
      "import { test } from 'node:test';\nimport { a } from '../lib/a.js';\ntest('a', () => { if (a() !== 1) throw new Error('a'); });\n",
    'test/b.test.js':
      "import { test } from 'node:test';\nimport { b } from '../lib/b.js';\ntest('b', () => { throw new Error('b fails ghp_0123456789abcdefghij0123456789abcdef'); });\n",
  });
  const ok = runDepCi(dir, ['run', '--changed', 'lib/a.js', '--', 'node', '--test']);
  t.equal(ok.code, 0, ok.stderr);
  t.match(ok.stdout, /# pass 1/);
  const failing = runDepCi(dir, ['run', '--changed', 'lib/b.js', '--', 'node', '--test']);
  t.equal(failing.code, 1);
  t.notMatch(
    failing.stdout + failing.stderr,
    '0123456789abcdefghij0123456789abcdef',
    'output scrubbed',
  );
  const none = runDepCi(dir, ['run', '--changed', 'README.md', '--', 'node', '--test']);
  t.equal(none.code, 0);
  t.match(none.stderr, /No test is affected/);
});

t.test('bad input: a clear message and exit 2', async (t) => {
  const dir = t.testdir();
  initRepo(dir, tsMonorepo);
  const run = runDepCi(dir, ['run', '--changed', 'x.ts']);
  t.equal(run.code, 2);
  t.match(run.stderr, /^dep-ci: error: No test command given/);
  const format = runDepCi(dir, ['affected', '--format', 'xml']);
  t.equal(format.code, 2);
});

t.test('--ignore-type-imports drops edges that only import types', async (t) => {
  const dir = t.testdir();
  initRepo(dir, {
    'src/types.ts': 'export interface Shape { size: number }\n',
    'src/area.ts':
      "import type { Shape } from './types.js';\nexport const area = (s: Shape) => s.size;\n",
    'test/area.test.ts': "import { area } from '../src/area.js';\narea({ size: 1 });\n",
  });
  t.strictSame(affected(dir, ['--changed', 'src/types.ts']).tests, ['test/area.test.ts']);
  t.strictSame(affected(dir, ['--changed', 'src/types.ts', '--ignore-type-imports']).tests, []);
});
