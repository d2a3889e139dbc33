/**
 * Glob references: a dynamic import with a computed part (a template literal such as `./locales/${l}.json`,
 * which the parser turns into `./locales/*.json`) leads to every repository file it could load.
 *
 * @module
 */
import type { RepositoryIndex } from './repository-index.js';

/** Extensions a `.js`-style glob may really load, TypeScript sources first. */
const LOADED_FOR_WRITTEN: Readonly<Record<string, readonly string[]>> = {
  '.js': ['.ts', '.tsx', '.js', '.jsx'],
  '.jsx': ['.tsx', '.jsx'],
  '.mjs': ['.mts', '.mjs'],
  '.cjs': ['.cts', '.cjs'],
};

/**
 * The repository files (root-relative POSIX, sorted) a root-relative glob (`src/locales/*.json`) can load.
 *
 * Each `*` stands for the computed part of the specifier, which may hold `/` at run time (a template
 * literal `./locales/${lang}.json` with `lang` set to `en/US`): it matches any text, slashes included, as
 * webpack's context modules do. Static text was escaped by the parser (a backslash before a literal star).
 *
 * Besides the glob itself: a glob ending in a JavaScript extension also matches the TypeScript sources written
 * for it (`pages/*.js` matches `pages/a.ts`), and a glob whose last segment has no extension also matches
 * it with any extension and as a directory index (`pages/*` matches `pages/a/index.ts`), as module resolution
 * would load them.
 *
 * @remarks One regular expression per pattern, tested on the files under the glob's static prefix: O(files).
 */
export function matchGlobReference(index: RepositoryIndex, glob: string): string[] {
  const patterns = [glob];
  const extension = /\.[cm]?jsx?$/.exec(glob)?.[0];
  const loaded = extension === undefined ? undefined : LOADED_FOR_WRITTEN[extension];
  if (loaded !== undefined && extension !== undefined) {
    const stem = glob.slice(0, -extension.length);
    patterns.push(...loaded.map((candidate) => stem + candidate));
  } else if (!/\.[^/*]+$/.test(glob)) {
    patterns.push(`${glob}.*`, `${glob}/index.*`);
  }
  const regexes = patterns.map(globToRegExp);
  const prefix = staticPrefix(glob);
  const matches: string[] = [];
  for (const file of index.files) {
    if (file.startsWith(prefix) && regexes.some((regex) => regex.test(file))) matches.push(file);
  }
  return matches.sort();
}

/** A parser glob as an anchored regular expression: `*` is `.*`, a backslash escapes the next character. */
function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let index = 0; index < glob.length; index += 1) {
    const char = glob[index] as string;
    if (char === '*') source += '.*';
    else {
      const literal =
        char === '\\' && index + 1 < glob.length ? (glob[(index += 1)] as string) : char;
      source += literal.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, 's');
}

/** The literal text before the first `*` of a parser glob, unescaped. */
function staticPrefix(glob: string): string {
  let prefix = '';
  for (let index = 0; index < glob.length; index += 1) {
    const char = glob[index] as string;
    if (char === '*') break;
    prefix += char === '\\' && index + 1 < glob.length ? (glob[(index += 1)] as string) : char;
  }
  return prefix;
}
