/**
 * enhanced-resolve's tsconfig `paths`/`baseUrl` support, finding each importer's nearest tsconfig in the
 * repository listing, loading each tsconfig once, and behaving like `tsc` when an `extends` target is missing.
 *
 * @module
 */
import enhancedResolve from 'enhanced-resolve';
import type { Resolver } from 'enhanced-resolve';
import type { RepositoryIndex } from './repository-index.js';

type BasePlugin = InstanceType<typeof enhancedResolve.TsconfigPathsPlugin>;
type LoadCallback = Parameters<BasePlugin['_loadTsconfigPathsMap']>[2];
type FindCallback = Parameters<BasePlugin['_findTsconfigUpward']>[2];
type ExtendsCallback = Parameters<BasePlugin['_loadTsconfigFromExtends']>[5];
type PathsMap = Parameters<LoadCallback>[1];

/** What loading a tsconfig gave: its `paths` data, or why it could not be read. */
type LoadOutcome = { error: Error } | { map: PathsMap };

/**
 * Names of the files that configure TypeScript for a directory and its descendants, preferred first within one
 * directory (a `jsconfig.json` is a tsconfig with `allowJs`).
 */
export const TSCONFIG_NAMES: readonly string[] = ['tsconfig.json', 'jsconfig.json'];

/**
 * `TsconfigPathsPlugin` in its automatic mode (the nearest tsconfig of each importing directory, with its project
 * references: `references: 'auto'`).
 *
 * @remarks
 * Three departures from the base plugin, all through methods its type declarations expose:
 *
 * - The nearest tsconfig is looked up in the repository listing (`findUp`, memoized per directory) instead of
 *   with `stat` calls up to the file-system root, so a tsconfig above the repository never applies.
 * - The `paths` data is built once per tsconfig and resolver instead of on every request. The file system behind
 *   a module resolver is cached forever (a resolver lives for one dep-ci run), so nothing could change it.
 * - An `extends` target that cannot be found (a package from `node_modules` before `npm ci`) counts as an empty
 *   config, so the tsconfig's own `paths` still apply. `tsc` does the same: it reports TS6053 and goes on.
 *
 * A tsconfig that cannot be read or parsed is skipped, as the base plugin's automatic mode does;
 * {@link TsconfigPathsPlugin.loadError} says why.
 * @privateRemarks Overrides `_findTsconfigUpward` and `_loadTsconfigFromExtends` of
 * enhanced-resolve 5.27.
 * @see {@link https://github.com/webpack/enhanced-resolve#tsconfig}
 */
export class TsconfigPathsPlugin extends enhancedResolve.TsconfigPathsPlugin {
  readonly #index: RepositoryIndex;
  readonly #loaded = new WeakMap<Resolver, Map<string, LoadOutcome>>();
  readonly #mapsRelative = new Map<string, boolean>();

  /** Plugin for the repository in `index`. */
  constructor(index: RepositoryIndex) {
    super({ references: 'auto' });
    this.#index = index;
  }

  /**
   * The absolute paths of every file the tsconfig at the absolute path `tsconfig` is built from (itself, its
   * `extends` chain, its references), sorted.
   *
   * @throws Error when the tsconfig cannot be read or parsed (the error enhanced-resolve reports).
   */
  configFiles(resolver: Resolver, tsconfig: string): string[] {
    const outcome = this.#load(resolver, tsconfig);
    if ('error' in outcome) throw outcome.error;
    return outcome.map === undefined ? [] : [...outcome.map.fileDependencies].sort();
  }

  /**
   * Whether the `paths` of the nearest tsconfig of `directory` (root-relative POSIX) could rewrite a relative
   * specifier: a key starting with `.`, `/` or `*`. TypeScript never applies `paths` to relative specifiers,
   * enhanced-resolve does, so only without such keys may relative specifiers skip enhanced-resolve.
   *
   * @remarks O(paths keys) the first time per tsconfig, then one map lookup.
   */
  pathsMayMapRelative(resolver: Resolver, directory: string): boolean {
    const tsconfig = this.#index.findUp(directory, TSCONFIG_NAMES);
    if (tsconfig === undefined) return false;
    const absolute = this.#index.toAbsolute(tsconfig);
    let answer = this.#mapsRelative.get(absolute);
    if (answer === undefined) {
      const outcome = this.#load(resolver, absolute);
      const contexts =
        'error' in outcome || outcome.map === undefined
          ? []
          : Object.values(outcome.map.allContexts);
      answer = contexts.some(({ alias }) => alias.all.some(({ name }) => /^[./*]/.test(name)));
      this.#mapsRelative.set(absolute, answer);
    }
    return answer;
  }

  /** Why the tsconfig at the absolute path `tsconfig` is skipped, or `undefined` when it loads. */
  loadError(resolver: Resolver, tsconfig: string): string | undefined {
    const outcome = this.#load(resolver, tsconfig);
    return 'error' in outcome ? outcome.error.message.split('\n', 1)[0] : undefined;
  }

  override _findTsconfigUpward(resolver: Resolver, startDir: string, callback: FindCallback): void {
    const directory = this.#index.toRelative(startDir);
    const tsconfig =
      directory === undefined ? undefined : this.#index.findUp(directory, TSCONFIG_NAMES);
    if (tsconfig === undefined) {
      callback(null, null);
      return;
    }
    const outcome = this.#load(resolver, this.#index.toAbsolute(tsconfig));
    callback(null, 'error' in outcome ? null : outcome.map);
  }

  override _loadTsconfigFromExtends(
    resolver: Resolver,
    configFilePath: string,
    extendedConfigValue: string,
    fileDependencies: Set<string>,
    visitedConfigPaths: Set<string>,
    callback: ExtendsCallback,
  ): void {
    super._loadTsconfigFromExtends(
      resolver,
      configFilePath,
      extendedConfigValue,
      fileDependencies,
      visitedConfigPaths,
      (error, config) => callback(null, error === null ? config : {}),
    );
  }

  #load(resolver: Resolver, absTsconfigPath: string): LoadOutcome {
    let byPath = this.#loaded.get(resolver);
    if (byPath === undefined) {
      byPath = new Map();
      this.#loaded.set(resolver, byPath);
    }
    const cached = byPath.get(absTsconfigPath);
    if (cached !== undefined) return cached;
    // The resolver's file system calls back synchronously, so `outcome` is set before it is read.
    let outcome: LoadOutcome = { error: new Error(`tsconfig "${absTsconfigPath}" was not loaded`) };
    super._loadTsconfigPathsMap(resolver, absTsconfigPath, (error, map) => {
      outcome = error === null ? { map } : { error };
    });
    byPath.set(absTsconfigPath, outcome);
    return outcome;
  }
}
