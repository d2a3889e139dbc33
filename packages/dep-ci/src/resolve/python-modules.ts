/**
 * Python import resolution against the repository's files: dotted module names to `.py` files.
 *
 * @module
 */
import type { ModuleReference, Resolution } from '../types.js';
import { PYTHON_STDLIB_MODULES } from './python-stdlib.js';
import type { RepositoryIndex } from './repository-index.js';

/** Resolves Python references from one repository. */
export interface PythonResolution {
  /**
   * Resolve a `python-import`, `python-from` or `python-importlib` reference found in `fromFile`
   * (root-relative POSIX).
   */
  resolve(reference: ModuleReference, fromFile: string): Resolution;
}

/** A module found under one search directory. */
interface FoundModule {
  /** The files executed by importing it, outermost package first. */
  files: string[];
  /** The module's directory when it is a package (regular or namespace), for submodule lookups. */
  packageDirectory?: string;
}

const STDLIB = new Set(PYTHON_STDLIB_MODULES);

/**
 * Create Python resolution over `index` with the absolute-import search directories `roots` (root-relative
 * POSIX, `''` for the root; see `defaultPythonRoots`).
 *
 * @remarks
 * A dotted name `a.b.c` is found under a directory as `a/b/c.py` or `a/b/c/__init__.py`, through packages
 * (`a/__init__.py`) or namespace packages (directories without one). Importing it executes every
 * `__init__.py` on the way, so all of them are part of the result: a change to `a/__init__.py` affects whoever
 * imports `a.b.c`. Like CPython's path finder, a regular package or module wins over a namespace directory.
 *
 * - Relative imports (`level` dots, or leading dots in an `importlib` specifier) start in the importing file's
 *   package directory and go up one directory per dot after the first.
 * - Absolute imports search, in order: the importing file's pytest rootdir (its nearest ancestor directory
 *   without `__init__.py`, which pytest's default `prepend` import mode puts on `sys.path`); the `roots` that
 *   contain the importing file, deepest first; then the other `roots` in order. The first that has the whole
 *   module wins.
 * - `from X import n1, n2`: X's files, plus `X/n1.py` or `X/n1/__init__.py` for each name that is a submodule;
 *   for `*`, every direct submodule (Python imports those listed in `__all__`, which dep-ci does not read).
 * - Not found: a standard-library top-level name is `builtin`; a top-level name that exists in the repository
 *   is `unresolved`; anything else is `external` with the top-level name as package name.
 *
 * Each file check is a set lookup: O(roots × dotted parts) per reference, plus O(files) for a star import.
 * @see {@link https://docs.python.org/3/reference/import.html#regular-packages}
 * @see {@link https://docs.pytest.org/en/stable/explanation/pythonpath.html#prepend-and-append-import-modes}
 */
