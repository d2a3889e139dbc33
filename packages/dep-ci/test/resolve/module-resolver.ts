import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { createModuleResolver } from '../../src/resolve/index.js';
import { fixtureResolver, listFiles, reference } from './helpers/fixture.js';

const json = (value: unknown): string => JSON.stringify(value, null, 2);

t.test('relative specifiers try extensions, .js → .ts substitution and index files', async (t) => {
  const { resolve } = fixtureResolver(t, {
    src: {
      'main.ts': '',
      'index.ts': '',
      'a.ts': '',
      'b.tsx': '',
      'c.mts': '',
      'd.cts': '',
      'e.js': '',
      'data.json': '{}',
      dir: { 'index.ts': '' },
      withManifest: { 'package.json': json({ main: 'entry.js' }), 'entry.ts': '' },
    },
  });
  const cases: [string, string][] = [
    ['./a', 'src/a.ts'],
    ['./a.js', 'src/a.ts'],
    ['./a.ts', 'src/a.ts'],
    ['./b.js', 'src/b.tsx'],
    ['./b.jsx', 'src/b.tsx'],
    ['./c.mjs', 'src/c.mts'],
    ['./d.cjs', 'src/d.cts'],
    ['./e', 'src/e.js'],
    ['./e.js', 'src/e.js'],
    ['./data.json', 'src/data.json'],
    ['./dir', 'src/dir/index.ts'],
    ['./dir/index.js', 'src/dir/index.ts'],
    ['./withManifest', 'src/withManifest/entry.ts'],
    ['../src/a', 'src/a.ts'],
    ['.', 'src/index.ts'],
    ['./', 'src/index.ts'],
    ['../src', 'src/index.ts'],
  ];
  for (const [specifier, expected] of cases) {
    t.strictSame(resolve(specifier, 'src/main.ts'), { kind: 'file', path: expected }, specifier);
  }
});

t.test('an absolute specifier is taken from the repository root first', async (t) => {
  const { resolve, root } = fixtureResolver(t, { src: { 'a.ts': '', 'main.ts': '' } });
  t.strictSame(resolve('/src/a', 'src/main.ts'), { kind: 'file', path: 'src/a.ts' });
  t.strictSame(resolve(path.join(root, 'src', 'a.js'), 'src/main.ts'), {
    kind: 'file',
    path: 'src/a.ts',
  });
});

t.test('a declaration file next to its JavaScript resolves to both', async (t) => {
  const { resolve } = fixtureResolver(t, { 'lib.js': '', 'lib.d.ts': '', 'main.ts': '' });
  t.strictSame(resolve('./lib', 'main.ts'), { kind: 'files', paths: ['lib.d.ts', 'lib.js'] });
  t.strictSame(resolve('./lib.js', 'main.ts'), { kind: 'files', paths: ['lib.d.ts', 'lib.js'] });
});

t.test(
  'an unresolved relative specifier says what was tried, without absolute paths',
  async (t) => {
    const { resolve, root } = fixtureResolver(t, { src: { 'main.ts': '' } });
    const resolution = resolve('./missing.js', 'src/main.ts');
    t.equal(resolution.kind, 'unresolved');
    if (resolution.kind !== 'unresolved') return;
    t.match(resolution.reason, /"\.\/missing\.js" from "src"/);
    t.notOk(resolution.reason.includes(root), 'no absolute root in the reason');
    t.match(resolve('../../../../outside', 'src/main.ts'), { kind: 'unresolved' });
  },
);

t.test('only listed files exist: untracked ones do not, listed deleted ones do', async (t) => {
  const root = t.testdir({ src: { 'main.ts': '', 'generated.ts': '', 'kept.ts': '' } });
  const files = listFiles(root);
  files.delete('src/generated.ts');
  files.add('src/deleted.ts');
  const resolver = createModuleResolver({ root, files });
  t.match(resolver.resolve(reference('./generated'), 'src/main.ts'), { kind: 'unresolved' });
  t.strictSame(resolver.resolve(reference('./deleted.js'), 'src/main.ts'), {
    kind: 'file',
    path: 'src/deleted.ts',
  });
  t.strictSame(resolver.resolve(reference('./kept'), 'src/main.ts'), {
    kind: 'file',
    path: 'src/kept.ts',
  });
});

