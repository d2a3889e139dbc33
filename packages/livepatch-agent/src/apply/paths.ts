/**
 * Path safety for the agent: which paths a batch may name, the agent's internal file names, and
 * resolution helpers that never follow a symbolic link below the root.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, lstat, mkdir, open } from './fs-sync.js';
import type { Stats } from 'node:fs';
import { posix } from 'node:path';
import { PathRefusedError, quote } from './errors.js';

/** Name of the commit journal, directly in the root. */
export const JOURNAL_NAME = '.livepatch-journal.json';

/** Bounds on a path received from the CLI. */
export interface PathLimits {
  /** Longest whole path, in UTF-8 bytes. @defaultValue `4096` (Linux `PATH_MAX`) */
  maxPathBytes: number;
  /** Longest component, in UTF-8 bytes. @defaultValue `255` (Linux `NAME_MAX`) */
  maxComponentBytes: number;
}

/** {@link PathLimits} used where none are given. */
export const DEFAULT_PATH_LIMITS: Readonly<PathLimits> = Object.freeze({
  maxPathBytes: 4096,
  maxComponentBytes: 255,
});

/**
 * Every name reserved for temp files and backups, `.<anything>.lp-<anything>.tmp|bak`: the same pattern the
 * tree module leaves out of the Merkle tree, so the CLI never sends a path it could not see.
 */
const RESERVED_NAME = /^\..*\.lp-.*\.(?:tmp|bak)$/s;

/** The temp names this module makes: `.<basename>.lp-<16 hex digits>.tmp`. */
const TEMP_NAME = /^\..*\.lp-[0-9a-f]{16}\.tmp$/s;

/** The backup names this module makes: `.<basename>.lp-<batch tag>-<operation>.bak`. */
const BACKUP_NAME = /^\..*\.lp-[A-Za-z0-9_-]{1,64}-[0-9]+\.bak$/s;

/** Batch ids used verbatim in backup names; any other id is replaced by a hash. */
const SAFE_TAG = /^[A-Za-z0-9_-]{1,64}$/;

/** Bytes of a temp name beyond its basename: `.` + `.lp-` + 16 hex digits + `.tmp`. */
const TEMP_OVERHEAD = 1 + 4 + 16 + 4;

/**
 * Whether `name` (one path component) is reserved by the agent: the journal, a temp file or a backup.
 *
 * @remarks The tree module leaves these names out of the Merkle tree, and {@link validatePath} refuses them,
 * so the CLI never sees nor sends them.
 */
export function isInternalName(name: string): boolean {
  return name === JOURNAL_NAME || RESERVED_NAME.test(name);
}

/** Whether `name` is a temp file name this module makes, `.<basename>.lp-<16 hex digits>.tmp`. */
export function isTempName(name: string): boolean {
  return TEMP_NAME.test(name);
}

/** Whether `name` is a backup name this module makes, `.<basename>.lp-<batch tag>-<operation>.bak`. */
export function isBackupName(name: string): boolean {
  return BACKUP_NAME.test(name);
}

