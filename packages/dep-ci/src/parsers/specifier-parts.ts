/**
 * One piece of a specifier expression, in source order: static text, or `null` for a computed piece
 * (`${lang}` in a template literal, `lang` in `'./locales/' + lang + '.json'`).
 */
export type SpecifierPart = string | null;

/** A specifier built from {@link SpecifierPart}s. */
export interface BuiltSpecifier {
  /** The specifier, or a glob with one `*` per run of computed pieces. */
  specifier: string;
  /** `specifier` is a glob: at least one piece was computed. */
  glob: boolean;
}

/** Characters picomatch gives a meaning; static text escapes them so that it matches only itself. */
const GLOB_SPECIAL = /[\\*?[\]{}()!]/g;

/**
 * Builds the specifier of an expression made of static and computed pieces.
 *
 * @param parts - the pieces in source order
 * @returns the static text when nothing is computed; otherwise a glob, static text escaped for picomatch and
 *   each run of computed pieces replaced by `*` (the template literal `./locales/${l}.json` gives
 *   `./locales/*.json`); or `undefined` when the expression has no static prefix (the template literal
 *   `${dir}/a.js`, a bare identifier), which could name any module
 *
 * @remarks O(total length). Module resolution lets a `*` match across folders too, since a computed piece
 * may hold `/` at run time.
 */
export function buildSpecifier(parts: readonly SpecifierPart[]): BuiltSpecifier | undefined {
  if (parts.every((part) => part !== null)) return { specifier: parts.join(''), glob: false };
  const first = parts[0];
  if (first === null || first === undefined || first === '') return undefined;
  let specifier = '';
  let previousComputed = false;
  for (const part of parts) {
    if (part === null) {
      if (!previousComputed) specifier += '*';
      previousComputed = true;
    } else if (part !== '') {
      specifier += part.replace(GLOB_SPECIAL, '\\$&');
      previousComputed = false;
    }
  }
  return { specifier, glob: true };
}
