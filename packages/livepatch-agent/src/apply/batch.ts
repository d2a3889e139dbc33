/**
 * A batch of file operations applied all-or-nothing inside the agent's root.
 *
 * @remarks
 * Staging ({@link Batch.writeFile} and friends) does all the I/O that can fail before anything visible
 * changes: paths are validated, parents are checked with `lstat`, and each new file or symlink is written
 * to a temp file `.<basename>.lp-<random>.tmp` in its target's directory (or the deepest existing one),
 * with its size bounded and its SHA-256 verified. {@link Batch.commit} then writes the journal and performs
 * the operations in order, each previous version kept as a backup `.<basename>.lp-<batch>-<n>.bak` (a hard
 * link, so a replaced file is never missing); any failure rolls back what was done and rethrows. The
 * {@link CommittedBatch} stays undoable until {@link CommittedBatch.release} deletes its backups.
 *
 * Nothing is ever written through a symbolic link: parents are checked with `lstat` at staging and again at
 * commit, missing parents are created one `mkdir` at a time, and a target that is a link is replaced, never
 * followed. Permission bits keep only `0o777`: setuid, setgid and sticky are always stripped.
 *
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import type { Stats } from 'node:fs';
import {
  link,
  lstat,
  mkdir,
  open,
  realpath,
  rename,
  rm,
  symlink,
  type SyncFileHandle,
} from './fs-sync.js';
import { posix } from 'node:path';
import { VelocityError } from '@velocity/core';
import {
  ApplyIoError,
  BasisUnavailableError,
  BatchStateError,
  ContentMismatchError,
  PathRefusedError,
  RollbackFailedError,
  SizeLimitError,
  quote,
} from './errors.js';
import { Journal, JOURNAL_VERSION, actionPaths, syncDirectory } from './journal.js';
import type { JournalAction, JournalOperation, JournalPlan } from './journal.js';
import { SILENT_LOGGER } from './logger.js';
import type { ApplyLogger } from './logger.js';
import {
  DEFAULT_PATH_LIMITS,
  backupName,
  batchTag,
  checkParents,
  chmodNoFollow,
  dirnameOf,
  ensureParents,
  isErrno,
  lstatOrUndefined,
  parentsOf,
  resolveInRoot,
  tempName,
  validatePath,
} from './paths.js';
import type { PathLimits } from './paths.js';
import { removeTemps, rollBackJournal } from './rollback.js';

/** Bounds on a batch. */
export interface ApplyLimits extends PathLimits {
  /** Largest file content, in bytes, after decompression. @defaultValue `268435456` (256 MiB) */
  maxFileBytes: number;
  /** Largest total of file contents in one batch, in bytes. @defaultValue `1073741824` (1 GiB) */
  maxBatchBytes: number;
  /** Most operations in one batch. @defaultValue `100000` */
  maxOperations: number;
}

/** {@link ApplyLimits} used where none are given. */
export const DEFAULT_APPLY_LIMITS: Readonly<ApplyLimits> = Object.freeze({
  ...DEFAULT_PATH_LIMITS,
  maxFileBytes: 256 * 1024 * 1024,
  maxBatchBytes: 1024 * 1024 * 1024,
  maxOperations: 100_000,
});

/** Permission bits a batch may set: `0o777` (setuid, setgid and sticky are stripped). */
export const MODE_MASK = 0o777;

/** Mode of files written without one, when no previous file gives it. */
const DEFAULT_FILE_MODE = 0o644;

/** Mode of directories made without one, including missing parents. */
const DEFAULT_DIRECTORY_MODE = 0o755;

/** Options of {@link beginBatch}. */
export interface BeginBatchOptions {
  /** The directory the batch applies to; resolved once with `realpath`, nothing below it is followed. */
  root: string;
  /** The batch's id, chosen by the CLI; names its backups (hashed unless `[A-Za-z0-9_-]{1,64}`). */
  batchId: string;
  /** `fsync` temp files, the journal and directories (`--durable`). @defaultValue `false` */
  durable?: boolean;
  /** Bounds; {@link DEFAULT_APPLY_LIMITS} where missing. */
  limits?: Partial<ApplyLimits>;
  /** Receives debug records per step and warnings on rollback. @defaultValue a silent logger */
  logger?: ApplyLogger;
  /** Aborts staging (a content stream is checked between chunks); a commit, once started, completes. */
  signal?: AbortSignal;
}

