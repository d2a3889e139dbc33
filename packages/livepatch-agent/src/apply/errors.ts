/**
 * Error classes the apply module throws on purpose.
 *
 * Every class extends core's {@link VelocityError} with a stable `code` (`LIVEPATCH_…`) and a message of
 * one sentence followed by a remedy, the offending value in double quotes. The gRPC layer maps them to
 * status codes: {@link PathRefusedError}, {@link ContentMismatchError} and {@link SizeLimitError} to
 * INVALID_ARGUMENT (naming `path` and `reason`), {@link BasisUnavailableError} to FAILED_PRECONDITION.
 *
 * @module
 */
import { VelocityError } from '@velocity/core';
import type { VelocityErrorOptions } from '@velocity/core';

/** `value` in double quotes, with NUL and other control characters escaped (JSON string syntax). */
export function quote(value: string): string {
  return JSON.stringify(value);
}

/**
 * A path the agent will not touch: unsafe syntax, a reserved name, a parent that is a symbolic link or not
 * a directory, a symlink target escaping the root, or an entry of the wrong type.
 *
 * @remarks Code `LIVEPATCH_PATH_REFUSED`. Nothing was changed when this is thrown from a batch.
 */
export class PathRefusedError extends VelocityError {
  /** The path as received (root-relative POSIX). */
  readonly path: string;
  /** Why, as a phrase: `has a ".." component`, `parent "a" is a symbolic link`. */
  readonly reason: string;

  /**
   * @param path - the path as received
   * @param reason - why, as a phrase without a final period
   * @param options - the cause, if any
   */
  constructor(path: string, reason: string, options: VelocityErrorOptions = {}) {
    super(
      'LIVEPATCH_PATH_REFUSED',
      `Path ${quote(path)} refused: ${reason}. Send root-relative POSIX paths that stay inside the agent's root and do not go through symbolic links.`,
      options,
    );
    this.path = path;
    this.reason = reason;
  }
}

/**
 * A file's received content does not match its declared size or SHA-256 hash.
 *
 * @remarks Code `LIVEPATCH_CONTENT_MISMATCH`. The temp file is deleted; the target is untouched.
 */
export class ContentMismatchError extends VelocityError {
  /** The file's path. */
  readonly path: string;
  /** What differs, e.g. `hash is 3f…, expected 9a…`. */
  readonly reason: string;

  /**
   * @param path - the file's path
   * @param reason - what differs, as a phrase
   */
  constructor(path: string, reason: string) {
    super(
      'LIVEPATCH_CONTENT_MISMATCH',
      `Content of ${quote(path)} does not match: ${reason}. Resend the file whole (its basis may have changed).`,
    );
    this.path = path;
    this.reason = reason;
  }
}

/**
 * A file, a batch or an operation count goes over one of the agent's limits.
 *
 * @remarks Code `LIVEPATCH_SIZE_LIMIT`.
 */
export class SizeLimitError extends VelocityError {
  /** The path of the operation that went over, or `''` for the batch as a whole. */
  readonly path: string;
  /** What went over, e.g. `file is larger than 268435456 bytes`. */
  readonly reason: string;
  /** The limit that was exceeded (bytes, or operations). */
  readonly limit: number;

  /**
   * @param path - the operation's path, `''` for the batch
   * @param reason - what went over, as a phrase
   * @param limit - the limit
   */
  constructor(path: string, reason: string, limit: number) {
    super(
      'LIVEPATCH_SIZE_LIMIT',
      `${path === '' ? 'Batch' : `Path ${quote(path)}`} refused: ${reason}. Split the batch, or raise the agent's limit.`,
    );
    this.path = path;
    this.reason = reason;
    this.limit = limit;
  }
}

/**
 * The basis a delta applies to cannot be read: missing, or not a regular file.
 *
 * @remarks Code `LIVEPATCH_BASIS_UNAVAILABLE`; the gRPC layer answers FAILED_PRECONDITION.
 */