t.test('tsconfig paths and baseUrl map bare specifiers to files', async (t) => {
  const { resolve } = fixtureResolver(t, {
    'tsconfig.json': `{
      // comments and trailing commas are fine, as in tsc
      "compilerOptions": {
        "baseUrl": ".",
        "paths": { "@app/*": ["src/*"], "@config": ["config/index.ts"], },
      },
    }`,
    src: { 'main.ts': '', 'util.ts': '' },
    config: { 'index.ts': '' },
    lib: { 'helper.ts': '' },
  });
  t.strictSame(resolve('@app/util', 'src/main.ts'), { kind: 'file', path: 'src/util.ts' });
  t.strictSame(resolve('@app/util.js', 'src/main.ts'), { kind: 'file', path: 'src/util.ts' });
  t.strictSame(resolve('@config', 'src/main.ts'), { kind: 'file', path: 'config/index.ts' });
  t.strictSame(resolve('lib/helper', 'src/main.ts'), { kind: 'file', path: 'lib/helper.ts' });
  t.strictSame(resolve('react', 'src/main.ts'), { kind: 'external', packageName: 'react' });
});

t.test('tsconfig extends a relative file', async (t) => {
  const { resolve } = fixtureResolver(t, {
    'tsconfig.base.json': json({ compilerOptions: { paths: { '~/*': ['./src/*'] } } }),
    'tsconfig.json': json({ extends: './tsconfig.base.json', compilerOptions: { strict: true } }),
    src: { 'main.ts': '', 'util.ts': '' },
  });
  t.strictSame(resolve('~/util', 'src/main.ts'), { kind: 'file', path: 'src/util.ts' });
});

t.test('tsconfig extends a package from node_modules', async (t) => {
  const { resolve } = fixtureResolver(t, {
    node_modules: {
      '@acme': {
        tsconfig: {
          'package.json': json({ name: '@acme/tsconfig' }),
          'tsconfig.json': json({ compilerOptions: { paths: { '~/*': ['${configDir}/src/*'] } } }),
        },
      },
    },
    'tsconfig.json': json({ extends: '@acme/tsconfig/tsconfig.json' }),
    src: { 'main.ts': '', 'util.ts': '' },
  });
  t.strictSame(resolve('~/util', 'src/main.ts'), { kind: 'file', path: 'src/util.ts' });
});

t.test('a tsconfig extending a package that is not installed keeps its own paths', async (t) => {
  const { resolve } = fixtureResolver(t, {
    'tsconfig.json': json({
      extends: '@tsconfig/not-installed/tsconfig.json',
      compilerOptions: { paths: { '~/*': ['./src/*'] } },
    }),
    src: { 'main.ts': '', 'util.ts': '' },
  });
  t.strictSame(resolve('~/util', 'src/main.ts'), { kind: 'file', path: 'src/util.ts' });
});

t.test('a tsconfig that does not parse is ignored and named in unresolved reasons', async (t) => {
  const { resolve } = fixtureResolver(t, {
    'tsconfig.json': '{ "compilerOptions": ',
    src: { 'main.ts': '', 'util.ts': '' },
  });
  t.strictSame(resolve('./util', 'src/main.ts'), { kind: 'file', path: 'src/util.ts' });
  t.match(resolve('./missing', 'src/main.ts'), {
    kind: 'unresolved',
    reason: /tsconfig "tsconfig.json" skipped: /,
  });
});