/** Options of {@link Batch.writeFile}. */
export interface WriteFileOptions {
  /** Permission bits; setuid, setgid and sticky are stripped. @defaultValue the previous file's, else `0o644` */
  mode?: number;
  /** Exact size of the content, in bytes; checked as it streams. */
  expectedSize?: number;
  /** SHA-256 of the content (32 bytes); checked before the file is staged. */
  expectedHash?: Uint8Array;
}

/** Options of {@link Batch.symlink}. */
export interface SymlinkOptions {
  /** Allow a target that is absolute or resolves outside the root. @defaultValue `false` */
  allowOutsideRoot?: boolean;
}

/** What a committed batch changed, as reported in `ApplyResult`. */
export interface BatchResult {
  /** Files, symlinks and directories created or changed: writes, symlinks, renames, created directories, mode changes. */
  filesChanged: number;
  /** Entries removed (a directory counts once, whatever it held). */
  filesDeleted: number;
  /** Bytes of file content written. */
  bytesWritten: number;
}

/** A batch applied to the tree, still undoable until released. */
export interface CommittedBatch extends BatchResult {
  /** The batch's id. */
  readonly batchId: string;
  /**
   * Restores every previous version and removes what the batch created, last operation first (e.g. the app
   * crashed after the reload this batch caused). Undo batches in the reverse order of their commits.
   *
   * @throws {@link RollbackFailedError} when some entries could not be restored (the others were)
   * @throws {@link BatchStateError} when the batch was already undone or released
   */
  undo(): Promise<void>;
  /** Deletes the backups: the batch can no longer be undone. Does nothing after {@link CommittedBatch.undo}. */
  release(): Promise<void>;
}

/** A batch being staged. Stage operations one at a time, in order, then commit or abort. */
export interface Batch {
  /** The batch's id. */
  readonly batchId: string;
  /**
   * Stages a new content for the file `path`, replacing whatever file or symlink is there.
   *
   * @param content - the whole content, or its chunks (e.g. a decompressing stream)
   * @throws {@link PathRefusedError} when the path is unsafe or is a directory
   * @throws {@link SizeLimitError} when the file or the batch goes over its limit
   * @throws {@link ContentMismatchError} when the size or hash differ from the expected ones
   */
  writeFile(
    path: string,
    content: Uint8Array | AsyncIterable<Uint8Array>,
    options?: WriteFileOptions,
  ): Promise<void>;
  /**
   * Stages the removal of `path`: a file, a symlink (not its target), or a directory with all it holds.
   * Removing an entry that does not exist does nothing.
   *
   * @throws {@link PathRefusedError} when the path is unsafe
   */
  remove(path: string): Promise<void>;
  /**
   * Stages renaming `from` to `to`, replacing a file or symlink at `to`.
   *
   * @throws {@link PathRefusedError} when a path is unsafe, `from` does not exist, `to` is a directory or
   * inside `from`
   */
  rename(from: string, to: string): Promise<void>;
  /**
   * Stages making the directory `path` (and its missing parents); an existing one gets `mode`.
   *
   * @param mode - permission bits, stripped of setuid, setgid and sticky. @defaultValue `0o755`
   * @throws {@link PathRefusedError} when the path is unsafe or exists and is not a directory
   */
  mkdir(path: string, mode?: number): Promise<void>;
  /**
   * Stages a symbolic link at `path` to `target`, replacing a file or symlink there. The link is stored as
   * given and never followed.
   *
   * @throws {@link PathRefusedError} when the path is unsafe, or `target` is absolute or resolves outside
   * the root (lexically, from the link's directory) without `allowOutsideRoot`
   */
  symlink(path: string, target: string, options?: SymlinkOptions): Promise<void>;
  /**
   * Stages setting the permission bits of `path`, stripped of setuid, setgid and sticky.
   *
   * @throws {@link PathRefusedError} when the path is unsafe, missing, or a symbolic link
   */
  chmod(path: string, mode: number): Promise<void>;
  /**
   * Reads the current content of the file `path`, the basis of a delta.
   *
   * @throws {@link PathRefusedError} when the path is unsafe, a symbolic link, or changed earlier in this
   * batch
   * @throws {@link BasisUnavailableError} when it does not exist or is not a regular file
   * @throws {@link SizeLimitError} when it is larger than `maxFileBytes`
   */
  readBasis(path: string): Promise<Uint8Array>;
  /**
   * Applies the staged operations, all or none.
   *
   * @throws the first operation's error after rolling back (e.g. {@link PathRefusedError} when the tree
   * changed since staging), or {@link RollbackFailedError} if the rollback itself failed
   * @throws {@link BatchStateError} when an operation failed to stage, or another commit is under way
   * @remarks After a failed commit the batch is aborted: its temp files are gone.
   */
  commit(): Promise<CommittedBatch>;
  /** Discards the staged temp files; nothing visible changes. Does nothing if already aborted. */
  abort(): Promise<void>;
}

