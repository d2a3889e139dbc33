/**
 * Classifying `node:fs` errors met while scanning a tree that changes underneath.
 *
 * @module
 */

/** The `code` of a `node:fs` error, if any. */
export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String(error.code)
    : undefined;
}

/**
 * Whether a `node:fs` error means the entry vanished or changed kind since it was listed: gone (`ENOENT`),
 * a directory on its path replaced by a file (`ENOTDIR`), a file replaced by a symlink before an
 * `O_NOFOLLOW` open (`ELOOP`), by a socket (`ENXIO`) or by a FIFO without data (`EAGAIN`).
 */
export function isVanished(error: unknown): boolean {
  const code = errorCode(error);
  return (
    code === 'ENOENT' ||
    code === 'ENOTDIR' ||
    code === 'ELOOP' ||
    code === 'ENXIO' ||
    code === 'EAGAIN'
  );
}
