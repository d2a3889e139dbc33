import t from 'tap';
import { buildClusterTree } from '../../src/app/ui/graph/cluster-tree.js';
import { computeView } from '../../src/app/ui/graph/graph-view.js';
import { CELL, packLayout } from '../../src/app/ui/graph/pack-layout.js';
import { toGraphData } from '../../src/lib/graph-report.js';

const FILES = Array.from({ length: 30 }, (_, index) => `pkg${index % 3}/f${index}.ts`);
const GRAPH = toGraphData({ files: FILES, edges: [], tests: [] });
const TREE = buildClusterTree(FILES, 'folder');

t.test("every leaf gets a place of its own, inside its cluster's block", async (t) => {
  const view = computeView(GRAPH, TREE, new Set([0, 1, 2]));
  const positions = packLayout(view);
  const leaves = view.nodes.filter((node) => !node.expanded);
  t.equal(positions.size, leaves.length, 'leaves only');
  const places = [...positions.values()];
  for (const [index, a] of places.entries())
    for (const b of places.slice(index + 1))
      t.ok(
        Math.abs(a.x - b.x) >= CELL.width || Math.abs(a.y - b.y) >= CELL.height,
        'no two cells overlap',
      );
  // The files of one expanded cluster lie apart from the other's.
  const box = (parent: string) => {
    const points = leaves
      .filter((node) => node.parent === parent)
      .map((node) => positions.get(node.id)!);
    return {
      left: Math.min(...points.map((p) => p.x)),
      right: Math.max(...points.map((p) => p.x)),
      top: Math.min(...points.map((p) => p.y)),
      bottom: Math.max(...points.map((p) => p.y)),
    };
  };
  const [first, second] = [box('c1'), box('c2')];
  t.ok(
    first.right < second.left ||
      second.right < first.left ||
      first.bottom < second.top ||
      second.bottom < first.top,
    'cluster blocks do not overlap',
  );
});

t.test('rows make the whole about as wide as it is tall', async (t) => {
  t.strictSame([...packLayout(computeView(GRAPH, TREE, new Set([0]))).keys()], ['c1', 'c2', 'c3']);
  const many = Array.from({ length: 400 }, (_, index) => `f${index}.ts`);
  const positions = [
    ...packLayout(
      computeView(
        toGraphData({ files: many, edges: [], tests: [] }),
        buildClusterTree(many, 'folder'),
        new Set([0]),
      ),
    ).values(),
  ];
  const width =
    Math.max(...positions.map((p) => p.x)) - Math.min(...positions.map((p) => p.x)) + CELL.width;
  const height =
    Math.max(...positions.map((p) => p.y)) - Math.min(...positions.map((p) => p.y)) + CELL.height;
  t.ok(width / height > 0.8 && width / height < 2.5, `${width} × ${height}`);
});