t.test('each file uses its nearest tsconfig', async (t) => {
  const pathsTo = (target: string): string =>
    json({ compilerOptions: { paths: { '~/*': [target] } } });
  const { resolve } = fixtureResolver(t, {
    'tsconfig.json': pathsTo('./shared/*'),
    shared: { 'util.ts': '' },
    scripts: { 'build.ts': '' },
    packages: {
      a: { 'tsconfig.json': pathsTo('./src/*'), src: { 'main.ts': '', 'util.ts': '' } },
      b: { 'jsconfig.json': pathsTo('./lib/*'), lib: { 'main.js': '', 'util.js': '' } },
    },
  });
  t.strictSame(resolve('~/util', 'packages/a/src/main.ts'), {
    kind: 'file',
    path: 'packages/a/src/util.ts',
  });
  t.strictSame(resolve('~/util', 'packages/b/lib/main.js'), {
    kind: 'file',
    path: 'packages/b/lib/util.js',
  });
  t.strictSame(resolve('~/util', 'scripts/build.ts'), { kind: 'file', path: 'shared/util.ts' });
});

t.test(
  'a solution tsconfig with project references keeps each project to its own paths',
  async (t) => {
    const { resolve } = fixtureResolver(t, {
      'tsconfig.json': json({ files: [], references: [{ path: './packages/core' }] }),
      tools: { 'lint.ts': '' },
      packages: {
        core: {
          'tsconfig.json': json({
            compilerOptions: { composite: true, paths: { '#core/*': ['./src/*'] } },
          }),
          src: { 'index.ts': '', 'util.ts': '' },
        },
      },
    });
    t.strictSame(resolve('#core/util', 'packages/core/src/index.ts'), {
      kind: 'file',
      path: 'packages/core/src/util.ts',
    });
    t.match(resolve('#core/util', 'tools/lint.ts'), { kind: 'unresolved' });
  },
);

t.test('exports resolve subpaths, patterns and every condition branch', async (t) => {
  const { resolve } = fixtureResolver(t, {
    'package.json': json({ name: 'monorepo', private: true, workspaces: ['packages/*'] }),
    app: { 'main.ts': '' },
    packages: {
      lib: {
        'package.json': json({
          name: '@x/lib',
          exports: {
            '.': { import: './esm/index.js', require: './cjs/index.js' },
            './typed': { types: './types/typed.d.ts', default: './src/typed.js' },
            './features/*': './src/features/*.ts',
            './features/internal/*': null,
            './package.json': './package.json',
          },
        }),
        esm: { 'index.js': '' },
        cjs: { 'index.js': '' },
        types: { 'typed.d.ts': '' },
        src: { 'typed.js': '', features: { 'a.ts': '', internal: { 'b.ts': '' } } },
      },
    },
  });
  t.strictSame(resolve('@x/lib', 'app/main.ts'), {
    kind: 'files',
    paths: ['packages/lib/cjs/index.js', 'packages/lib/esm/index.js'],
  });
  t.strictSame(resolve('@x/lib/typed', 'app/main.ts'), {
    kind: 'files',
    paths: ['packages/lib/src/typed.js', 'packages/lib/types/typed.d.ts'],
  });
  t.strictSame(resolve('@x/lib/features/a', 'app/main.ts'), {
    kind: 'file',
    path: 'packages/lib/src/features/a.ts',
  });
  t.strictSame(resolve('@x/lib/package.json', 'app/main.ts'), {
    kind: 'file',
    path: 'packages/lib/package.json',
  });
  t.match(resolve('@x/lib/features/internal/b', 'app/main.ts'), {
    kind: 'unresolved',
    reason: /workspace package "@x\/lib"/,
  });
  t.match(resolve('@x/lib/src/typed.js', 'app/main.ts'), { kind: 'unresolved' });
});

t.test('main fields lead to every entry point a pass reads', async (t) => {
  const { resolve } = fixtureResolver(t, {
    'package.json': json({ name: 'root', workspaces: ['packages/*'] }),
    packages: {
      fields: {
        'package.json': json({
          name: 'fields',
          main: './cjs.js',
          module: './esm.js',
          types: './index.d.ts',
        }),
        'cjs.js': '',
        'esm.js': '',
        'index.d.ts': '',
      },
      plain: { 'package.json': json({ name: 'plain', main: './entry.js' }), 'entry.ts': '' },
    },
    'main.ts': '',
  });
  t.strictSame(resolve('fields', 'main.ts'), {
    kind: 'files',
    paths: ['packages/fields/cjs.js', 'packages/fields/esm.js', 'packages/fields/index.d.ts'],
  });
  t.strictSame(resolve('plain', 'main.ts'), { kind: 'file', path: 'packages/plain/entry.ts' });
});

