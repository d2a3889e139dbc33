import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HashCache } from '@velocity/livepatch-agent/tree';

/** Where the hash cache of the source `src` (absolute) is kept inside `cacheDir`. */
function cacheFile(cacheDir: string, src: string): string {
  return join(cacheDir, 'hashes', `${createHash('sha256').update(src).digest('hex')}.json`);
}

/**
 * The content hashes of `src`'s files from an earlier run (keyed by each file's device, inode, size and
 * times, so a changed file is hashed again); an empty cache when there is none or it is unreadable.
 */
export async function readHashCache(cacheDir: string, src: string): Promise<HashCache> {
  try {
    return HashCache.fromJSON(JSON.parse(await readFile(cacheFile(cacheDir, src), 'utf8')));
  } catch {
    return new HashCache();
  }
}

/**
 * Keeps the hash cache for the next run, atomically (temp file, rename).
 *
 * @throws the file system's errors
 */
export async function writeHashCache(
  cacheDir: string,
  src: string,
  cache: HashCache,
): Promise<void> {
  const path = cacheFile(cacheDir, src);
  await mkdir(join(cacheDir, 'hashes'), { recursive: true });
  const temporary = `${path}.${randomUUID()}.tmp`;
  await writeFile(temporary, JSON.stringify(cache.toJSON()));
  await rename(temporary, path);
}
