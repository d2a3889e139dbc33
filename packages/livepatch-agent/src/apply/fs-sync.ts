/**
 * The `node:fs/promises` calls the apply module makes, performed synchronously behind the same signatures.
 *
 * @remarks
 * A batch is a long chain of small dependent file system calls (about fifteen per written file: parents
 * checked with `lstat`, temp file opened, written, `fchmod`ed, closed; then journal appends, backups and
 * renames at commit). Through libuv's thread pool every call costs a round trip of tens of microseconds
 * on top of the system call itself, and the chain never overlaps; run synchronously each costs only its
 * system call. Measured on a 2,003-file, 180 MiB batch staged and committed from memory (2 cores,
 * ext4, clean page cache): staging 1.71 s → 0.45-0.7 s, commit 1.27 s → 0.16-0.2 s. The agent serves
 * one batch at a time; the event loop is blocked for the duration of one call (writing a 100 MiB file into
 * the page cache takes about 60 ms), which delays log streaming by no more than that.
 *
 * Errors are the same `node:fs` errors, delivered as rejections, as the promise API does.
 *
 * @module
 */
import {
  chmodSync,
  closeSync,
  fchmodSync,
  fdatasyncSync,
  fstatSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmdirSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
  writeSync,
  type RmOptions,
  type Stats,
  type WriteFileOptions,
} from 'node:fs';
import { settle } from '../settle.js';

/** An open file, with the subset of `FileHandle` the apply module uses. */
export class SyncFileHandle {
  /** The file descriptor. */
  readonly fd: number;

  constructor(fd: number) {
    this.fd = fd;
  }

  /** Writes `length` bytes of `data` (text as UTF-8) from `offset` at the current position. */
  write(data: Uint8Array | string, offset = 0, length?: number): Promise<{ bytesWritten: number }> {
    const buffer = typeof data === 'string' ? Buffer.from(data) : data;
    return settle(() => ({
      bytesWritten: writeSync(this.fd, buffer, offset, length ?? buffer.byteLength - offset),
    }));
  }

  /** `fchmod`. */
  chmod(mode: number): Promise<void> {
    return settle(() => fchmodSync(this.fd, mode));
  }

  /** `fstat`. */
  stat(): Promise<Stats> {
    return settle(() => fstatSync(this.fd));
  }

  /** Reads the whole file from the current position. */
  readFile(): Promise<Buffer> {
    return settle(() => readFileSync(this.fd));
  }

  /** `fsync`. */
  sync(): Promise<void> {
    return settle(() => fsyncSync(this.fd));
  }

  /** `fdatasync`. */
  datasync(): Promise<void> {
    return settle(() => fdatasyncSync(this.fd));
  }

  /** `close`. */
  close(): Promise<void> {
    return settle(() => closeSync(this.fd));
  }
}

/** `open(2)` with numeric `flags`. */
export function open(path: string, flags: number, mode?: number): Promise<SyncFileHandle> {
  return settle(() => new SyncFileHandle(openSync(path, flags, mode)));
}

/** `lstat(2)`. */
export function lstat(path: string): Promise<Stats> {
  return settle(() => lstatSync(path));
}

/** `realpath(3)`. */
export function realpath(path: string): Promise<string> {
  return settle(() => realpathSync(path));
}

/** `mkdir(2)` (not recursive). */
export function mkdir(path: string, mode: number): Promise<void> {
  return settle(() => mkdirSync(path, mode));
}

/** `rename(2)`. */
export function rename(from: string, to: string): Promise<void> {
  return settle(() => renameSync(from, to));
}

/** `link(2)`. */
export function link(existing: string, path: string): Promise<void> {
  return settle(() => linkSync(existing, path));
}

/** `symlink(2)`. */
export function symlink(target: string, path: string): Promise<void> {
  return settle(() => symlinkSync(target, path));
}

/** `unlink(2)`. */
export function unlink(path: string): Promise<void> {
  return settle(() => unlinkSync(path));
}

/** `rmdir(2)`. */
export function rmdir(path: string): Promise<void> {
  return settle(() => rmdirSync(path));
}

/** `rm -r`-like removal, as `fs.rm`. */
export function rm(path: string, options: RmOptions): Promise<void> {
  return settle(() => rmSync(path, options));
}

/** `chmod(2)` (follows links; callers check with `lstat` first). */
export function chmod(path: string, mode: number): Promise<void> {
  return settle(() => chmodSync(path, mode));
}

/** Writes a whole file. */
export function writeFile(
  path: string,
  data: string | Uint8Array,
  options: WriteFileOptions,
): Promise<void> {
  return settle(() => writeFileSync(path, data, options));
}
