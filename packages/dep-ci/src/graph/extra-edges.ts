import { posix } from 'node:path';

/**
 * Edges no import statement states but a test runner follows: a Jest/Vitest snapshot belongs to its test,
 * and pytest loads every `conftest.py` in a test's directory and above.
 *
 * @remarks
 * `__snapshots__/x.test.ts.snap` is read by `x.test.ts` in the parent directory. A Python file under a
 * directory holding `conftest.py` depends on it, and on each `conftest.py` further up, up to the root.
 * O(files × depth).
 *
 * @param files - every repository file in the graph (root-relative POSIX)
 * @returns `[from, to]` pairs: `from` depends on `to`
 */
export function findImplicitEdges(files: readonly string[]): Array<[from: string, to: string]> {
  const present = new Set(files);
  const edges: Array<[string, string]> = [];
  const conftestDirs = new Set<string>();
  for (const file of files) {
    if (file.endsWith('conftest.py') && posix.basename(file) === 'conftest.py') {
      conftestDirs.add(posix.dirname(file));
    }
    if (!file.endsWith('.snap')) continue;
    const snapshot = /^(.*\/)?__snapshots__\/([^/]+)\.snap$/.exec(file);
    if (snapshot !== null) {
      const test = `${snapshot[1] ?? ''}${snapshot[2] ?? ''}`;
      if (present.has(test)) edges.push([test, file]);
    }
  }
  if (conftestDirs.size === 0) return edges;
  for (const file of files) {
    if (!file.endsWith('.py')) continue;
    let dir = posix.dirname(file);
    for (;;) {
      const conftest = dir === '.' ? 'conftest.py' : `${dir}/conftest.py`;
      if (conftestDirs.has(dir) && conftest !== file) edges.push([file, conftest]);
      if (dir === '.') break;
      dir = posix.dirname(dir);
    }
  }
  return edges;
}
