/**
 * Key paths as users read them (`livepatch.reload[0].action`), and walking plain data along them.
 *
 * @module
 */

/** One step of a key path: an object key or an array index. */
export type PathSegment = string | number;

/** Whether `value` is a plain `{}` object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Formats a key path: object keys joined with `.`, array indices as `[i]`; `''` for the root. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/** The value at `path` (object keys only) in `root`, or `undefined` when any step is missing. */
export function valueAt(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path)
    node = isPlainObject(node) && Object.hasOwn(node, key) ? node[key] : undefined;
  return node;
}
