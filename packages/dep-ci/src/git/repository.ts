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

/** The files of a work tree, and the content hashes git already knows. */
export interface WorkTree {
  /** Tracked files plus untracked ones not ignored, minus deleted ones: root-relative POSIX, sorted. */
  files: string[];
  /**
   * Root-relative POSIX path → git blob id, for every tracked file whose work-tree content is the content
   * in the index (clean, not conflicted, not a submodule): the content hash without reading the file.
   */
  blobIds: Map<string, string>;
}

/**
 * Reads the work tree's file list and the blob ids of its clean tracked files.
 *
 * @remarks
 * Three git processes side by side: `git ls-files -s -z` (tracked files with their staged blob ids),
 * `git ls-files -o --exclude-standard -z` (untracked files not ignored, so ignored directories such as
 * node_modules and dist are never walked) and `git ls-files -t -m -d -z` (modified `C` and deleted `R`
 * files). Paths under a `node_modules/` directory are dropped even when the repository does not ignore
 * them. A submodule is one entry (its directory) with no blob id. Blob ids are content hashes (SHA-1 of a
 * `blob <size>` header and the bytes), so a cache keyed by them holds on any machine. O(F log F) for F
 * files.
 * @see {@link https://git-scm.com/book/en/v2/Git-Internals-Git-Objects}
 *
 * @param root - the work tree's root (absolute)
 * @param options - see {@link GitOptions}
 * @throws {@link GitError} when git fails
 * @throws {@link GitNotFoundError} when git is not installed
 */
export async function readWorkTree(root: string, options: GitOptions = {}): Promise<WorkTree> {
  const [staged, untracked, dirty] = await Promise.all([
    git(['ls-files', '-s', '-z'], root, options),
    git(['ls-files', '-o', '--exclude-standard', '-z'], root, options),
    git(['ls-files', '-t', '-m', '-d', '-z'], root, options),
  ]);
  const modified = new Set<string>();
  const deleted = new Set<string>();
  for (const entry of splitNul(dirty)) {
    // `<tag> <path>`: C for a modified file, R for a deleted one (listed as both).
    const path = entry.slice(2);
    modified.add(path);
    if (entry.startsWith('R ')) deleted.add(path);
  }
  const files = new Set<string>();
  const blobIds = new Map<string, string>();
  const conflicted = new Set<string>();
  // `<mode> <object> <stage>\t<path>\0` per entry, read in place (50,000 entries make splitting costly).
  for (let at = 0; at < staged.length;) {
    const end = staged.indexOf('\0', at);
    const stop = end === -1 ? staged.length : end;
    const tab = staged.indexOf('\t', at);
    const path = staged.slice(tab + 1, stop);
    if (!deleted.has(path) && !isInNodeModules(path)) {
      files.add(path);
      // a conflicted path has several stages; a submodule (mode 160000) has no blob of its own
      const space = staged.lastIndexOf(' ', tab);
      if (staged.charCodeAt(tab - 1) !== 48 /* 0 */) conflicted.add(path);
      else if (!staged.startsWith('160000', at) && !modified.has(path)) {
        blobIds.set(path, staged.slice(staged.indexOf(' ', at) + 1, space));
      }
    }
    at = stop + 1;
  }
  for (const path of conflicted) blobIds.delete(path);
  for (const path of splitNul(untracked)) if (!isInNodeModules(path)) files.add(path);
  return { files: [...files].sort(), blobIds };
}
