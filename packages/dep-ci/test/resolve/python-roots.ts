import t from 'tap';
import { defaultPythonRoots, normalizePythonRoot } from '../../src/resolve/python-roots.js';
import { createRepositoryIndex } from '../../src/resolve/repository-index.js';

t.test('default roots: root, src, project directories and their src', async (t) => {
  const index = createRepositoryIndex(
    '/repo',
    new Set([
      'pyproject.toml',
      'src/a/__init__.py',
      'b/setup.py',
      'b/src/b.py',
      'c/setup.cfg',
      'c/c.py',
    ]),
  );
  t.strictSame(defaultPythonRoots(index), ['', 'src', 'b', 'b/src', 'c']);
});

t.test('roots from options are normalized', async (t) => {
  t.equal(normalizePythonRoot('./python/'), 'python');
  t.equal(normalizePythonRoot('.'), '');
  t.equal(normalizePythonRoot('a\\b'), 'a/b');
});
