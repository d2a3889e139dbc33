import t from 'tap';
import {
  buildClusterTree,
  initialExpansion,
  revealFiles,
  toggleCluster,
} from '../../src/app/ui/graph/cluster-tree.js';

const FILES = [
  'README.md',
  'docs/guide/intro.md',
  'packages/core/package.json',
  'packages/core/src/a.ts',
  'packages/core/src/b.ts',
  'packages/core/test/a.test.ts',
  'packages/web/package.json',
  'packages/web/src/app/page.tsx',
];

/** `key (label, kind): files` per cluster, indented by depth, for readable comparisons. */
function outline(files: readonly string[], grouping: 'folder' | 'package'): string[] {
  const { clusters } = buildClusterTree(files, grouping);
  const lines: string[] = [];
  const walk = (id: number, depth: number) => {
    const cluster = clusters[id]!;
    lines.push(
      `${'  '.repeat(depth)}${cluster.key || '/'} (${cluster.label}, ${cluster.kind}, ${cluster.size}): ${cluster.files.map((file) => files[file]).join(' ')}`,
    );
    for (const child of cluster.children) walk(child, depth + 1);
  };
  walk(0, 0);
  return lines;
}

t.test('folders: the directory tree, single-child chains merged', async (t) => {
  t.strictSame(outline(FILES, 'folder'), [
    '/ (, root, 8): README.md',
    '  docs/guide (docs/guide, folder, 1): docs/guide/intro.md',
    '  packages (packages, folder, 6): ',
    '    packages/core (core, folder, 4): packages/core/package.json',
    '      packages/core/src (src, folder, 2): packages/core/src/a.ts packages/core/src/b.ts',
    '      packages/core/test (test, folder, 1): packages/core/test/a.test.ts',
    '    packages/web (web, folder, 2): packages/web/package.json',
    '      packages/web/src/app (src/app, folder, 1): packages/web/src/app/page.tsx',
  ]);
});

t.test('packages: workspace packages right under the root', async (t) => {
  t.strictSame(outline([...FILES, 'packages/core/vendor/x/package.json'], 'package'), [
    '/ (, root, 9): README.md',
    '  docs/guide (docs/guide, folder, 1): docs/guide/intro.md',
    '  packages/core (packages/core, package, 5): packages/core/package.json',
    '    packages/core/src (src, folder, 2): packages/core/src/a.ts packages/core/src/b.ts',
    '    packages/core/test (test, folder, 1): packages/core/test/a.test.ts',
    '    packages/core/vendor/x (vendor/x, package, 1): packages/core/vendor/x/package.json',
    '  packages/web (packages/web, package, 2): packages/web/package.json',
    '    packages/web/src/app (src/app, folder, 1): packages/web/src/app/page.tsx',
  ]);
});

t.test('every file belongs to the cluster of its directory; parents come first', async (t) => {
  const tree = buildClusterTree(FILES, 'folder');
  FILES.forEach((file, id) => {
    const cluster = tree.clusters[tree.clusterOf[id]!]!;
    t.equal(file.slice(0, Math.max(0, file.lastIndexOf('/'))), cluster.key, file);
  });
  tree.clusters.forEach((cluster, id) => t.ok(cluster.parent < id, cluster.key));
  t.strictSame(buildClusterTree([], 'folder').clusters, [
    { key: '', label: '', kind: 'root', parent: -1, children: [], files: [], size: 0 },
  ]);
});

t.test('the first view expands whole levels within the node budget', async (t) => {
  const tree = buildClusterTree(FILES, 'folder');
  const keys = (expanded: Set<number>) => [...expanded].map((id) => tree.clusters[id]!.key).sort();
  // Root: README.md, docs/guide, packages (3); docs/guide and packages add 1 + 2 (6); core and web add 3 + 2
  // (11); their three folders add 4 (15).
  t.strictSame(keys(initialExpansion(tree, 3)), ['']);
  t.strictSame(keys(initialExpansion(tree, 6)), ['', 'docs/guide', 'packages']);
  t.strictSame(keys(initialExpansion(tree, 10)), ['', 'docs/guide', 'packages']);
  t.equal(initialExpansion(tree, 14).size, tree.clusters.length - 3, 'all but the three deepest');
  t.equal(initialExpansion(tree, 15).size, tree.clusters.length);
  t.equal(initialExpansion(tree).size, tree.clusters.length, 'a small repository opens fully');
});

t.test(
  'revealing a file expands the clusters above it; toggling keeps the root open',
  async (t) => {
    const tree = buildClusterTree(FILES, 'folder');
    const page = FILES.indexOf('packages/web/src/app/page.tsx');
    const revealed = revealFiles(tree, new Set([0]), [page]);
    t.strictSame([...revealed].map((id) => tree.clusters[id]!.key).sort(), [
      '',
      'packages',
      'packages/web',
      'packages/web/src/app',
    ]);
    const web = tree.clusters.findIndex((cluster) => cluster.key === 'packages/web');
    t.notOk(toggleCluster(revealed, web).has(web));
    t.ok(toggleCluster(toggleCluster(revealed, web), web).has(web));
    t.ok(toggleCluster(revealed, 0).has(0));
  },
);
