import { writeFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { createModuleResolver } from '../../src/resolve/index.js';
import type { ModuleResolverOptions } from '../../src/resolve/index.js';
import type { Fixture } from './helpers/fixture.js';
import { listFiles } from './helpers/fixture.js';

const json = (value: unknown): string => JSON.stringify(value, null, 2);

const tree = (): Fixture => ({
  'package.json': json({ name: 'root', version: '1.0.0', workspaces: ['packages/*'] }),
  'tsconfig.json': json({
    extends: '@acme/tsconfig/base.json',
    compilerOptions: { paths: { '~/*': ['./src/*'] } },
  }),
  'pnpm-workspace.yaml': 'packages:\n  - packages/*\n',
  node_modules: {
    '@acme': { tsconfig: { 'package.json': json({ name: '@acme/tsconfig' }), 'base.json': '{}' } },
  },
  packages: {
    a: {
      'package.json': json({ name: 'a', exports: './src/index.ts' }),
      'tsconfig.json': json({ extends: '../../tsconfig.json' }),
      src: { 'index.ts': '' },
    },
  },
  src: { 'main.ts': '' },
});

const hashOf = (root: string, options: Partial<ModuleResolverOptions> = {}): string =>
  createModuleResolver({ root, files: listFiles(root), ...options }).settingsHash;

t.test('two copies of one tree at different paths hash alike', async (t) => {
  const first = t.testdir({ one: tree(), two: { nested: tree() } });
  const a = hashOf(path.join(first, 'one'));
  const b = hashOf(path.join(first, 'two', 'nested'));
  t.match(a, /^[0-9a-f]{64}$/);
  t.equal(a, b);
});

t.test('changing what resolution reads changes the hash', async (t) => {
  const root = t.testdir(tree());
  const before = hashOf(root);
  const edits: [string, string][] = [
    [
      'tsconfig.json',
      json({
        extends: '@acme/tsconfig/base.json',
        compilerOptions: { paths: { '~/*': ['./lib/*'] } },
      }),
    ],
    [
      'packages/a/tsconfig.json',
      json({ extends: '../../tsconfig.json', compilerOptions: { baseUrl: '.' } }),
    ],
    ['node_modules/@acme/tsconfig/base.json', json({ compilerOptions: { baseUrl: '.' } })],
    ['packages/a/package.json', json({ name: 'a', exports: './src/other.ts' })],
    ['package.json', json({ name: 'root', version: '1.0.0', workspaces: ['apps/*'] })],
    ['pnpm-workspace.yaml', 'packages:\n  - apps/*\n'],
  ];
  let previous = before;
  for (const [file, content] of edits) {
    writeFileSync(path.join(root, file), content);
    const after = hashOf(root);
    t.not(after, previous, file);
    previous = after;
  }
});

t.test('options enter the hash; fields resolution ignores do not', async (t) => {
  const root = t.testdir(tree());
  const base = hashOf(root);
  t.not(hashOf(root, { aliases: { '@app/': 'src/' } }), base, 'aliases');
  t.not(hashOf(root, { conditions: ['require', 'default'] }), base, 'conditions');
  t.equal(
    hashOf(root, { conditions: ['types', 'default', 'node', 'require', 'import'] }),
    base,
    'conditions are a set',
  );
  t.not(hashOf(root, { pythonRoots: ['lib'] }), base, 'pythonRoots');
  writeFileSync(
    path.join(root, 'package.json'),
    json({ name: 'root', version: '2.0.0', workspaces: ['packages/*'] }),
  );
  t.equal(hashOf(root), base, 'a version bump does not change resolution');
});
