/**
 * Matching `--set path=value` flags to config fields.
 *
 * @module
 */
import type { ConfigIssue } from '../errors.js';
import { knownKeysAt, leafPaths } from './schema-tree.js';
import { suggest } from './suggest.js';

/** One flag that sets a field. */
export interface FlagEntry {
  /** Dotted leaf path, e.g. `depCi.runner`; also the flag's name in messages (`--set depCi.runner`). */
  path: string;
  /** The value as given: a string from `--set`, or any value a caller passes. */
  value: unknown;
}

/** Result of {@link matchFlags}. */
export interface FlagMatch {
  /** Flags naming a field, in the order given. */
  entries: FlagEntry[];
  /** One issue per flag that names no field, with a suggestion when one is close. */
  issues: ConfigIssue[];
}

/**
 * Checks that every flag names a leaf of the schema.
 *
 * @param flags - Dotted leaf path → value, e.g. `{'depCi.runner': 'vitest'}`.
 */
export function matchFlags(flags: Readonly<Record<string, unknown>>): FlagMatch {
  const leaves = leafPaths();
  const entries: FlagEntry[] = [];
  const issues: ConfigIssue[] = [];
  for (const [path, value] of Object.entries(flags)) {
    if (leaves.includes(path)) {
      entries.push({ path, value });
      continue;
    }
    const sectionKeys = knownKeysAt(path.split('.'));
    const close = suggest(path, leaves);
    issues.push({
      path: `--set ${path}`,
      message:
        sectionKeys === undefined
          ? `unknown key "${path}"${close === undefined ? '' : ` (did you mean "${close}"?)`}`
          : `"${path}" is a section; set one of its fields (${sectionKeys.map((key) => `${path}.${key}`).join(', ')})`,
    });
  }
  return { entries, issues };
}
