import t from 'tap';
import { fixtureResolver, reference } from './helpers/fixture.js';

const pyImport = (specifier: string) => reference(specifier, 'python-import');
const pyFrom = (specifier: string, names: string[], level = 0) =>
  reference(specifier, 'python-from', { names, level });

t.test('a dotted import includes every __init__.py on the way', async (t) => {
  const { resolve } = fixtureResolver(t, {
    a: { '__init__.py': '', b: { '__init__.py': '', 'c.py': '', d: { '__init__.py': '' } } },
    'main.py': '',
  });
  t.strictSame(resolve(pyImport('a.b.c'), 'main.py'), {
    kind: 'files',
    paths: ['a/__init__.py', 'a/b/__init__.py', 'a/b/c.py'],
  });
  t.strictSame(resolve(pyImport('a.b.d'), 'main.py'), {
    kind: 'files',
    paths: ['a/__init__.py', 'a/b/__init__.py', 'a/b/d/__init__.py'],
  });
  t.strictSame(resolve(pyImport('a'), 'main.py'), { kind: 'file', path: 'a/__init__.py' });
});

t.test('src layouts and project directories are searched', async (t) => {
  const { resolve } = fixtureResolver(t, {
    'pyproject.toml': '',
    src: { app: { '__init__.py': '', 'core.py': '' } },
    services: {
      api: { 'setup.cfg': '', src: { api: { '__init__.py': '', 'routes.py': '' } } },
      worker: { 'setup.py': '', worker: { '__init__.py': '' } },
    },
    tests: { 'test_core.py': '' },
  });
  t.strictSame(resolve(pyImport('app.core'), 'tests/test_core.py'), {
    kind: 'files',
    paths: ['src/app/__init__.py', 'src/app/core.py'],
  });
  t.strictSame(resolve(pyImport('api.routes'), 'tests/test_core.py'), {
    kind: 'files',
    paths: ['services/api/src/api/__init__.py', 'services/api/src/api/routes.py'],
  });
  t.strictSame(resolve(pyImport('worker'), 'tests/test_core.py'), {
    kind: 'file',
    path: 'services/worker/worker/__init__.py',
  });
});

t.test(
  'a loose test directory imports its neighbours, as pytest puts it on sys.path',
  async (t) => {
    const { resolve } = fixtureResolver(t, {
      tests: {
        'test_a.py': '',
        'helpers.py': '',
        unit: { '__init__.py': '', 'test_b.py': '', 'conftest.py': '' },
      },
    });
    t.strictSame(resolve(pyImport('helpers'), 'tests/test_a.py'), {
      kind: 'file',
      path: 'tests/helpers.py',
    });
    t.strictSame(resolve(pyImport('unit.conftest'), 'tests/unit/test_b.py'), {
      kind: 'files',
      paths: ['tests/unit/__init__.py', 'tests/unit/conftest.py'],
    });
  },
);

t.test('the roots containing the importing file are searched first', async (t) => {
  const { resolve } = fixtureResolver(t, {
    one: { 'pyproject.toml': '', common: { '__init__.py': '' }, 'main.py': '' },
    two: { 'pyproject.toml': '', common: { '__init__.py': '' }, 'main.py': '' },
  });
  t.strictSame(resolve(pyImport('common'), 'one/main.py'), {
    kind: 'file',
    path: 'one/common/__init__.py',
  });
  t.strictSame(resolve(pyImport('common'), 'two/main.py'), {
    kind: 'file',
    path: 'two/common/__init__.py',
  });
});

t.test('the pythonRoots option replaces the default roots', async (t) => {
  const { resolve } = fixtureResolver(
    t,
    { python: { lib: { '__init__.py': '' } }, src: { lib: { '__init__.py': '' } }, 'main.py': '' },
    { pythonRoots: ['./python/'] },
  );
  t.strictSame(resolve(pyImport('lib'), 'main.py'), {
    kind: 'file',
    path: 'python/lib/__init__.py',
  });
});

