/**
 * The repository's file listing as something module resolution can query without touching the disk.
 *
 * @module
 */
import path from 'node:path';

/** The files and directories of one repository, with path conversions. */
export interface RepositoryIndex {
  /** Absolute repository root, without a trailing separator. */
  readonly root: string;
  /** Repository files, root-relative POSIX (`packages/a/src/x.ts`). */
  readonly files: ReadonlySet<string>;
  /** Whether a root-relative POSIX path names a directory holding at least one of `files` (`''` is the root). */
  isDirectory(directory: string): boolean;
  /** Absolute path of a root-relative POSIX path (`''` gives the root). */
  toAbsolute(relative: string): string;
  /**
   * Root-relative POSIX path of an absolute path, or `undefined` when it lies outside the root.
   *
   * @remarks O(length of the path).
   */
  toRelative(absolute: string): string | undefined;
  /**
   * The nearest of `names` in `directory` or an ancestor up to the root, as a root-relative POSIX path; in
   * one directory, earlier names win.
   *
   * @remarks O(depth × names) set lookups the first time, then one map lookup: answers are memoized by
   * `directory` and by the identity of the `names` array, so pass the same (constant) array each time.
   */
  findUp(directory: string, names: readonly string[]): string | undefined;
}

/**
 * Index `files` (root-relative POSIX) under the absolute `root`.
 *
 * @remarks Collects every ancestor directory of every file: O(total length of all paths).
 */
export function createRepositoryIndex(root: string, files: ReadonlySet<string>): RepositoryIndex {
  const normalizedRoot = path.resolve(root);
  const rootPrefix = normalizedRoot.endsWith(path.sep) ? normalizedRoot : normalizedRoot + path.sep;
  const directories = new Set<string>(['']);
  for (const file of files) {
    for (let slash = file.lastIndexOf('/'); slash > 0; slash = file.lastIndexOf('/', slash - 1)) {
      const directory = file.slice(0, slash);
      if (directories.has(directory)) break;
      directories.add(directory);
    }
  }
  const findUpCache = new WeakMap<readonly string[], Map<string, string | undefined>>();

  const findUp = (directory: string, names: readonly string[]): string | undefined => {
    let cache = findUpCache.get(names);
    if (cache === undefined) {
      cache = new Map();
      findUpCache.set(names, cache);
    }
    if (cache.has(directory)) return cache.get(directory);
    let found: string | undefined;
    for (const name of names) {
      const candidate = directory === '' ? name : `${directory}/${name}`;
      if (files.has(candidate)) {
        found = candidate;
        break;
      }
    }
    if (found === undefined && directory !== '') {
      const slash = directory.lastIndexOf('/');
      found = findUp(slash === -1 ? '' : directory.slice(0, slash), names);
    }
    cache.set(directory, found);
    return found;
  };

  return {
    root: normalizedRoot,
    files,
    isDirectory: (directory) => directories.has(directory),
    toAbsolute: (relative) =>
      relative === '' ? normalizedRoot : rootPrefix + relative.split('/').join(path.sep),
    toRelative: (absolute) => {
      if (absolute === normalizedRoot) return '';
      if (!absolute.startsWith(rootPrefix)) return undefined;
      const relative = absolute.slice(rootPrefix.length);
      return path.sep === '/' ? relative : relative.split(path.sep).join('/');
    },
    findUp,
  };
}
