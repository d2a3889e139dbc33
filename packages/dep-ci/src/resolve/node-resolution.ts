/**
 * Node.js and TypeScript module resolution through enhanced-resolve: one synchronous resolver per
 * {@link ResolutionPass}.
 *
 * @module
 */
import enhancedResolve from 'enhanced-resolve';
import type { Resolver } from 'enhanced-resolve';
import { BuildOutputPlugin } from './build-output.js';
import { resolutionPasses } from './condition-passes.js';
import { resolveRelativeFromListing } from './listing-fast-path.js';
import { PassSensitivityPlugin } from './pass-sensitivity-plugin.js';
import { createRepositoryFileSystem } from './repository-file-system.js';
import type { RepositoryIndex } from './repository-index.js';
import { TSCONFIG_NAMES, TsconfigPathsPlugin } from './tsconfig-paths-plugin.js';
import { WorkspacePackagesPlugin } from './workspace-packages-plugin.js';
import type { WorkspacePackages } from './workspaces.js';

/**
 * What enhanced-resolve made of a specifier.
 *
 * - `paths`: absolute paths of the files it leads to, one per distinct pass result, in pass order
 * - `leaf`: a bare specifier (`react/jsx-runtime`, `node:fs`) that leads out of the repository; `request` is
 *   that specifier, after any `imports` or `paths` mapping
 * - `failed`: nothing found; `message` is enhanced-resolve's first line
 */
export type NodeOutcome =
  | { kind: 'paths'; paths: string[] }
  | { kind: 'leaf'; request: string }
  | { kind: 'failed'; message: string };

/** Module resolution against one repository. */
export interface NodeResolution {
  /**
   * Resolve `specifier` from the root-relative POSIX directory `directory`, with that directory's nearest
   * tsconfig.
   *
   * @remarks A few set lookups when {@link resolveRelativeFromListing} decides; else one enhanced-resolve call
   * per pass in the worst case, usually one: see {@link needsEveryPass}.
   */
  resolve(specifier: string, directory: string): NodeOutcome;
  /**
   * The absolute paths of the files a tsconfig (root-relative POSIX) is built from (itself, `extends`,
   * references), sorted; for a tsconfig that cannot be read, just its own path.
   */
  tsconfigFiles(tsconfig: string): string[];
}

/** What {@link createNodeResolution} needs. */
export interface NodeResolutionOptions {
  index: RepositoryIndex;
  workspaces: WorkspacePackages;
  /** Export conditions that may be active; see {@link resolutionPasses}. */
  conditions: readonly string[];
  /**
   * Answer relative specifiers from the listing where it decides them (see {@link resolveRelativeFromListing});
   * turned off only to check that the fast path agrees with enhanced-resolve.
   *
   * @defaultValue `true`
   */
  listingFastPath?: boolean;
}

const DECLARATION_OR_JAVASCRIPT = /\.(?:d\.[mc]?ts|[mc]?js|jsx)$/;

/**
 * Whether the other passes could give a different answer than the first: the first consulted a
 * pass-dependent field, or found a declaration or JavaScript file that a different extension order could have
 * passed over (`x.d.ts` next to `x.js`).
 */
function needsEveryPass(first: NodeOutcome, touched: boolean): boolean {
  if (touched) return true;
  return first.kind === 'paths' && first.paths.some((file) => DECLARATION_OR_JAVASCRIPT.test(file));
}

/**
 * Create module resolution for the repository in `index`.
 *
 * @remarks
 * The resolvers share one synchronous file system in which the repository holds exactly the listed files (see
 * {@link createRepositoryFileSystem}), never walk `node_modules` (`modules: []`, see
 * {@link WorkspacePackagesPlugin}), keep symlinked paths as they are (`symlinks: false`: results are repository
 * paths), resolve absolute specifiers against the repository root first (`roots`), and apply the importing
 * directory's nearest tsconfig (see {@link TsconfigPathsPlugin}).
 * @see {@link https://github.com/webpack/enhanced-resolve#resolver-options}
 */
