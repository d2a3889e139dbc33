import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@velocity/core';
import type { Language, ModuleReference, ParseResult, Resolution } from '../types.js';
import { gitBlobId } from './content-hash.js';
import { findImplicitEdges } from './extra-edges.js';
import type { CachedFile, GraphCacheData } from './graph-cache.js';

/** One edge of the import graph: `to` is a root-relative POSIX path. */
export interface ImportEdge {
  to: string;
  /** Every reference behind this edge imports types only. */
  typeOnly: boolean;
}

/**
 * A repository's import graph.
 *
 * - `imports`: file → the files it references (forward edges)
 * - `importers`: file → the files that reference it (reverse edges; `to` is the importer)
 *
 * Paths are root-relative POSIX strings; edge lists are sorted by path.
 */
export interface ImportGraph {
  /** Every file in the graph, sorted. */
  readonly files: readonly string[];
  readonly imports: ReadonlyMap<string, readonly ImportEdge[]>;
  readonly importers: ReadonlyMap<string, readonly ImportEdge[]>;
  /** Files the parser could not parse → why. */
  readonly unparsable: ReadonlyMap<string, string>;
  readonly stats: ImportGraphStats;
}

/** What building the graph took. */
export interface ImportGraphStats {
  /** Files in the graph. */
  files: number;
  /** Edges in the graph. */
  edges: number;
  /** Source files parsed in this run. */
  parsed: number;
  /** Source files whose references came from the cache. */
  cached: number;
  /** Wall time to build the graph, ms. */
  ms: number;
}

/** Parses one file's source (see `SourceParser`). */
export interface ReferenceParser {
  parse(source: string, language: Language): ParseResult;
}

/** Module resolution for one repository (see `createModuleResolver`). */
export interface ReferenceResolver {
  resolve(reference: ModuleReference, fromFile: string): Resolution;
  /** Changes whenever resolution results could change. */
  readonly settingsHash: string;
}

/** Options of {@link buildImportGraph}. */
export interface BuildImportGraphOptions {
  /** Absolute repository root. */
  root: string;
  /** Files in the graph (root-relative POSIX); files of no known language are leaves. */
  files: readonly string[];
  /** The language of a file, or `undefined` to treat it as a leaf. */
  languageOf: (path: string) => Language | undefined;
  /** Creates the parser; called only when some file is not in the cache (loading grammars costs time). */
  parser: () => Promise<ReferenceParser>;
  resolver: ReferenceResolver;
  /** Version of the parsers: cached references from another version are not used. */
  parserVersion: string;
  /** The previous run's cache, if any. */
  cache?: GraphCacheData | undefined;
  logger: Logger;
  /** Reads a file's bytes; defaults to the file system (synchronous reads: faster for many small files). */
  readBytes?: (path: string) => Uint8Array;
  /**
   * Content hashes already known (git blob ids of clean tracked files, from `indexBlobIds`): such a file
   * is read only if it must be parsed. Others are read and hashed.
   */
  knownHashes?: ReadonlyMap<string, string>;
}

/** A built graph and the cache to save for the next run. */
export interface BuildImportGraphResult {
  graph: ImportGraph;
  cache: Omit<GraphCacheData, 'format'>;
  /** The cache differs from the one read: it is worth writing back. */
  cacheChanged: boolean;
}

/**
 * Builds the import graph: parses every source file (or takes its references from the cache when its
 * content hash is unchanged), resolves each reference, and adds the edges no import states (snapshots,
 * `conftest.py`).
 *
 * @remarks
 * Cost O(total source size) on a cold run; a warm run reads and hashes every file but parses and resolves
 * only the changed ones (resolutions are reused while the resolver settings and the file list are
 * unchanged). Edges lead wherever the resolver says files exist: that may include paths outside `files`
 * (e.g. deleted files the resolver was told about, so that their importers can still be found).
 */