t.test('the conditions option limits the branches', async (t) => {
  const { resolve } = fixtureResolver(
    t,
    {
      'package.json': json({ name: 'lib', exports: { import: './esm.js', require: './cjs.js' } }),
      'esm.js': '',
      'cjs.js': '',
      'main.ts': '',
    },
    { conditions: ['require', 'node', 'default'] },
  );
  t.strictSame(resolve('lib', 'main.ts'), { kind: 'file', path: 'cjs.js' });
});

t.test('imports map #specifiers to files, packages and builtins', async (t) => {
  const { resolve } = fixtureResolver(t, {
    'package.json': json({
      name: 'app',
      imports: {
        '#config': './src/config.js',
        '#internal/*': './src/internal/*.js',
        '#fs': { node: 'node:fs', default: './src/fs-shim.js' },
        '#dep': 'lodash/fp',
      },
    }),
    src: { 'main.ts': '', 'config.ts': '', 'fs-shim.ts': '', internal: { 'a.ts': '' } },
  });
  t.strictSame(resolve('#config', 'src/main.ts'), { kind: 'file', path: 'src/config.ts' });
  t.strictSame(resolve('#internal/a', 'src/main.ts'), { kind: 'file', path: 'src/internal/a.ts' });
  t.strictSame(resolve('#fs', 'src/main.ts'), { kind: 'builtin' });
  t.strictSame(resolve('#dep', 'src/main.ts'), { kind: 'external', packageName: 'lodash' });
  t.match(resolve('#nope', 'src/main.ts'), { kind: 'unresolved' });
});

t.test(
  'npm workspaces resolve to sources when main and exports point to unbuilt dist',
  async (t) => {
    const { resolve } = fixtureResolver(t, {
      'package.json': json({ name: 'root', private: true, workspaces: ['packages/*', 'apps/web'] }),
      apps: { web: { 'package.json': json({ name: 'web' }), src: { 'main.ts': '' } } },
      packages: {
        main: {
          'package.json': json({ name: 'with-main', main: 'dist/index.js' }),
          src: { 'index.ts': '' },
        },
        exported: {
          'package.json': json({
            name: '@x/exported',
            exports: {
              '.': {
                types: './dist/index.d.ts',
                import: './dist/index.mjs',
                require: './dist/index.cjs',
              },
              './sub/*': './dist/esm/sub/*.js',
            },
          }),
          src: { 'index.ts': '', sub: { 'x.tsx': '' } },
        },
        sourceField: {
          'package.json': json({
            name: 'with-source',
            main: './build/bundle.js',
            source: 'lib/entry.ts',
          }),
          lib: { 'entry.ts': '' },
        },
        sibling: { 'package.json': json({ name: 'sibling', main: './index.js' }), 'index.ts': '' },
        rootDirDot: {
          'package.json': json({ name: 'root-dir-dot', main: 'out/src/cli.js' }),
          src: { 'cli.ts': '' },
        },
      },
    });
    const from = 'apps/web/src/main.ts';
    t.strictSame(resolve('with-main', from), { kind: 'file', path: 'packages/main/src/index.ts' });
    t.strictSame(resolve('@x/exported', from), {
      kind: 'file',
      path: 'packages/exported/src/index.ts',
    });
    t.strictSame(resolve('@x/exported/sub/x', from), {
      kind: 'file',
      path: 'packages/exported/src/sub/x.tsx',
    });
    t.strictSame(resolve('with-source', from), {
      kind: 'file',
      path: 'packages/sourceField/lib/entry.ts',
    });
    t.strictSame(resolve('root-dir-dot', from), {
      kind: 'file',
      path: 'packages/rootDirDot/src/cli.ts',
    });
    t.strictSame(resolve('sibling', from), { kind: 'file', path: 'packages/sibling/index.ts' });
    t.strictSame(resolve('with-main/package.json', from), {
      kind: 'file',
      path: 'packages/main/package.json',
    });
    t.strictSame(resolve('web', 'packages/main/src/index.ts'), {
      kind: 'unresolved',
      reason: `workspace package "web" has no file for "web": Can't resolve 'web' in 'packages/main/src'`,
    });
  },
);