/** UTF-8 length of `value`, in bytes. */
function byteLength(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

/**
 * Checks that `path` is a root-relative POSIX path the agent may write, and splits it.
 *
 * @param path - root-relative, `/`-separated
 * @param limits - bounds; {@link DEFAULT_PATH_LIMITS} where missing
 * @returns the path's components, in order
 * @throws {@link PathRefusedError} when `path` is empty, absolute, has a `.`, `..` or empty component, holds
 * a NUL byte or a backslash, is longer than `maxPathBytes` or has a component longer than
 * `maxComponentBytes`, or names an agent-internal file ({@link isInternalName})
 */
export function validatePath(path: string, limits: Partial<PathLimits> = {}): string[] {
  const { maxPathBytes, maxComponentBytes } = { ...DEFAULT_PATH_LIMITS, ...limits };
  if (path === '') throw new PathRefusedError(path, 'is empty');
  if (path.includes('\0')) throw new PathRefusedError(path, 'contains a NUL byte');
  if (path.includes('\\')) throw new PathRefusedError(path, 'contains a backslash');
  if (path.startsWith('/')) throw new PathRefusedError(path, 'is absolute');
  if (byteLength(path) > maxPathBytes) {
    throw new PathRefusedError(path, `is longer than ${maxPathBytes} bytes`);
  }
  const components = path.split('/');
  for (const component of components) {
    if (component === '') throw new PathRefusedError(path, 'has an empty component');
    if (component === '.' || component === '..') {
      throw new PathRefusedError(path, `has a ${quote(component)} component`);
    }
    if (byteLength(component) > maxComponentBytes) {
      throw new PathRefusedError(path, `has a component longer than ${maxComponentBytes} bytes`);
    }
    if (isInternalName(component)) {
      throw new PathRefusedError(path, `names ${quote(component)}, which is reserved by the agent`);
    }
  }
  return components;
}

/** The longest prefix of `value` that fits in `maxBytes` UTF-8 bytes without splitting a character. */
function truncateUtf8(value: string, maxBytes: number): string {
  if (byteLength(value) <= maxBytes) return value;
  let result = '';
  let used = 0;
  for (const character of value) {
    const size = byteLength(character);
    if (used + size > maxBytes) break;
    result += character;
    used += size;
  }
  return result;
}

/**
 * The name of a temp file for `basename`: `.<basename>.lp-<random>.tmp`, in the same directory.
 *
 * @param basename - the target's last component
 * @param random - 16 hex digits
 * @remarks The basename is shortened (it is only a hint for people) so the name fits in 255 bytes.
 */
export function tempName(basename: string, random: string): string {
  return `.${truncateUtf8(basename, 255 - TEMP_OVERHEAD)}.lp-${random}.tmp`;
}

/**
 * The name of a backup of `basename`: `.<basename>.lp-<tag>-<operation>.bak`, in the same directory.
 *
 * @param basename - the target's last component
 * @param tag - the batch's {@link batchTag}
 * @param operation - index of the operation in its batch, so two operations on one path do not collide
 */
export function backupName(basename: string, tag: string, operation: number): string {
  const suffix = `.lp-${tag}-${operation}.bak`;
  return `.${truncateUtf8(basename, 255 - 1 - byteLength(suffix))}${suffix}`;
}

/**
 * The batch id as used in backup names: itself when it is 1 to 64 of `[A-Za-z0-9_-]`, otherwise the first
 * 16 hex digits of its SHA-256.
 */
export function batchTag(batchId: string): string {
  return SAFE_TAG.test(batchId)
    ? batchId
    : createHash('sha256').update(batchId).digest('hex').slice(0, 16);
}

/** Absolute path of root-relative `path` (`''` is the root itself). */
export function resolveInRoot(root: string, path: string): string {
  return path === '' ? root : `${root}/${path}`;
}

/** The parent directories of root-relative `path`, outermost first, excluding the root: `a/b/c` → `a`, `a/b`. */
export function parentsOf(path: string): string[] {
  const parents: string[] = [];
  let index = path.indexOf('/');
  while (index !== -1) {
    parents.push(path.slice(0, index));
    index = path.indexOf('/', index + 1);
  }
  return parents;
}

/** Root-relative directory of `path`, `''` for a top-level entry. */
export function dirnameOf(path: string): string {
  const dir = posix.dirname(path);
  return dir === '.' ? '' : dir;
}

/** Whether an error is a Node.js system error with one of `codes`. */
export function isErrno(error: unknown, ...codes: string[]): error is NodeJS.ErrnoException {
  return (
    error instanceof Error &&
    typeof (error as NodeJS.ErrnoException).code === 'string' &&
    codes.includes((error as NodeJS.ErrnoException).code ?? '')
  );
}

/** `lstat` of an absolute path, or `undefined` when it does not exist. Never follows a final symlink. */
export async function lstatOrUndefined(absolute: string): Promise<Stats | undefined> {
  try {
    return await lstat(absolute);
  } catch (error) {
    if (isErrno(error, 'ENOENT', 'ENOTDIR')) return undefined;
    throw error;
  }
}

/** Result of {@link checkParents}. */
export interface ParentsCheck {
  /** Root-relative path of the deepest parent checked to be a real directory (`''`: the root). */
  deepest: string;
  /** Whether every parent exists as a real directory. */
  complete: boolean;
  /** The first parent that does not exist, when one does not and the walk was not stopped before it. */
  missing?: string;
}

/**
 * Checks the parent directories of `path`, outermost first, with `lstat`: each must be a real directory.
 *
 * @param root - absolute, real path of the root
 * @param path - a validated root-relative path
 * @param stop - the walk stops before a parent for which this returns true (the batch changes it earlier)
 * @throws {@link PathRefusedError} when a parent is a symbolic link or not a directory
 */
export async function checkParents(
  root: string,
  path: string,
  stop: (dir: string) => boolean = () => false,
): Promise<ParentsCheck> {
  let deepest = '';
  for (const dir of parentsOf(path)) {
    if (stop(dir)) return { deepest, complete: false };
    const stats = await lstatOrUndefined(resolveInRoot(root, dir));
    if (stats === undefined) return { deepest, complete: false, missing: dir };
    assertRealDirectory(path, dir, stats);
    deepest = dir;
  }
  return { deepest, complete: true };
}

/** Throws when `stats` (of `dir`, a parent of `path`) is not a real directory. */
function assertRealDirectory(path: string, dir: string, stats: Stats): void {
  if (stats.isSymbolicLink()) {
    throw new PathRefusedError(path, `parent ${quote(dir)} is a symbolic link`);
  }
  if (!stats.isDirectory()) {
    throw new PathRefusedError(path, `parent ${quote(dir)} is not a directory`);
  }
}

/**
 * Makes sure every parent directory of `path` exists as a real directory, creating missing ones one by
 * one, outermost first.
 *
 * @param root - absolute, real path of the root
 * @param path - a validated root-relative path
 * @param create - creates one missing directory (root-relative); by default `mkdir` with mode 0o755, which
 * fails rather than follow a link that appeared meanwhile
 * @throws {@link PathRefusedError} when a parent is a symbolic link or not a directory
 */
export async function ensureParents(
  root: string,
  path: string,
  create: (dir: string) => Promise<void> = (dir) => mkdir(resolveInRoot(root, dir), 0o755),
): Promise<void> {
  for (const dir of parentsOf(path)) {
    const stats = await lstatOrUndefined(resolveInRoot(root, dir));
    if (stats === undefined) await create(dir);
    else assertRealDirectory(path, dir, stats);
  }
}

/**
 * Sets the permission bits of an entry without following a symbolic link: `open(O_NOFOLLOW)` + `fchmod`.
 *
 * @param absolute - the entry's absolute path
 * @param mode - permission bits
 * @param path - the root-relative path, for errors
 * @throws {@link PathRefusedError} when the entry is a symbolic link
 * @privateRemarks Linux has no `lchmod`; entries that cannot be opened (sockets, unreadable files for a
 * non-root agent) fall back to `lstat` + `chmod`, which leaves a tiny window if the app swaps in a link.
 */
export async function chmodNoFollow(absolute: string, mode: number, path: string): Promise<void> {
  let handle;
  try {
    handle = await open(
      absolute,
      constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY,
    );
  } catch (error) {
    if (isErrno(error, 'ELOOP')) throw new PathRefusedError(path, 'is a symbolic link');
    if (!isErrno(error, 'EACCES', 'ENXIO', 'EPERM')) throw error;
    const stats = await lstat(absolute);
    if (stats.isSymbolicLink()) throw new PathRefusedError(path, 'is a symbolic link');
    await chmod(absolute, mode);
    return;
  }
  try {
    await handle.chmod(mode);
  } finally {
    await handle.close();
  }
}