/** The lifecycle of a {@link Batch}. */
type BatchState = 'staging' | 'failed' | 'committing' | 'committed' | 'aborted';

/** Context shared by a batch and its committed form. */
interface BatchContext {
  root: string;
  batchId: string;
  durable: boolean;
  limits: ApplyLimits;
  logger: ApplyLogger;
}

/** Permission bits a batch may set. */
function stripMode(mode: number): number {
  return mode & MODE_MASK;
}

/** 16 random hex digits for a temp name. */
function randomTag(): string {
  return randomBytes(8).toString('hex');
}

/** Whether `error` is a Node.js system error (it has an errno `code` and a `syscall`). */
function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return (
    error instanceof Error &&
    typeof (error as NodeJS.ErrnoException).code === 'string' &&
    typeof (error as NodeJS.ErrnoException).syscall === 'string'
  );
}

/** `error` as the batch reports it: Velocity errors as they are, system errors wrapped. */
function asApplyError(path: string, error: unknown): unknown {
  if (error instanceof VelocityError || !isSystemError(error)) return error;
  return new ApplyIoError(path, error);
}

/** Writes all of `chunk` at the handle's position. */
async function writeAll(handle: SyncFileHandle, chunk: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < chunk.byteLength) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
    offset += bytesWritten;
  }
}

/**
 * Starts a batch on `root`.
 *
 * @throws {@link ApplyIoError} when the root does not exist or is not a directory
 */
export async function beginBatch(options: BeginBatchOptions): Promise<Batch> {
  let root: string;
  try {
    root = await realpath(options.root);
    if (!(await lstat(root)).isDirectory()) {
      throw Object.assign(new Error(`ENOTDIR: not a directory, ${options.root}`), {
        code: 'ENOTDIR',
        syscall: 'lstat',
      });
    }
  } catch (error) {
    throw new ApplyIoError('', error);
  }
  return new StagingBatch(
    {
      root,
      batchId: options.batchId,
      durable: options.durable ?? false,
      limits: { ...DEFAULT_APPLY_LIMITS, ...options.limits },
      logger: options.logger ?? SILENT_LOGGER,
    },
    options.signal,
  );
}

/** The {@link Batch} implementation. */
class StagingBatch implements Batch {
  readonly batchId: string;
  readonly #context: BatchContext;
  readonly #signal: AbortSignal | undefined;
  readonly #tag: string;
  readonly #operations: JournalOperation[] = [];
  /** Paths an earlier operation of this batch creates, removes or renames: staging cannot see past them. */
  readonly #touched = new Set<string>();
  #state: BatchState = 'staging';
  #busy = false;
  #bytes = 0;

  constructor(context: BatchContext, signal: AbortSignal | undefined) {
    this.#context = context;
    this.batchId = context.batchId;
    this.#signal = signal;
    this.#tag = batchTag(context.batchId);
  }

  #absolute(path: string): string {
    return resolveInRoot(this.#context.root, path);
  }

  #backupOf(path: string): string {
    const name = backupName(posix.basename(path), this.#tag, this.#operations.length);
    const dir = dirnameOf(path);
    return dir === '' ? name : `${dir}/${name}`;
  }

