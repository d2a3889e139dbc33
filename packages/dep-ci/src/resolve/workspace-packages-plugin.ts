import type { Resolver } from 'enhanced-resolve';
import type { RepositoryIndex } from './repository-index.js';
import { packageNameOf } from './specifiers.js';
import type { WorkspacePackages } from './workspaces.js';

/**
 * enhanced-resolve plugin that answers every bare specifier reaching the `raw-module` step (after tsconfig
 * `paths`, `baseUrl` and package self-references had their turn) without looking at `node_modules`.
 *
 * - A workspace package name (`@scope/a/sub`) continues inside the package's directory in the repository
 *   (`exports`, `main`, index files), exactly as if `node_modules/@scope/a` were a link to it.
 * - Anything else ends resolution with `path: false` and the bare specifier still in `request`: a leaf outside
 *   the repository (a builtin or an external package), for the caller to classify.
 *
 * @remarks
 * Modelled on enhanced-resolve's own `PackageMapPlugin`, which hands a package's location to
 * `undescribed-resolve-in-package` the same way. Resolvers using it set `modules: []`, so no other plugin
 * walks `node_modules` either: results do not depend on whether dependencies are installed. O(1) per request.
 * @see {@link https://github.com/webpack/enhanced-resolve/blob/main/lib/PackageMapPlugin.js}
 */
export class WorkspacePackagesPlugin {
  readonly #index: RepositoryIndex;
  readonly #packages: WorkspacePackages;

  /** Plugin for the workspace `packages` (name → root-relative directory) of the repository in `index`. */
  constructor(index: RepositoryIndex, packages: WorkspacePackages) {
    this.#index = index;
    this.#packages = packages;
  }

  /** Tap the resolver's `raw-module` hook after its built-in plugins. */
  apply(resolver: Resolver): void {
    const target = resolver.ensureHook('undescribed-resolve-in-package');
    resolver
      .getHook('raw-module')
      .tapAsync(
        { name: 'DepCiWorkspacePackages', stage: 10 },
        (request, resolveContext, callback) => {
          const specifier = request.request;
          if (specifier === undefined) {
            callback();
            return;
          }
          const name = packageNameOf(specifier);
          const directory = this.#packages.get(name);
          if (directory === undefined) {
            callback(null, { ...request, path: false });
            return;
          }
          const innerRequest = `.${specifier.slice(name.length)}`;
          resolver.doResolve(
            target,
            {
              ...request,
              path: this.#index.toAbsolute(directory),
              request: innerRequest,
              fullySpecified: request.fullySpecified === true && innerRequest !== '.',
            },
            `workspace package "${name}" in "${directory}"`,
            resolveContext,
            // A workspace package is authoritative: never fall through to other module locations.
            (error, result) => callback(error ?? null, result ?? null),
          );
        },
      );
  }
}
