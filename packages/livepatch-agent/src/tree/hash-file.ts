/**
 * Streaming SHA-256 of one regular file, without following symlinks.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { closeAsync, fstatAsync, openAsync, readAsync } from './fs-async.js';

/**
 * Bytes read at once: a 100 MiB file takes 400 reads, within 5% of the time 1 MiB reads take, and a scan
 * holds at most one such buffer per operation in flight.
 */
export const HASH_READ_BYTES = 256 * 1024;

/**
 * `O_NOFOLLOW`: a file replaced by a symlink since it was listed fails with ELOOP instead of being followed.
 * `O_NONBLOCK`: one replaced by a FIFO does not block the open (it has no effect on regular files).
 */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** What {@link hashFile} read. */
export interface FileHash {
  /** SHA-256 of the content read. */
  hash: Buffer;
  /** Bytes read (the size the hash is for, even if the file changed while being read). */
  size: number;
  /** `fstat` of the opened file, taken before reading: the version to cache the hash for. */
  stats: Stats;
}

/**
 * Reusable read buffers, one per hashing in flight (at most the scan's concurrency).
 *
 * @privateRemarks Reusing them avoids allocating a large buffer per small file.
 */
export class ReadBufferPool {
  readonly #free: Buffer[] = [];

  /** A buffer of {@link HASH_READ_BYTES}; give it back with {@link ReadBufferPool.release}. */
  acquire(): Buffer {
    return this.#free.pop() ?? Buffer.allocUnsafe(HASH_READ_BYTES);
  }

  /** Returns a buffer from {@link ReadBufferPool.acquire}. */
  release(buffer: Buffer): void {
    this.#free.push(buffer);
  }
}

/**
 * Hashes the regular file at `path`, reading it to its end.
 *
 * @remarks
 * A short read that reaches the size `fstat` gave is taken as the end, which saves a read per small file;
 * a file that grew meanwhile has a newer mtime, so the next scan hashes it again.
 *
 * @returns the hash, or `undefined` when `path` is no longer a regular file
 * @throws the `node:fs` error when it cannot be opened or read (ENOENT and ELOOP when it vanished or became a
 *   symlink); the signal's reason when aborted between reads
 */
export async function hashFile(
  path: string,
  buffers: ReadBufferPool,
  signal?: AbortSignal,
): Promise<FileHash | undefined> {
  const fd = await openAsync(path, OPEN_FLAGS);
  const buffer = buffers.acquire();
  try {
    const stats = await fstatAsync(fd);
    if (!stats.isFile()) return undefined;
    const hash = createHash('sha256');
    let size = 0;
    for (;;) {
      signal?.throwIfAborted();
      const bytesRead = await readAsync(fd, buffer);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      size += bytesRead;
      if (bytesRead < buffer.length && size >= stats.size) break;
    }
    return { hash: hash.digest(), size, stats };
  } finally {
    buffers.release(buffer);
    await closeAsync(fd);
  }
}
