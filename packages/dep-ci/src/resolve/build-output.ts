/**
 * Mapping compiled output (`dist/index.js`, `index.js`) back to the TypeScript source it is built from
 * (`src/index.ts`, `index.ts`), so a workspace package resolves to repository files whether or not it has been
 * built.
 *
 * @module
 */
import type { Resolver } from 'enhanced-resolve';
import type { RepositoryIndex } from './repository-index.js';

/** What `findUp` looks for to find a file's package (one constant array: `findUp` memoizes by identity). */
const MANIFEST_NAMES = ['package.json'];
/** Top-level directories of a package that usually hold build output. */
const BUILD_DIRECTORIES = new Set(['dist', 'build', 'lib', 'out', 'esm', 'cjs']);
/** Module-format subdirectories inside a build directory (`dist/esm/index.js`). */
const FORMAT_DIRECTORIES = new Set(['esm', 'cjs', 'mjs', 'es', 'umd', 'types', 'node', 'browser']);
/** Extensions of compiled output and declarations, longest first, stripped before looking for sources. */
const OUTPUT_EXTENSIONS = [
  '.d.mts',
  '.d.cts',
  '.d.ts',
  '.mjs',
  '.cjs',
  '.jsx',
  '.js',
  '.mts',
  '.cts',
  '.tsx',
  '.ts',
];
/** Source extensions, in the order TypeScript prefers them. */
const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
/** Sources tried first for output of one module format: `.cjs` is built from `.cts`, `.mjs` from `.mts`. */
const PREFERRED_SOURCES: Readonly<Record<string, readonly string[]>> = {
  '.cjs': ['.cts', '.cjs'],
  '.d.cts': ['.cts', '.cjs'],
  '.mjs': ['.mts', '.mjs'],
  '.d.mts': ['.mts', '.mjs'],
};

/** TypeScript files compiled to a JavaScript extension, as TypeScript substitutes them. */
const TYPESCRIPT_FOR_JAVASCRIPT: Readonly<Record<string, readonly string[]>> = {
  '.js': ['.ts', '.tsx', '.d.ts'],
  '.jsx': ['.tsx', '.d.ts'],
  '.mjs': ['.mts', '.d.mts'],
  '.cjs': ['.cts', '.d.cts'],
};

/**
 * The source file (root-relative POSIX) a missing output path is compiled from, or `undefined`.
 *
 * First the TypeScript file next to it, as TypeScript itself substitutes extensions in `main`, `exports` and
 * `imports` targets: `main: "index.js"` → `index.ts`.
 *
 * Output at the top of the package, outside any build directory, maps to the same path under `src/`
 * (`v4/index.js` → `src/v4/index.ts`, as zod publishes).
 *
 * Then the build directory: `file` maps when it lies under a build directory (`dist`, `build`, `lib`, `out`,
 * `esm`, `cjs`) at the top of its package (the nearest directory with a `package.json`, else the root) and that
 * directory holds no repository file at all: a `lib/` with tracked files is source, not output. The rest of the
 * path is then looked up under `src/` and under the package itself, with and without a module-format directory
 * (`dist/esm/x.js` → `src/x.ts`), with any compiled extension replaced by each source extension (same module
 * format first), then as a directory index: `packages/a/dist/sub/x.js` → `packages/a/src/sub/x.ts`,
 * `packages/a/dist/index.d.ts` → `packages/a/src/index.ts`, `packages/a/dist/src/cli.mjs` →
 * `packages/a/src/cli.mts`.
 *
 * @remarks At most 4 bases × 18 candidates, each a set lookup, plus one memoized `findUp`.
 * @see {@link https://www.typescriptlang.org/docs/handbook/modules/reference.html#file-extension-substitution}
 */
export function sourceForOutput(index: RepositoryIndex, file: string): string | undefined {
  const extension = /\.[cm]?jsx?$/.exec(file)?.[0];
  const sibling = (extension === undefined ? [] : (TYPESCRIPT_FOR_JAVASCRIPT[extension] ?? []))
    .map((source) => file.slice(0, -(extension?.length ?? 0)) + source)
    .find((candidate) => index.files.has(candidate));
  if (sibling !== undefined) return sibling;
  const slash = file.lastIndexOf('/');
  const manifest = index.findUp(slash === -1 ? '' : file.slice(0, slash), MANIFEST_NAMES);
  const packageDirectory = manifest === undefined ? '' : manifest.slice(0, -'package.json'.length);
  const inPackage = file.slice(packageDirectory.length);
  const [buildDirectory, ...rest] = inPackage.split('/');
  if (
    buildDirectory === undefined ||
    !BUILD_DIRECTORIES.has(buildDirectory) ||
    index.isDirectory(packageDirectory + buildDirectory)
  ) {
    // Output written at the top of the package, e.g. zod's `v4/index.js` built from `src/v4/index.ts`.
    return findSource(index, `${packageDirectory}src/${inPackage}`);
  }
  const variants = [rest];
  if (rest.length > 1 && FORMAT_DIRECTORIES.has(rest[0] ?? '')) variants.push(rest.slice(1));
  for (const variant of variants) {
    for (const base of [['src', ...variant], variant]) {
      const found = findSource(index, packageDirectory + base.join('/'));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function findSource(index: RepositoryIndex, output: string): string | undefined {
  const extension = OUTPUT_EXTENSIONS.find((candidate) => output.endsWith(candidate));
  const stem = extension === undefined ? output : output.slice(0, -extension.length);
  const sourceExtensions = new Set([
    ...((extension === undefined ? undefined : PREFERRED_SOURCES[extension]) ?? []),
    ...SOURCE_EXTENSIONS,
  ]);
  const candidates = extension === undefined ? [output] : [];
  for (const sourceExtension of sourceExtensions) candidates.push(stem + sourceExtension);
  const indexStem = stem === '' || stem.endsWith('/') ? `${stem}index` : `${stem}/index`;
  for (const sourceExtension of sourceExtensions) candidates.push(indexStem + sourceExtension);
  return candidates.find((candidate) => index.files.has(candidate));
}

/**
 * enhanced-resolve plugin that sends a request for missing compiled output to its source before enhanced-resolve
 * looks for the file (see {@link sourceForOutput}). It taps the `relative` step, which every path goes
 * through: an `exports` or `imports` target, a `main` field, or a relative specifier.
 *
 * @remarks One `findUp` (memoized) and a few set lookups per request.
 */
export class BuildOutputPlugin {
  readonly #index: RepositoryIndex;

  /** Plugin for the repository in `index`. */
  constructor(index: RepositoryIndex) {
    this.#index = index;
  }

  /** Tap the resolver's `relative` hook before its built-in plugins. */
  apply(resolver: Resolver): void {
    const target = resolver.ensureHook('existing-file');
    resolver
      .getHook('relative')
      .tapAsync({ name: 'DepCiBuildOutput', stage: -10 }, (request, resolveContext, callback) => {
        const file = request.path === false ? undefined : this.#index.toRelative(request.path);
        if (file === undefined || this.#index.files.has(file) || this.#index.isDirectory(file)) {
          callback();
          return;
        }
        const source = sourceForOutput(this.#index, file);
        if (source === undefined) {
          callback();
          return;
        }
        resolver.doResolve(
          target,
          { ...request, path: this.#index.toAbsolute(source) },
          `output "${file}" is compiled from "${source}"`,
          resolveContext,
          callback,
        );
      });
  }
}
