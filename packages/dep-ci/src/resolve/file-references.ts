/**
 * References that name a file by its path rather than a module: string literals that look like paths and
 * `new URL('./x', import.meta.url)`.
 *
 * @module
 */
import path from 'node:path';
import type { Resolution } from '../types.js';
import type { RepositoryIndex } from './repository-index.js';

/** What `findUp` looks for to find a file's package (one constant array: `findUp` memoizes by identity). */
const MANIFEST_NAMES = ['package.json'];
/** TypeScript sources a `.js`-style URL may have been written for (the bundler or loader compiles them). */
const SOURCE_FOR_OUTPUT: Readonly<Record<string, readonly string[]>> = {
  '.js': ['.ts', '.tsx'],
  '.jsx': ['.tsx'],
  '.mjs': ['.mts'],
  '.cjs': ['.cts'],
};

/**
 * Join a specifier to a root-relative directory: the root-relative POSIX path it names, or `undefined` when it
 * leaves the repository. An absolute specifier (`/x`) is taken from the root.
 */
export function joinRepositoryPath(directory: string, specifier: string): string | undefined {
  const joined = path.posix.normalize(
    specifier.startsWith('/') ? specifier.slice(1) : path.posix.join(directory, specifier),
  );
  if (joined === '..' || joined.startsWith('../')) return undefined;
  return joined === '.' ? '' : joined.replace(/\/$/, '');
}

/**
 * Resolve a `path-literal` reference (`'./fixtures/a.json'`, `'fixtures/a.json'`) found in `fromFile`: the first
 * repository file it names relative to the file's directory, to the repository root, or to the directory of the
 * nearest `package.json` (where `npm test` runs). Exact names only, no extensions or index files.
 *
 * @remarks Three set lookups at most.
 */
export function resolvePathLiteral(
  index: RepositoryIndex,
  specifier: string,
  fromFile: string,
): Resolution {
  const directory = path.posix.dirname(fromFile).replace(/^\.$/, '');
  const manifest = index.findUp(directory, MANIFEST_NAMES);
  const packageDirectory =
    manifest === undefined ? '' : path.posix.dirname(manifest).replace(/^\.$/, '');
  for (const base of [directory, '', packageDirectory]) {
    const candidate = joinRepositoryPath(base, specifier);
    if (candidate !== undefined && index.files.has(candidate))
      return { kind: 'file', path: candidate };
  }
  return { kind: 'unresolved', reason: `no repository file at "${specifier}"` };
}

/**
 * Resolve a `url` reference (`new URL('./worker.js', import.meta.url)`) found in `fromFile`: the file it names
 * relative to the file's directory, or, for a JavaScript extension, the TypeScript source with the same stem
 * (`./worker.js` → `worker.ts`), which a bundler or TypeScript loader serves under the `.js` name.
 *
 * @remarks A few set lookups.
 * @see {@link https://vite.dev/guide/assets#new-url-url-import-meta-url}
 */
export function resolveUrlReference(
  index: RepositoryIndex,
  specifier: string,
  fromFile: string,
): Resolution {
  const target = joinRepositoryPath(path.posix.dirname(fromFile).replace(/^\.$/, ''), specifier);
  if (target === undefined)
    return { kind: 'unresolved', reason: `"${specifier}" leaves the repository` };
  const extension = path.posix.extname(target);
  const stem = target.slice(0, target.length - extension.length);
  const candidates = [
    target,
    ...(SOURCE_FOR_OUTPUT[extension] ?? []).map((source) => stem + source),
  ];
  const found = candidates.find((candidate) => index.files.has(candidate));
  return found === undefined
    ? { kind: 'unresolved', reason: `no repository file at "${target}"` }
    : { kind: 'file', path: found };
}
