/**
 * Module resolution: where a {@link ModuleReference} found in a repository file leads.
 *
 * @module
 */
import path from 'node:path';
import type { ModuleReference, Resolution } from '../types.js';
import { compileAliases } from './aliases.js';
import { resolvePathLiteral, resolveUrlReference } from './file-references.js';
import { createModuleSpecifierResolution } from './module-specifiers.js';
import { nodeBuiltins } from './node-builtins.js';
import { createNodeResolution } from './node-resolution.js';
import { createPythonResolution } from './python-modules.js';
import { defaultPythonRoots, normalizePythonRoot } from './python-roots.js';
import { createRepositoryIndex } from './repository-index.js';
import { computeSettingsHash } from './settings-hash.js';
import { isPathSpecifier } from './specifiers.js';
import { TSCONFIG_NAMES } from './tsconfig-paths-plugin.js';
import { findWorkspacePackages } from './workspaces.js';

/** Options of {@link createModuleResolver}. */
export interface ModuleResolverOptions {
  /** Absolute path of the repository root. */
  root: string;
  /**
   * Every repository file dep-ci considers, root-relative POSIX (from `git ls-files -co --exclude-standard`,
   * possibly plus deleted files). These are the only files a `file`/`files` resolution names, and they are the
   * only files module resolution sees inside the repository: untracked build output does not exist, listed but
   * deleted files do.
   */
  files: ReadonlySet<string>;
  /**
   * Module aliases, key → target relative to the repository root, first match wins: regular-expression keys as
   * in Jest's `moduleNameMapper` (`'^@app/(.*)$': 'src/$1'`, `<rootDir>` allowed) and prefix keys as in
   * webpack's `alias` (`'@app/': 'src/'`). Applied before everything else, builtins included (Jest maps `fs`
   * to a mock that way). See `compileAliases`.
   *
   * @defaultValue `{}`
   */
  aliases?: Readonly<Record<string, string>>;
  /**
   * Export conditions that may be active. `import`, `require` and `types` are alternatives: each present gets
   * its own resolution pass and the results are united, so an import of a package whose `import` and `require`
   * targets differ leads to both. See `resolutionPasses`.
   *
   * @defaultValue `['import', 'require', 'node', 'default', 'types']`
   */
  conditions?: readonly string[];
  /**
   * Directories absolute Python imports are searched from, root-relative (`''` or `.` for the root), in order.
   *
   * @defaultValue the root, `src`, and each directory with a `pyproject.toml`, `setup.py` or `setup.cfg`
   * followed by its `src` (see `defaultPythonRoots`)
   */
  pythonRoots?: readonly string[];
}

/** Resolves module references of one repository. */
export interface ModuleResolver {
  /**
   * Where `reference`, found in `fromFile` (root-relative POSIX), leads. Synchronous; results are memoized and
   * frozen, so equal references from one directory share one result object.
   */
  resolve(reference: ModuleReference, fromFile: string): Resolution;
  /**
   * Hex SHA-256 of everything besides the file list that affects results (tsconfig files, `package.json`
   * resolution fields, `pnpm-workspace.yaml`, aliases, conditions, Python roots); the same for two checkouts of
   * one commit at different paths. A cache key for resolutions.
   */
  readonly settingsHash: string;
}

/** Conditions when none are given: every way a test may load a module. */
const DEFAULT_CONDITIONS = ['import', 'require', 'node', 'default', 'types'];

/**
 * Create module resolution for the repository at `options.root`.
 *
 * JavaScript and TypeScript references go through enhanced-resolve (relative and absolute paths, extensions and
 * `.js` → `.ts`, index files, the nearest tsconfig's `paths`/`baseUrl`/`extends`/references, `package.json`
 * `exports`/`imports`/main fields), with workspace packages resolved to their sources in the repository and any
 * other bare specifier a leaf (`external`, or `builtin` for Node's modules). `node_modules` is never searched,
 * so results do not depend on what is installed. Globs, path literals, `new URL()` and Python imports are
 * matched against `files` directly.
 *
 * @throws SyntaxError when an alias key that is a regular expression does not compile.
 * @remarks
 * Construction reads the root `package.json`, `pnpm-workspace.yaml`, every `package.json` and every tsconfig
 * (for the settings hash): O(files + size of those files). Each `resolve` is memoized by (directory of
 * `fromFile`, kind of reference, specifier), since nothing else changes the result; a miss costs one to three
 * enhanced-resolve calls (see `createNodeResolution`) or a few set lookups.
 * @see {@link https://github.com/webpack/enhanced-resolve}
 */
