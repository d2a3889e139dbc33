import {
  IndexedImportGraph,
  NodeTable,
  packEdge,
  packRows,
  type ImportGraph,
} from '../../src/graph/indexed-graph.js';

/**
 * An import graph from `from -> to` pairs (a `type:` prefix on `to` marks a type-only edge), for tests of
 * what runs on top of the graph.
 */
export function graphOf(files: string[], edges: Array<[string, string]>): ImportGraph {
  const nodes = new NodeTable([...new Set(files)].sort());
  const rows: number[][] = [];
  for (const [from, target] of edges) {
    const typeOnly = target.startsWith('type:');
    const to = nodes.intern(typeOnly ? target.slice(5) : target);
    (rows[nodes.intern(from)] ??= []).push(packEdge(to, typeOnly));
  }
  for (const row of rows) {
    row?.sort((a, b) => {
      const left = nodes.paths[a >> 1] as string;
      const right = nodes.paths[b >> 1] as string;
      return left < right ? -1 : left > right ? 1 : 0;
    });
  }
  const packed = packRows(nodes.paths.length, (id) => rows[id]);
  return new IndexedImportGraph(nodes, packed, new Set(files).size, new Map(), {
    parsed: 0,
    cached: 0,
    ms: 0,
  });
}
