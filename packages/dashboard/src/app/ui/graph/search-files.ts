/** Matches shown for a search, at most. */
export const SEARCH_LIMIT = 20;

/**
 * Files whose path contains `query` (case-insensitive): those whose file name starts with it first, then those
 * whose file name contains it, then the rest, each group by path.
 *
 * @remarks One pass over the paths, O(F × query length); the matches are then sorted.
 *
 * @param files - root-relative POSIX paths; a file's index is its id
 * @returns at most `limit` file ids; none for a blank query
 */
export function searchFiles(
  files: readonly string[],
  query: string,
  limit: number = SEARCH_LIMIT,
): number[] {
  const needle = query.trim().toLowerCase();
  if (needle === '') return [];
  const matches: Array<{ id: number; rank: number; path: string }> = [];
  files.forEach((path, id) => {
    const lower = path.toLowerCase();
    const at = lower.lastIndexOf(needle);
    if (at === -1) return;
    const nameStart = lower.lastIndexOf('/') + 1;
    const rank = lower.startsWith(needle, nameStart) ? 0 : at >= nameStart ? 1 : 2;
    matches.push({ id, rank, path });
  });
  matches.sort((a, b) => a.rank - b.rank || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return matches.slice(0, limit).map((match) => match.id);
}
