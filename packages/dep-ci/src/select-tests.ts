import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoadedConfig, Logger } from '@velocity/core';
import { findAffectedTests } from './affected.js';
import { BaseRefNotFoundError } from './errors.js';
import { changedFiles, changedPaths, readWorkTree, resolveRange } from './git/index.js';
import { tryGit } from './git/exec-git.js';
import { compileGlobs } from './glob-matcher.js';
import { graphCachePath, readGraphCache, writeGraphCache } from './graph/graph-cache.js';
import { buildImportGraph, type ImportGraph, type ParseFiles } from './graph/import-graph.js';
import { readReferenceStore, referenceStorePath, saveReferences } from './graph/reference-store.js';
import { languageOf } from './parsers/index.js';
import { createModuleResolver } from './resolve/index.js';
import { findRunAllReasons } from './run-all-triggers.js';
import type { Language } from './types.js';

/** The `depCi` section of the loaded (frozen) config. */
type DepCiConfig = LoadedConfig['config']['depCi'];

/** Where the change comes from: explicit files, or a git range. */
export type ChangeSource =
  | { kind: 'files'; files: readonly string[] }
  | { kind: 'git'; base?: string; head?: string; includeUncommitted: boolean };

/** Options of {@link selectTests}. */
export interface SelectTestsOptions {
  /** Absolute repository root. */
  root: string;
  config: DepCiConfig;
  change: ChangeSource;
  /** Globs matching test files (root-relative POSIX). */
  testGlobs: readonly string[];
  /** Parses the files that are not in the cache (see `createParseFiles`). */
  parseFiles: ParseFiles;
  /** Version of the parsers, for the cache. */
  parserVersion: string;
  /** The environment (git, GitHub Actions variables). */
  env: Readonly<Record<string, string | undefined>>;
  logger: Logger;
}

/**
 * What dep-ci selected, in the JSON shape of `dep-ci affected --format json`: paths root-relative POSIX,
 * sorted. With `runAll`, `tests` is every test file and `runAllReasons` says why.
 */
export interface Selection {
  changed: string[];
  tests: string[];
  runAll: boolean;
  runAllReasons: string[];
  /** Test → import chain from a changed file to the test. */
  reasons: Record<string, string[]>;
  stats: { files: number; edges: number; ms: number };
}

/** A selection together with the graph it came from (for `graph` and `why`). */
export interface SelectionWithGraph {
  selection: Selection;
  graph: ImportGraph;
  /** Every test file in the repository (computed on first call: classifying every file costs time). */
  allTests: () => string[];
}

/** Folders dep-ci never reads: its own cache. */
const OWN_FILES = /^\.velocity\//;

/**
 * Selects the tests a change can affect: changed files from git (or given), the import graph (cached), the
 * run-all triggers, then the affected tests.
 *
 * @remarks
 * A base commit that is not present (a shallow clone) does not fail: every test runs, and the reason says
 * how to fetch the base. Deleted and renamed files stay resolvable under their old paths, so the tests that
 * imported them are found.
 *
 * @throws errors of git itself (not a repository, git missing) and of reading the files
 */
