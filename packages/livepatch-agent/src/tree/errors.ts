/**
 * Error classes the tree module throws on purpose: a missing root, an unreadable entry, a malformed path, and
 * a malformed listing from the other side.
 *
 * Every class extends core's {@link VelocityError} with a stable `code` (`LIVEPATCH_TREE_…`) and a message of
 * one sentence followed by a remedy, the offending value in double quotes.
 *
 * @module
 */
import { VelocityError } from '@velocity/core';
import type { VelocityErrorOptions } from '@velocity/core';

/** Quotes a path for a message: double quotes, with control characters escaped. */
function quote(value: string): string {
  return JSON.stringify(value);
}

/** Options of {@link TreeRootNotFoundError}. */
export interface TreeRootNotFoundErrorOptions extends VelocityErrorOptions {
  /** The root exists but is not a directory. @defaultValue `false` */
  notDirectory?: boolean;
}

/**
 * The directory to scan does not exist or is not a directory.
 *
 * @remarks Code `LIVEPATCH_TREE_ROOT_NOT_FOUND`; exit code 1.
 */
export class TreeRootNotFoundError extends VelocityError {
  /** The root as given. */
  readonly root: string;
  /** Whether the root exists but is something other than a directory. */
  readonly notDirectory: boolean;

  /**
   * @param root - the root as given
   * @param options - see {@link TreeRootNotFoundErrorOptions}
   */
  constructor(root: string, options: TreeRootNotFoundErrorOptions = {}) {
    const { notDirectory = false, ...rest } = options;
    super(
      'LIVEPATCH_TREE_ROOT_NOT_FOUND',
      notDirectory
        ? `Tree root ${quote(root)} is not a directory. Pass a directory to mirror.`
        : `Tree root ${quote(root)} does not exist. Create it or pass an existing directory.`,
      rest,
    );
    this.root = root;
    this.notDirectory = notDirectory;
  }
}

/**
 * An entry of the tree could not be read for a reason other than having vanished (permission denied, I/O
 * error).
 *
 * @remarks
 * Code `LIVEPATCH_TREE_READ_FAILED`; exit code 1. Entries that vanish while being scanned are skipped instead:
 * the next scan or watch event accounts for them. The `cause` is the `node:fs` error.
 */
export class TreeReadError extends VelocityError {
  /** The file system path that failed. */
  readonly path: string;

  /**
   * @param path - the file system path that failed
   * @param options - `cause`: the `node:fs` error
   */
  constructor(path: string, options: VelocityErrorOptions = {}) {
    const code = (options.cause as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error';
    super(
      'LIVEPATCH_TREE_READ_FAILED',
      `Cannot read ${quote(path)} (${code}). Fix its permissions or add it to .livepatchignore.`,
      options,
    );
    this.path = path;
  }
}

/**
 * A tree path is not root-relative POSIX: empty components, `.`, `..`, a leading or trailing `/`, NUL or
 * backslashes.
 *
 * @remarks Code `LIVEPATCH_TREE_INVALID_PATH`; exit code 1. A gRPC handler maps it to INVALID_ARGUMENT.
 */
export class InvalidTreePathError extends VelocityError {
  /** The offending path. */
  readonly path: string;

  /** @param path - the offending path */
  constructor(path: string, options: VelocityErrorOptions = {}) {
    super(
      'LIVEPATCH_TREE_INVALID_PATH',
      `Tree path ${quote(path)} is not a root-relative POSIX path. Use "/"-separated names without "", ".", "..", NUL or backslashes, and "" for the root.`,
      options,
    );
    this.path = path;
  }
}

/**
 * A directory listing received from the other side is malformed: an invalid entry name, a duplicate, an
 * unknown entry type, a hash that is not 32 bytes, or a queried directory left unanswered.
 *
 * @remarks Code `LIVEPATCH_TREE_INVALID_LISTING`; exit code 1. Usually a version mismatch.
 */
export class InvalidTreeListingError extends VelocityError {
  /** The directory the listing is for ("" for the root). */
  readonly path: string;

  /**
   * @param path - the directory the listing is for
   * @param problem - what is wrong, e.g. `entry "x" has an unknown type "ENTRY_TYPE_UNSPECIFIED"`
   */
  constructor(path: string, problem: string, options: VelocityErrorOptions = {}) {
    super(
      'LIVEPATCH_TREE_INVALID_LISTING',
      `The listing of ${quote(path)} is invalid: ${problem}. Run the same LivePatch version on both sides.`,
      options,
    );
    this.path = path;
  }
}
