import { createHash } from 'node:crypto';

/**
 * The cache key of a file's content: SHA-256 of its bytes, hex. Content, never mtimes, so a cache restored on
 * another machine (a CI cache) stays valid exactly for the files that did not change.
 *
 * @param bytes - the file's content
 * @returns 64 hex characters
 */
export function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
