/**
 * Rolling a journaled batch back: every recorded action is undone, last first, whether the commit
 * finished, stopped half-way, or was cut by a crash.
 *
 * @module
 */
import { rename, rm, rmdir, unlink } from './fs-sync.js';
import type { Stats } from 'node:fs';
import { PathRefusedError } from './errors.js';
import type { RollbackFailure } from './errors.js';
import { actionPaths, syncDirectory } from './journal.js';
import type { Journal, JournalAction, JournalPlan } from './journal.js';
import type { ApplyLogger } from './logger.js';
import {
  checkParents,
  chmodNoFollow,
  dirnameOf,
  isErrno,
  lstatOrUndefined,
  resolveInRoot,
} from './paths.js';

/** Whether two `lstat` results are the same inode (hard links of one file). */
function sameEntry(a: Stats, b: Stats): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/** `lstat` of root-relative `path` after checking its parents are real directories. */
async function lstatSafely(root: string, path: string): Promise<Stats | undefined> {
  const parents = await checkParents(root, path);
  return parents.complete ? lstatOrUndefined(resolveInRoot(root, path)) : undefined;
}

/**
 * Undoes one action, given that every later action has been undone.
 *
 * @remarks
 * Each undo checks the state first, so it is right whether the action was performed or only recorded, and
 * can be repeated after a crash during the undo itself:
 * - `mkdir`: `rmdir` if present (fails if something else was put in it).
 * - `backup`: when the backup is present, either it is still the same inode as the target (the new version
 *   was never placed: drop the extra link) or it is renamed back over the target.
 * - `place`: with a backup for the same operation, nothing (undoing the backup restores the target);
 *   otherwise, if the temp is gone, the new entry is unlinked.
 * - `move`: if `from` is gone and `to` is present, rename back.
 * - `chmod`: set the previous bits again.
 */
async function undoAction(
  root: string,
  action: JournalAction,
  actions: readonly JournalAction[],
): Promise<void> {
  const absolute = (path: string) => resolveInRoot(root, path);
  switch (action.action) {
    case 'mkdir': {
      if ((await lstatSafely(root, action.path))?.isDirectory() !== true) return;
      await rmdir(absolute(action.path));
      return;
    }
    case 'backup': {
      const backup = await lstatSafely(root, action.backup);
      if (backup === undefined) return;
      const target = await lstatSafely(root, action.path);
      if (target !== undefined && sameEntry(target, backup)) await unlink(absolute(action.backup));
      else await rename(absolute(action.backup), absolute(action.path));
      return;
    }
    case 'place': {
      const hasBackup = actions.some(
        (other) => other.action === 'backup' && other.op === action.op,
      );
      if (hasBackup || (await lstatSafely(root, action.temp)) !== undefined) return;
      const target = await lstatSafely(root, action.path);
      if (target !== undefined) await unlink(absolute(action.path));
      return;
    }
    case 'move': {
      if ((await lstatSafely(root, action.from)) !== undefined) return;
      if ((await lstatSafely(root, action.to)) === undefined) return;
      await rename(absolute(action.to), absolute(action.from));
      return;
    }
    case 'chmod': {
      const target = await lstatSafely(root, action.path);
      if (target === undefined) throw new Error('it no longer exists');
      await chmodNoFollow(absolute(action.path), action.previous, action.path);
      return;
    }
  }
}

/** The path an action is about, for failures and logs. */
function actionPath(action: JournalAction): string {
  return action.action === 'move' ? action.from : action.path;
}

/**
 * Rolls back every action of `journal` not yet undone, last first, then deletes the plan's temp files.
 *
 * @param root - absolute, real path of the root
 * @param journal - the open journal; each undone action is marked in it as it goes
 * @param logger - receives one `debug` per step before it is undone, and one `warn` per failed step
 * @returns the steps that could not be undone (each is marked undone anyway, so that a later recovery does
 * not retry it out of order)
 */
export async function rollBackJournal(
  root: string,
  journal: Journal,
  logger: ApplyLogger,
): Promise<RollbackFailure[]> {
  const failures: RollbackFailure[] = [];
  const { actions } = journal;
  for (let index = actions.length - 1; index >= 0; index--) {
    const action = actions[index];
    // c8 ignore next -- the loop stays inside the array
    if (action === undefined || journal.undone.has(index)) continue;
    logger.debug('undo', { batchId: journal.plan.batchId, ...action });
    try {
      await undoAction(root, action, actions);
    } catch (error) {
      const path = actionPath(action);
      const message = error instanceof Error ? error.message : String(error);
      failures.push({ path, message });
      logger.warn('rollback step failed', { batchId: journal.plan.batchId, path, message });
    }
    await journal.markUndone(index);
  }
  failures.push(...(await removeTemps(root, journal.plan)));
  if (journal.durable) {
    const dirs = new Set(actions.flatMap((action) => actionPaths(action).map(dirnameOf)));
    for (const dir of dirs) {
      await syncDirectory(resolveInRoot(root, dir)).catch((error: unknown) => {
        // A directory the rollback removed has nothing left to sync.
        if (!isErrno(error, 'ENOENT', 'ENOTDIR')) throw error;
      });
    }
  }
  return failures;
}

/**
 * Deletes the plan's temp files that are still present. A temp whose directory is no longer a real
 * directory under the root (the app replaced it) is not ours to delete any more, and is skipped.
 */
export async function removeTemps(root: string, plan: JournalPlan): Promise<RollbackFailure[]> {
  const failures: RollbackFailure[] = [];
  for (const operation of plan.operations) {
    if (operation.op !== 'write' && operation.op !== 'symlink') continue;
    try {
      if ((await lstatSafely(root, operation.temp)) !== undefined) {
        await rm(resolveInRoot(root, operation.temp), { force: true });
      }
    } catch (error) {
      if (error instanceof PathRefusedError) continue;
      // c8 ignore next 2 -- permissions changed by the app
      failures.push({ path: operation.temp, message: (error as Error).message });
    }
  }
  return failures;
}
