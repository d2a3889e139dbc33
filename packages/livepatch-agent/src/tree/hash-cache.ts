/**
 * An in-memory cache of file content hashes across rescans of a tree.
 *
 * @module
 */

/** The parts of `fs.Stats` that identify one version of a file. */
export interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
  /** Bytes. */
  readonly size: number;
  /** Last content change, ms since the epoch (fractional: sub-millisecond precision). */
  readonly mtimeMs: number;
  /** Last content or metadata change, ms since the epoch (fractional). */
  readonly ctimeMs: number;
}

/** Options of {@link HashCache}. */
export interface HashCacheOptions {
  /**
   * How recent, in milliseconds before hashing started, a file's mtime or ctime may be for its hash to be
   * cached. A file changed within this window could change again without its timestamps moving (timestamps
   * are coarse: a kernel tick on ext4, 1 s on HFS+ and ext3, 2 s on FAT), so it is hashed again next time.
   *
   * @defaultValue 2000
   */
  racyWindowMs?: number;
}

/** A cached hash and the file version it belongs to. */
interface CachedHash extends FileIdentity {
  readonly hash: Buffer;
}

/**
 * Content hashes keyed by file system path and file version (dev, inode, size, mtime, ctime), so that a
 * rescan re-hashes only files that changed. The CLI keeps one per session; the agent one per root.
 *
 * @remarks
 * Git's "racy clean" problem: a file written twice within one timestamp tick, same size, looks unchanged. So
 * {@link HashCache.set} refuses hashes of files whose mtime or ctime falls within `racyWindowMs` of the moment
 * hashing started; they are hashed again on the next scan, by when their timestamps are old enough.
 * Memory: one entry per file, pruned by full scans ({@link HashCache.prune}).
 *
 * @see {@link https://git-scm.com/docs/racy-git | racy-git}
 */
export class HashCache {
  /** See {@link HashCacheOptions.racyWindowMs}. */
  readonly racyWindowMs: number;
  readonly #entries = new Map<string, CachedHash>();

  constructor(options: HashCacheOptions = {}) {
    this.racyWindowMs = options.racyWindowMs ?? 2000;
  }

  /** Number of cached hashes. */
  get size(): number {
    return this.#entries.size;
  }

  /** The hash of the file at `path` if it was cached for exactly this version of it. */
  get(path: string, stats: FileIdentity): Buffer | undefined {
    const cached = this.#entries.get(path);
    if (cached === undefined) return undefined;
    return cached.dev === stats.dev &&
      cached.ino === stats.ino &&
      cached.size === stats.size &&
      cached.mtimeMs === stats.mtimeMs &&
      cached.ctimeMs === stats.ctimeMs
      ? cached.hash
      : undefined;
  }

  /**
   * Caches `hash` as the content hash of the file at `path`, version `stats` (taken before reading it).
   *
   * @param hashStartedMs - when reading the file started, ms since the epoch (`Date.now()`)
   * @returns whether the hash was cached: `false` when the file changed too recently (see
   *   {@link HashCacheOptions.racyWindowMs}), and the entry for `path` is then dropped
   */
  set(path: string, stats: FileIdentity, hash: Buffer, hashStartedMs: number): boolean {
    if (Math.max(stats.mtimeMs, stats.ctimeMs) >= hashStartedMs - this.racyWindowMs) {
      this.#entries.delete(path);
      return false;
    }
    const { dev, ino, size, mtimeMs, ctimeMs } = stats;
    this.#entries.set(path, { dev, ino, size, mtimeMs, ctimeMs, hash });
    return true;
  }

  /** Forgets the hash of `path`; returns whether there was one. */
  delete(path: string): boolean {
    return this.#entries.delete(path);
  }

  /** Forgets every hash. */
  clear(): void {
    this.#entries.clear();
  }

  /**
   * Forgets the hashes of paths starting with `prefix` that are not in `keep`: after a full scan of a root,
   * those of files that are gone or now ignored.
   */
  prune(prefix: string, keep: ReadonlySet<string>): void {
    for (const path of this.#entries.keys()) {
      if (path.startsWith(prefix) && !keep.has(path)) this.#entries.delete(path);
    }
  }

  /**
   * The cached hashes as plain JSON data (`[path, dev, ino, size, mtimeMs, ctimeMs, hash hex]` rows), to
   * keep them across runs (see {@link HashCache.fromJSON}).
   */
  toJSON(): Array<[string, number, number, number, number, number, string]> {
    return [...this.#entries].map(([path, entry]) => [
      path,
      entry.dev,
      entry.ino,
      entry.size,
      entry.mtimeMs,
      entry.ctimeMs,
      entry.hash.toString('hex'),
    ]);
  }

  /**
   * A cache holding the rows of {@link HashCache.toJSON}; rows of any other shape are skipped, so a damaged
   * file only costs hashing again. An entry is used only while the file's identity is unchanged.
   */
  static fromJSON(rows: unknown, options: HashCacheOptions = {}): HashCache {
    const cache = new HashCache(options);
    if (!Array.isArray(rows)) return cache;
    for (const row of rows) {
      if (!Array.isArray(row) || row.length !== 7 || typeof row[0] !== 'string') continue;
      const [path, dev, ino, size, mtimeMs, ctimeMs, hash] = row as unknown[];
      if (![dev, ino, size, mtimeMs, ctimeMs].every((value) => typeof value === 'number')) continue;
      if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) continue;
      cache.#entries.set(path as string, {
        dev: dev as number,
        ino: ino as number,
        size: size as number,
        mtimeMs: mtimeMs as number,
        ctimeMs: ctimeMs as number,
        hash: Buffer.from(hash, 'hex'),
      });
    }
    return cache;
  }
}
