import t from 'tap';
import { InvalidTreePathError } from '../../src/tree/errors.js';
import {
  assertTreePath,
  isTreePath,
  isValidEntryName,
  isWellFormedPath,
  joinTreePath,
  splitTreePath,
  treePathDepth,
} from '../../src/tree/tree-path.js';

t.test('tree paths are root-relative POSIX paths of valid names', async (t) => {
  for (const path of ['', 'a', 'a/b', '...', 'a b/é', '.hidden/x']) t.ok(isTreePath(path), path);
  for (const path of ['/a', 'a/', 'a//b', '.', './a', 'a/..', 'a\\b', 'a\0b', 'bad\uFFFD']) {
    t.notOk(isTreePath(path), path);
  }
  t.notOk(isValidEntryName('a/b'));
  t.ok(isWellFormedPath('a\\b/bad\uFFFD'), 'well-formed, though no tree holds such names');
  for (const path of ['/a', 'a/', 'a/../b', 'a\0b']) t.notOk(isWellFormedPath(path), path);
  t.ok(isWellFormedPath(''));
  t.doesNotThrow(() => assertTreePath('a/b'));
  t.throws(() => assertTreePath('../x'), {
    name: 'InvalidTreePathError',
    code: 'LIVEPATCH_TREE_INVALID_PATH',
    path: '../x',
  });
  t.ok(new InvalidTreePathError('x') instanceof Error);
});

t.test('joining, splitting and depth', async (t) => {
  t.equal(joinTreePath('', 'a'), 'a');
  t.equal(joinTreePath('a/b', 'c'), 'a/b/c');
  t.strictSame(splitTreePath('a'), { directory: '', name: 'a' });
  t.strictSame(splitTreePath('a/b/c'), { directory: 'a/b', name: 'c' });
  t.strictSame([treePathDepth(''), treePathDepth('a'), treePathDepth('a/b/c')], [0, 1, 3]);
});