export function createModuleResolver(options: ModuleResolverOptions): ModuleResolver {
  const index = createRepositoryIndex(options.root, options.files);
  const aliases = options.aliases ?? {};
  const conditions = options.conditions ?? DEFAULT_CONDITIONS;
  const pythonRoots = options.pythonRoots?.map(normalizePythonRoot) ?? defaultPythonRoots(index);
  const workspaces = findWorkspacePackages(index);
  const node = createNodeResolution({ index, workspaces, conditions });
  const resolveModule = createModuleSpecifierResolution({
    index,
    matchAlias: compileAliases(aliases),
    builtins: nodeBuiltins(),
    resolveNode: (specifier, directory) => node.resolve(specifier, directory),
    isWorkspacePackage: (name) => workspaces.has(name),
  });
  const python = createPythonResolution(index, pythonRoots);
  const settingsHash = computeSettingsHash({
    index,
    aliases,
    conditions,
    pythonRoots,
    tsconfigs: [...options.files].filter((file) =>
      TSCONFIG_NAMES.includes(path.posix.basename(file)),
    ),
    tsconfigFiles: (tsconfig) => node.tsconfigFiles(tsconfig),
  });
  const cache = new Map<string, Resolution>();

  const resolveUncached = (
    reference: ModuleReference,
    fromFile: string,
    directory: string,
  ): Resolution => {
    const { specifier } = reference;
    switch (reference.kind) {
      case 'python-import':
      case 'python-from':
      case 'python-importlib':
        return python.resolve(reference, fromFile);
      case 'path-literal':
        return resolvePathLiteral(index, specifier, fromFile);
      case 'url':
        return resolveUrlReference(index, specifier, fromFile);
      case 'triple-slash':
        // `path=` is always relative to the file, with or without `./`; `types=` is a package name.
        if (!reference.typeOnly && reference.glob !== true && !isPathSpecifier(specifier)) {
          return resolveModule.module(`./${specifier}`, directory);
        }
        break;
      case 'import':
      case 'side-effect':
      case 're-export':
      case 'dynamic-import':
      case 'require':
      case 'require-resolve':
      case 'import-equals':
      case 'mock':
        break;
    }
    return reference.glob === true
      ? resolveModule.glob(specifier, directory)
      : resolveModule.module(specifier, directory);
  };

  /**
   * Where a bare module specifier's resolution can differ: with node_modules never searched, only the
   * nearest tsconfig (its `paths`) and the nearest package.json (self-reference, `#imports`) matter, so
   * every directory under both shares one memo entry.
   */
  const bareScope = (directory: string): string =>
    `${index.findUp(directory, TSCONFIG_NAMES) ?? ''}\0${index.findUp(directory, PACKAGE_JSON) ?? ''}`;

  return {
    settingsHash,
    resolve(reference, fromFile) {
      const directory = path.posix.dirname(fromFile).replace(/^\.$/, '');
      const key = cacheKey(reference, directory, bareScope);
      const cached = cache.get(key);
      if (cached !== undefined) return cached;
      const resolution = freeze(resolveUncached(reference, fromFile, directory));
      cache.set(key, resolution);
      return resolution;
    },
  };
}

/** `findUp` memoizes by the identity of this array. */
const PACKAGE_JSON: readonly string[] = ['package.json'];

/**
 * The memo key: everything `resolve` depends on besides the resolver's own settings. A module specifier by
 * package name (or alias) depends on its directory only through `bareScope`.
 */
function cacheKey(
  reference: ModuleReference,
  directory: string,
  bareScope: (directory: string) => string,
): string {
  const category = referenceCategory(reference);
  const bare =
    category === 'module' && reference.glob !== true && !isPathSpecifier(reference.specifier);
  return `${category}${reference.glob === true ? ':glob' : ''}\0${bare ? bareScope(directory) : directory}\0${reference.specifier}`;
}

/** References of one category with the same specifier from the same place resolve alike. */
function referenceCategory(reference: ModuleReference): string {
  let category: string;
  switch (reference.kind) {
    case 'python-import':
    case 'python-importlib':
      category = `py${reference.level ?? ''}`;
      break;
    case 'python-from':
      category = `pyfrom${reference.level ?? ''}:${(reference.names ?? []).join(',')}`;
      break;
    case 'path-literal':
    case 'url':
      category = reference.kind;
      break;
    case 'triple-slash':
      category = reference.typeOnly ? 'module' : 'reference-path';
      break;
    case 'import':
    case 'side-effect':
    case 're-export':
    case 'dynamic-import':
    case 'require':
    case 'require-resolve':
    case 'import-equals':
    case 'mock':
      category = 'module';
      break;
  }
  return category;
}

function freeze(resolution: Resolution): Resolution {
  if (resolution.kind === 'files') Object.freeze(resolution.paths);
  return Object.freeze(resolution);
}
