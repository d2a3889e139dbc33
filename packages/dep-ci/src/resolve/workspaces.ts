/**
 * Finding the workspace packages of a repository: the packages a bare specifier may name without anything
 * being installed.
 *
 * @module
 */
import picomatch from 'picomatch';
import { parsePnpmWorkspacePackages } from './pnpm-workspace.js';
import { isRecord, readRepositoryJson, readRepositoryText } from './read-files.js';
import type { RepositoryIndex } from './repository-index.js';

/**
 * Workspace package name → its directory (root-relative POSIX, `''` for the root package):
 * `'@velocity/core'` → `'packages/core'`.
 */
export type WorkspacePackages = ReadonlyMap<string, string>;

/**
 * Find the workspace packages declared by the root `package.json` (`workspaces`, as an array for npm or as
 * `{packages}` for Yarn) and by `pnpm-workspace.yaml` (`packages:`), plus the root package itself when it has
 * a name.
 *
 * @remarks
 * Each `package.json` among the index's files (outside `node_modules`) is a candidate; its directory is a
 * workspace package when it matches a glob and no `!`-negated glob (picomatch). When two packages share a
 * name, the one whose directory sorts first wins; the root package only takes a name no workspace has.
 * Unreadable or malformed `package.json` files are skipped, like a package manager would reject them.
 * O(files + packages × globs).
 * @see {@link https://docs.npmjs.com/cli/using-npm/workspaces}
 * @see {@link https://pnpm.io/pnpm-workspace_yaml}
 */
export function findWorkspacePackages(index: RepositoryIndex): WorkspacePackages {
  const rootManifest = readRepositoryJson(index, 'package.json');
  const globs = [...manifestWorkspaces(rootManifest)];
  const pnpmWorkspace = readRepositoryText(index, 'pnpm-workspace.yaml');
  if (pnpmWorkspace !== undefined) globs.push(...parsePnpmWorkspacePackages(pnpmWorkspace));
  const packages = new Map<string, string>();
  const include = globs.filter((glob) => !glob.startsWith('!')).map(normalizeGlob);
  const exclude = globs
    .filter((glob) => glob.startsWith('!'))
    .map((glob) => normalizeGlob(glob.slice(1)));
  if (include.length > 0) {
    const isIncluded = picomatch(include, { dot: true });
    const isExcluded = exclude.length > 0 ? picomatch(exclude, { dot: true }) : () => false;
    const directories = [...index.files]
      .filter((file) => file.endsWith('/package.json') && !file.split('/').includes('node_modules'))
      .map((file) => file.slice(0, -'/package.json'.length))
      .filter((directory) => isIncluded(directory) && !isExcluded(directory))
      .sort();
    for (const directory of directories) {
      const name = manifestName(readRepositoryJson(index, `${directory}/package.json`));
      if (name !== undefined && !packages.has(name)) packages.set(name, directory);
    }
  }
  const rootName = manifestName(rootManifest);
  if (rootName !== undefined && !packages.has(rootName)) packages.set(rootName, '');
  return packages;
}

function normalizeGlob(glob: string): string {
  return glob.trim().replace(/^\.\//, '').replace(/\/+$/, '');
}

function manifestWorkspaces(manifest: unknown): string[] {
  const workspaces = isRecord(manifest) ? manifest['workspaces'] : undefined;
  const list = isRecord(workspaces) ? workspaces['packages'] : workspaces;
  return Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string') : [];
}

function manifestName(manifest: unknown): string | undefined {
  const name = isRecord(manifest) ? manifest['name'] : undefined;
  return typeof name === 'string' && name !== '' ? name : undefined;
}
