import { git, splitNul, type GitOptions } from './exec-git.js';

/**
 * The git blob id of every tracked file whose work-tree content is the content in the index: the content
 * hash of those files without reading them.
 *
 * @remarks
 * `git ls-files -s` gives each staged blob id; files `git ls-files -m` reports as modified (and untracked
 * files, which are not listed) are left out, so the caller hashes those itself with {@link gitBlobId}. Two
 * git processes, O(F). Blob ids are content hashes (SHA-1 of a `blob <size>` header and the bytes), so a
 * cache keyed by them holds on any machine.
 * @see {@link https://git-scm.com/book/en/v2/Git-Internals-Git-Objects}
 *
 * @param root - the work tree's root (absolute)
 * @returns root-relative POSIX path → 40-hex blob id
 * @throws {@link GitError} when git fails
 */
export async function indexBlobIds(
  root: string,
  options: GitOptions = {},
): Promise<Map<string, string>> {
  const [staged, modified] = await Promise.all([
    git(['ls-files', '-s', '-z'], root, options),
    git(['ls-files', '-m', '-z'], root, options),
  ]);
  const dirty = new Set(splitNul(modified));
  const ids = new Map<string, string>();
  for (const entry of splitNul(staged)) {
    // `<mode> <object> <stage>\t<path>`; a conflicted path has several stages: it is dirty anyway.
    const tab = entry.indexOf('\t');
    const [mode, id, stage] = entry.slice(0, tab).split(' ');
    const path = entry.slice(tab + 1);
    if (mode === '160000' || stage !== '0' || id === undefined || dirty.has(path)) continue;
    if (ids.has(path)) ids.delete(path);
    else ids.set(path, id);
  }
  return ids;
}
