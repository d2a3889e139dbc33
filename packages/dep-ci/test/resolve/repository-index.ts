import path from 'node:path';
import t from 'tap';
import { createRepositoryIndex } from '../../src/resolve/repository-index.js';

const root = path.resolve('/repo');
const index = createRepositoryIndex(
  `${root}${path.sep}`,
  new Set(['a/b/c.ts', 'a/tsconfig.json', 'x.ts', 'tsconfig.json']),
);

t.test('directories are the ancestors of files', async (t) => {
  for (const directory of ['', 'a', 'a/b']) t.ok(index.isDirectory(directory), directory);
  for (const directory of ['b', 'a/b/c.ts', 'a/b/c'])
    t.notOk(index.isDirectory(directory), directory);
});

t.test('paths convert between absolute and root-relative POSIX', async (t) => {
  t.equal(index.root, root);
  t.equal(index.toAbsolute('a/b/c.ts'), path.join(root, 'a', 'b', 'c.ts'));
  t.equal(index.toAbsolute(''), root);
  t.equal(index.toRelative(path.join(root, 'a', 'b')), 'a/b');
  t.equal(index.toRelative(root), '');
  t.equal(index.toRelative(`${root}-other${path.sep}x`), undefined);
  t.equal(index.toRelative(path.resolve('/elsewhere')), undefined);
});

t.test('findUp returns the nearest name, earlier names first', async (t) => {
  t.equal(index.findUp('a/b', ['tsconfig.json']), 'a/tsconfig.json');
  t.equal(index.findUp('a/b', ['tsconfig.json']), 'a/tsconfig.json', 'memoized');
  t.equal(index.findUp('', ['jsconfig.json', 'tsconfig.json']), 'tsconfig.json');
  t.equal(index.findUp('a', ['x.ts', 'tsconfig.json']), 'a/tsconfig.json');
  t.equal(index.findUp('a/b', ['package.json']), undefined);
});
