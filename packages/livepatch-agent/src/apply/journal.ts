/**
 * The commit journal, `<root>/.livepatch-journal.json`: what a batch's commit (or undo) is doing, so that a
 * crash at any point can be rolled back at the next start.
 *
 * @remarks
 * The file is JSON Lines (UTF-8, one JSON object per `\n`-terminated line):
 *
 * - line 1, the plan, written atomically (temp file, then `link` so an existing journal is never replaced)
 *   before the first change: `{"version":1,"batchId","startedAtMs","operations":[…]}`, listing every
 *   operation with its target (`path`), its temp file (`temp`, for writes and symlinks) and its backup name
 *   (`backup`); see {@link JournalOperation}.
 * - then one line per action, appended before the action is performed (write-ahead); see
 *   {@link JournalAction}. `op` is the operation's index in the plan.
 * - `{"undone":n}` once the n-th action (0-based, counting action lines only) has been rolled back, so a
 *   rollback interrupted by a second crash resumes where it stopped and never undoes a step twice.
 *
 * A last line without its `\n` is a torn append: its action was never performed, and it is dropped. The
 * journal is deleted once the commit (or undo) is complete; a journal found at start means "roll back".
 * Paths are root-relative POSIX.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { readFile, truncate } from 'node:fs/promises';
import { link, open, rename, unlink, writeFile, type SyncFileHandle } from './fs-sync.js';
import { BatchStateError, JournalCorruptError, quote } from './errors.js';
import { JOURNAL_NAME, isErrno, lstatOrUndefined, resolveInRoot, tempName } from './paths.js';

/** The journal's format version (`version` of the plan line). */
export const JOURNAL_VERSION = 1;

/** One operation of a batch, as the plan line lists it. All paths root-relative POSIX. */
export type JournalOperation =
  /** Replace or create the file `path` with the staged `temp`; the previous version goes to `backup`. */
  | { op: 'write'; path: string; temp: string; backup: string }
  /** Replace or create `path` with the staged symbolic link `temp`; the previous entry goes to `backup`. */
  | { op: 'symlink'; path: string; temp: string; backup: string }
  /** Remove `path` (any type) by renaming it to `backup`. */
  | { op: 'remove'; path: string; backup: string }
  /** Rename `from` to `path`; an entry already at `path` goes to `backup`. */
  | { op: 'rename'; from: string; path: string; backup: string }
  /** Make sure the directory `path` exists with permission bits `mode`. */
  | { op: 'mkdir'; path: string; mode: number }
  /** Set the permission bits of `path` to `mode`. */
  | { op: 'chmod'; path: string; mode: number };

/** The plan line. */
export interface JournalPlan {
  /** {@link JOURNAL_VERSION}. */
  version: typeof JOURNAL_VERSION;
  /** The batch's id, as chosen by the CLI. */
  batchId: string;
  /** When the commit started, Unix time in ms. */
  startedAtMs: number;
  /** The batch's operations, in order. */
  operations: JournalOperation[];
}

/** One step of a commit, recorded before it is performed. All paths root-relative POSIX. */
export type JournalAction =
  /** `mkdir path` (a missing parent, or a `mkdir` operation); undone by `rmdir`. */
  | { action: 'mkdir'; op: number; path: string; mode: number }
  /**
   * The previous `path` kept as `backup`: a hard link (`link`, the target stays in place) or a rename
   * (`move`, where links are unsupported or the entry is a directory); undone by renaming it back.
   */
  | { action: 'backup'; op: number; path: string; backup: string; method: 'link' | 'move' }
  /** `rename temp path`: the new version goes live; undone by the backup, or by unlinking `path`. */
  | { action: 'place'; op: number; temp: string; path: string }
  /** `rename from to` (a rename, or a removal into a backup); undone by renaming back. */
  | { action: 'move'; op: number; from: string; to: string }
  /** Permission bits of `path` changed from `previous` to `mode`; undone by setting `previous`. */
  | { action: 'chmod'; op: number; path: string; mode: number; previous: number };

/** The root-relative paths an action changes. */
export function actionPaths(action: JournalAction): string[] {
  switch (action.action) {
    case 'mkdir':
    case 'chmod':
      return [action.path];
    case 'backup':
      return [action.path, action.backup];
    case 'place':
      return [action.temp, action.path];
    case 'move':
      return [action.from, action.to];
  }
}

/** A journal's content, as read back. */
export interface JournalContent {
  /** The plan line. */
  plan: JournalPlan;
  /** The action lines, in order. */
  actions: JournalAction[];
  /** Indexes of actions already rolled back. */
  undone: Set<number>;
}

