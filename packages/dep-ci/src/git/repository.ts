import { resolve } from 'node:path';
import { GitError, NotAGitRepositoryError } from '../errors.js';
import { git, splitNul, tryGit, type GitOptions } from './exec-git.js';

/**
 * Whether a root-relative POSIX path lies inside a `node_modules` directory at any depth.
 *
 * @param path - root-relative POSIX path
 * @returns true for `node_modules/x` and `a/node_modules/x`, false for `a/node_modules.ts`
 */
export function isInNodeModules(path: string): boolean {
  return path.startsWith('node_modules/') || path.includes('/node_modules/');
}

/**
 * Finds the top of the git work tree that contains `cwd`.
 *
 * @param cwd - any directory inside the work tree (absolute)
 * @param options - see {@link GitOptions}
 * @returns the work tree's root, absolute, in the platform's path form
 * @throws {@link NotAGitRepositoryError} when `cwd` is not inside a git work tree, or does not exist
 * @throws {@link GitError} when git fails otherwise (e.g. `safe.directory` refuses the repository)
 * @throws {@link GitNotFoundError} when git is not installed
 * @privateRemarks
 * Git's message is matched in English; under another locale the error is a {@link GitError} that still
 * quotes git's first line.
 */
export async function findRepositoryRoot(cwd: string, options: GitOptions = {}): Promise<string> {
  const args = ['rev-parse', '--show-toplevel'];
  const output = await tryGit(args, cwd, options);
  if (output.exitCode !== 0) {
    if (/not a git repository/i.test(output.stderr)) throw new NotAGitRepositoryError(cwd);
    throw new GitError(args, output.exitCode, output.stderr);
  }
  // Git prints `C:/x` on Windows; resolve() gives the platform's form.
  return resolve(output.stdout.replace(/\r?\n$/, ''));
}

/**
 * Whether the repository is a shallow clone (history cut off, as `actions/checkout` does by default).
 *
 * @param root - the work tree's root (absolute)
 * @param options - see {@link GitOptions}
 * @returns `git rev-parse --is-shallow-repository` as a boolean
 * @throws {@link GitError} when git fails
 * @throws {@link GitNotFoundError} when git is not installed
 */
export async function isShallow(root: string, options: GitOptions = {}): Promise<boolean> {
  const output = await git(['rev-parse', '--is-shallow-repository'], root, options);
  return output.trim() === 'true';
}

/**
 * Lists the files of the work tree: tracked ones plus untracked ones not ignored, minus tracked files
 * deleted from the working tree.
 *
 * @remarks
 * `git ls-files -co --exclude-standard -z` minus `git ls-files --deleted -z`, so ignored directories
 * (node_modules, dist) are never walked. Paths under a `node_modules/` directory are dropped even when the
 * repository does not ignore them. A submodule is one entry (its directory). Cost: two git processes,
 * O(F log F) for F files.
 *
 * @param root - the work tree's root (absolute)
 * @param options - see {@link GitOptions}
 * @returns root-relative POSIX paths, unique, sorted by UTF-16 code unit
 * @throws {@link GitError} when git fails
 * @throws {@link GitNotFoundError} when git is not installed
 */
export async function listRepositoryFiles(
  root: string,
  options: GitOptions = {},
): Promise<string[]> {
  const [listed, deleted] = await Promise.all([
    git(['ls-files', '-co', '--exclude-standard', '-z'], root, options),
    git(['ls-files', '--deleted', '-z'], root, options),
  ]);
  const gone = new Set(splitNul(deleted));
  const files = new Set(
    splitNul(listed).filter((path) => !gone.has(path) && !isInNodeModules(path)),
  );
  return [...files].sort();
}
