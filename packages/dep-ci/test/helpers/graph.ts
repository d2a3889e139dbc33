import type { ImportEdge, ImportGraph } from '../../src/graph/import-graph.js';

/**
 * An import graph from `from -> to` pairs (a `type:` prefix on `to` marks a type-only edge), for tests of
 * what runs on top of the graph.
 */
export function graphOf(files: string[], edges: Array<[string, string]>): ImportGraph {
  const imports = new Map<string, ImportEdge[]>();
  const importers = new Map<string, ImportEdge[]>();
  for (const [from, target] of edges) {
    const typeOnly = target.startsWith('type:');
    const to = typeOnly ? target.slice(5) : target;
    imports.set(from, [...(imports.get(from) ?? []), { to, typeOnly }]);
    importers.set(to, [...(importers.get(to) ?? []), { to: from, typeOnly }]);
  }
  return {
    files: [...files].sort(),
    imports,
    importers,
    unparsable: new Map(),
    stats: { files: files.length, edges: edges.length, parsed: 0, cached: 0, ms: 0 },
  };
}
