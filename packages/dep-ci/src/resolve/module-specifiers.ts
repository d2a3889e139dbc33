/**
 * JavaScript and TypeScript module specifiers: aliases, builtins and globs around enhanced-resolve, and what its
 * outcomes mean for dep-ci.
 *
 * @module
 */
import path from 'node:path';
import type { Resolution } from '../types.js';
import type { AliasMatcher } from './aliases.js';
import { joinRepositoryPath } from './file-references.js';
import { matchGlobReference } from './glob-references.js';
import type { NodeOutcome } from './node-resolution.js';
import type { RepositoryIndex } from './repository-index.js';
import { isPathSpecifier, packageNameInNodeModules, packageNameOf } from './specifiers.js';

/** A URL scheme other than `node:` (`https:`, `data:`, Vite's `virtual:`); two letters at least, unlike `C:`. */
const URL_SCHEME = /^[a-z][a-z0-9+.-]+:/i;

/** What {@link createModuleSpecifierResolution} works with. */
export interface ModuleSpecifierContext {
  index: RepositoryIndex;
  /** The configured aliases (see `compileAliases`). */
  matchAlias: AliasMatcher;
  /** Specifiers of Node's built-in modules (see `nodeBuiltins`). */
  builtins: ReadonlySet<string>;
  /** Resolve with enhanced-resolve from a root-relative directory, with that directory's nearest tsconfig. */
  resolveNode: (specifier: string, directory: string) => NodeOutcome;
  /** Whether a package name belongs to a workspace package of the repository. */
  isWorkspacePackage: (name: string) => boolean;
}

/** JavaScript/TypeScript specifiers, plain and glob, resolved from a root-relative directory. */
export interface ModuleSpecifierResolution {
  /**
   * Resolve a specifier: an alias first (its target as a root-relative path, then, unless written as a path,
   * as a bare specifier), then Node builtins, URL schemes (`https:`, `virtual:`: external), and enhanced-resolve.
   */
  module(specifier: string, directory: string): Resolution;
  /**
   * Resolve a glob specifier (`./locales/*.json`): relative, absolute (from the root) or through an alias, to
   * the matching repository files; a glob inside a package that is not a workspace package is external.
   */
  glob(specifier: string, directory: string): Resolution;
}

/**
 * Create resolution of JavaScript/TypeScript module specifiers on top of enhanced-resolve's outcomes.
 *
 * An outcome's paths become `file`/`files` when they are repository files and `external` when they lie in a
 * `node_modules` directory; a leaf is `builtin` or `external`; a failure is `unresolved` with the reason, root
 * stripped.
 *
 * @remarks One enhanced-resolve resolution per specifier (two for an alias that is not a path); a glob costs
 * O(files).
 */
export function createModuleSpecifierResolution(
  context: ModuleSpecifierContext,
): ModuleSpecifierResolution {
  const { index, matchAlias, builtins } = context;

  const toResolution = (outcome: NodeOutcome, specifier: string, directory: string): Resolution => {
    switch (outcome.kind) {
      case 'leaf':
        return builtins.has(outcome.request)
          ? { kind: 'builtin' }
          : { kind: 'external', packageName: packageNameOf(outcome.request) };
      case 'failed': {
        const name = packageNameOf(specifier);
        const what =
          !isPathSpecifier(specifier) && context.isWorkspacePackage(name)
            ? `workspace package "${name}" has no file for "${specifier}"`
            : `cannot resolve "${specifier}" from "${directory || '.'}"`;
        return { kind: 'unresolved', reason: `${what}: ${withoutRoot(index, outcome.message)}` };
      }
      case 'paths': {
        const found: string[] = [];
        let external: string | undefined;
        let outside: string | undefined;
        for (const absolute of outcome.paths) {
          const relative = index.toRelative(absolute);
          const packageName = packageNameInNodeModules(absolute.split(path.sep).join('/'));
          if (relative !== undefined && index.files.has(relative)) found.push(relative);
          else if (packageName !== undefined) external ??= packageName;
          else outside ??= absolute;
        }
        const paths = [...new Set(found)].sort();
        const [only] = paths;
        if (only !== undefined)
          return paths.length === 1 ? { kind: 'file', path: only } : { kind: 'files', paths };
        if (external !== undefined) return { kind: 'external', packageName: external };
        return {
          kind: 'unresolved',
          reason: `"${specifier}" leads to "${outside ?? ''}", which is not a repository file`,
        };
      }
    }
  };

  const bare = (specifier: string, directory: string): Resolution => {
    if (builtins.has(specifier)) return { kind: 'builtin' };
    if (URL_SCHEME.test(specifier)) return { kind: 'external', packageName: specifier };
    return toResolution(context.resolveNode(specifier, directory), specifier, directory);
  };

  return {
    module(specifier, directory) {
      if (specifier === '') return { kind: 'unresolved', reason: 'empty specifier' };
      const alias = matchAlias(specifier);
      if (alias === undefined) return bare(specifier, directory);
      const asPath = toResolution(context.resolveNode(`./${alias.target}`, ''), alias.target, '');
      if (asPath.kind !== 'unresolved' || alias.pathOnly || isPathSpecifier(alias.target))
        return asPath;
      return bare(alias.target, directory);
    },
    glob(specifier, directory) {
      const alias = matchAlias(specifier);
      let pattern: string | undefined;
      if (alias !== undefined) pattern = alias.target;
      else if (isPathSpecifier(specifier)) pattern = joinRepositoryPath(directory, specifier);
      else if (
        !context.isWorkspacePackage(packageNameOf(specifier)) &&
        !/[*?[{]/.test(packageNameOf(specifier))
      ) {
        return { kind: 'external', packageName: packageNameOf(specifier) };
      }
      if (pattern === undefined) {
        return {
          kind: 'unresolved',
          reason: `glob "${specifier}" is not a path in the repository`,
        };
      }
      const paths = matchGlobReference(index, pattern);
      if (paths.length === 0)
        return { kind: 'unresolved', reason: `no repository file matches "${pattern}"` };
      return { kind: 'files', paths };
    },
  };
}

function withoutRoot(index: RepositoryIndex, message: string): string {
  return message
    .split(index.root + path.sep)
    .join('')
    .split(index.root)
    .join('.');
}
