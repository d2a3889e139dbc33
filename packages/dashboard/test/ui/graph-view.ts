import t from 'tap';
import { findAffectedTests, indexImporters } from '../../src/app/ui/graph/affected.js';
import { buildClusterTree } from '../../src/app/ui/graph/cluster-tree.js';
import { computeView, highlightView } from '../../src/app/ui/graph/graph-view.js';
import { toGraphData } from '../../src/lib/graph-report.js';

const GRAPH = toGraphData({
  files: ['lib/a.ts', 'lib/b.ts', 'lib/t.ts', 'main.ts', 'test/a.test.ts', 'test/main.test.ts'],
  edges: [
    { from: 'lib/b.ts', to: 'lib/a.ts', typeOnly: false },
    { from: 'lib/t.ts', to: 'lib/a.ts', typeOnly: true },
    { from: 'main.ts', to: 'lib/b.ts', typeOnly: false },
    { from: 'main.ts', to: 'lib/t.ts', typeOnly: true },
    { from: 'test/a.test.ts', to: 'lib/a.ts', typeOnly: false },
    { from: 'test/main.test.ts', to: 'main.ts', typeOnly: false },
  ],
  tests: ['test/a.test.ts', 'test/main.test.ts'],
});
const TREE = buildClusterTree(GRAPH.files, 'folder');
const LIB = TREE.clusters.findIndex((cluster) => cluster.key === 'lib');
const TEST = TREE.clusters.findIndex((cluster) => cluster.key === 'test');
const ids = new Map(GRAPH.files.map((file, id) => [file, id]));
const f = (path: string) => `f${ids.get(path)}`;

t.test(
  'collapsed clusters stand for their files; imports between them are aggregated',
  async (t) => {
    const view = computeView(GRAPH, TREE, new Set([0]));
    t.strictSame(
      view.nodes.map((node) => [node.id, node.kind, node.label, node.expanded, node.size]),
      [
        [`c${LIB}`, 'folder', 'lib', false, 3],
        [`c${TEST}`, 'folder', 'test', false, 2],
        [f('main.ts'), 'file', 'main.ts', false, 1],
      ],
    );
    t.strictSame(view.edges, [
      // lib/b.ts and lib/t.ts import lib/a.ts inside the collapsed lib: not drawn.
      {
        id: `${f('main.ts')}>c${LIB}`,
        source: f('main.ts'),
        target: `c${LIB}`,
        count: 2,
        typeOnly: false,
      },
      { id: `c${TEST}>c${LIB}`, source: `c${TEST}`, target: `c${LIB}`, count: 1, typeOnly: false },
      {
        id: `c${TEST}>${f('main.ts')}`,
        source: `c${TEST}`,
        target: f('main.ts'),
        count: 1,
        typeOnly: false,
      },
    ]);
    t.equal(view.repOf[ids.get('lib/b.ts')!], `c${LIB}`);
  },
);

t.test('an expanded cluster is drawn as the parent of its files', async (t) => {
  const view = computeView(GRAPH, TREE, new Set([0, LIB]));
  t.match(view.nodes[0], { id: `c${LIB}`, expanded: true });
  t.notOk('parent' in view.nodes[0]!, 'top-level clusters have no parent');
  t.strictSame(
    view.nodes.filter((node) => node.parent === `c${LIB}`).map((node) => node.path),
    ['lib/a.ts', 'lib/b.ts', 'lib/t.ts'],
  );
  const typeOnly = view.edges.find((edge) => edge.id === `${f('lib/t.ts')}>${f('lib/a.ts')}`);
  t.match(typeOnly, { typeOnly: true, count: 1 });
  t.match(
    view.edges.find((edge) => edge.id === `${f('main.ts')}>${f('lib/t.ts')}`),
    { typeOnly: true },
  );
});

t.test('a cluster inside a collapsed one stays hidden, whatever its own state', async (t) => {
  const nested = buildClusterTree(['a/b/x.ts', 'a/b/y.ts', 'a/z.ts'], 'folder');
  const b = nested.clusters.findIndex((cluster) => cluster.key === 'a/b');
  const a = nested.clusters.findIndex((cluster) => cluster.key === 'a');
  const graph = toGraphData({ files: ['a/b/x.ts', 'a/b/y.ts', 'a/z.ts'], edges: [], tests: [] });
  t.strictSame(
    computeView(graph, nested, new Set([0, b])).nodes.map((node) => node.id),
    [`c${a}`],
  );
  t.strictSame(
    computeView(graph, nested, new Set([0, a, b])).nodes.map((node) => [node.id, node.parent]),
    [
      [`c${a}`, undefined],
      [`c${b}`, `c${a}`],
      ['f0', `c${b}`],
      ['f1', `c${b}`],
      ['f2', `c${a}`],
    ],
  );
});

t.test(
  'the change, affected tests and chains are marked, on the clusters holding them',
  async (t) => {
    const affected = findAffectedTests(GRAPH, indexImporters(GRAPH), ['lib/a.ts'], false);
    const collapsed = computeView(GRAPH, TREE, new Set([0]));
    const marked = highlightView(collapsed, affected, (path) => ids.get(path), 'test/main.test.ts');
    t.strictSame(Object.fromEntries(marked.classes), {
      [`c${LIB}`]: 'changed chain focus',
      [`c${TEST}`]: 'affected chain focus',
      [f('main.ts')]: 'chain focus',
      [`${f('main.ts')}>c${LIB}`]: 'chain focus',
      [`c${TEST}>${f('main.ts')}`]: 'chain focus',
      [`c${TEST}>c${LIB}`]: 'chain',
    });
    t.strictSame(Object.fromEntries(marked.affectedCount), { [`c${TEST}`]: 2 });

    const open = computeView(GRAPH, TREE, new Set([0, LIB, TEST]));
    const detailed = highlightView(open, affected, (path) => ids.get(path));
    t.equal(detailed.classes.get(f('lib/a.ts')), 'changed chain');
    t.equal(detailed.classes.get(f('test/a.test.ts')), 'affected chain');
    t.equal(detailed.classes.get(`${f('lib/b.ts')}>${f('lib/a.ts')}`), 'chain');
    t.notOk(detailed.classes.has(f('lib/t.ts')), 'the type-only path is not the chosen chain');
    t.notOk([...detailed.classes.values()].some((names) => names.includes('focus')));
  },
);

t.test('files outside the graph (deleted) are skipped', async (t) => {
  const view = computeView(GRAPH, TREE, new Set([0]));
  const marked = highlightView(view, { changed: ['gone.ts'], tests: [], reasons: [] }, (path) =>
    ids.get(path),
  );
  t.strictSame(marked.classes.size, 0);
});