/** Whether `value` is a non-empty root-relative POSIX path with no `.`, `..` or empty component. */
function isRootRelative(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value !== '' &&
    !value.includes('\0') &&
    !value.includes('\\') &&
    value.split('/').every((part) => part !== '' && part !== '.' && part !== '..')
  );
}

/** Whether `value` is a non-negative safe integer. */
function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Whether `value` is an object whose `keys` are all root-relative paths. */
function hasPaths(value: Record<string, unknown>, ...keys: string[]): boolean {
  return keys.every((key) => isRootRelative(value[key]));
}

/** Whether `value` is a valid {@link JournalOperation}. */
function isOperation(value: unknown): value is JournalOperation {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  switch (entry.op) {
    case 'write':
    case 'symlink':
      return hasPaths(entry, 'path', 'temp', 'backup');
    case 'remove':
      return hasPaths(entry, 'path', 'backup');
    case 'rename':
      return hasPaths(entry, 'from', 'path', 'backup');
    case 'mkdir':
    case 'chmod':
      return hasPaths(entry, 'path') && isCount(entry.mode);
    default:
      return false;
  }
}

/** Whether `value` is a valid {@link JournalAction}. */
function isAction(value: unknown): value is JournalAction {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  if (!isCount(entry.op)) return false;
  switch (entry.action) {
    case 'mkdir':
      return hasPaths(entry, 'path') && isCount(entry.mode);
    case 'backup':
      return (
        hasPaths(entry, 'path', 'backup') && (entry.method === 'link' || entry.method === 'move')
      );
    case 'place':
      return hasPaths(entry, 'temp', 'path');
    case 'move':
      return hasPaths(entry, 'from', 'to');
    case 'chmod':
      return hasPaths(entry, 'path') && isCount(entry.mode) && isCount(entry.previous);
    default:
      return false;
  }
}

/** Whether `value` is a valid {@link JournalPlan}. */
function isPlan(value: unknown): value is JournalPlan {
  if (typeof value !== 'object' || value === null) return false;
  const plan = value as Record<string, unknown>;
  return (
    plan.version === JOURNAL_VERSION &&
    typeof plan.batchId === 'string' &&
    isCount(plan.startedAtMs) &&
    Array.isArray(plan.operations) &&
    plan.operations.every(isOperation)
  );
}

/**
 * Parses a journal's text.
 *
 * @param text - the file's content
 * @param path - the file's absolute path, for errors
 * @throws {@link JournalCorruptError} when the plan or a complete line is not valid
 */
export function parseJournal(text: string, path: string): JournalContent {
  const lines = text.split('\n');
  // The last element follows the last '\n': empty, or a torn append whose action never ran.
  lines.pop();
  const [first, ...rest] = lines;
  const parse = (line: string, number: number): unknown => {
    try {
      return JSON.parse(line);
    } catch {
      throw new JournalCorruptError(path, `line ${number} is not JSON`);
    }
  };
  if (first === undefined) throw new JournalCorruptError(path, 'it has no plan line');
  const plan = parse(first, 1);
  if (!isPlan(plan)) throw new JournalCorruptError(path, 'line 1 is not a valid plan');
  const actions: JournalAction[] = [];
  const undone = new Set<number>();
  rest.forEach((line, index) => {
    const value = parse(line, index + 2);
    if (isAction(value) && value.op < plan.operations.length) actions.push(value);
    else if (
      typeof value === 'object' &&
      value !== null &&
      isCount((value as { undone?: unknown }).undone)
    ) {
      undone.add((value as { undone: number }).undone);
    } else {
      throw new JournalCorruptError(path, `line ${index + 2} is not a valid action`);
    }
  });
  return { plan, actions, undone };
}