t.test('workspace packages never resolve into node_modules, installed or not', async (t) => {
  const { resolve } = fixtureResolver(
    t,
    {
      'package.json': json({ name: 'root', workspaces: ['packages/*'] }),
      node_modules: {
        '@x': {
          a: {
            'package.json': json({ name: '@x/a', main: 'dist/index.js' }),
            dist: { 'index.js': '' },
          },
        },
        react: { 'package.json': json({ name: 'react', main: 'index.js' }), 'index.js': '' },
      },
      packages: {
        a: {
          'package.json': json({ name: '@x/a', main: 'dist/index.js' }),
          dist: { 'index.js': 'built, but untracked' },
          src: { 'index.ts': '' },
        },
        b: { 'package.json': json({ name: 'b' }), 'index.ts': '' },
      },
    },
    { untracked: ['packages/a/dist/index.js'] },
  );
  t.strictSame(resolve('@x/a', 'packages/b/index.ts'), {
    kind: 'file',
    path: 'packages/a/src/index.ts',
  });
  t.strictSame(resolve('react', 'packages/b/index.ts'), { kind: 'external', packageName: 'react' });
});

t.test('a lib directory with tracked files is source, not build output', async (t) => {
  const { resolve } = fixtureResolver(t, {
    'package.json': json({ name: 'root', workspaces: ['packages/*'] }),
    packages: {
      a: {
        'package.json': json({ name: 'a', main: 'lib/index.js' }),
        lib: { 'index.js': '' },
        src: { 'index.ts': '' },
      },
      b: {
        'package.json': json({ name: 'b', main: 'lib/missing.js' }),
        lib: { 'other.js': '' },
        src: { 'missing.ts': '' },
      },
    },
    'main.ts': '',
  });
  t.strictSame(resolve('a', 'main.ts'), { kind: 'file', path: 'packages/a/lib/index.js' });
  t.match(resolve('b', 'main.ts'), { kind: 'unresolved' });
});

t.test('pnpm-workspace.yaml declares workspaces, with negations', async (t) => {
  const { resolve } = fixtureResolver(t, {
    'package.json': json({ name: 'root', main: 'main.js' }),
    'pnpm-workspace.yaml': 'packages:\n  - \'libs/**\'\n  - "!libs/excluded" # not this one\n',
    libs: {
      core: {
        'package.json': json({ name: '@x/core', main: 'dist/index.js' }),
        src: { 'index.ts': '' },
      },
      nested: { deep: { 'package.json': json({ name: 'deep' }), 'index.ts': '' } },
      excluded: { 'package.json': json({ name: 'excluded' }), 'index.ts': '' },
    },
    'main.ts': '',
  });
  t.strictSame(resolve('@x/core', 'main.ts'), { kind: 'file', path: 'libs/core/src/index.ts' });
  t.strictSame(resolve('deep', 'main.ts'), { kind: 'file', path: 'libs/nested/deep/index.ts' });
  t.strictSame(resolve('excluded', 'main.ts'), { kind: 'external', packageName: 'excluded' });
  t.strictSame(resolve('root', 'libs/core/src/index.ts'), { kind: 'file', path: 'main.ts' });
});

