import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ModuleReference } from '../types.js';

/** Bumped whenever the cache's shape or the meaning of its entries changes. */
const CACHE_FORMAT = 3;

/** What the cache remembers of one file, valid while its content hash is the same. */
export interface CachedFile {
  /** Git blob id of the file's content when it was parsed (see `gitBlobId`). */
  hash: string;
  /** The module references the parser found. */
  references: ModuleReference[];
  /** Why the file is unparsable, when it is. */
  unparsable?: string;
  /**
   * Where the references led (root-relative POSIX paths, each with whether only types were imported);
   * valid only while the cache's `resolutionKey` matches too.
   */
  edges?: Array<[to: string, typeOnly: boolean]>;
}

/**
 * The on-disk import graph cache (`<cacheDir>/import-graph.json`).
 *
 * @remarks
 * Keyed by content hashes and resolver settings, with root-relative paths only, so it can be restored from a
 * CI cache on another machine or in another directory. A cache whose `format` or `parserVersion` differs is
 * ignored as a whole.
 */
export interface GraphCacheData {
  format: number;
  /** Version of the parsers that produced the references. */
  parserVersion: string;
  /**
   * Resolver settings hash plus a hash of the file list: resolutions stay valid only while neither
   * changes (adding or removing a file can change where a specifier leads).
   */
  resolutionKey: string;
  /** Root-relative POSIX path → what is known of it. */
  files: Record<string, CachedFile>;
}

/** The cache file inside `cacheDir`. */
export function graphCachePath(root: string, cacheDir: string): string {
  return join(root, cacheDir, 'import-graph.json');
}

/**
 * Reads the cache; a missing, unreadable or outdated cache is `undefined` (a cold run), never an error.
 *
 * @param path - from {@link graphCachePath}
 * @param parserVersion - the running parsers' version
 */
export async function readGraphCache(
  path: string,
  parserVersion: string,
): Promise<GraphCacheData | undefined> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null) return undefined;
  const cache = data as Partial<GraphCacheData>;
  if (cache.format !== CACHE_FORMAT || cache.parserVersion !== parserVersion) return undefined;
  if (typeof cache.resolutionKey !== 'string' || typeof cache.files !== 'object') return undefined;
  return cache as GraphCacheData;
}

/**
 * Writes the cache atomically: a temporary file in the same directory, renamed over the old one, so a
 * concurrent reader or a crash never sees half a cache.
 *
 * @param path - from {@link graphCachePath}
 * @param data - the cache; `format` is filled in
 */
export async function writeGraphCache(
  path: string,
  data: Omit<GraphCacheData, 'format'>,
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${randomUUID()}.tmp`;
  await writeFile(temporary, JSON.stringify({ format: CACHE_FORMAT, ...data }));
  await rename(temporary, path);
}
