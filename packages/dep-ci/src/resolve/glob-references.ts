/**
 * Glob references: a dynamic import with a computed part (a template literal such as `./locales/${l}.json`,
 * which the parser turns into `./locales/*.json`) leads to every repository file it could load.
 *
 * @module
 */
import path from 'node:path';
import picomatch from 'picomatch';
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
 * Besides the glob itself: a glob ending in a JavaScript extension also matches the TypeScript sources written
 * for it (`pages/*.js` matches `pages/a.ts`), and a glob whose last segment has no extension also matches
 * it with any extension and as a directory index (`pages/*` matches `pages/a/index.ts`), as module resolution
 * would load them.
 *
 * @remarks picomatch with `dot: true`, tested on the files under the glob's static base directory: O(files).
 * @see {@link https://github.com/micromatch/picomatch#scan}
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
  const isMatch = picomatch(patterns, { dot: true });
  const scanned = picomatch.scan(glob);
  // A pattern without wildcards has itself as base: look in its directory, where `x.ts` and `x/` live.
  const base = scanned.isGlob ? scanned.base : path.posix.dirname(glob);
  const prefix = base === '' || base === '.' ? '' : `${base}/`;
  const matches: string[] = [];
  for (const file of index.files) {
    if (file.startsWith(prefix) && isMatch(file)) matches.push(file);
  }
  return matches.sort();
}
