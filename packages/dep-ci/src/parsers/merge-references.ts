import type { ModuleReference } from '../types.js';

/**
 * Merges reference lists, keeping the first of each specifier and line.
 *
 * @param lists - in priority order: a reference is dropped when an earlier one (in an earlier list, or
 *   earlier in the same list) has the same `specifier` and `line`
 * @returns the kept references ordered by line, stably (document order within a line)
 *
 * @remarks O(r log r) for r references in all lists.
 */
export function mergeReferences(
  ...lists: readonly (readonly ModuleReference[])[]
): ModuleReference[] {
  const seen = new Set<string>();
  const merged: ModuleReference[] = [];
  for (const list of lists) {
    for (const reference of list) {
      const key = `${reference.line}\n${reference.specifier}`;
      if (seen.has(key)) continue;
      seen.add(key);
      merged.push(reference);
    }
  }
  return merged.sort((a, b) => a.line - b.line);
}
