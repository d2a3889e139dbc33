/**
 * Fixture trees for module-resolution tests: write a tree with `t.testdir`, list its files as
 * `git ls-files -co --exclude-standard` would (no `node_modules`), and resolve references from it.
 *
 * @module
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Test } from 'tap';
import { createModuleResolver } from '../../../src/resolve/index.js';
import type { ModuleResolver, ModuleResolverOptions } from '../../../src/resolve/index.js';
import type { ModuleReference, ReferenceKind, Resolution } from '../../../src/types.js';

/** A `t.testdir` fixture: nested objects are directories, strings are file contents. */
export type Fixture = NonNullable<Parameters<Test['testdir']>[0]>;

/** Every file under `root` except in `node_modules` and `.git`, root-relative POSIX, sorted. */
export function listFiles(root: string): Set<string> {
  const files: string[] = [];
  const walk = (directory: string): void => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === '.git') continue;
      const absolute = path.join(directory, entry.name);
      if (entry.isDirectory()) walk(absolute);
      else files.push(path.relative(root, absolute).split(path.sep).join('/'));
    }
  };
  walk(root);
  return new Set(files.sort());
}

/** A module reference with defaults for everything but the specifier. */
export function reference(
  specifier: string,
  kind: ReferenceKind = 'import',
  extra: Partial<ModuleReference> = {},
): ModuleReference {
  return { specifier, kind, typeOnly: false, line: 1, ...extra };
}

/** A resolver over a fresh fixture tree, and its root. */
export interface FixtureResolver {
  root: string;
  resolver: ModuleResolver;
  /** Resolve an `import` of `specifier` (or the given reference) from `fromFile`. */
  resolve: (specifier: string | ModuleReference, fromFile: string) => Resolution;
}

/** Write `fixture` to a test directory and create a resolver over it. */
export function fixtureResolver(
  t: Test,
  fixture: Fixture,
  options: Omit<ModuleResolverOptions, 'root' | 'files'> & {
    /** Fixture files git would not list (ignored build output). */
    untracked?: readonly string[];
  } = {},
): FixtureResolver {
  const root = t.testdir(fixture);
  const { untracked = [], ...resolverOptions } = options;
  const files = listFiles(root);
  for (const file of untracked) files.delete(file);
  const resolver = createModuleResolver({ ...resolverOptions, root, files });
  return {
    root,
    resolver,
    resolve: (specifier, fromFile) =>
      resolver.resolve(typeof specifier === 'string' ? reference(specifier) : specifier, fromFile),
  };
}
