import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Bumped whenever the cache's shape or the meaning of its entries changes. */
export const CACHE_FORMAT = 4;

/**
 * The on-disk import graph (`<cacheDir>/import-graph.json`): what a warm run needs and nothing more, in a
 * shape that parses fast (a few long strings and two arrays of numbers, not an object per file).
 *
 * @remarks
 * The node table is the graph's `fileCount` files, sorted, then `extraPaths` (edge targets that are not
 * files); an id is an index into it. Per file, `hashWidth` characters of `hashes` hold the git blob id of
 * the source whose edges are recorded (`-` characters for a file that is not a source). `edgeCounts` /
 * `edges` hold, per node, that many packed edges (`target id × 2 + typeOnly`), in node order.
 *
 * Keyed by content hashes and resolver settings, with root-relative paths only, so it can be restored from
 * a CI cache on another machine or in another directory. A cache whose `format` or `parserVersion`
 * differs is ignored as a whole. The module references behind the edges live in the reference store
 * (`references.ndjson`, see `reference-store.ts`), read only when edges must be resolved again.
 */
export interface GraphCacheData {
  format: number;
  /** Version of the parsers that produced the references. */
  parserVersion: string;
  /**
   * Resolver settings hash plus a hash of the file list: edges stay valid only while neither changes
   * (adding or removing a file can change where a specifier leads).
   */
  resolutionKey: string;
  fileCount: number;
  /** The files, root-relative POSIX, joined by NUL (which no path contains). */
  files: string;
  extraPaths: string[];
  /** Characters per blob id (40 for SHA-1 repositories, 64 for SHA-256 ones). */
  hashWidth: number;
  hashes: string;
  edgeCounts: number[];
  edges: number[];
  unparsable: Array<[id: number, why: string]>;
}

/** Whether the cache recorded the source at node `id` with content `hash`. */
export function cachedHashIs(cache: GraphCacheData, id: number, hash: string): boolean {
  return hash.length === cache.hashWidth && cache.hashes.startsWith(hash, id * cache.hashWidth);
}

/** The content hash the cache recorded for node `id`, or `undefined` when it is not a source. */
export function cachedHash(cache: GraphCacheData, id: number): string | undefined {
  const hash = cache.hashes.slice(id * cache.hashWidth, (id + 1) * cache.hashWidth);
  return hash === '' || hash.startsWith('-') ? undefined : hash;
}

/** The cache's node table: its files, then its extra paths. */
export function cachedPaths(cache: GraphCacheData): string[] {
  return [...(cache.fileCount === 0 ? [] : cache.files.split('\0')), ...cache.extraPaths];
}

/** The graph cache file inside `cacheDir`. */
export function graphCachePath(root: string, cacheDir: string): string {
  return join(root, cacheDir, 'import-graph.json');
}

/**
 * Reads the cache; a missing, unreadable, outdated or inconsistent cache is `undefined` (a cold run),
 * never an error.
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
  const { fileCount, files, extraPaths, hashWidth, hashes, edgeCounts, edges, unparsable } = cache;
  if (
    typeof cache.resolutionKey !== 'string' ||
    !Number.isInteger(fileCount) ||
    typeof files !== 'string' ||
    !Array.isArray(extraPaths) ||
    !Number.isInteger(hashWidth) ||
    typeof hashes !== 'string' ||
    !Array.isArray(edgeCounts) ||
    !Array.isArray(edges) ||
    !Array.isArray(unparsable)
  ) {
    return undefined;
  }
  const nodeCount = (fileCount as number) + extraPaths.length;
  if (hashes.length !== (fileCount as number) * (hashWidth as number)) return undefined;
  if (edgeCounts.length !== nodeCount) return undefined;
  let total = 0;
  for (const count of edgeCounts) total += count;
  if (total !== edges.length) return undefined;
  for (const packed of edges) {
    if (!Number.isInteger(packed) || packed < 0 || packed >> 1 >= nodeCount) return undefined;
  }
  return cache as GraphCacheData;
}

/**
 * Writes a file atomically: a temporary file in the same directory, renamed over the old one, so a
 * concurrent reader or a crash never sees half a file.
 *
 * @throws the file system's errors (the caller decides whether a cache that cannot be written matters)
 */
export async function writeFileAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${randomUUID()}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}

/**
 * Writes the graph cache atomically.
 *
 * @param path - from {@link graphCachePath}
 * @param data - the cache; `format` is filled in
 */
export async function writeGraphCache(
  path: string,
  data: Omit<GraphCacheData, 'format'>,
): Promise<void> {
  await writeFileAtomically(path, JSON.stringify({ format: CACHE_FORMAT, ...data }));
}
