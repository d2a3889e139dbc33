/**
 * Affected tests of picked changed files, computed in the browser the way dep-ci computes them
 * (`findAffectedTests` in packages/dep-ci/src/affected.ts), so the page and `dep-ci affected --changed` agree.
 *
 * @module
 */
import type { AffectedTests, GraphData } from '../../../lib/graph-report';

/**
 * Reverse edges of a graph in compressed sparse rows: the importers of file `id` are
 * `sources[offsets[id] … offsets[id + 1]]`, each packed as `importer id * 2 + typeOnly bit`, sorted by the
 * importer's path (dep-ci's `importersOf` order, which decides which of several shortest chains is shown).
 */
export interface ImporterIndex {
  readonly offsets: Int32Array;
  readonly sources: Int32Array;
}

/**
 * Builds the {@link ImporterIndex} of a graph.
 *
 * @remarks Counting sort by imported file, then each row sorted by importer path: O(V + E log d).
 */
export function indexImporters(graph: GraphData): ImporterIndex {
  const count = graph.files.length;
  const offsets = new Int32Array(count + 1);
  for (let at = 0; at < graph.edges.length; at += 3) {
    const to = graph.edges[at + 1] as number;
    offsets[to + 1] = (offsets[to + 1] as number) + 1;
  }
  for (let id = 0; id < count; id += 1)
    offsets[id + 1] = (offsets[id + 1] as number) + (offsets[id] as number);
  const fill = offsets.slice(0, count);
  const sources = new Int32Array(graph.edges.length / 3);
  for (let at = 0; at < graph.edges.length; at += 3) {
    const to = graph.edges[at + 1] as number;
    sources[fill[to] as number] = (graph.edges[at] as number) * 2 + (graph.edges[at + 2] as number);
    fill[to] = (fill[to] as number) + 1;
  }
  const byPath = (a: number, b: number) => {
    const pathA = graph.files[a >> 1] as string;
    const pathB = graph.files[b >> 1] as string;
    return pathA < pathB ? -1 : pathA > pathB ? 1 : 0;
  };
  for (let id = 0; id < count; id += 1) {
    const start = offsets[id] as number;
    const end = offsets[id + 1] as number;
    if (end - start > 1) sources.subarray(start, end).sort(byPath);
  }
  return { offsets, sources };
}

/**
 * Finds the tests reachable backwards through the import graph from the changed files (a changed test is
 * itself affected), with one shortest import chain for each.
 *
 * @remarks
 * dep-ci's algorithm: one multi-source breadth-first search over reverse edges, O(V + E), from the changed
 * files in sorted order, visiting importers in path order; each file keeps the edge it was first reached by.
 * Changed paths that are not in the graph reach nothing, as in dep-ci.
 *
 * @param changed - changed paths, root-relative POSIX, any order, duplicates allowed
 * @param ignoreTypeImports - skip edges whose every reference is `import type` (`depCi.ignoreTypeImports`)
 */
export function findAffectedTests(
  graph: GraphData,
  index: ImporterIndex,
  changed: readonly string[],
  ignoreTypeImports: boolean,
): AffectedTests {
  const ids = new Map(graph.files.map((file, id) => [file, id]));
  const isTest = new Uint8Array(graph.files.length);
  for (const test of graph.tests) isTest[test] = 1;
  const sortedChanged = [...new Set(changed)].sort();
  // previous[id]: the file `id` was reached from; -1 for a changed file, -2 when not reached.
  const previous = new Int32Array(graph.files.length).fill(-2);
  const queue: number[] = [];
  for (const path of sortedChanged) {
    const id = ids.get(path);
    if (id === undefined) continue;
    previous[id] = -1;
    queue.push(id);
  }
  for (let head = 0; head < queue.length; head += 1) {
    const current = queue[head] as number;
    for (
      let at = index.offsets[current] as number;
      at < (index.offsets[current + 1] as number);
      at += 1
    ) {
      const packed = index.sources[at] as number;
      if (ignoreTypeImports && (packed & 1) === 1) continue;
      const importer = packed >> 1;
      if (previous[importer] !== -2) continue;
      previous[importer] = current;
      queue.push(importer);
    }
  }
  const tests = queue
    .filter((id) => isTest[id] === 1)
    .map((id) => graph.files[id] as string)
    .sort();
  const reasons = tests.map((test) => {
    const chain: string[] = [];
    for (let at = ids.get(test) as number; at >= 0; at = previous[at] as number)
      chain.push(graph.files[at] as string);
    return { test, chain: chain.reverse() };
  });
  return { changed: sortedChanged, tests, reasons };
}
