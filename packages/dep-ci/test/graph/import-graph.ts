import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@velocity/core';
import t from 'tap';
import { graphCachePath, readGraphCache, writeGraphCache } from '../../src/graph/graph-cache.js';
import { buildImportGraph } from '../../src/graph/import-graph.js';
import { languageOf, nodeModulesGrammars, SourceParser } from '../../src/parsers/index.js';
import { createModuleResolver } from '../../src/resolve/index.js';

const logger = createLogger({ destination: { write: () => true }, level: 'silent' });
const parser = await SourceParser.create(nodeModulesGrammars());
const FILES = {
  'src/a.ts':
    "import { b } from './b.js';\nimport type { T } from './types.js';\nexport const a = b;\n",
  'src/b.ts': 'export const b = 1;\n',
  'src/types.ts': 'export type T = number;\n',
  'test/a.test.ts': "import { a } from '../src/a.js';\na;\n",
  'test/__snapshots__/a.test.ts.snap': 'x\n',
  'README.md': '# x\n',
};

/** `t.testdir` wants folders as nested objects. */
interface Tree {
  [name: string]: string | Tree;
}
function nested(files: Record<string, string>): Tree {
  const tree: Tree = {};
  for (const [path, content] of Object.entries(files)) {
    const parts = path.split('/');
    let dir = tree;
    for (const part of parts.slice(0, -1)) dir = (dir[part] ??= {}) as Tree;
    dir[parts.at(-1) as string] = content;
  }
  return tree;
}

async function build(root: string, cacheDir = '.velocity/cache') {
  const files = Object.keys(FILES).sort();
  const cachePath = graphCachePath(root, cacheDir);
  let parses = 0;
  const result = await buildImportGraph({
    root,
    files,
    languageOf,
    parser: async () => {
      parses += 1;
      return parser;
    },
    resolver: createModuleResolver({ root, files: new Set(files) }),
    parserVersion: 'test',
    cache: await readGraphCache(cachePath, 'test'),
    logger,
  });
  if (result.cacheChanged) await writeGraphCache(cachePath, result.cache);
  return { ...result, parses };
}

t.test('edges, reverse edges, type-only edges and snapshot edges', async (t) => {
  const root = t.testdir(nested(FILES));
  const { graph } = await build(root);
  t.strictSame(graph.imports.get('src/a.ts'), [
    { to: 'src/b.ts', typeOnly: false },
    { to: 'src/types.ts', typeOnly: true },
  ]);
  t.strictSame(graph.importers.get('src/a.ts'), [{ to: 'test/a.test.ts', typeOnly: false }]);
  t.strictSame(graph.imports.get('test/a.test.ts'), [
    { to: 'src/a.ts', typeOnly: false },
    { to: 'test/__snapshots__/a.test.ts.snap', typeOnly: false },
  ]);
  t.equal(graph.stats.files, 6);
  t.equal(graph.stats.edges, 4);
});

t.test('a warm run parses only changed files, and the cache moves between machines', async (t) => {
  const root = t.testdir(nested(FILES));
  const cold = await build(root);
  t.equal(cold.graph.stats.parsed, 4);
  const warm = await build(root);
  t.equal(warm.graph.stats.parsed, 0);
  t.equal(warm.graph.stats.cached, 4);
  t.equal(warm.parses, 0, 'no parser is even created');
  t.equal(warm.cacheChanged, false, 'an unchanged cache is not written again');
  t.equal(cold.cacheChanged, true);
  writeFileSync(join(root, 'src/b.ts'), "import './types.js';\nexport const b = 2;\n");
  const changed = await build(root);
  t.equal(changed.graph.stats.parsed, 1);
  t.strictSame(changed.graph.imports.get('src/b.ts'), [{ to: 'src/types.ts', typeOnly: false }]);

  const cache = readFileSync(graphCachePath(root, '.velocity/cache'), 'utf8');
  t.notMatch(cache, root, 'no absolute paths in the cache');
  const elsewhere = mkdtempSync(join(tmpdir(), 'dep-ci-cache-'));
  t.teardown(() => rmSync(elsewhere, { recursive: true, force: true }));
  cpSync(root, elsewhere, { recursive: true });
  const restored = await build(elsewhere);
  t.equal(restored.graph.stats.parsed, 0, 'a cache restored in another directory is used');
  t.strictSame(restored.graph.imports, changed.graph.imports);
});

t.test('an outdated or corrupt cache is ignored, not an error', async (t) => {
  const root = t.testdir({
    ...nested(FILES),
    '.velocity': { cache: { 'import-graph.json': '{ nope' } },
  });
  t.equal(await readGraphCache(graphCachePath(root, '.velocity/cache'), 'test'), undefined);
  t.equal((await build(root)).graph.stats.parsed, 4);
  t.equal(
    await readGraphCache(graphCachePath(root, '.velocity/cache'), 'other-version'),
    undefined,
  );
});
