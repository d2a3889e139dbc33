import type { ImportGraph } from './graph/import-graph.js';

/** Options of {@link findAffectedTests}. */
export interface FindAffectedTestsOptions {
  graph: ImportGraph;
  /** Changed paths (root-relative POSIX), including the old paths of deleted and renamed files. */
  changed: readonly string[];
  /** Whether a path is a test file. */
  isTest: (path: string) => boolean;
  /** Do not follow edges whose every reference is `import type`. */
  ignoreTypeImports: boolean;
}

/**
 * Affected tests and, for each, the import chain that makes it affected.
 *
 * - `tests`: sorted test paths
 * - `reasons`: test → chain from a changed file to the test, each element importing the previous one
 *   (`['src/a.ts', 'src/b.ts', 'test/b.test.ts']`); a changed test's chain is itself alone
 */
export interface AffectedTests {
  tests: string[];
  reasons: Record<string, string[]>;
}

/**
 * Finds the test files that can observe a change: those reachable backwards through the import graph from
 * any changed file (a changed test is itself affected).
 *
 * @remarks
 * One multi-source breadth-first search over the reverse edges (`importersOf`), O(V + E); each reached file
 * keeps the edge it was first reached by, so every reported chain is a shortest one.
 */
export function findAffectedTests(options: FindAffectedTestsOptions): AffectedTests {
  const { graph, isTest, ignoreTypeImports } = options;
  const previous = new Map<string, string | null>();
  const queue: string[] = [];
  for (const path of [...new Set(options.changed)].sort()) {
    previous.set(path, null);
    queue.push(path);
  }
  for (let head = 0; head < queue.length; head += 1) {
    const current = queue[head] as string;
    for (const { to: importer, typeOnly } of graph.importersOf(current)) {
      if (ignoreTypeImports && typeOnly) continue;
      if (previous.has(importer)) continue;
      previous.set(importer, current);
      queue.push(importer);
    }
  }
  const tests = queue.filter((path) => isTest(path)).sort();
  const reasons: Record<string, string[]> = {};
  for (const test of tests) {
    const chain: string[] = [];
    for (let at: string | null | undefined = test; at != null; at = previous.get(at))
      chain.push(at);
    reasons[test] = chain.reverse();
  }
  return { tests, reasons };
}

/**
 * The shortest import chain from `changed` to `test`, or `undefined` when the test does not depend on it.
 *
 * @remarks Breadth-first search over reverse edges from `changed`, O(V + E).
 */
export function findImportChain(
  graph: ImportGraph,
  changed: string,
  test: string,
  ignoreTypeImports: boolean,
): string[] | undefined {
  const { reasons } = findAffectedTests({
    graph,
    changed: [changed],
    isTest: (path) => path === test,
    ignoreTypeImports,
  });
  return reasons[test];
}
