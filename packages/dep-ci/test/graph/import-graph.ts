import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@velocity/core';
import t from 'tap';
import { graphCachePath, readGraphCache, writeGraphCache } from '../../src/graph/graph-cache.js';
import { buildImportGraph, type ImportGraph } from '../../src/graph/import-graph.js';
import {
  readReferenceStore,
  referenceStorePath,
  saveReferences,
} from '../../src/graph/reference-store.js';
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

async function build(
  root: string,
  cacheDir = '.velocity/cache',
  extra: Record<string, string> = {},
) {
  for (const [path, content] of Object.entries(extra)) writeFileSync(join(root, path), content);
  const files = [...Object.keys(FILES), ...Object.keys(extra)].sort();
  const cachePath = graphCachePath(root, cacheDir);
  const storePath = referenceStorePath(root, cacheDir);
  let parses = 0;
  let storeReads = 0;
  const result = await buildImportGraph({
    root,
    files,
    languageOf,
    parseFiles: async (jobs) => {
      parses += 1;
      return jobs.map(({ path, language }) =>
        parser.parse(readFileSync(join(root, path), 'utf8'), language),
      );
    },
    resolver: createModuleResolver({ root, files: new Set(files) }),
    parserVersion: 'test',
    cache: await readGraphCache(cachePath, 'test'),
    readReferences: () => {
      storeReads += 1;
      return readReferenceStore(storePath, 'test');
    },
    logger,
  });
  if (result.cache !== undefined) await writeGraphCache(cachePath, result.cache);
  const { entries, complete } = result.references;
  if (entries.size > 0 || complete) await saveReferences(storePath, 'test', entries, complete);
  return { ...result, parses, storeReads };
}

t.test('edges, reverse edges, type-only edges and snapshot edges', async (t) => {
  const root = t.testdir(nested(FILES));
  const { graph } = await build(root);
  t.strictSame(graph.importsOf('src/a.ts'), [
    { to: 'src/b.ts', typeOnly: false },
    { to: 'src/types.ts', typeOnly: true },
  ]);
  t.strictSame(graph.importersOf('src/a.ts'), [{ to: 'test/a.test.ts', typeOnly: false }]);
  t.strictSame(graph.importsOf('test/a.test.ts'), [
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
  t.equal(warm.parses, 0, 'nothing is parsed');
  t.equal(warm.storeReads, 0, 'the stored references are not even read');
  t.equal(warm.cache, undefined, 'an unchanged cache is not written again');
  t.not(cold.cache, undefined);
  writeFileSync(join(root, 'src/b.ts'), "import './types.js';\nexport const b = 2;\n");
  const changed = await build(root);
  t.equal(changed.graph.stats.parsed, 1);
  t.strictSame(changed.graph.importsOf('src/b.ts'), [{ to: 'src/types.ts', typeOnly: false }]);

  const cache = readFileSync(graphCachePath(root, '.velocity/cache'), 'utf8');
  t.notMatch(cache, root, 'no absolute paths in the cache');
  const elsewhere = mkdtempSync(join(tmpdir(), 'dep-ci-cache-'));
  t.teardown(() => rmSync(elsewhere, { recursive: true, force: true }));
  cpSync(root, elsewhere, { recursive: true });
  const restored = await build(elsewhere);
  t.equal(restored.graph.stats.parsed, 0, 'a cache restored in another directory is used');
  t.strictSame(edgesOf(restored.graph), edgesOf(changed.graph));
});

const edgesOf = (graph: ImportGraph) => [...graph.edges()];

t.test(
  'a new file resolves every edge again from the stored references, parsing nothing',
  async (t) => {
    const root = t.testdir(nested(FILES));
    await build(root);
    const withExtra = await build(root, '.velocity/cache', {
      'src/c.ts': "export * from './b.js';\n",
    });
    t.equal(withExtra.storeReads, 1);
    t.equal(withExtra.graph.stats.parsed, 1, 'only the new file is parsed');
    t.strictSame(withExtra.graph.importersOf('src/b.ts'), [
      { to: 'src/a.ts', typeOnly: false },
      { to: 'src/c.ts', typeOnly: false },
    ]);
    t.equal(withExtra.references.complete, true, 'the store is rewritten whole');
  },
);

t.test('a lost or cut-short reference store only costs parsing again', async (t) => {
  const root = t.testdir(nested(FILES));
  await build(root);
  const storePath = referenceStorePath(root, '.velocity/cache');
  const text = readFileSync(storePath, 'utf8');
  writeFileSync(storePath, text.slice(0, text.length - 20));
  const cut = await build(root, '.velocity/cache', { 'src/c.ts': 'export {};\n' });
  t.ok(cut.graph.stats.parsed >= 2, 'the new file and the content whose entry was cut are parsed');
  t.strictSame(cut.graph.importsOf('src/a.ts'), [
    { to: 'src/b.ts', typeOnly: false },
    { to: 'src/types.ts', typeOnly: true },
  ]);
  rmSync(storePath);
  const lost = await build(root, '.velocity/cache', { 'src/d.ts': 'export {};\n' });
  t.equal(lost.graph.stats.parsed, 5, 'every source is parsed');
  t.strictSame(lost.graph.importsOf('src/a.ts'), cut.graph.importsOf('src/a.ts'));
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