export class BasisUnavailableError extends VelocityError {
  /** The basis's path. */
  readonly path: string;
  /** Why, e.g. `does not exist`. */
  readonly reason: string;

  /**
   * @param path - the basis's path
   * @param reason - why, as a phrase
   * @param options - the cause, if any
   */
  constructor(path: string, reason: string, options: VelocityErrorOptions = {}) {
    super(
      'LIVEPATCH_BASIS_UNAVAILABLE',
      `Basis ${quote(path)} unavailable: ${reason}. Send the file whole.`,
      options,
    );
    this.path = path;
    this.reason = reason;
  }
}

/**
 * A batch was used out of order: staged after commit or abort, committed twice, undone after release, or
 * committed while another batch's journal is in the root.
 *
 * @remarks Code `LIVEPATCH_BATCH_STATE`. A bug in the caller, or a second agent on the same root.
 */
export class BatchStateError extends VelocityError {
  /** The batch's id. */
  readonly batchId: string;

  /**
   * @param batchId - the batch's id
   * @param message - one sentence and a remedy
   */
  constructor(batchId: string, message: string) {
    super('LIVEPATCH_BATCH_STATE', message);
    this.batchId = batchId;
  }
}

/** One step a rollback could not undo. */
export interface RollbackFailure {
  /** Root-relative path of the entry. */
  path: string;
  /** The error's message. */
  message: string;
}

/**
 * Rolling a batch back (after a failed commit, on undo, or at recovery) left some entries unrestored.
 *
 * @remarks
 * Code `LIVEPATCH_ROLLBACK_FAILED`. `cause` is the error that made the commit fail, if any. Every other
 * step was still undone.
 */
export class RollbackFailedError extends VelocityError {
  /** The batch's id. */
  readonly batchId: string;
  /** The steps that failed, in the order they were tried. */
  readonly failures: readonly RollbackFailure[];

  /**
   * @param batchId - the batch's id
   * @param failures - the steps that failed
   * @param options - the commit's error, if any
   */
  constructor(
    batchId: string,
    failures: readonly RollbackFailure[],
    options: VelocityErrorOptions = {},
  ) {
    const first = failures[0];
    super(
      'LIVEPATCH_ROLLBACK_FAILED',
      `Rolling back batch ${quote(batchId)} left ${failures.length} ${failures.length === 1 ? 'entry' : 'entries'} unrestored${first === undefined ? '' : `, first ${quote(first.path)}: ${first.message}`}. Resync the tree (livepatch sync).`,
      options,
    );
    this.batchId = batchId;
    this.failures = failures;
  }
}

/**
 * The commit journal left by a crash cannot be parsed, so the interrupted batch cannot be rolled back.
 *
 * @remarks Code `LIVEPATCH_JOURNAL_CORRUPT`.
 */
export class JournalCorruptError extends VelocityError {
  /** Absolute path of the journal. */
  readonly path: string;

  /**
   * @param path - absolute path of the journal
   * @param reason - what is wrong with it
   */
  constructor(path: string, reason: string) {
    super(
      'LIVEPATCH_JOURNAL_CORRUPT',
      `Journal ${quote(path)} is corrupt: ${reason}. Inspect the tree, delete the journal, then resync (livepatch sync).`,
    );
    this.path = path;
  }
}

/**
 * A file-system call failed while staging or committing (permissions, disk full, …).
 *
 * @remarks Code `LIVEPATCH_IO`; `cause` is the Node.js error. The batch was rolled back.
 */
export class ApplyIoError extends VelocityError {
  /** Root-relative path of the entry. */
  readonly path: string;

  /**
   * @param path - root-relative path of the entry
   * @param cause - the Node.js error
   */
  constructor(path: string, cause: unknown) {
    super(
      'LIVEPATCH_IO',
      `Could not apply ${quote(path)}: ${cause instanceof Error ? cause.message : String(cause)}. Check the agent's permissions and free space.`,
      { cause },
    );
    this.path = path;
  }
}
