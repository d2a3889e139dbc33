import { git, splitNul, type GitOptions } from './exec-git.js';
import { isInNodeModules } from './repository.js';

/** How a file changed between base and head (git's `--name-status` letters, spelled out). */
export type ChangeStatus = 'added' | 'modified' | 'deleted' | 'renamed' | 'copied' | 'type-changed';

/** One changed file. */
export interface ChangedFile {
  /** Root-relative POSIX path at head (for `deleted`, the path it had at base). */
  path: string;
  status: ChangeStatus;
  /**
   * `renamed` and `copied`: the path at base, root-relative POSIX. A rename changes both paths: tests
   * that imported `oldPath` are affected as well as those importing `path` (see {@link changedPaths}).
   */
  oldPath?: string;
}

/** Options of {@link changedFiles}. */
export interface ChangedFilesOptions extends GitOptions {
  /** The work tree's root (absolute). */
  root: string;
  /** Base commit (a sha from {@link resolveRange}, or any revision). */
  base: string;
  /** Head commit (a sha from {@link resolveRange}, or any revision). */
  head: string;
  /**
   * Also count changes not yet committed: staged and unstaged changes to tracked files (against `HEAD`)
   * and untracked files that are not ignored.
   * @defaultValue false
   */
  includeUncommitted?: boolean;
}

const STATUS_BY_LETTER: Readonly<Record<string, ChangeStatus>> = {
  A: 'added',
  M: 'modified',
  D: 'deleted',
  R: 'renamed',
  C: 'copied',
  T: 'type-changed',
};

/**
 * Parses `git diff --name-status -z` output.
 *
 * @remarks
 * Records are `<status>\0<path>\0`, or `<R|C><score>\0<old>\0<new>\0` for renames and copies. A status
 * letter other than `A M D R C T` (`U` for an unmerged path, `X`) is counted as `modified`, so the file
 * still counts as changed.
 *
 * @see {@link https://git-scm.com/docs/git-diff#_raw_output_format}
 * @param output - the command's stdout
 * @returns the changes, in git's order
 */
export function parseNameStatus(output: string): ChangedFile[] {
  const fields = splitNul(output);
  const changes: ChangedFile[] = [];
  let i = 0;
  while (i < fields.length) {
    const letter = (fields[i] as string).charAt(0);
    const status = STATUS_BY_LETTER[letter] ?? 'modified';
    if (status === 'renamed' || status === 'copied') {
      changes.push({ path: fields[i + 2] as string, status, oldPath: fields[i + 1] as string });
      i += 3;
    } else {
      changes.push({ path: fields[i + 1] as string, status });
      i += 2;
    }
  }
  return changes;
}

/** Adds `change` to `changes`: a later status replaces an earlier one, except as {@link changedFiles} says. */
function mergeChange(changes: Map<string, ChangedFile>, change: ChangedFile): void {
  const earlier = changes.get(change.path);
  if (earlier !== undefined && change.status === 'modified' && earlier.status !== 'deleted') return;
  changes.set(change.path, change);
}

const DIFF = ['diff', '--name-status', '-z', '-M', '--no-ext-diff', '--no-relative'] as const;

/**
 * Lists the files that differ between base and head, optionally with uncommitted changes.
 *
 * @remarks
 * `git diff --name-status -z -M <base> <head>` (base exactly as given, not a merge base), with rename
 * detection: a rename is one entry with both `path` and `oldPath`. With `includeUncommitted`, the changes
 * from `git diff --name-status -z -M HEAD` (staged and unstaged, against the checked-out commit even
 * when `head` is another one) and the untracked files from `git ls-files -o --exclude-standard -z`
 * (`added`; those under a `node_modules/` directory are dropped) are merged in, in that order.
 *
 * Merging keys on `path`; a later status replaces an earlier one, except that `modified` never replaces
 * an earlier `added`, `renamed`, `copied` or `type-changed` (the file still is that, relative to base).
 *
 * Two or three git processes.
 *
 * @param options - see {@link ChangedFilesOptions}
 * @returns the changes, one per path, sorted by `path`
 * @throws {@link GitError} when git fails (e.g. base or head names no commit)
 * @throws {@link GitNotFoundError} when git is not installed
 */
export async function changedFiles(options: ChangedFilesOptions): Promise<ChangedFile[]> {
  const { root, base, head } = options;
  const gitOptions: GitOptions = {
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
  const uncommitted = options.includeUncommitted === true;
  const [committed, working, untracked] = await Promise.all([
    git([...DIFF, '--end-of-options', base, head, '--'], root, gitOptions),
    uncommitted ? git([...DIFF, 'HEAD', '--'], root, gitOptions) : '',
    uncommitted ? git(['ls-files', '-o', '--exclude-standard', '-z'], root, gitOptions) : '',
  ]);
  const changes = new Map<string, ChangedFile>();
  for (const change of parseNameStatus(committed)) mergeChange(changes, change);
  for (const change of parseNameStatus(working)) mergeChange(changes, change);
  for (const path of splitNul(untracked)) {
    if (!isInNodeModules(path)) mergeChange(changes, { path, status: 'added' });
  }
  return [...changes.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Every path a change touches: each `path`, plus the `oldPath` of renames (a copy's source is unchanged).
 *
 * @param changes - from {@link changedFiles}
 * @returns root-relative POSIX paths, unique, sorted
 */
export function changedPaths(changes: readonly ChangedFile[]): string[] {
  const paths = new Set<string>();
  for (const change of changes) {
    paths.add(change.path);
    if (change.status === 'renamed' && change.oldPath !== undefined) paths.add(change.oldPath);
  }
  return [...paths].sort();
}
