/**
 * Scanning a directory into a {@link TreeSnapshot}: per-directory entries and Merkle hashes.
 *
 * @module
 */
import type { Dirent, Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@velocity/core';
import { TreeReadError, TreeRootNotFoundError } from './errors.js';
import { lstatAsync, readdirAsync, readlinkAsync } from './fs-async.js';
import { isVanished } from './fs-errors.js';
import type { HashCache } from './hash-cache.js';
import { hashFile, ReadBufferPool } from './hash-file.js';
import { hashDirectory, hashSymlinkTarget, normalizeMode, sortEntries } from './hash-tree.js';
import type { TreeEntry, TreeEntryType } from './hash-tree.js';
import { createIgnoreMatcher } from './ignore-rules.js';
import type { IgnoreMatcher } from './ignore-rules.js';
import { createLimit } from './limit.js';
import type { Limit } from './limit.js';
import { assertTreePath, isValidEntryName, joinTreePath, splitTreePath } from './tree-path.js';

/** One directory of a snapshot: its entries, in name order, and its hash. */
export interface DirectoryNode {
  /** Tree path of the directory, `""` for the root. */
  readonly path: string;
  /** {@link hashDirectory} of `entries`. */
  readonly hash: Buffer;
  /** The entries, sorted by name in UTF-8 byte order. */
  readonly entries: readonly TreeEntry[];
  /** `entries` by name. */
  readonly byName: ReadonlyMap<string, TreeEntry>;
}

/**
 * A scanned tree. Immutable: {@link updateTree} returns a new snapshot sharing the unchanged nodes.
 *
 * @remarks `directories`: tree path of every directory (`""` for the root) → its node.
 */
export interface TreeSnapshot {
  /** The directory scanned, as given. */
  readonly root: string;
  /** Whether modes carry all permission bits ({@link normalizeMode}). */
  readonly fullModes: boolean;
  /** Hash of the root directory. */
  readonly rootHash: Buffer;
  readonly directories: ReadonlyMap<string, DirectoryNode>;
}

/** Options of {@link scanTree}. */
export interface ScanTreeOptions {
  /**
   * Paths to leave out, tested before an entry is read.
   *
   * @defaultValue `createIgnoreMatcher()`: {@link DEFAULT_IGNORES} and the agent's internal names
   */
  ignore?: IgnoreMatcher;
  /**
   * Carry all permission bits, not only the owner-executable bit (see {@link normalizeMode}).
   *
   * @defaultValue false
   */
  fullModes?: boolean;
  /** Hashes of files from earlier scans of the same root; updated by this scan. */
  hashCache?: HashCache;
  /** Stops the scan; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * File system operations in flight at once (each file being hashed holds one 256 KiB read buffer).
   *
   * @defaultValue 32
   */
  concurrency?: number;
  /** Receives a warning for each entry skipped for its name, and debug records for sockets and FIFOs. */
  logger?: Pick<Logger, 'debug' | 'warn'>;
}

/** Builds a node from entries in any order (sorted here). */
export function createDirectoryNode(path: string, entries: readonly TreeEntry[]): DirectoryNode {
  const sorted = sortEntries([...entries]);
  return {
    path,
    hash: hashDirectory(sorted),
    entries: sorted,
    byName: new Map(sorted.map((entry) => [entry.name, entry])),
  };
}

/** The entry at tree path `path` in `snapshot`, or `undefined` (always for the root, which has none). */
export function lookupEntry(snapshot: TreeSnapshot, path: string): TreeEntry | undefined {
  assertTreePath(path);
  if (path === '') return undefined;
  const { directory, name } = splitTreePath(path);
  return snapshot.directories.get(directory)?.byName.get(name);
}

/** One entry of {@link walkTree}. */
export interface TreeWalkEntry {
  /** Tree path of the entry. */
  path: string;
  entry: TreeEntry;
}

/**
 * Every entry below directory `from` (the root by default), depth first, each directory before its
 * entries, in name order; nothing when `from` is not a directory of the snapshot.
 */
export function* walkTree(snapshot: TreeSnapshot, from = ''): Generator<TreeWalkEntry> {
  const node = snapshot.directories.get(from);
  if (node === undefined) return;
  for (const entry of node.entries) {
    const path = joinTreePath(from, entry.name);
    yield { path, entry };
    if (entry.type === 'directory') yield* walkTree(snapshot, path);
  }
}

/** The entry type a directory entry lists, or `undefined` for sockets, FIFOs and devices. */
function direntType(dirent: Dirent): TreeEntryType | undefined {
  if (dirent.isFile()) return 'file';
  if (dirent.isDirectory()) return 'directory';
  if (dirent.isSymbolicLink()) return 'symlink';
  return undefined;
}

/**
 * The file system side of scanning, shared by {@link scanTree} and {@link updateTree}.
 *
 * @privateRemarks
 * Concurrency: every file system call goes through one {@link Limit}; recursion never holds a slot, so
 * directories are scanned concurrently without deadlock. Entries that vanish are skipped (`undefined`); other
 * file system errors become {@link TreeReadError} and stop every call still waiting for a slot.
 */
export class TreeWalker {
  readonly root: string;
  readonly fullModes: boolean;
  readonly ignore: IgnoreMatcher;
  readonly signal: AbortSignal;
  /** Cache keys of the files seen, when a full scan prunes the cache afterwards. */
  readonly seen: Set<string> | undefined;
  readonly #hashCache: HashCache | undefined;
  readonly #logger: Pick<Logger, 'debug' | 'warn'> | undefined;
  readonly #limit: Limit;
  readonly #buffers = new ReadBufferPool();
  readonly #failed = new AbortController();

  constructor(root: string, options: ScanTreeOptions, trackSeen = false) {
    this.root = root;
    this.fullModes = options.fullModes ?? false;
    this.ignore = options.ignore ?? createIgnoreMatcher();
    this.#hashCache = options.hashCache;
    this.#logger = options.logger;
    this.signal =
      options.signal === undefined
        ? this.#failed.signal
        : AbortSignal.any([options.signal, this.#failed.signal]);
    this.seen = trackSeen ? new Set() : undefined;
    this.#limit = createLimit(options.concurrency ?? 32, this.signal);
  }

  /** Runs `work`; when it fails, operations still waiting for a slot are cancelled. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      this.#failed.abort(error);
      throw error;
    }
  }

  /** The file system path of tree path `path`. */
  absolute(path: string): string {
    return path === '' ? this.root : join(this.root, path);
  }

  /** The hash cache key of tree path `path` (the root as given, so one cache can serve several roots). */
  cacheKey(path: string): string {
    return `${this.root}/${path}`;
  }

  /**
   * Checks that the root is a directory (following a symlink: the root is the user's choice).
   *
   * @throws {@link TreeRootNotFoundError} when it is missing or not a directory
   */
  async assertRoot(): Promise<void> {
    let stats: Stats;
    try {
      stats = await stat(this.root);
    } catch (error) {
      if (isVanished(error)) throw new TreeRootNotFoundError(this.root, { cause: error });
      throw new TreeReadError(this.root, { cause: error });
    }
    if (!stats.isDirectory()) throw new TreeRootNotFoundError(this.root, { notDirectory: true });
  }

  /** Runs one file system call on `path` through the limit; `undefined` when the entry vanished. */
  async #call<T>(path: string, call: (absolute: string) => Promise<T>): Promise<T | undefined> {
    const absolute = this.absolute(path);
    try {
      return await this.#limit(() => call(absolute));
    } catch (error) {
      if (this.signal.aborted) throw this.signal.reason;
      if (isVanished(error)) return undefined;
      throw new TreeReadError(absolute, { cause: error });
    }
  }

  /** `lstat` of tree path `path`, or `undefined` when it vanished. */
  lstat(path: string): Promise<Stats | undefined> {
    return this.#call(path, lstatAsync);
  }

  /** The entries of directory `path`, or `undefined` when it vanished. */
  readDirents(path: string): Promise<Dirent[] | undefined> {
    return this.#call(path, readdirAsync);
  }

  /**
   * Scans directory `path` and everything below it into `nodes` (tree path → node).
   *
   * @param stats - its `lstat`, to check that it is still the same directory once scanned; `undefined` for
   *   the root
   * @returns its node, or `undefined` when it vanished or was replaced
   */
  async scanDirectory(
    path: string,
    nodes: Map<string, DirectoryNode>,
    stats?: Stats,
  ): Promise<DirectoryNode | undefined> {
    const entries = await this.#listDirectory(path, stats, nodes, (dirents) =>
      Promise.all(dirents.map((dirent) => this.scanDirent(path, dirent, nodes))),
    );
    if (entries === undefined) return undefined;
    const node = createDirectoryNode(path, entries);
    nodes.set(path, node);
    return node;
  }

  /**
   * Lists directory `path` again, keeping the entries of `previous` whose name and type are unchanged and
   * scanning the others (new subtrees into `nodes`).
   *
   * @param stats - as for {@link TreeWalker.scanDirectory}
   * @returns the entries, or `undefined` when the directory vanished or was replaced
   */
  relistDirectory(
    path: string,
    previous: DirectoryNode,
    nodes: Map<string, DirectoryNode>,
    stats?: Stats,
  ): Promise<TreeEntry[] | undefined> {
    return this.#listDirectory(path, stats, nodes, (dirents) =>
      Promise.all(
        dirents.map(async (dirent) => {
          const kept = previous.byName.get(dirent.name);
          return kept !== undefined && kept.type === direntType(dirent)
            ? kept
            : this.scanDirent(path, dirent, nodes);
        }),
      ),
    );
  }

  /**
   * Lists directory `path` and builds its entries, then checks that `path` is still the directory `stats`
   * describes (same device and inode); when not, it drops what was scanned below it into `nodes`.
   *
   * @privateRemarks
   * `readdir` and the calls on entries below `path` follow a symlink that replaced `path` (or an ancestor)
   * after it was `lstat`ed, which could read outside the root; the check afterwards catches such a swap,
   * unless it is undone before the check (Node has no `openat`-style walk to rule that out).
   */
  async #listDirectory(
    path: string,
    stats: Stats | undefined,
    nodes: Map<string, DirectoryNode>,
    build: (dirents: Dirent[]) => Promise<Array<TreeEntry | undefined>>,
  ): Promise<TreeEntry[] | undefined> {
    const dirents = await this.readDirents(path);
    if (dirents === undefined) return undefined;
    const entries = (await build(dirents)).filter((entry) => entry !== undefined);
    if (stats === undefined) return entries;
    const now = await this.lstat(path);
    if (now?.isDirectory() && now.dev === stats.dev && now.ino === stats.ino) return entries;
    for (const key of nodes.keys()) if (key.startsWith(`${path}/`)) nodes.delete(key);
    return undefined;
  }

  /** The entry for one listed name of directory `directory`, or `undefined` when it is left out. */
  async scanDirent(
    directory: string,
    dirent: Dirent,
    nodes: Map<string, DirectoryNode>,
  ): Promise<TreeEntry | undefined> {
    const path = joinTreePath(directory, dirent.name);
    if (!isValidEntryName(dirent.name)) {
      this.#logger?.warn(
        `Skipping ${JSON.stringify(path)}: its name is not valid UTF-8 or holds a backslash.`,
      );
      return undefined;
    }
    const type = direntType(dirent);
    if (type === undefined) {
      this.#logger?.debug(`Skipping ${JSON.stringify(path)}: not a file, directory or symlink.`);
      return undefined;
    }
    if (this.ignore(path, type === 'directory')) return undefined;
    const stats = await this.lstat(path);
    if (stats === undefined) return undefined;
    // Replaced by another kind of entry since it was listed: test the ignore rules again.
    if (stats.isDirectory() !== (type === 'directory') && this.ignore(path, stats.isDirectory())) {
      return undefined;
    }
    return this.entryFromStats(path, stats, nodes);
  }

  /**
   * The entry for tree path `path` given its `lstat`: a file hashed, a symlink read, a directory scanned
   * into `nodes`; `undefined` when it vanished or is not a file, directory or symlink.
   */
  async entryFromStats(
    path: string,
    stats: Stats,
    nodes: Map<string, DirectoryNode>,
  ): Promise<TreeEntry | undefined> {
    const { name } = splitTreePath(path);
    if (stats.isDirectory()) {
      const node = await this.scanDirectory(path, nodes, stats);
      if (node === undefined) return undefined;
      const mode = normalizeMode('directory', stats.mode, this.fullModes);
      return { name, type: 'directory', mode, size: 0, hash: node.hash };
    }
    if (stats.isSymbolicLink()) {
      const target = await this.#call(path, readlinkAsync);
      if (target === undefined) return undefined;
      const hash = hashSymlinkTarget(target);
      return { name, type: 'symlink', mode: 0o777, size: 0, hash, target };
    }
    if (stats.isFile()) return this.#fileEntry(path, name, stats);
    this.#logger?.debug(`Skipping ${JSON.stringify(path)}: not a file, directory or symlink.`);
    return undefined;
  }

  /** A file's entry, from the hash cache or by hashing it. */
  async #fileEntry(path: string, name: string, stats: Stats): Promise<TreeEntry | undefined> {
    const key = this.cacheKey(path);
    this.seen?.add(key);
    const cached = this.#hashCache?.get(key, stats);
    if (cached !== undefined) {
      const mode = normalizeMode('file', stats.mode, this.fullModes);
      return { name, type: 'file', mode, size: stats.size, hash: cached };
    }
    const startedMs = Date.now();
    const hashed = await this.#call(path, (absolute) =>
      hashFile(absolute, stats.size, this.#buffers, this.signal),
    );
    if (hashed === undefined) return undefined;
    // A file that shrank while being read is being written: hash it again next time.
    if (hashed.size === stats.size) this.#hashCache?.set(key, stats, hashed.hash, startedMs);
    else this.#hashCache?.delete(key);
    const mode = normalizeMode('file', stats.mode, this.fullModes);
    return { name, type: 'file', mode, size: hashed.size, hash: hashed.hash };
  }
}

