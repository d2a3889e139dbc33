import { posix } from 'node:path';

/**
 * A relative file path as a string literal: no whitespace, quotes, backslashes, `:` (URLs, `node:`,
 * drive letters), glob, negation (`!`) or URL-query characters; does not start with `/` (absolute) or `@` (a scoped
 * package); contains a `/`; and its last segment ends in an extension of 1–8 letters or digits.
 */
const PATH_LITERAL =
  /^(?![/@])[^\s'"`\\:*?<>|{}[\]#!]*\/[^\s'"`\\:*?<>|{}[\]#!]*\.[A-Za-z0-9]{1,8}$/;

/** Longer literals are data, not paths (and are not worth the regular expression). */
const MAX_PATH_LITERAL_LENGTH = 1024;

/**
 * Tells whether a string literal's value looks like a relative file path (`'./fixtures/a.json'`,
 * `'../data/a.txt'`, `'fixtures/a.json'`) and so becomes a `path-literal` reference.
 *
 * @param value - the literal's value (escapes decoded)
 * @returns `true` for path-looking values; `'a.json'` (no `/`), `'https://x/a.js'`, `'@scope/pkg/a.js'`,
 *   `'/abs/a.js'`, `'src/*.ts'` and `'./dir/'` are not
 *
 * @remarks O(length of `value`). False positives are cheap: a path literal becomes an edge only when it
 * names an existing repository file.
 */
export function isPathLiteral(value: string): boolean {
  return value.length <= MAX_PATH_LITERAL_LENGTH && PATH_LITERAL.test(value);
}

/**
 * Turns the literal segments of `path.join(__dirname, 'fixtures', 'a.json')` (or `path.resolve`) into the
 * relative path they name: `'./fixtures/a.json'`.
 *
 * @param segments - the literal arguments after `__dirname`, in order
 * @returns a POSIX path starting with `./` or `../`, or `undefined` when there are no segments or one is
 *   absolute (then the result no longer depends on `__dirname`)
 *
 * @remarks O(total length of `segments`).
 */
export function joinDirnameSegments(segments: readonly string[]): string | undefined {
  if (segments.length === 0 || segments.some((segment) => segment.startsWith('/'))) {
    return undefined;
  }
  const joined = posix.join(...segments);
  return joined === '..' || joined.startsWith('../') ? joined : `./${joined === '.' ? '' : joined}`;
}
