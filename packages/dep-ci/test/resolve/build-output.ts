import t from 'tap';
import { sourceForOutput } from '../../src/resolve/build-output.js';
import { createRepositoryIndex } from '../../src/resolve/repository-index.js';

const index = createRepositoryIndex(
  '/repo',
  new Set([
    'packages/a/package.json',
    'packages/a/src/index.ts',
    'packages/a/src/index.cts',
    'packages/a/src/sub/x.tsx',
    'packages/a/src/dir/index.ts',
    'packages/a/src/cli.mts',
    'packages/a/src/data.json',
    'packages/b/package.json',
    'packages/b/lib/index.js',
    'packages/b/src/index.ts',
    'packages/c/package.json',
    'packages/c/index.ts',
    'root.ts',
  ]),
);

t.test('build output maps to the source it is built from', async (t) => {
  const cases: [string, string][] = [
    ['packages/a/dist/index.js', 'packages/a/src/index.ts'],
    ['packages/a/dist/index.d.ts', 'packages/a/src/index.ts'],
    ['packages/a/dist/index.cjs', 'packages/a/src/index.cts'],
    ['packages/a/dist/index.d.cts', 'packages/a/src/index.cts'],
    ['packages/a/build/sub/x.js', 'packages/a/src/sub/x.tsx'],
    ['packages/a/dist/esm/sub/x.js', 'packages/a/src/sub/x.tsx'],
    ['packages/a/out/src/cli.mjs', 'packages/a/src/cli.mts'],
    ['packages/a/dist/dir', 'packages/a/src/dir/index.ts'],
    ['packages/a/dist', 'packages/a/src/index.ts'],
    ['packages/a/dist/data.json', 'packages/a/src/data.json'],
    ['packages/c/dist/index.js', 'packages/c/index.ts'],
    ['packages/c/index.js', 'packages/c/index.ts'],
    ['root.js', 'root.ts'],
  ];
  for (const [output, source] of cases) t.equal(sourceForOutput(index, output), source, output);
});

t.test('paths outside a missing build directory do not map', async (t) => {
  t.equal(sourceForOutput(index, 'packages/b/lib/other.js'), undefined, 'lib holds tracked files');
  t.equal(sourceForOutput(index, 'packages/a/src/missing.js'), undefined, 'not a build directory');
  t.equal(sourceForOutput(index, 'packages/a/dist/missing.js'), undefined, 'no source');
});

t.test('output at the top of a package maps to the same path under src/', async (t) => {
  const zod = createRepositoryIndex(
    '/repo',
    new Set(['package.json', 'src/v4/index.ts', 'src/v4/core/util.ts']),
  );
  t.equal(sourceForOutput(zod, 'v4/index.js'), 'src/v4/index.ts');
  t.equal(sourceForOutput(zod, 'v4/core/util.cjs'), 'src/v4/core/util.ts');
  t.equal(sourceForOutput(zod, 'v5/index.js'), undefined);
});