export async function selectTests(options: SelectTestsOptions): Promise<SelectionWithGraph> {
  const start = performance.now();
  const { root, config, logger, env } = options;
  // The file listing and the change are independent git work: run them side by side.
  const [{ files: listed, blobIds: knownHashes }, change, cacheData] = await Promise.all([
    readWorkTree(root, { env }),
    findChange(options),
    readGraphCache(graphCachePath(root, config.cacheDir), options.parserVersion),
  ]);
  const { changed, range, runAllReasons } = change;
  const files = filterFiles(listed, config);
  const isTest = compileGlobs(options.testGlobs);
  let testFiles: string[] | undefined;
  const allTests = () => (testFiles ??= files.filter((file) => isTest(file)));

  const present = new Set(files);
  const ghosts = changed.filter((path) => !present.has(path));
  const resolver = createModuleResolver({
    root,
    files: new Set([...files, ...ghosts]),
    aliases: config.aliases,
  });
  const cachePath = graphCachePath(root, config.cacheDir);
  const storePath = referenceStorePath(root, config.cacheDir);
  const enabled = enabledLanguages(config.languages);
  const { graph, cache, references } = await buildImportGraph({
    root,
    files,
    languageOf: (path) => {
      const language = languageOf(path);
      return language !== undefined && enabled.has(language) ? language : undefined;
    },
    parseFiles: options.parseFiles,
    resolver,
    parserVersion: options.parserVersion,
    cache: cacheData,
    readReferences: () => readReferenceStore(storePath, options.parserVersion),
    knownHashes,
    logger,
  });
  // Independent files: a content missing from the reference store is only parsed again when needed.
  await Promise.all([
    references.entries.size > 0 || references.complete
      ? saveReferences(storePath, options.parserVersion, references.entries, references.complete)
      : undefined,
    cache === undefined ? undefined : writeGraphCache(cachePath, cache),
  ]).catch((error: unknown) => {
    logger.warn('Could not write the import graph cache', { path: cachePath, error });
  });

  runAllReasons.push(
    ...(await findRunAllReasons({
      changed,
      runAllOn: config.runAllOn,
      unparsable: graph.unparsable,
      readVersions: async (path) => ({
        base: range === undefined ? undefined : await readAt(root, range.base, path, env),
        head:
          range === undefined
            ? undefined
            : options.change.kind === 'git' && options.change.includeUncommitted
              ? await readWorkTreeFile(root, path)
              : await readAt(root, range.head, path, env),
      }),
    })),
  );
  const affected = findAffectedTests({
    graph,
    changed,
    isTest: (path) => present.has(path) && isTest(path),
    ignoreTypeImports: config.ignoreTypeImports,
  });
  const runAll = runAllReasons.length > 0;
  return {
    selection: {
      changed,
      tests: runAll ? allTests() : affected.tests,
      runAll,
      runAllReasons,
      reasons: runAll ? {} : affected.reasons,
      stats: {
        files: graph.stats.files,
        edges: graph.stats.edges,
        ms: Math.round(performance.now() - start),
      },
    },
    graph,
    allTests,
  };
}

/** The changed paths (old paths of renames included), the commits compared, and why to run all. */
interface Change {
  changed: string[];
  range: { base: string; head: string } | undefined;
  runAllReasons: string[];
}

/** The change to select for: given files, or the git range; a missing base commit runs everything. */
async function findChange(options: SelectTestsOptions): Promise<Change> {
  const { root, env, config, logger } = options;
  if (options.change.kind === 'files') {
    return {
      changed: [...new Set(options.change.files)].sort(),
      range: undefined,
      runAllReasons: [],
    };
  }
  try {
    const resolved = await resolveRange({
      root,
      env,
      ...(options.change.base === undefined ? {} : { base: options.change.base }),
      ...(options.change.head === undefined ? {} : { head: options.change.head }),
      ...(config.baseBranch === undefined ? {} : { baseBranch: config.baseBranch }),
    });
    const changes = await changedFiles({
      root,
      env,
      base: resolved.base,
      head: resolved.head,
      includeUncommitted: options.change.includeUncommitted,
    });
    logger.debug('Comparing commits', { ...resolved });
    return { changed: changedPaths(changes), range: resolved, runAllReasons: [] };
  } catch (error) {
    if (!(error instanceof BaseRefNotFoundError)) throw error;
    return { changed: [], range: undefined, runAllReasons: [error.message] };
  }
}

/** The repository files inside `roots`, minus `ignore` globs and dep-ci's own cache. */
function filterFiles(files: readonly string[], config: DepCiConfig): string[] {
  const roots = config.roots.map((dir) => dir.replace(/^\.\/?/, '').replace(/\/$/, ''));
  const ignored = config.ignore.length > 0 ? compileGlobs(config.ignore) : undefined;
  return files.filter(
    (file) =>
      !OWN_FILES.test(file) &&
      (roots.includes('') || roots.some((dir) => file === dir || file.startsWith(`${dir}/`))) &&
      (ignored === undefined || !ignored(file)),
  );
}

function enabledLanguages(languages: DepCiConfig['languages']): Set<Language> {
  const enabled = new Set<Language>();
  if (languages.typescript) enabled.add('typescript').add('tsx');
  if (languages.javascript) enabled.add('javascript');
  if (languages.python) enabled.add('python');
  return enabled;
}

/** A file's text at a commit, or `undefined` where it does not exist there. */
async function readAt(
  root: string,
  revision: string,
  path: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<string | undefined> {
  const output = await tryGit(['show', `${revision}:${path}`], root, { env });
  return output.exitCode === 0 ? output.stdout : undefined;
}

/** A file's text in the work tree, or `undefined` where it does not exist. */
async function readWorkTreeFile(root: string, path: string): Promise<string | undefined> {
  return readFile(join(root, path), 'utf8').catch(() => undefined);
}