export function createPythonResolution(
  index: RepositoryIndex,
  roots: readonly string[],
): PythonResolution {
  const { files } = index;
  const searchRootsByDirectory = new Map<string, string[]>();

  const join = (directory: string, name: string): string =>
    directory === '' ? name : `${directory}/${name}`;

  const searchRoots = (directory: string): string[] => {
    const cached = searchRootsByDirectory.get(directory);
    if (cached !== undefined) return cached;
    let rootdir = directory;
    while (rootdir !== '' && files.has(join(rootdir, '__init__.py'))) rootdir = parentOf(rootdir);
    const containing = roots
      .filter((root) => root === '' || directory === root || directory.startsWith(`${root}/`))
      .sort((a, b) => b.length - a.length);
    const ordered = [...new Set([rootdir, ...containing, ...roots])];
    searchRootsByDirectory.set(directory, ordered);
    return ordered;
  };

  const find = (
    start: string,
    parts: readonly string[],
    allowNamespace: boolean,
  ): FoundModule | undefined => {
    const found: string[] = [];
    let directory = start;
    for (const [at, part] of parts.entries()) {
      const candidate = join(directory, part);
      const last = at === parts.length - 1;
      const init = `${candidate}/__init__.py`;
      if (files.has(init)) {
        found.push(init);
      } else if (files.has(`${candidate}.py`)) {
        if (!last) return undefined;
        found.push(`${candidate}.py`);
        return { files: found };
      } else if (!(index.isDirectory(candidate) && (allowNamespace || at > 0))) {
        return undefined;
      }
      directory = candidate;
    }
    return { files: found, packageDirectory: directory };
  };

  const submodules = (packageDirectory: string, names: readonly string[]): string[] => {
    const found: string[] = [];
    if (names.includes('*')) {
      const prefix = packageDirectory === '' ? '' : `${packageDirectory}/`;
      for (const file of files) {
        if (!file.startsWith(prefix)) continue;
        const rest = file.slice(prefix.length);
        const segments = rest.split('/');
        const isModule = segments.length === 1 && rest.endsWith('.py') && rest !== '__init__.py';
        const isPackage = segments.length === 2 && segments[1] === '__init__.py';
        if (isModule || isPackage) found.push(file);
      }
    }
    for (const name of names) {
      if (name === '*') continue;
      const candidate = join(packageDirectory, name);
      if (files.has(`${candidate}/__init__.py`)) found.push(`${candidate}/__init__.py`);
      else if (files.has(`${candidate}.py`)) found.push(`${candidate}.py`);
    }
    return found;
  };

  const toResolution = (
    module: FoundModule,
    names: readonly string[],
    name: string,
  ): Resolution => {
    const found = [...module.files];
    if (module.packageDirectory !== undefined)
      found.push(...submodules(module.packageDirectory, names));
    const paths = [...new Set(found)].sort();
    const [only] = paths;
    if (only === undefined) {
      return {
        kind: 'unresolved',
        reason: `"${name}" is a namespace package with no Python file to import`,
      };
    }
    return paths.length === 1 ? { kind: 'file', path: only } : { kind: 'files', paths };
  };

  return {
    resolve(reference, fromFile) {
      const dots = /^\.*/.exec(reference.specifier)?.[0].length ?? 0;
      const level = Math.max(reference.level ?? 0, dots);
      const dotted = reference.specifier.slice(dots);
      const parts = dotted === '' ? [] : dotted.split('.');
      const names = reference.kind === 'python-from' ? (reference.names ?? []) : [];
      const written = '.'.repeat(level) + dotted;
      const directory = parentOf(fromFile);

      if (level > 0) {
        let start: string | undefined = directory;
        for (let up = 1; up < level && start !== undefined; up++) {
          start = start === '' ? undefined : parentOf(start);
        }
        if (start === undefined) {
          return {
            kind: 'unresolved',
            reason: `relative import "${written}" goes above the repository root`,
          };
        }
        const base: FoundModule | undefined =
          parts.length === 0
            ? {
                files: files.has(join(start, '__init__.py')) ? [join(start, '__init__.py')] : [],
                packageDirectory: start,
              }
            : find(start, parts, true);
        if (base === undefined) {
          return { kind: 'unresolved', reason: `no module "${written}" relative to "${fromFile}"` };
        }
        return toResolution(base, names, written);
      }

      const [top] = parts;
      if (top === undefined) return { kind: 'unresolved', reason: 'empty Python module name' };
      const candidates = searchRoots(directory);
      for (const allowNamespace of [false, true]) {
        for (const root of candidates) {
          const module = find(root, parts, allowNamespace);
          if (module !== undefined) return toResolution(module, names, dotted);
        }
      }
      if (STDLIB.has(top)) return { kind: 'builtin' };
      const local = candidates.find(
        (root) => files.has(`${join(root, top)}.py`) || index.isDirectory(join(root, top)),
      );
      if (local !== undefined) {
        return {
          kind: 'unresolved',
          reason: `no module "${dotted}" although "${join(local, top)}" is in the repository`,
        };
      }
      return { kind: 'external', packageName: top };
    },
  };
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}
