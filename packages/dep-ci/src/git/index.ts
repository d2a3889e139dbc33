/**
 * dep-ci's git access: the repository's files, the base and head of a change, and the files it touched.
 *
 * Git runs without a shell, with `-c core.quotepath=off`, and every path list is read with `-z`, so
 * paths with spaces, newlines or any Unicode come back exactly. Paths are root-relative POSIX strings.
 *
 * @module
 */
export { changedFiles, changedPaths, parseNameStatus } from './changed-files.js';
export type { ChangedFile, ChangedFilesOptions, ChangeStatus } from './changed-files.js';
export type { GitOptions } from './exec-git.js';
export { findRepositoryRoot, isInNodeModules, isShallow, readWorkTree } from './repository.js';
export type { WorkTree } from './repository.js';
export { resolveRange } from './resolve-range.js';
export type { RangeSource, ResolvedRange, ResolveRangeOptions } from './resolve-range.js';
