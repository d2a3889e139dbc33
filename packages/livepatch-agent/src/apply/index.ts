/**
 * Applying a batch of file operations atomically inside the agent's root, and recovering from a crash.
 *
 * @module
 */
export { DEFAULT_APPLY_LIMITS, MODE_MASK, beginBatch } from './batch.js';
export type {
  ApplyLimits,
  Batch,
  BatchResult,
  BeginBatchOptions,
  CommittedBatch,
  SymlinkOptions,
  WriteFileOptions,
} from './batch.js';
export {
  ApplyIoError,
  BasisUnavailableError,
  BatchStateError,
  ContentMismatchError,
  JournalCorruptError,
  PathRefusedError,
  RollbackFailedError,
  SizeLimitError,
} from './errors.js';
export type { RollbackFailure } from './errors.js';
export { JOURNAL_VERSION } from './journal.js';
export type { JournalAction, JournalOperation, JournalPlan } from './journal.js';
export { SILENT_LOGGER } from './logger.js';
export type { ApplyLogger } from './logger.js';
export {
  DEFAULT_PATH_LIMITS,
  JOURNAL_NAME,
  isBackupName,
  isInternalName,
  isTempName,
  validatePath,
} from './paths.js';
export type { PathLimits } from './paths.js';
export { recoverRoot } from './recover.js';
export type { RecoverResult, RecoverRootOptions } from './recover.js';
