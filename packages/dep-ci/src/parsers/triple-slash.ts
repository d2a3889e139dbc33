/** `/// <reference path="…" />` or `types="…"`; `lib=` and `no-default-lib` name no module. */
const TRIPLE_SLASH = /^\/\/\/[ \t]*<reference[ \t]+(path|types)[ \t]*=[ \t]*(['"])([^'"\r\n]*)\2/;

/** What a triple-slash directive refers to. */
export interface TripleSlashTarget {
  /** The `path` or `types` value as written. */
  specifier: string;
  /** `types=` (a type package) rather than `path=`. */
  typeOnly: boolean;
}

/**
 * Reads a triple-slash reference directive.
 *
 * @param text - the text of one line or comment, starting at its `///`
 * @returns the directive's target, or `undefined` when the text is not a `path`/`types` reference
 *
 * @remarks O(length of the first line of `text`).
 * @see {@link https://www.typescriptlang.org/docs/handbook/triple-slash-directives.html}
 */
export function readTripleSlash(text: string): TripleSlashTarget | undefined {
  const match = TRIPLE_SLASH.exec(text);
  const [, attribute, , specifier] = match ?? [];
  if (attribute === undefined || specifier === undefined || specifier === '') return undefined;
  return { specifier, typeOnly: attribute === 'types' };
}
