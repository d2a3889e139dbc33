import t from 'tap';
import { findAffectedTests, indexImporters } from '../../src/app/ui/graph/affected.js';
import { toGraphData } from '../../src/lib/graph-report.js';

/** A graph from `importer -> imported` lines; `~>` is a type-only import. */
function graphOf(lines: string[], tests: string[]) {
  const edges = lines.map((line) => {
    const [from, to] = line.split(/ [-~]> /) as [string, string];
    return { from, to, typeOnly: line.includes('~>') };
  });
  const files = [...new Set([...edges.flatMap(({ from, to }) => [from, to]), ...tests])].sort();
  return toGraphData({ files, edges, tests });
}

// test/ab.test.ts reaches src/a.ts two ways in two steps: through src/b.ts and through src/c.ts.
const GRAPH = graphOf(
  [
    // Listed out of path order: the index sorts importers by path.
    'src/c.ts -> src/a.ts',
    'src/b.ts -> src/a.ts',
    'test/ab.test.ts -> src/c.ts',
    'test/ab.test.ts -> src/b.ts',
    'test/b.test.ts -> src/b.ts',
    'src/types.ts ~> src/a.ts',
    'test/types.test.ts -> src/types.ts',
    'test/d.test.ts -> src/d.ts',
  ],
  ['test/ab.test.ts', 'test/b.test.ts', 'test/d.test.ts', 'test/types.test.ts'],
);

t.test('tests reachable backwards from a change, each with a shortest chain', async (t) => {
  const affected = findAffectedTests(GRAPH, indexImporters(GRAPH), ['src/a.ts'], false);
  t.strictSame(affected, {
    changed: ['src/a.ts'],
    tests: ['test/ab.test.ts', 'test/b.test.ts', 'test/types.test.ts'],
    reasons: [
      // Importers are visited in path order, as dep-ci's importersOf: src/b.ts before src/c.ts.
      { test: 'test/ab.test.ts', chain: ['src/a.ts', 'src/b.ts', 'test/ab.test.ts'] },
      { test: 'test/b.test.ts', chain: ['src/a.ts', 'src/b.ts', 'test/b.test.ts'] },
      { test: 'test/types.test.ts', chain: ['src/a.ts', 'src/types.ts', 'test/types.test.ts'] },
    ],
  });
});

t.test('type-only imports are skipped when depCi.ignoreTypeImports is set', async (t) => {
  const affected = findAffectedTests(GRAPH, indexImporters(GRAPH), ['src/a.ts'], true);
  t.strictSame(affected.tests, ['test/ab.test.ts', 'test/b.test.ts']);
});

t.test('a changed test is affected by itself; unknown and repeated paths', async (t) => {
  const affected = findAffectedTests(
    GRAPH,
    indexImporters(GRAPH),
    ['test/d.test.ts', 'src/deleted.ts', 'test/d.test.ts'],
    false,
  );
  t.strictSame(affected, {
    changed: ['src/deleted.ts', 'test/d.test.ts'],
    tests: ['test/d.test.ts'],
    reasons: [{ test: 'test/d.test.ts', chain: ['test/d.test.ts'] }],
  });
  t.strictSame(findAffectedTests(GRAPH, indexImporters(GRAPH), [], false).tests, []);
});

t.test('of several changes, the chain starts at the first changed file reached', async (t) => {
  const affected = findAffectedTests(GRAPH, indexImporters(GRAPH), ['src/c.ts', 'src/b.ts'], false);
  t.strictSame(affected.reasons, [
    { test: 'test/ab.test.ts', chain: ['src/b.ts', 'test/ab.test.ts'] },
    { test: 'test/b.test.ts', chain: ['src/b.ts', 'test/b.test.ts'] },
  ]);
});