export async function buildImportGraph(
  options: BuildImportGraphOptions,
): Promise<BuildImportGraphResult> {
  const start = performance.now();
  const { root, files, parser, resolver, parserVersion, cache, logger } = options;
  const readBytes = options.readBytes ?? ((path: string) => readFileSync(join(root, path)));
  const resolutionKey = `${resolver.settingsHash}:${hashFileList(files)}`;
  const reuseEdges = cache !== undefined && cache.resolutionKey === resolutionKey;
  const entries: Record<string, CachedFile> = {};
  const imports = new Map<string, ImportEdge[]>();
  const unparsable = new Map<string, string>();
  let parsed = 0;
  let cached = 0;

  const sources = files.filter((file) => options.languageOf(file) !== undefined);
  for (const file of sources) {
    const language = options.languageOf(file) as Language;
    let bytes = options.knownHashes?.has(file) === true ? undefined : readBytes(file);
    const hash = options.knownHashes?.get(file) ?? gitBlobId(bytes as Uint8Array);
    const previous = cache?.files[file];
    let entry: CachedFile;
    if (previous !== undefined && previous.hash === hash) {
      cached += 1;
      entry = reuseEdges ? previous : { hash, references: previous.references };
      if (previous.unparsable !== undefined) entry.unparsable = previous.unparsable;
    } else {
      parsed += 1;
      bytes ??= readBytes(file);
      const result = (await parser()).parse(Buffer.from(bytes).toString('utf8'), language);
      entry = { hash, references: result.references };
      if (result.unparsable) entry.unparsable = result.error ?? 'unparsable';
    }
    entry.edges ??= resolveEdges(entry.references, file, resolver);
    entries[file] = entry;
    if (entry.unparsable !== undefined) unparsable.set(file, entry.unparsable);
    imports.set(
      file,
      entry.edges.map(([to, typeOnly]) => ({ to, typeOnly })),
    );
  }

  for (const [from, to] of findImplicitEdges(files)) {
    const list = imports.get(from) ?? [];
    if (!list.some((edge) => edge.to === to)) list.push({ to, typeOnly: false });
    imports.set(from, list);
  }
  const graph = finishGraph(files, imports, unparsable, { parsed, cached });
  graph.stats.ms = Math.round(performance.now() - start);
  logger.debug('Import graph built', { ...graph.stats });
  const cacheChanged =
    !reuseEdges || parsed > 0 || Object.keys(cache.files).length !== sources.length;
  return { graph, cache: { parserVersion, resolutionKey, files: entries }, cacheChanged };
}

/** Resolves a file's references to unique edges, sorted; an edge is type-only if every reference to it is. */
function resolveEdges(
  references: readonly ModuleReference[],
  file: string,
  resolver: ReferenceResolver,
): Array<[string, boolean]> {
  const edges = new Map<string, boolean>();
  const add = (to: string, typeOnly: boolean) => {
    if (to === file) return;
    edges.set(to, (edges.get(to) ?? true) && typeOnly);
  };
  for (const reference of references) {
    const resolution = resolver.resolve(reference, file);
    if (resolution.kind === 'file') add(resolution.path, reference.typeOnly);
    else if (resolution.kind === 'files') {
      for (const path of resolution.paths) add(path, reference.typeOnly);
    }
  }
  return [...edges].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function finishGraph(
  files: readonly string[],
  imports: Map<string, ImportEdge[]>,
  unparsable: Map<string, string>,
  counts: { parsed: number; cached: number },
): ImportGraph & { stats: ImportGraphStats } {
  const importers = new Map<string, ImportEdge[]>();
  let edges = 0;
  for (const [from, list] of imports) {
    list.sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
    edges += list.length;
    for (const { to, typeOnly } of list) {
      const reverse = importers.get(to);
      if (reverse === undefined) importers.set(to, [{ to: from, typeOnly }]);
      else reverse.push({ to: from, typeOnly });
    }
  }
  for (const list of importers.values()) {
    list.sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
  }
  return {
    files: [...files].sort(),
    imports,
    importers,
    unparsable,
    stats: { files: files.length, edges, ...counts, ms: 0 },
  };
}

/** SHA-256 of the sorted file list: a file added or removed changes it. */
function hashFileList(files: readonly string[]): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort()) hash.update(file).update('\0');
  return hash.digest('hex');
}