  #assertUsable(): void {
    if (this.#busy) {
      throw new BatchStateError(
        this.batchId,
        `Batch ${quote(this.batchId)} is busy. Await each call before the next one.`,
      );
    }
    if (this.#state === 'failed') {
      throw new BatchStateError(
        this.batchId,
        `Batch ${quote(this.batchId)} had an operation refused. Abort it.`,
      );
    }
    if (this.#state !== 'staging') {
      throw new BatchStateError(
        this.batchId,
        `Batch ${quote(this.batchId)} is ${this.#state}. Begin a new batch.`,
      );
    }
  }

  /** Runs one staging call: one at a time, counted, and any failure makes the batch uncommittable. */
  async #stage(path: string, stage: () => Promise<JournalOperation>): Promise<void> {
    this.#assertUsable();
    this.#busy = true;
    try {
      const { maxOperations } = this.#context.limits;
      if (this.#operations.length >= maxOperations) {
        throw new SizeLimitError('', `it has more than ${maxOperations} operations`, maxOperations);
      }
      this.#signal?.throwIfAborted();
      const operation = await stage();
      this.#operations.push(operation);
      if (operation.op === 'rename') this.#touched.add(operation.from);
      if (operation.op !== 'chmod') this.#touched.add(operation.path);
      this.#context.logger.debug('staged', { batchId: this.batchId, ...operation });
    } catch (error) {
      this.#state = 'failed';
      throw asApplyError(path, error);
    } finally {
      this.#busy = false;
    }
  }

  /**
   * Checks the parents of `path` as far as this batch leaves them unchanged, and `lstat`s the target when
   * its state before commit is known.
   *
   * @returns `dir`: the deepest existing real directory, where temp files go (no earlier operation moves
   * it, so a temp never moves before it is placed); `known`: whether every parent exists and neither they
   * nor the target are changed by earlier operations; `existing`: the target's `lstat` when known
   */
  async #locate(path: string): Promise<{ dir: string; known: boolean; existing?: Stats }> {
    const parents = await checkParents(this.#context.root, path, (dir) => this.#touched.has(dir));
    if (!parents.complete || this.#touched.has(path)) return { dir: parents.deepest, known: false };
    const existing = await lstatOrUndefined(this.#absolute(path));
    return existing === undefined
      ? { dir: parents.deepest, known: true }
      : { dir: parents.deepest, known: true, existing };
  }

  /** A new temp path in root-relative `dir` for target `path`. */
  #tempFor(dir: string, path: string): string {
    const name = tempName(posix.basename(path), randomTag());
    return dir === '' ? name : `${dir}/${name}`;
  }

  async writeFile(
    path: string,
    content: Uint8Array | AsyncIterable<Uint8Array>,
    options: WriteFileOptions = {},
  ): Promise<void> {
    await this.#stage(path, async () => {
      const { limits, durable } = this.#context;
      validatePath(path, limits);
      const { expectedSize, expectedHash } = options;
      if (expectedHash !== undefined && expectedHash.byteLength !== 32) {
        throw new ContentMismatchError(
          path,
          `the expected SHA-256 has ${expectedHash.byteLength} bytes, not 32`,
        );
      }
      if (expectedSize !== undefined) {
        if (!Number.isSafeInteger(expectedSize) || expectedSize < 0) {
          throw new ContentMismatchError(
            path,
            `the expected size ${expectedSize} is not a byte count`,
          );
        }
        this.#checkSize(path, expectedSize);
      }
      const { dir, existing } = await this.#locate(path);
      if (existing?.isDirectory() === true) throw new PathRefusedError(path, 'is a directory');
      const mode = stripMode(
        options.mode ?? (existing?.isFile() === true ? existing.mode : DEFAULT_FILE_MODE),
      );
      const temp = this.#tempFor(dir, path);
      const handle = await open(
        this.#absolute(temp),
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
        0o600,
      );
      let size = 0;
      try {
        const hash = createHash('sha256');
        const append = async (chunk: Uint8Array) => {
          if (!(chunk instanceof Uint8Array)) {
            throw new TypeError(`Content of ${quote(path)} must be Uint8Array chunks.`);
          }
          size += chunk.byteLength;
          this.#checkSize(path, size);
          if (expectedSize !== undefined && size > expectedSize) {
            throw new ContentMismatchError(
              path,
              `it has more than the expected ${expectedSize} bytes`,
            );
          }
          hash.update(chunk);
          await writeAll(handle, chunk);
        };
        if (content instanceof Uint8Array) await append(content);
        else {
          for await (const chunk of content) {
            this.#signal?.throwIfAborted();
            await append(chunk);
          }
        }
        if (expectedSize !== undefined && size !== expectedSize) {
          throw new ContentMismatchError(path, `it has ${size} bytes, expected ${expectedSize}`);
        }
        const digest = hash.digest();
        if (expectedHash !== undefined && !digest.equals(expectedHash)) {
          throw new ContentMismatchError(
            path,
            `its SHA-256 is ${digest.toString('hex')}, expected ${Buffer.from(expectedHash).toString('hex')}`,
          );
        }
        await handle.chmod(mode);
        if (durable) await handle.sync();
      } catch (error) {
        await handle.close();
        await rm(this.#absolute(temp), { force: true });
        throw error;
      }
      await handle.close();
      this.#bytes += size;
      return { op: 'write', path, temp, backup: this.#backupOf(path) };
    });
  }

  /** Throws when a file of `size` bytes would go over the file or batch limit. */
  #checkSize(path: string, size: number): void {
    const { maxFileBytes, maxBatchBytes } = this.#context.limits;
    if (size > maxFileBytes) {
      throw new SizeLimitError(path, `the file is larger than ${maxFileBytes} bytes`, maxFileBytes);
    }
    if (this.#bytes + size > maxBatchBytes) {
      throw new SizeLimitError(
        path,
        `the batch's files add up to more than ${maxBatchBytes} bytes`,
        maxBatchBytes,
      );
    }
  }

  async remove(path: string): Promise<void> {
    await this.#stage(path, async () => {
      validatePath(path, this.#context.limits);
      await this.#locate(path);
      return { op: 'remove', path, backup: this.#backupOf(path) };
    });
  }

  async rename(from: string, to: string): Promise<void> {
    await this.#stage(to, async () => {
      validatePath(from, this.#context.limits);
      validatePath(to, this.#context.limits);
      if (from === to) throw new PathRefusedError(to, 'is renamed onto itself');
      if (to.startsWith(`${from}/`)) throw new PathRefusedError(to, `is inside ${quote(from)}`);
      const source = await this.#locate(from);
      if (source.known && source.existing === undefined) {
        throw new PathRefusedError(from, 'does not exist');
      }
      const { existing } = await this.#locate(to);
      if (existing?.isDirectory() === true) {
        throw new PathRefusedError(to, 'is an existing directory');
      }
      return { op: 'rename', from, path: to, backup: this.#backupOf(to) };
    });
  }

  /** Whether no parent of `path` is changed earlier in this batch. */
  #parentsUntouched(path: string): boolean {
    return parentsOf(path).every((dir) => !this.#touched.has(dir));
  }

  async mkdir(path: string, mode: number = DEFAULT_DIRECTORY_MODE): Promise<void> {
    await this.#stage(path, async () => {
      validatePath(path, this.#context.limits);
      const { existing } = await this.#locate(path);
      if (existing !== undefined && !existing.isDirectory()) {
        throw new PathRefusedError(path, 'exists and is not a directory');
      }
      return { op: 'mkdir', path, mode: stripMode(mode) };
    });
  }

  async symlink(path: string, target: string, options: SymlinkOptions = {}): Promise<void> {
    await this.#stage(path, async () => {
      const { limits } = this.#context;
      validatePath(path, limits);
      if (target === '') throw new PathRefusedError(path, 'has an empty link target');
      if (target.includes('\0'))
        throw new PathRefusedError(path, 'has a link target with a NUL byte');
      if (Buffer.byteLength(target) > limits.maxPathBytes) {
        throw new PathRefusedError(
          path,
          `has a link target longer than ${limits.maxPathBytes} bytes`,
        );
      }
      if (options.allowOutsideRoot !== true) {
        if (target.startsWith('/')) {
          throw new PathRefusedError(path, `links outside the root (${quote(target)} is absolute)`);
        }
        const resolved = posix.normalize(posix.join(dirnameOf(path), target));
        if (resolved === '..' || resolved.startsWith('../')) {
          throw new PathRefusedError(path, `links outside the root (to ${quote(target)})`);
        }
      }
      const { dir, existing } = await this.#locate(path);
      if (existing?.isDirectory() === true) throw new PathRefusedError(path, 'is a directory');
      const temp = this.#tempFor(dir, path);
      await symlink(target, this.#absolute(temp));
      return { op: 'symlink', path, temp, backup: this.#backupOf(path) };
    });
  }

  async chmod(path: string, mode: number): Promise<void> {
    await this.#stage(path, async () => {
      validatePath(path, this.#context.limits);
      const { known, existing } = await this.#locate(path);
      if (known && existing === undefined) {
        throw new PathRefusedError(path, 'does not exist');
      }
      if (existing?.isSymbolicLink() === true) {
        throw new PathRefusedError(path, 'is a symbolic link');
      }
      return { op: 'chmod', path, mode: stripMode(mode) };
    });
  }

  async readBasis(path: string): Promise<Uint8Array> {
    this.#assertUsable();
    const { root, limits } = this.#context;
    try {
      validatePath(path, limits);
      if (this.#touched.has(path) || !this.#parentsUntouched(path)) {
        throw new PathRefusedError(path, 'is changed earlier in this batch');
      }
      if (!(await checkParents(root, path)).complete) {
        throw new BasisUnavailableError(path, 'does not exist');
      }
      let handle: SyncFileHandle;
      try {
        handle = await open(
          this.#absolute(path),
          constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK,
        );
      } catch (error) {
        if (isErrno(error, 'ELOOP')) throw new PathRefusedError(path, 'is a symbolic link');
        if (isErrno(error, 'ENOENT')) throw new BasisUnavailableError(path, 'does not exist');
        throw error;
      }
      try {
        const stats = await handle.stat();
        if (!stats.isFile()) throw new BasisUnavailableError(path, 'is not a regular file');
        if (stats.size > limits.maxFileBytes) {
          throw new SizeLimitError(
            path,
            `the basis is larger than ${limits.maxFileBytes} bytes`,
            limits.maxFileBytes,
          );
        }
        return await handle.readFile();
      } finally {
        await handle.close();
      }
    } catch (error) {
      throw asApplyError(path, error);
    }
  }

  async abort(): Promise<void> {
    if (this.#busy) {
      throw new BatchStateError(
        this.batchId,
        `Batch ${quote(this.batchId)} is busy. Await the pending call, then abort.`,
      );
    }
    if (this.#state === 'aborted') return;
    if (this.#state === 'committed' || this.#state === 'committing') {
      throw new BatchStateError(
        this.batchId,
        `Batch ${quote(this.batchId)} is ${this.#state}; it cannot be aborted. Undo it instead.`,
      );
    }
    this.#state = 'aborted';
    await removeTemps(this.#context.root, this.#plan());
    this.#context.logger.debug('aborted', { batchId: this.batchId });
  }

  #plan(): JournalPlan {
    return {
      version: JOURNAL_VERSION,
      batchId: this.batchId,
      startedAtMs: Date.now(),
      operations: this.#operations,
    };
  }

  async commit(): Promise<CommittedBatch> {
    this.#assertUsable();
    const { root, durable, logger } = this.#context;
    this.#state = 'committing';
    const plan = this.#plan();
    let journal: Journal;
    try {
      journal = await Journal.create(root, plan, [], durable);
    } catch (error) {
      this.#state = 'aborted';
      await removeTemps(root, plan);
      throw asApplyError('', error);
    }
    const result: BatchResult = { filesChanged: 0, filesDeleted: 0, bytesWritten: this.#bytes };
    const changedDirs = new Set<string>(['']);
    const commit = new Commit(this.#context, journal, result, changedDirs);
    let current = '';
    try {
      for (const [index, operation] of plan.operations.entries()) {
        current = operation.path;
        await commit.perform(index, operation);
      }
      if (durable) {
        for (const dir of changedDirs) await syncDirectory(this.#absolute(dir));
      }
    } catch (error) {
      const failure = asApplyError(current, error);
      logger.warn('commit failed, rolling back', {
        batchId: this.batchId,
        path: current,
        error: failure instanceof Error ? failure.message : String(failure),
      });
      const failures = await rollBackJournal(root, journal, logger);
      await journal.remove();
      this.#state = 'aborted';
      if (failures.length > 0) {
        throw new RollbackFailedError(this.batchId, failures, { cause: failure });
      }
      throw failure;
    }
    await journal.remove();
    this.#state = 'committed';
    logger.debug('committed', { batchId: this.batchId, ...result });
    // Failed actions (a hard link refused before its rename fallback) had no effect: leave them out.
    const performed = journal.actions.filter((_, index) => !journal.undone.has(index));
    return new AppliedBatch(this.#context, plan, performed, result);
  }
}

/** Performs a batch's operations, recording each action in the journal first. */
class Commit {
  readonly #context: BatchContext;
  readonly #journal: Journal;
  readonly #result: BatchResult;
  readonly #changedDirs: Set<string>;

  constructor(
    context: BatchContext,
    journal: Journal,
    result: BatchResult,
    changedDirs: Set<string>,
  ) {
    this.#context = context;
    this.#journal = journal;
    this.#result = result;
    this.#changedDirs = changedDirs;
  }

  #absolute(path: string): string {
    return resolveInRoot(this.#context.root, path);
  }

  /** Records `action`, notes the directories it changes, then runs `perform`. */
  async #act(action: JournalAction, perform: () => Promise<void>): Promise<void> {
    for (const path of actionPaths(action)) this.#changedDirs.add(dirnameOf(path));
    this.#context.logger.debug('apply', { batchId: this.#context.batchId, ...action });
    await this.#journal.perform(action, perform);
  }

  /** Creates the missing parents of `path`, each recorded. */
  async #ensureParents(op: number, path: string): Promise<void> {
    await ensureParents(this.#context.root, path, async (dir) => {
      await this.#act({ action: 'mkdir', op, path: dir, mode: DEFAULT_DIRECTORY_MODE }, () =>
        mkdir(this.#absolute(dir), DEFAULT_DIRECTORY_MODE),
      );
      await chmodNoFollow(this.#absolute(dir), DEFAULT_DIRECTORY_MODE, dir);
    });
  }

  /** `lstat` of `path` when its parents all exist as real directories, else `undefined`. */
  async #lstatExisting(path: string) {
    const parents = await checkParents(this.#context.root, path);
    return parents.complete ? lstatOrUndefined(this.#absolute(path)) : undefined;
  }

  /**
   * Keeps the entry at `path` as `backup`: a hard link when `preferLink` (the entry stays in place until
   * the new one replaces it atomically), else, or where links are unsupported, a rename.
   */
  async #backup(op: number, path: string, backup: string, preferLink: boolean): Promise<void> {
    if ((await lstatOrUndefined(this.#absolute(backup))) !== undefined) {
      throw new BatchStateError(
        this.#context.batchId,
        `Backup ${quote(backup)} of an earlier batch with id ${quote(this.#context.batchId)} still exists. Release or undo that batch, or use a new batch id.`,
      );
    }
    if (preferLink) {
      try {
        await this.#act({ action: 'backup', op, path, backup, method: 'link' }, () =>
          link(this.#absolute(path), this.#absolute(backup)),
        );
        return;
      } catch (error) {
        if (!isErrno(error, 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK', 'ENOSYS')) throw error;
      }
    }
    await this.#act({ action: 'backup', op, path, backup, method: 'move' }, () =>
      rename(this.#absolute(path), this.#absolute(backup)),
    );
  }

  /** Performs operation `op`. */
  async perform(op: number, operation: JournalOperation): Promise<void> {
    const { path } = operation;
    switch (operation.op) {
      case 'write':
      case 'symlink': {
        await this.#ensureParents(op, path);
        const existing = await lstatOrUndefined(this.#absolute(path));
        if (existing?.isDirectory() === true) throw new PathRefusedError(path, 'is a directory');
        if (existing !== undefined) await this.#backup(op, path, operation.backup, true);
        await this.#act({ action: 'place', op, temp: operation.temp, path }, () =>
          rename(this.#absolute(operation.temp), this.#absolute(path)),
        );
        this.#result.filesChanged++;
        return;
      }
      case 'remove': {
        if ((await this.#lstatExisting(path)) === undefined) return;
        await this.#backup(op, path, operation.backup, false);
        this.#result.filesDeleted++;
        return;
      }
      case 'rename': {
        const source = await this.#lstatExisting(operation.from);
        if (source === undefined) throw new PathRefusedError(operation.from, 'does not exist');
        await this.#ensureParents(op, path);
        const existing = await lstatOrUndefined(this.#absolute(path));
        if (existing?.isDirectory() === true) {
          throw new PathRefusedError(path, 'is an existing directory');
        }
        if (existing !== undefined) {
          await this.#backup(op, path, operation.backup, !source.isDirectory());
        }
        await this.#act({ action: 'move', op, from: operation.from, to: path }, () =>
          rename(this.#absolute(operation.from), this.#absolute(path)),
        );
        this.#result.filesChanged++;
        return;
      }
      case 'mkdir': {
        await this.#ensureParents(op, path);
        const existing = await lstatOrUndefined(this.#absolute(path));
        if (existing === undefined) {
          await this.#act({ action: 'mkdir', op, path, mode: operation.mode }, () =>
            mkdir(this.#absolute(path), operation.mode),
          );
          await chmodNoFollow(this.#absolute(path), operation.mode, path);
          this.#result.filesChanged++;
        } else if (!existing.isDirectory()) {
          throw new PathRefusedError(path, 'exists and is not a directory');
        } else {
          await this.#chmod(op, path, operation.mode, existing.mode);
        }
        return;
      }
      case 'chmod': {
        const existing = await this.#lstatExisting(path);
        if (existing === undefined) throw new PathRefusedError(path, 'does not exist');
        if (existing.isSymbolicLink()) throw new PathRefusedError(path, 'is a symbolic link');
        await this.#chmod(op, path, operation.mode, existing.mode);
        return;
      }
    }
  }

  /** Sets the bits of `path` to `mode` if they differ from `current`'s, recorded. */
  async #chmod(op: number, path: string, mode: number, current: number): Promise<void> {
    const previous = current & 0o7777;
    if (previous === mode) return;
    await this.#act({ action: 'chmod', op, path, mode, previous }, () =>
      chmodNoFollow(this.#absolute(path), mode, path),
    );
    this.#result.filesChanged++;
  }
}

/** Where an entry at `path` is after `actions` (renames and moves into backups) ran. */
function followMoves(path: string, actions: readonly JournalAction[]): string {
  let current = path;
  for (const action of actions) {
    let from: string;
    let to: string;
    if (action.action === 'move') ({ from, to } = action);
    else if (action.action === 'backup' && action.method === 'move') {
      ({ path: from, backup: to } = action);
    } else continue;
    if (current === from) current = to;
    else if (current.startsWith(`${from}/`)) current = to + current.slice(from.length);
  }
  return current;
}

/** The {@link CommittedBatch} implementation. */
class AppliedBatch implements CommittedBatch {
  readonly batchId: string;
  readonly filesChanged: number;
  readonly filesDeleted: number;
  readonly bytesWritten: number;
  readonly #context: BatchContext;
  readonly #plan: JournalPlan;
  readonly #actions: readonly JournalAction[];
  #state: 'committed' | 'undoing' | 'undone' | 'released' = 'committed';

  constructor(
    context: BatchContext,
    plan: JournalPlan,
    actions: readonly JournalAction[],
    result: BatchResult,
  ) {
    this.#context = context;
    this.batchId = context.batchId;
    this.#plan = plan;
    this.#actions = actions;
    this.filesChanged = result.filesChanged;
    this.filesDeleted = result.filesDeleted;
    this.bytesWritten = result.bytesWritten;
  }

  async undo(): Promise<void> {
    if (this.#state !== 'committed') {
      throw new BatchStateError(
        this.batchId,
        `Batch ${quote(this.batchId)} is ${this.#state}; it cannot be undone. Resync the tree instead.`,
      );
    }
    const { root, durable, logger } = this.#context;
    this.#state = 'undoing';
    let journal: Journal;
    try {
      journal = await Journal.create(root, this.#plan, this.#actions, durable);
    } catch (error) {
      this.#state = 'committed';
      throw asApplyError('', error);
    }
    const failures = await rollBackJournal(root, journal, logger);
    await journal.remove();
    this.#state = 'undone';
    logger.info('batch undone', { batchId: this.batchId, failures: failures.length });
    if (failures.length > 0) throw new RollbackFailedError(this.batchId, failures);
  }

  async release(): Promise<void> {
    if (this.#state !== 'committed') return;
    this.#state = 'released';
    const { root, logger } = this.#context;
    for (const [index, action] of this.#actions.entries()) {
      if (action.action !== 'backup') continue;
      const backup = followMoves(action.backup, this.#actions.slice(index + 1));
      try {
        if ((await checkParents(root, backup)).complete) {
          await rm(resolveInRoot(root, backup), { recursive: true, force: true });
        }
      } catch (error) {
        // A backup that cannot be deleted now is deleted by recoverRoot at the next start.
        logger.warn('could not delete backup', {
          batchId: this.batchId,
          path: backup,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }
}
