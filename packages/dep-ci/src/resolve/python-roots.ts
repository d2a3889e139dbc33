/**
 * Where absolute Python imports are looked up: the repository's `sys.path` entries.
 *
 * @module
 */
import type { RepositoryIndex } from './repository-index.js';

/** Files that mark the directory of a Python project. */
const PROJECT_FILES = ['pyproject.toml', 'setup.py', 'setup.cfg'];

/**
 * The default Python roots (root-relative POSIX, `''` for the repository root): the root, `src`, and each
 * directory holding a `pyproject.toml`, `setup.py` or `setup.cfg` followed by its `src` (the src layout), keeping
 * only directories that hold repository files. Order: root, `src`, then project directories sorted.
 *
 * @remarks O(files).
 * @see {@link https://packaging.python.org/en/latest/discussions/src-layout-vs-flat-layout/}
 */
export function defaultPythonRoots(index: RepositoryIndex): string[] {
  const projects = new Set<string>();
  for (const file of index.files) {
    const slash = file.lastIndexOf('/');
    if (PROJECT_FILES.includes(file.slice(slash + 1)))
      projects.add(file.slice(0, Math.max(slash, 0)));
  }
  const roots = ['', 'src'];
  for (const project of [...projects].sort())
    roots.push(project, project === '' ? 'src' : `${project}/src`);
  return [...new Set(roots)].filter((root) => index.isDirectory(root));
}

/** A root as given in options (`./python/`, `.`) as a root-relative POSIX directory (`python`, `''`). */
export function normalizePythonRoot(root: string): string {
  const trimmed = root
    .replace(/\\/g, '/')
    .replace(/^(?:\.\/)+/, '')
    .replace(/\/+$/, '');
  return trimmed === '.' ? '' : trimmed;
}
