import { createHash } from 'node:crypto';

/**
 * The cache key of a file's content: its git blob id, SHA-1 of `blob <size>\0` followed by the bytes, hex.
 * Content, never mtimes, so a cache restored on another machine (a CI cache) stays valid exactly for the
 * files that did not change; and for clean tracked files git already knows it (see `readWorkTree`).
 *
 * @see {@link https://git-scm.com/book/en/v2/Git-Internals-Git-Objects}
 * @param bytes - the file's content
 * @returns 40 hex characters, what `git hash-object` prints
 */
export function gitBlobId(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}
