import t from 'tap';
import { resolveRelativeFromListing } from '../../src/resolve/listing-fast-path.js';
import { createNodeResolution } from '../../src/resolve/node-resolution.js';
import { createRepositoryIndex } from '../../src/resolve/repository-index.js';
import { listFiles } from './helpers/fixture.js';

const fixture = {
  'package.json': JSON.stringify({ name: 'x', workspaces: ['packages/*'] }),
  // enhanced-resolve applies a relative-looking `paths` key to relative specifiers, so the root may not use
  // the fast path; `src` has its own tsconfig without one.
  'tsconfig.json': JSON.stringify({ compilerOptions: { paths: { './src/*': ['./lib/*'] } } }),
  src: {
    'tsconfig.json': JSON.stringify({ compilerOptions: { paths: { '@/*': ['./*'] } } }),
    'main.ts': '',
    'a.ts': '',
    'a.js': '',
    'b.tsx': '',
    'c.js': '',
    'c.d.ts': '',
    'd.mts': '',
    'e.cts': '',
    'f.jsx': '',
    'g.json': '',
    'h.d.ts': '',
    Makefile: '',
    'both.ts': '',
    both: { 'index.ts': '' },
    dir: { 'index.ts': '' },
    'name.js': { 'index.ts': '' },
    pkg: { 'package.json': JSON.stringify({ main: 'entry.js' }), 'entry.ts': '' },
  },
  lib: { 'a.ts': '' },
  packages: {
    p: {
      'package.json': JSON.stringify({ name: 'p', main: 'dist/index.js' }),
      src: { 'index.ts': '' },
    },
  },
};

const specifiers = [
  './a',
  './a.js',
  './a.ts',
  './b',
  './b.js',
  './b.jsx',
  './c',
  './c.js',
  './d.mjs',
  './d',
  './e.cjs',
  './f',
  './f.jsx',
  './g.json',
  './g',
  './h',
  './h.js',
  './Makefile',
  './both',
  './dir',
  './dir/',
  './dir/index.js',
  './name.js',
  './pkg',
  './missing',
  './missing.js',
  '../src/a',
  '../lib/a.js',
  '../packages/p',
  '../packages/p/dist/index.js',
  '../../outside',
  './a.js?query',
  './a#fragment',
  '../node_modules/x',
];

t.test('the fast path agrees with enhanced-resolve wherever it answers', async (t) => {
  const root = t.testdir(fixture);
  const index = createRepositoryIndex(root, listFiles(root));
  const options = {
    index,
    workspaces: new Map([['p', 'packages/p']]),
    conditions: ['import', 'require', 'types'],
  };
  const withFastPath = createNodeResolution(options);
  const enhancedResolveOnly = createNodeResolution({ ...options, listingFastPath: false });
  let answered = 0;
  for (const directory of ['src', '']) {
    for (const specifier of [...specifiers, './src/a', './src/a.js']) {
      if (resolveRelativeFromListing(index, directory, specifier) !== undefined) answered++;
      t.strictSame(
        withFastPath.resolve(specifier, directory),
        enhancedResolveOnly.resolve(specifier, directory),
        `${specifier} from "${directory}"`,
      );
    }
  }
  t.ok(answered >= 12, `the fast path could answer ${answered} of them`);
});

t.test(
  'the fast path leaves order-dependent and structural cases to enhanced-resolve',
  async (t) => {
    const root = t.testdir(fixture);
    const index = createRepositoryIndex(root, listFiles(root));
    t.equal(resolveRelativeFromListing(index, 'src', './a.js'), 'src/a.ts');
    t.equal(resolveRelativeFromListing(index, 'src', './b.jsx'), 'src/b.tsx');
    t.equal(resolveRelativeFromListing(index, 'src', './d.mjs'), 'src/d.mts');
    t.equal(resolveRelativeFromListing(index, 'src', './g.json'), 'src/g.json');
    t.equal(resolveRelativeFromListing(index, 'src', '../lib/a'), 'lib/a.ts');
    for (const specifier of [
      './c',
      './f',
      './dir',
      './h',
      'src/a',
      '#a',
      './a?x',
      '../../outside',
      './dir/',
    ]) {
      t.equal(resolveRelativeFromListing(index, 'src', specifier), undefined, specifier);
    }
  },
);