t.test('aliases rewrite specifiers before anything else', async (t) => {
  const { resolve } = fixtureResolver(
    t,
    {
      src: { 'main.ts': '', 'util.ts': '', components: { 'button.tsx': '' } },
      __mocks__: { 'fs.ts': '' },
    },
    {
      aliases: {
        '^@app/(.*)$': '<rootDir>/src/$1',
        '@ui/': 'src/components/',
        '^fs$': '<rootDir>/__mocks__/fs.ts',
        '^lodash$': 'lodash-es',
        '^@broken/(.*)$': '<rootDir>/nowhere/$1',
      },
    },
  );
  t.strictSame(resolve('@app/util', 'src/main.ts'), { kind: 'file', path: 'src/util.ts' });
  t.strictSame(resolve('@ui/button', 'src/main.ts'), {
    kind: 'file',
    path: 'src/components/button.tsx',
  });
  t.strictSame(resolve('fs', 'src/main.ts'), { kind: 'file', path: '__mocks__/fs.ts' });
  t.strictSame(resolve('lodash', 'src/main.ts'), { kind: 'external', packageName: 'lodash-es' });
  t.match(resolve('@broken/x', 'src/main.ts'), { kind: 'unresolved', reason: /nowhere\/x/ });
  t.strictSame(resolve('fs/promises', 'src/main.ts'), { kind: 'builtin' });
});

t.test('bare specifiers outside the repository are external packages', async (t) => {
  const { resolve } = fixtureResolver(t, {
    node_modules: { react: { 'package.json': json({ name: 'react' }), 'index.js': '' } },
    'tsconfig.json': json({
      compilerOptions: { paths: { 'vendored/*': ['./node_modules/vendored/*'] } },
    }),
    'main.ts': '',
  });
  const cases: [string, string][] = [
    ['react', 'react'],
    ['react/jsx-runtime', 'react'],
    ['left-pad', 'left-pad'],
    ['@scope/pkg', '@scope/pkg'],
    ['@scope/pkg/deep/file.js', '@scope/pkg'],
    ['https://esm.sh/preact', 'https://esm.sh/preact'],
  ];
  for (const [specifier, packageName] of cases) {
    t.strictSame(resolve(specifier, 'main.ts'), { kind: 'external', packageName }, specifier);
  }
});

t.test('Node builtins are builtin with or without the node: prefix', async (t) => {
  const { resolve } = fixtureResolver(t, { 'main.ts': '' });
  for (const specifier of [
    'fs',
    'node:fs',
    'fs/promises',
    'node:fs/promises',
    'node:test',
    'path',
  ]) {
    t.strictSame(resolve(specifier, 'main.ts'), { kind: 'builtin' }, specifier);
  }
});

t.test('glob references lead to every file they can load', async (t) => {
  const { resolve } = fixtureResolver(
    t,
    {
      src: {
        'main.ts': '',
        locales: { 'en.json': '', 'fr.json': '', 'notes.md': '', en: { 'US.json': '' } },
        pages: { 'a.ts': '', 'b.tsx': '', nested: { 'index.ts': '' } },
      },
    },
    { aliases: { '@locales/': 'src/locales/' } },
  );
  const glob = (specifier: string) => reference(specifier, 'dynamic-import', { glob: true });
  t.strictSame(resolve(glob('./locales/*.json'), 'src/main.ts'), {
    kind: 'files',
    paths: ['src/locales/en.json', 'src/locales/en/US.json', 'src/locales/fr.json'],
  });
  t.strictSame(
    resolve(glob('./pages/*.js'), 'src/main.ts'),
    {
      kind: 'files',
      paths: ['src/pages/a.ts', 'src/pages/b.tsx', 'src/pages/nested/index.ts'],
    },
    'the computed part may hold a slash (`nested/index`)',
  );
  t.strictSame(resolve(glob('./pages/*'), 'src/main.ts'), {
    kind: 'files',
    paths: ['src/pages/a.ts', 'src/pages/b.tsx', 'src/pages/nested/index.ts'],
  });
  t.strictSame(resolve(glob('@locales/*.json'), 'src/main.ts'), {
    kind: 'files',
    paths: ['src/locales/en.json', 'src/locales/en/US.json', 'src/locales/fr.json'],
  });
  t.match(resolve(glob('./missing/*.json'), 'src/main.ts'), { kind: 'unresolved' });
  t.strictSame(resolve(glob('some-pkg/locales/*.json'), 'src/main.ts'), {
    kind: 'external',
    packageName: 'some-pkg',
  });
});