export function createNodeResolution(options: NodeResolutionOptions): NodeResolution {
  const { index, workspaces } = options;
  const fileSystem = createRepositoryFileSystem(index);
  const passes = resolutionPasses(options.conditions);
  const passDependentMainFields = [...new Set(passes.flatMap((pass) => pass.mainFields))].filter(
    (field) => !passes.every((pass) => pass.mainFields.includes(field)),
  );
  // Only the first pass needs to note what it consulted: it decides whether the others run.
  const sensitivity = new PassSensitivityPlugin(passDependentMainFields);
  const tsconfigs = new TsconfigPathsPlugin(index);
  const [firstResolver, ...otherResolvers] = passes.map((pass, at) =>
    enhancedResolve.ResolverFactory.createResolver({
      fileSystem,
      modules: [],
      symlinks: false,
      roots: [index.root],
      conditionNames: pass.conditionNames,
      mainFields: pass.mainFields,
      extensions: pass.extensions,
      extensionAlias: pass.extensionAlias,
      plugins: [
        at === 0 ? tsconfigs : new TsconfigPathsPlugin(index),
        new WorkspacePackagesPlugin(index, workspaces),
        new BuildOutputPlugin(index),
        ...(at === 0 ? [sensitivity] : []),
      ],
    }),
  );
  /* c8 ignore next -- resolutionPasses always gives at least the default pass */
  if (firstResolver === undefined) throw new Error('resolutionPasses gave no pass');

  const runPass = (resolver: Resolver, directory: string, specifier: string): NodeOutcome => {
    let outcome: NodeOutcome = {
      kind: 'failed',
      message: 'enhanced-resolve did not answer synchronously',
    };
    resolver.resolve({}, directory, specifier, {}, (error, _path, result) => {
      if (error) outcome = { kind: 'failed', message: error.message.split('\n', 1)[0] ?? '' };
      else if (result?.path === false)
        outcome = { kind: 'leaf', request: result.request ?? specifier };
      else if (typeof result?.path === 'string') outcome = { kind: 'paths', paths: [result.path] };
    });
    return outcome;
  };

  return {
    resolve(specifier, directory) {
      const listed =
        options.listingFastPath === false
          ? undefined
          : resolveRelativeFromListing(index, directory, specifier);
      if (listed !== undefined && !tsconfigs.pathsMayMapRelative(firstResolver, directory)) {
        return { kind: 'paths', paths: [index.toAbsolute(listed)] };
      }
      const absoluteDirectory = index.toAbsolute(directory);
      sensitivity.touched = false;
      const firstOutcome = runPass(firstResolver, absoluteDirectory, specifier);
      const outcomes = [firstOutcome];
      if (needsEveryPass(firstOutcome, sensitivity.touched)) {
        for (const resolver of otherResolvers)
          outcomes.push(runPass(resolver, absoluteDirectory, specifier));
      }
      const outcome = combine(outcomes);
      const tsconfig = index.findUp(directory, TSCONFIG_NAMES);
      const skipped =
        outcome.kind === 'failed' && tsconfig !== undefined
          ? tsconfigs.loadError(firstResolver, index.toAbsolute(tsconfig))
          : undefined;
      if (outcome.kind === 'failed' && skipped !== undefined) {
        return {
          kind: 'failed',
          message: `${outcome.message} (tsconfig "${tsconfig}" skipped: ${skipped})`,
        };
      }
      return outcome;
    },
    tsconfigFiles(tsconfig) {
      const absolute = index.toAbsolute(tsconfig);
      return tsconfigs.loadError(firstResolver, absolute) === undefined
        ? tsconfigs.configFiles(firstResolver, absolute)
        : [absolute];
    },
  };
}

/** Unite pass outcomes: every distinct path; else the first leaf; else the first failure. */
function combine(outcomes: readonly NodeOutcome[]): NodeOutcome {
  const paths = new Set<string>();
  let leaf: NodeOutcome | undefined;
  let failure: NodeOutcome | undefined;
  for (const outcome of outcomes) {
    if (outcome.kind === 'paths') for (const file of outcome.paths) paths.add(file);
    else if (outcome.kind === 'leaf') leaf ??= outcome;
    else failure ??= outcome;
  }
  if (paths.size > 0) return { kind: 'paths', paths: [...paths] };
  return leaf ?? failure ?? { kind: 'failed', message: 'no resolution pass ran' };
}
