/**
 * The file system enhanced-resolve sees: the repository's file listing, not the working tree.
 *
 * @module
 */
import fs from 'node:fs';
import type { PathLike, PathOrFileDescriptor } from 'node:fs';
import enhancedResolve from 'enhanced-resolve';
import type { FileSystem } from 'enhanced-resolve';
import type { RepositoryIndex } from './repository-index.js';

type Callback = (error: NodeJS.ErrnoException | null, result?: unknown) => void;

/** How a path relates to the repository listing. */
type Standing = 'file' | 'directory' | 'missing' | 'outside';

const FILE_STATS = { isFile: () => true, isDirectory: () => false, isSymbolicLink: () => false };
const DIRECTORY_STATS = {
  isFile: () => false,
  isDirectory: () => true,
  isSymbolicLink: () => false,
};
// Resolution probes many missing candidates (every extension, every index file); capturing a stack for each
// costs more than the rest of a resolution together, and enhanced-resolve only reads `code`.
const NOT_LISTED = Object.freeze(
  Object.assign(new Error('ENOENT: not a repository file'), { code: 'ENOENT' }),
);
const IS_DIRECTORY = Object.freeze(
  Object.assign(new Error('EISDIR: a repository directory'), { code: 'EISDIR' }),
);

/**
 * A file system for enhanced-resolve in which the repository holds exactly the index's files.
 *
 * Inside the root (outside any `node_modules`), `stat` answers from the index without touching the disk: a
 * listed file exists even when it was deleted from the working tree (so an import of a deleted file still
 * leads to it), and untracked or ignored files (`dist/`, generated code) do not exist, so results are the same
 * on a fresh checkout and on a built working tree. Contents (`package.json`, tsconfig files) are read from disk.
 * Paths outside the root or under `node_modules` (a tsconfig `extends` from a package) go to the disk as is.
 *
 * @remarks
 * Every callback runs synchronously, so a resolver built on it resolves synchronously. Disk access goes through one
 * `CachedInputFileSystem` that never expires: one dep-ci run sees one working tree. `stat` inside the root
 * is O(length of the path).
 * @see {@link https://github.com/webpack/enhanced-resolve#creating-a-resolver}
 */
export function createRepositoryFileSystem(index: RepositoryIndex): FileSystem {
  const disk = new enhancedResolve.CachedInputFileSystem(fs, Infinity);

  const standing = (path: PathOrFileDescriptor): Standing => {
    const relative = typeof path === 'string' ? index.toRelative(path) : undefined;
    if (relative === undefined) return 'outside';
    if (relative.includes('node_modules') && /(?:^|\/)node_modules(?:\/|$)/.test(relative))
      return 'outside';
    if (index.files.has(relative)) return 'file';
    return index.isDirectory(relative) ? 'directory' : 'missing';
  };

  /**
   * Call back with what `read` returns from the disk or what it throws, or at once with `refused`; either way
   * synchronously. Refusals are not thrown: throwing costs more than the rest of a failed lookup.
   */
  const answer = (
    optionsOrCallback: unknown,
    maybeCallback: unknown,
    refused: NodeJS.ErrnoException | undefined,
    read: () => unknown,
  ): void => {
    const callback = isCallback(maybeCallback) ? maybeCallback : optionsOrCallback;
    if (!isCallback(callback)) throw new TypeError('A file-system call came without a callback.');
    if (refused !== undefined) {
      callback(refused);
      return;
    }
    let result: unknown;
    try {
      result = read();
    } catch (error) {
      callback(error as NodeJS.ErrnoException);
      return;
    }
    callback(null, result);
  };

  /** What to fail with for paths the listing rules out; `undefined` when the disk has to answer. */
  const refusal = (path: PathOrFileDescriptor): NodeJS.ErrnoException | undefined => {
    const where = standing(path);
    if (where === 'missing') return NOT_LISTED;
    return where === 'directory' ? IS_DIRECTORY : undefined;
  };

  return {
    stat: (path: PathLike, optionsOrCallback: unknown, maybeCallback?: unknown) => {
      const where = standing(path);
      const callback = isCallback(maybeCallback) ? maybeCallback : optionsOrCallback;
      if (where !== 'outside' && isCallback(callback)) {
        if (where === 'missing') callback(NOT_LISTED);
        else callback(null, where === 'file' ? FILE_STATS : DIRECTORY_STATS);
        return;
      }
      answer(optionsOrCallback, maybeCallback, undefined, () => disk.statSync(path));
    },
    readFile: (path: PathOrFileDescriptor, optionsOrCallback: unknown, maybeCallback?: unknown) =>
      answer(optionsOrCallback, maybeCallback, refusal(path), () => disk.readFileSync(path)),
    readJson: (path: PathOrFileDescriptor, callback: unknown) =>
      answer(
        callback,
        undefined,
        refusal(path),
        () => disk.readJsonSync?.(path) ?? (JSON.parse(disk.readFileSync(path, 'utf8')) as unknown),
      ),
    readdir: (path: PathLike, optionsOrCallback: unknown, maybeCallback?: unknown) =>
      answer(
        optionsOrCallback,
        maybeCallback,
        standing(path) === 'missing' ? NOT_LISTED : undefined,
        () => disk.readdirSync(path),
      ),
    readlink: (path: PathLike, optionsOrCallback: unknown, maybeCallback?: unknown) =>
      answer(optionsOrCallback, maybeCallback, undefined, () => disk.readlinkSync(path)),
  };
}

function isCallback(value: unknown): value is Callback {
  return typeof value === 'function';
}
