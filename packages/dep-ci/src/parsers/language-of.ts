import type { Language } from '../types.js';

/**
 * Grammar per file extension (lower case, with the dot). `.jsx` uses the JavaScript grammar, which parses
 * JSX; `.d.ts` needs no entry because its last extension is `.ts`.
 */
const LANGUAGE_BY_EXTENSION: ReadonlyMap<string, Language> = new Map<string, Language>([
  ['.ts', 'typescript'],
  ['.mts', 'typescript'],
  ['.cts', 'typescript'],
  ['.tsx', 'tsx'],
  ['.js', 'javascript'],
  ['.jsx', 'javascript'],
  ['.mjs', 'javascript'],
  ['.cjs', 'javascript'],
  ['.py', 'python'],
  ['.pyi', 'python'],
]);

/**
 * Picks the grammar for a file from its extension.
 *
 * @param path - a file path (POSIX or native); only the part after the last `.` of the last segment counts,
 *   compared case-insensitively
 * @returns the language, or `undefined` for files dep-ci does not parse (no extension, `.json`, dotfiles
 *   such as `.ts` alone)
 *
 * @remarks O(length of `path`).
 */
export function languageOf(path: string): Language | undefined {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return undefined;
  return LANGUAGE_BY_EXTENSION.get(name.slice(dot).toLowerCase());
}