t.test('relative imports climb one package per extra dot', async (t) => {
  const { resolve } = fixtureResolver(t, {
    pkg: {
      '__init__.py': '',
      'top.py': '',
      sub: {
        '__init__.py': '',
        'mod.py': '',
        'sibling.py': '',
        deeper: { '__init__.py': '', 'x.py': '' },
      },
      other: { '__init__.py': '', 'thing.py': '' },
    },
  });
  const from = 'pkg/sub/mod.py';
  t.strictSame(resolve(pyFrom('', ['sibling'], 1), from), {
    kind: 'files',
    paths: ['pkg/sub/__init__.py', 'pkg/sub/sibling.py'],
  });
  t.strictSame(resolve(pyFrom('sibling', ['name'], 1), from), {
    kind: 'file',
    path: 'pkg/sub/sibling.py',
  });
  t.strictSame(resolve(pyFrom('deeper.x', ['name'], 1), from), {
    kind: 'files',
    paths: ['pkg/sub/deeper/__init__.py', 'pkg/sub/deeper/x.py'],
  });
  t.strictSame(resolve(pyFrom('', ['top'], 2), from), {
    kind: 'files',
    paths: ['pkg/__init__.py', 'pkg/top.py'],
  });
  t.strictSame(resolve(pyFrom('other.thing', ['f'], 2), from), {
    kind: 'files',
    paths: ['pkg/other/__init__.py', 'pkg/other/thing.py'],
  });
  t.match(resolve(pyFrom('missing', ['f'], 1), from), {
    kind: 'unresolved',
    reason: /"\.missing"/,
  });
  t.match(resolve(pyFrom('', ['x'], 4), from), {
    kind: 'unresolved',
    reason: /above the repository root/,
  });
});

t.test('from-imports add the names that are submodules', async (t) => {
  const { resolve } = fixtureResolver(t, {
    pkg: { '__init__.py': '', 'a.py': '', b: { '__init__.py': '' }, 'module.py': '' },
    'main.py': '',
  });
  t.strictSame(resolve(pyFrom('pkg', ['a', 'b', 'CONSTANT']), 'main.py'), {
    kind: 'files',
    paths: ['pkg/__init__.py', 'pkg/a.py', 'pkg/b/__init__.py'],
  });
  t.strictSame(resolve(pyFrom('pkg', ['*']), 'main.py'), {
    kind: 'files',
    paths: ['pkg/__init__.py', 'pkg/a.py', 'pkg/b/__init__.py', 'pkg/module.py'],
  });
  t.strictSame(resolve(pyFrom('pkg.module', ['a']), 'main.py'), {
    kind: 'files',
    paths: ['pkg/__init__.py', 'pkg/module.py'],
  });
});

t.test('namespace packages need no __init__.py', async (t) => {
  const { resolve } = fixtureResolver(t, { ns: { sub: { 'mod.py': '' } }, 'main.py': '' });
  t.strictSame(resolve(pyImport('ns.sub.mod'), 'main.py'), { kind: 'file', path: 'ns/sub/mod.py' });
  t.strictSame(resolve(pyFrom('ns.sub', ['mod']), 'main.py'), {
    kind: 'file',
    path: 'ns/sub/mod.py',
  });
  t.match(resolve(pyImport('ns.sub'), 'main.py'), {
    kind: 'unresolved',
    reason: /namespace package/,
  });
});

t.test(
  'a module file beats a namespace directory of the same name in an earlier root',
  async (t) => {
    const { resolve } = fixtureResolver(t, {
      tools: { 'readme.txt': '' },
      src: { 'tools.py': '' },
      'main.py': '',
    });
    t.strictSame(resolve(pyImport('tools'), 'main.py'), { kind: 'file', path: 'src/tools.py' });
  },
);

t.test('the standard library is builtin and other packages are external', async (t) => {
  const { resolve } = fixtureResolver(t, { app: { '__init__.py': '' }, 'main.py': '' });
  for (const name of [
    'os',
    'os.path',
    'json',
    'collections.abc',
    '__future__',
    'distutils',
    'tomllib',
  ]) {
    t.strictSame(resolve(pyImport(name), 'main.py'), { kind: 'builtin' }, name);
  }
  t.strictSame(resolve(pyImport('numpy.linalg'), 'main.py'), {
    kind: 'external',
    packageName: 'numpy',
  });
  t.strictSame(resolve(pyFrom('requests', ['get']), 'main.py'), {
    kind: 'external',
    packageName: 'requests',
  });
  t.match(resolve(pyImport('app.missing'), 'main.py'), {
    kind: 'unresolved',
    reason: /"app" is in the repository/,
  });
});

t.test('importlib.import_module resolves like an import, dots included', async (t) => {
  const { resolve } = fixtureResolver(t, { pkg: { '__init__.py': '', 'a.py': '', 'b.py': '' } });
  t.strictSame(resolve(reference('pkg.a', 'python-importlib'), 'pkg/b.py'), {
    kind: 'files',
    paths: ['pkg/__init__.py', 'pkg/a.py'],
  });
  t.strictSame(resolve(reference('.a', 'python-importlib'), 'pkg/b.py'), {
    kind: 'file',
    path: 'pkg/a.py',
  });
  t.match(resolve(reference('', 'python-import'), 'pkg/b.py'), { kind: 'unresolved' });
});