/**
 * Scans the directory `root` into a {@link TreeSnapshot}.
 *
 * @remarks
 * Directories are listed and files hashed concurrently, at most `concurrency` file system calls at once.
 * Files are hashed with streaming SHA-256 (256 KiB reads, opened with `O_NOFOLLOW`), or taken from
 * `hashCache` when their (dev, inode, size, mtime, ctime) are unchanged. Symlinks are read with `readlink`
 * and never followed; the root itself may be a symlink. Sockets, FIFOs and devices are left out, as are
 * names that are not valid UTF-8 or hold a backslash (the wire protocol cannot carry them) and whatever
 * `ignore` matches (ignored directories are not entered). Entries that vanish during the scan are left
 * out, not errors. After the scan, `hashCache` forgets the files of this root that were not seen. The root's
 * own mode is not part of the tree.
 * Cost: one `readdir` per directory, one `lstat` per entry, and a read of every file not in the cache.
 *
 * @throws {@link TreeRootNotFoundError} when `root` is missing or not a directory
 * @throws {@link TreeReadError} when an entry cannot be read for another reason (e.g. EACCES)
 */
export async function scanTree(root: string, options: ScanTreeOptions = {}): Promise<TreeSnapshot> {
  const walker = new TreeWalker(root, options, options.hashCache !== undefined);
  return walker.run(async () => {
    await walker.assertRoot();
    const directories = new Map<string, DirectoryNode>();
    const node = await walker.scanDirectory('', directories);
    if (node === undefined) throw new TreeRootNotFoundError(root);
    if (walker.seen !== undefined) options.hashCache?.prune(walker.cacheKey(''), walker.seen);
    return { root, fullModes: walker.fullModes, rootHash: node.hash, directories };
  });
}
