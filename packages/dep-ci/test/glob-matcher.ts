import picomatch from 'picomatch';
import t from 'tap';
import { compileGlobs } from '../src/glob-matcher.js';
import { allRunnerTestGlobs } from '../src/test-globs.js';

const PATHS = [
  'src/a.ts',
  'src/a.test.ts',
  'test/a.ts',
  'tests/test_x.py',
  'pkg/x_test.py',
  'a/__tests__/b.tsx',
  '.hidden/c.spec.js',
  'src/a.test.ts.snap',
  'README.md',
  'packages/p/test/deep/x.mjs',
];

t.test('answers as picomatch over the same globs', async (t) => {
  const globs = [...allRunnerTestGlobs(), '!**/fixtures/**', 'docs/{a,b}/*.md'];
  for (const list of [allRunnerTestGlobs(), globs, ['src/*.ts'], ['**/*.py', '!tests/**']]) {
    const ours = compileGlobs(list);
    const theirs = picomatch(list, { dot: true });
    for (const path of [...PATHS, 'docs/a/x.md', 'x/fixtures/y.test.ts']) {
      t.equal(ours(path), theirs(path), `${path} against ${list.join(' ')}`);
    }
  }
});

t.test('an empty list matches nothing', async (t) => {
  t.equal(compileGlobs([])('src/a.ts'), false);
});
