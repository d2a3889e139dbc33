/**
 * Crash recovery at agent start: roll back an interrupted commit and sweep stale temp and backup files.
 *
 * @module
 */
import { readdir, realpath, rm } from 'node:fs/promises';
import type { RollbackFailure } from './errors.js';
import { Journal } from './journal.js';
import { SILENT_LOGGER } from './logger.js';
import type { ApplyLogger } from './logger.js';
import { JOURNAL_NAME, isBackupName, isErrno, isTempName, resolveInRoot } from './paths.js';
import { rollBackJournal } from './rollback.js';

/** Options of {@link recoverRoot}. */
export interface RecoverRootOptions {
  /** Receives a warning when a batch is rolled back, and one per step that fails. @defaultValue silent */
  logger?: ApplyLogger;
  /** `fsync` the journal's undo marks and the root (`--durable`). @defaultValue `false` */
  durable?: boolean;
}

/** What {@link recoverRoot} did. */
export interface RecoverResult {
  /** Id of the batch whose interrupted commit (or undo) was rolled back, if there was one. */
  rolledBack?: string;
  /** Temp files (`.<name>.lp-<random>.tmp`) deleted by the sweep. */
  removedTemps: number;
  /** Backups (`.<name>.lp-<batch>-<n>.bak`) of batches no longer undoable, deleted by the sweep. */
  removedBackups: number;
  /** Rollback steps or deletions that failed; each was logged. */
  failures: RollbackFailure[];
}

/**
 * Recovers `root` at agent start: rolls back the batch whose journal a crash left (restoring every
 * previous version and removing what it created), then deletes every stale temp file and backup under the
 * root.
 *
 * @remarks
 * Backups survive a crash only for batches committed but not yet released; the process that could undo them
 * is gone, so they are deleted. The sweep reads every directory under the root (O(entries)) without
 * following symbolic links, and does not descend into backups (they are deleted whole).
 *
 * @param root - the agent's root
 * @param options - logger and durability
 * @throws {@link JournalCorruptError} when the journal cannot be parsed (nothing is changed)
 */
export async function recoverRoot(
  root: string,
  options: RecoverRootOptions = {},
): Promise<RecoverResult> {
  const logger = options.logger ?? SILENT_LOGGER;
  const realRoot = await realpath(root);
  const failures: RollbackFailure[] = [];
  const journal = await Journal.open(realRoot, options.durable ?? false);
  let rolledBack: string | undefined;
  if (journal !== undefined) {
    rolledBack = journal.plan.batchId;
    logger.warn('rolling back a batch interrupted by a crash', {
      batchId: rolledBack,
      actions: journal.actions.length - journal.undone.size,
    });
    failures.push(...(await rollBackJournal(realRoot, journal, logger)));
    await journal.remove();
  }
  const swept = await sweep(realRoot, logger, failures);
  if (swept.removedTemps + swept.removedBackups > 0) {
    logger.info('deleted stale temp files and backups', { ...swept });
  }
  return {
    ...(rolledBack === undefined ? {} : { rolledBack }),
    ...swept,
    failures,
  };
}

/** Deletes every temp file and backup under `root`, never following a symbolic link. */
async function sweep(
  root: string,
  logger: ApplyLogger,
  failures: RollbackFailure[],
): Promise<{ removedTemps: number; removedBackups: number }> {
  const counts = { removedTemps: 0, removedBackups: 0 };
  const pending = [''];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    let entries;
    try {
      entries = await readdir(resolveInRoot(root, dir), { withFileTypes: true });
    } catch (error) {
      // c8 ignore next 2 -- the app removed the directory while we swept
      if (isErrno(error, 'ENOENT', 'ENOTDIR')) continue;
      throw error;
    }
    for (const entry of entries) {
      const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
      const temp = isTempName(entry.name);
      if (temp || isBackupName(entry.name)) {
        try {
          await rm(resolveInRoot(root, path), { recursive: true, force: true });
          if (temp) counts.removedTemps++;
          else counts.removedBackups++;
        } catch (error) {
          // c8 ignore next 4 -- permissions changed by the app
          const message = error instanceof Error ? error.message : String(error);
          failures.push({ path, message });
          logger.warn('could not delete a stale file', { path, message });
        }
      } else if (entry.isDirectory() && !(dir === '' && entry.name === JOURNAL_NAME)) {
        pending.push(path);
      }
    }
  }
  return counts;
}