t.test(
  'path literals name existing files relative to the file, the root or the package',
  async (t) => {
    const { resolve } = fixtureResolver(t, {
      'root.json': '',
      packages: {
        a: {
          'package.json': json({ name: 'a' }),
          fixtures: { 'one.json': '' },
          test: { 'a.test.ts': '', 'local.txt': '' },
        },
      },
    });
    const literal = (specifier: string) => reference(specifier, 'path-literal');
    const from = 'packages/a/test/a.test.ts';
    t.strictSame(resolve(literal('./local.txt'), from), {
      kind: 'file',
      path: 'packages/a/test/local.txt',
    });
    t.strictSame(resolve(literal('root.json'), from), { kind: 'file', path: 'root.json' });
    t.strictSame(resolve(literal('fixtures/one.json'), from), {
      kind: 'file',
      path: 'packages/a/fixtures/one.json',
    });
    t.match(resolve(literal('fixtures/two.json'), from), { kind: 'unresolved' });
    t.match(resolve(literal('fixtures'), from), { kind: 'unresolved' });
  },
);

t.test('new URL() references name a file next to the importing file', async (t) => {
  const { resolve } = fixtureResolver(t, {
    src: { 'main.ts': '', 'worker.ts': '', 'logo.svg': '' },
  });
  const url = (specifier: string) => reference(specifier, 'url');
  t.strictSame(resolve(url('./worker.js'), 'src/main.ts'), { kind: 'file', path: 'src/worker.ts' });
  t.strictSame(resolve(url('./logo.svg'), 'src/main.ts'), { kind: 'file', path: 'src/logo.svg' });
  t.match(resolve(url('./missing.png'), 'src/main.ts'), { kind: 'unresolved' });
  t.match(resolve(url('../../up.png'), 'src/main.ts'), { kind: 'unresolved', reason: /leaves/ });
});

t.test('triple-slash path references are relative; types references are packages', async (t) => {
  const { resolve } = fixtureResolver(t, { src: { 'main.ts': '', 'globals.d.ts': '' } });
  t.strictSame(resolve(reference('globals.d.ts', 'triple-slash'), 'src/main.ts'), {
    kind: 'file',
    path: 'src/globals.d.ts',
  });
  t.strictSame(resolve(reference('./globals.d.ts', 'triple-slash'), 'src/main.ts'), {
    kind: 'file',
    path: 'src/globals.d.ts',
  });
  t.strictSame(
    resolve(reference('vite/client', 'triple-slash', { typeOnly: true }), 'src/main.ts'),
    {
      kind: 'external',
      packageName: 'vite',
    },
  );
});

t.test('mocks and requires resolve like imports', async (t) => {
  const { resolve } = fixtureResolver(t, { src: { 'a.ts': '' }, test: { 'a.test.ts': '' } });
  for (const kind of [
    'mock',
    'require',
    'require-resolve',
    'import-equals',
    're-export',
  ] as const) {
    t.strictSame(
      resolve(reference('../src/a', kind), 'test/a.test.ts'),
      { kind: 'file', path: 'src/a.ts' },
      kind,
    );
  }
});

t.test('results are memoized per directory and frozen', async (t) => {
  const { resolve } = fixtureResolver(t, { src: { 'a.ts': '', 'b.ts': '', 'c.ts': '' } });
  const first = resolve('./c', 'src/a.ts');
  t.equal(resolve('./c', 'src/b.ts'), first, 'same object for the same directory');
  t.ok(Object.isFrozen(first));
  t.match(resolve('', 'src/a.ts'), { kind: 'unresolved', reason: 'empty specifier' });
});

t.test('resolution does not follow later changes on disk', async (t) => {
  const { resolve, root } = fixtureResolver(t, { src: { 'a.ts': '', 'b.ts': '' } });
  t.strictSame(resolve('./b', 'src/a.ts'), { kind: 'file', path: 'src/b.ts' });
  rmSync(path.join(root, 'src', 'b.ts'));
  writeFileSync(path.join(root, 'src', 'c.ts'), '');
  t.strictSame(resolve('./b', 'src/a.ts'), { kind: 'file', path: 'src/b.ts' });
  t.match(resolve('./c', 'src/a.ts'), { kind: 'unresolved' });
});
