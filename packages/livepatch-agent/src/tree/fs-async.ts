/**
 * Promise wrappers over the callback API of `node:fs`, for the calls a scan makes by the thousand.
 *
 * @remarks
 * On Node 20, `node:fs/promises` costs about twice the CPU per call (measured on 2,000 files: `lstat` 15 ms
 * vs 5 ms; open, read and close 115 ms vs 60 ms), mostly in `FileHandle` bookkeeping and promise plumbing.
 * Each call is a round trip through libuv's thread pool, so a scan also makes as few as it can.
 *
 * @module
 */
import { close, lstat, open, read, readdir, readlink } from 'node:fs';
import type { Dirent, Stats } from 'node:fs';

/** Settles a promise from a Node callback. */
function settle<T>(resolve: (value: T) => void, reject: (error: Error) => void) {
  return (error: Error | null, value: T) => (error === null ? resolve(value) : reject(error));
}

/** `lstat`: never follows a symlink. */
export function lstatAsync(path: string): Promise<Stats> {
  return new Promise((resolve, reject) => lstat(path, settle(resolve, reject)));
}

/** `readdir` with file types. */
export function readdirAsync(path: string): Promise<Dirent[]> {
  return new Promise((resolve, reject) =>
    readdir(path, { withFileTypes: true }, settle(resolve, reject)),
  );
}

/** `readlink`: the target as stored, decoded as UTF-8. */
export function readlinkAsync(path: string): Promise<string> {
  return new Promise((resolve, reject) => readlink(path, settle(resolve, reject)));
}

/** `open` with numeric `flags`, read-only. */
export function openAsync(path: string, flags: number): Promise<number> {
  return new Promise((resolve, reject) => open(path, flags, settle(resolve, reject)));
}

/** Reads up to `buffer.length` bytes at the current position; resolves with the count (0 at the end). */
export function readAsync(fd: number, buffer: Buffer): Promise<number> {
  return new Promise((resolve, reject) =>
    read(fd, buffer, 0, buffer.length, null, settle(resolve, reject)),
  );
}

/** Closes `fd`. */
export function closeAsync(fd: number): Promise<void> {
  return new Promise((resolve, reject) =>
    close(fd, (error) => (error === null ? resolve() : reject(error))),
  );
}
