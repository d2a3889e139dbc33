/**
 * Reading repository files that configure resolution (`package.json`, `pnpm-workspace.yaml`).
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import type { RepositoryIndex } from './repository-index.js';

/**
 * The UTF-8 text of a repository file (root-relative POSIX), or `undefined` when it is not among the index's
 * files or cannot be read (listed by git but deleted from the working tree).
 */
export function readRepositoryText(index: RepositoryIndex, file: string): string | undefined {
  if (!index.files.has(file)) return undefined;
  try {
    return readFileSync(index.toAbsolute(file), 'utf8');
  } catch {
    return undefined;
  }
}

/** The parsed JSON of a repository file, or `undefined` when it is missing, unreadable or malformed. */
export function readRepositoryJson(index: RepositoryIndex, file: string): unknown {
  const text = readRepositoryText(index, file);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A plain JSON object (not an array, not `null`). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