/** One JSON Lines record. */
function line(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

/** Absolute path of the journal of `root`. */
export function journalPath(root: string): string {
  return resolveInRoot(root, JOURNAL_NAME);
}

/** `fsync` of a directory, so a rename or unlink in it is durable. */
export async function syncDirectory(absolute: string): Promise<void> {
  const handle = await open(absolute, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * An open journal: records actions before they are performed and marks them undone.
 *
 * @privateRemarks Each record is one `write` on an `O_APPEND` descriptor; with `durable` it is also
 * `fdatasync`ed before the action runs, so the record reaches the disk before its effect can.
 */
export class Journal {
  /** The plan line. */
  readonly plan: JournalPlan;
  /** Actions recorded so far (including any read back from disk). */
  readonly actions: JournalAction[];
  /** Indexes of actions rolled back (or that failed, so never took effect). */
  readonly undone: Set<number>;
  readonly #root: string;
  readonly #handle: SyncFileHandle;
  readonly #durable: boolean;

  private constructor(
    root: string,
    handle: SyncFileHandle,
    content: JournalContent,
    durable: boolean,
  ) {
    this.#root = root;
    this.#handle = handle;
    this.plan = content.plan;
    this.actions = content.actions;
    this.undone = content.undone;
    this.#durable = durable;
  }

  /**
   * Writes a new journal atomically: the plan and `actions` go to a temp file, which is then hard-linked as
   * the journal (failing if one exists) and unlinked.
   *
   * @param root - absolute, real path of the root
   * @param plan - the plan line
   * @param actions - actions already performed (an undo of a committed batch lists them all)
   * @param durable - `fsync` the file and the root
   * @throws {@link BatchStateError} when a journal already exists (another commit is under way, or a crash
   * was not recovered)
   */
  static async create(
    root: string,
    plan: JournalPlan,
    actions: readonly JournalAction[],
    durable: boolean,
  ): Promise<Journal> {
    const target = journalPath(root);
    const temp = resolveInRoot(root, tempName(JOURNAL_NAME, randomBytes(8).toString('hex')));
    const text = line(plan) + actions.map(line).join('');
    await writeFile(temp, text, { flag: 'wx', mode: 0o600, flush: durable });
    try {
      await link(temp, target);
    } catch (error) {
      // Where hard links are unsupported, a rename after a check: a race the agent does not run into,
      // since it commits one batch at a time.
      const unsupported = isErrno(error, 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS');
      if (!unsupported && !isErrno(error, 'EEXIST')) {
        await unlink(temp);
        throw error;
      }
      if (!unsupported || (await lstatOrUndefined(target)) !== undefined) {
        await unlink(temp);
        throw new BatchStateError(
          plan.batchId,
          `Cannot commit batch ${quote(plan.batchId)}: journal ${quote(target)} exists. Commit one batch at a time, and run recoverRoot at start.`,
        );
      }
      await rename(temp, target);
    }
    await unlink(temp).catch((error: unknown) => {
      if (!isErrno(error, 'ENOENT')) throw error;
    });
    if (durable) await syncDirectory(root);
    return Journal.#openAppend(root, { plan, actions: [...actions], undone: new Set() }, durable);
  }

  /**
   * Opens the journal left in `root` by a crash, if any, to roll it back.
   *
   * @returns `undefined` when there is no journal
   * @throws {@link JournalCorruptError} when it cannot be parsed
   */
  static async open(root: string, durable: boolean): Promise<Journal | undefined> {
    const path = journalPath(root);
    let text: string;
    try {
      text = await readFile(path, {
        encoding: 'utf8',
        flag: constants.O_RDONLY | constants.O_NOFOLLOW,
      });
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return undefined;
      if (isErrno(error, 'ELOOP')) throw new JournalCorruptError(path, 'it is a symbolic link');
      throw error;
    }
    const content = parseJournal(text, path);
    const complete = text.lastIndexOf('\n') + 1;
    // Drop a torn last line so the undo marks appended next start on a line of their own.
    if (complete < Buffer.byteLength(text))
      await truncate(path, Buffer.byteLength(text.slice(0, complete)));
    return Journal.#openAppend(root, content, durable);
  }

  static async #openAppend(
    root: string,
    content: JournalContent,
    durable: boolean,
  ): Promise<Journal> {
    const handle = await open(
      journalPath(root),
      constants.O_WRONLY | constants.O_APPEND | constants.O_NOFOLLOW,
    );
    return new Journal(root, handle, content, durable);
  }

  async #append(value: unknown): Promise<void> {
    await this.#handle.write(line(value));
    if (this.#durable) await this.#handle.datasync();
  }

  /**
   * Records `action`, then performs it with `perform`. If `perform` throws, the action had no effect and is
   * marked undone, and the error is rethrown.
   */
  async perform(action: JournalAction, perform: () => Promise<void>): Promise<void> {
    await this.#append(action);
    const index = this.actions.push(action) - 1;
    try {
      await perform();
    } catch (error) {
      await this.markUndone(index);
      throw error;
    }
  }

  /** Records that action `index` was rolled back (or never took effect). */
  async markUndone(index: number): Promise<void> {
    this.undone.add(index);
    await this.#append({ undone: index });
  }

  /** Whether records, and the changes they describe, are `fsync`ed. */
  get durable(): boolean {
    return this.#durable;
  }

  /** Closes and deletes the journal: the commit, undo or rollback is complete. */
  async remove(): Promise<void> {
    await this.#handle.close();
    await unlink(journalPath(this.#root));
    if (this.#durable) await syncDirectory(this.#root);
  }
}
