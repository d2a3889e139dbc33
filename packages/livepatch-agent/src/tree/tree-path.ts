/**
 * Tree paths: root-relative POSIX strings, `/`-separated, `""` for the root (the proto's path rules).
 *
 * @module
 */
import { InvalidTreePathError } from './errors.js';

/**
 * Whether `name` can be one entry of a tree: not empty, `.` or `..`, and free of `/`, `\`, NUL and U+FFFD.
 *
 * @remarks
 * U+FFFD is what Node decodes a name that is not valid UTF-8 into; such a name could not be written back
 * under the same bytes at the other side, so scans skip it.
 */
export function isValidEntryName(name: string): boolean {
  return (
    name !== '' &&
    name !== '.' &&
    name !== '..' &&
    !name.includes('/') &&
    !name.includes('\\') &&
    !name.includes('\0') &&
    !name.includes('\uFFFD')
  );
}

/** Whether `path` is a valid tree path: `""`, or valid entry names joined by `/`. */
export function isTreePath(path: string): boolean {
  return path === '' || path.split('/').every(isValidEntryName);
}

/**
 * Whether `path` has the shape of a tree path, `""` or names joined by `/` with no empty, `.` or `..` name
 * and no NUL, even if a name cannot be in a tree (a backslash, U+FFFD).
 */
export function isWellFormedPath(path: string): boolean {
  return (
    path === '' ||
    path
      .split('/')
      .every((name) => name !== '' && name !== '.' && name !== '..' && !name.includes('\0'))
  );
}

/**
 * Checks that `path` is a valid tree path.
 *
 * @throws {@link InvalidTreePathError} when it is not
 */
export function assertTreePath(path: string): void {
  if (!isTreePath(path)) throw new InvalidTreePathError(path);
}

/** `dir/name`, or `name` when `dir` is the root. */
export function joinTreePath(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

/** The directory holding `path` (`""` for a top-level entry) and the entry's name; `path` must not be `""`. */
export function splitTreePath(path: string): { directory: string; name: string } {
  const slash = path.lastIndexOf('/');
  return slash === -1
    ? { directory: '', name: path }
    : { directory: path.slice(0, slash), name: path.slice(slash + 1) };
}

/** Number of components: 0 for the root, 1 for a top-level entry. */
export function treePathDepth(path: string): number {
  if (path === '') return 0;
  let depth = 1;
  for (let index = path.indexOf('/'); index !== -1; index = path.indexOf('/', index + 1)) depth++;
  return depth;
}
