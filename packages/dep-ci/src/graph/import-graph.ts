import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@velocity/core';
import type { Language, ModuleReference, ParseResult, Resolution } from '../types.js';
import { gitBlobId } from './content-hash.js';
import { findImplicitEdges } from './extra-edges.js';
import { cachedHash, cachedHashIs, cachedPaths, type GraphCacheData } from './graph-cache.js';
import {
  IndexedImportGraph,
  NodeTable,
  packEdge,
  packRows,
  type ImportGraph,
} from './indexed-graph.js';
import type { ReferenceEntries, StoredReferences } from './reference-store.js';

export type { ImportEdge, ImportGraph, ImportGraphStats } from './indexed-graph.js';

/** One file to parse: root-relative POSIX path and its language. */
export interface ParseJob {
  path: string;
  language: Language;
}

/**
 * Parses files of one repository; results are in the order of `jobs`. An unreadable or unparsable file
 * gives an unparsable result; the promise rejects only when no parser can be started.
 */
export type ParseFiles = (jobs: readonly ParseJob[]) => Promise<ParseResult[]>;

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
  /** Parses the files not in the cache; not called when there are none. */
  parseFiles: ParseFiles;
  resolver: ReferenceResolver;
  /** Version of the parsers: cached references from another version are not used. */
  parserVersion: string;
  /** The previous run's graph, if any. */
  cache?: GraphCacheData | undefined;
  /** Reads the stored references (see `readReferenceStore`); called only when edges must be resolved again. */
  readReferences: () => Promise<ReferenceEntries>;
  logger: Logger;
  /** Reads a file's bytes; defaults to the file system (synchronous reads: faster for many small files). */
  readBytes?: (path: string) => Uint8Array;
  /**
   * Content hashes already known (git blob ids of clean tracked files, from `readWorkTree`): such a file
   * is read only if it must be parsed. Others are read and hashed.
   */
  knownHashes?: ReadonlyMap<string, string>;
}

/** A built graph and what to save for the next run. */
export interface BuildImportGraphResult {
  graph: ImportGraph;
  /** The graph cache to write (see `writeGraphCache`), or `undefined` when the one read is still right. */
  cache: Omit<GraphCacheData, 'format'> | undefined;
  /**
   * References to save (see `saveReferences`): those parsed in this run, or, when `complete`, those of
   * every source file (the store can then be rewritten without the contents no longer present).
   */
  references: { entries: ReferenceEntries; complete: boolean };
}

/** A source file's edges as packed target ids, with the content they came from. */
interface SourceRow {
  hash: string;
  edges: number[];
  unparsable?: string | undefined;
}

/**
 * Builds the import graph: parses every source file (or takes its edges from the cache when its content
 * hash is unchanged), resolves each reference, and adds the edges no import states (snapshots,
 * `conftest.py`).
 *
 * @remarks
 * Cost O(total source size) on a cold run. A warm run hashes only files git does not already know, parses
 * and resolves only the changed ones, and reuses every other file's edges while the resolver settings and
 * the file list are unchanged; when they change, every file's references come from the reference store
 * and are resolved again. Edges lead wherever the resolver says files exist: that may include paths
 * outside `files` (e.g. deleted files the resolver was told about, so that their importers can still be
 * found).
 *
 * @throws whatever `parseFiles` or `readReferences` reject with
 */
export async function buildImportGraph(
  options: BuildImportGraphOptions,
): Promise<BuildImportGraphResult> {
  const start = performance.now();
  const { root, cache, resolver, logger } = options;
  const readBytes = options.readBytes ?? ((path: string) => readFileSync(join(root, path)));
  const files = [...options.files].sort();
  const resolutionKey = `${resolver.settingsHash}:${hashFileList(files)}`;
  // Same key, same file list: the cache's node table starts with exactly these files, so its ids hold.
  const reuseEdges = cache !== undefined && cache.resolutionKey === resolutionKey;
  const nodes = new NodeTable(reuseEdges ? [...files, ...cache.extraPaths] : files);
  const cacheIdOf = cacheIds(cache, reuseEdges);
  const cacheOffsets = cache === undefined ? [] : offsetsOf(cache.edgeCounts);

  const fresh = new Map<number, SourceRow>();
  const reused = new Set<number>();
  const toParse: Array<{ id: number; hash: string; language: Language }> = [];
  const toResolve: Array<{ id: number; hash: string; language: Language }> = [];
  for (let id = 0; id < files.length; id += 1) {
    const file = files[id] as string;
    const language = options.languageOf(file);
    if (language === undefined) continue;
    const hash = options.knownHashes?.get(file) ?? gitBlobId(readBytes(file));
    const cacheId = cacheIdOf(file, id);
    if (cache === undefined || cacheId === undefined || !cachedHashIs(cache, cacheId, hash)) {
      toParse.push({ id, hash, language });
    } else if (reuseEdges) {
      reused.add(id);
    } else {
      toResolve.push({ id, hash, language });
    }
  }

  const references = new Map<string, StoredReferences>();
  let fromStore = 0;
  const addFresh = (id: number, hash: string, entry: StoredReferences) => {
    references.set(hash, entry);
    const edges = resolveEdges(entry.references, files[id] as string, resolver, nodes);
    fresh.set(id, { hash, edges, unparsable: entry.unparsable });
  };
  if (toResolve.length > 0) {
    const stored = await options.readReferences();
    for (const job of toResolve) {
      const entry = stored.get(job.hash);
      if (entry === undefined) {
        toParse.push(job);
      } else {
        fromStore += 1;
        addFresh(job.id, job.hash, entry);
      }
    }
  }
  if (toParse.length > 0) {
    const results = await options.parseFiles(
      toParse.map(({ id, language }) => ({ path: files[id] as string, language })),
    );
    toParse.forEach((job, index) => {
      const result = results[index] as ParseResult;
      const entry: StoredReferences = { references: result.references };
      if (result.unparsable) entry.unparsable = result.error ?? 'unparsable';
      addFresh(job.id, job.hash, entry);
    });
  }

  /** A source's own edges: parsed or resolved in this run, or the cache's row (same ids). */
  const sourceRow = (id: number): ArrayLike<number> | undefined => {
    const row = fresh.get(id);
    if (row !== undefined) return row.edges;
    if (cache === undefined || !reused.has(id)) return undefined;
    return cache.edges.slice(cacheOffsets[id], cacheOffsets[id + 1]);
  };
  const implicit = implicitRows(files, nodes, sourceRow);
  const unparsable = new Map<string, string>();
  if (cache !== undefined && reuseEdges) {
    for (const [id, why] of cache.unparsable) {
      if (reused.has(id)) unparsable.set(files[id] as string, why);
    }
  }
  for (const [id, row] of fresh) {
    if (row.unparsable !== undefined) unparsable.set(files[id] as string, row.unparsable);
  }
  const rows = packRows(nodes.paths.length, (id) => implicit.get(id) ?? sourceRow(id));
  const graph = new IndexedImportGraph(nodes, rows, files.length, unparsable, {
    parsed: toParse.length,
    cached: reused.size + fromStore,
    ms: 0,
  });
  graph.stats.ms = Math.round(performance.now() - start);
  logger.debug('Import graph built', { ...graph.stats });
  const cacheChanged =
    !reuseEdges ||
    fresh.size > 0 ||
    cache.fileCount + cache.extraPaths.length !== nodes.paths.length;
  return {
    graph,
    cache: !cacheChanged
      ? undefined
      : toCacheData(options.parserVersion, resolutionKey, nodes, files.length, (id) => {
          const row = fresh.get(id);
          if (row !== undefined) return row;
          if (cache === undefined || !reused.has(id)) return undefined;
          return {
            hash: cachedHash(cache, id) as string,
            edges: sourceRow(id) as number[],
            unparsable: unparsable.get(files[id] as string),
          };
        }),
    references: { entries: references, complete: cache === undefined || !reuseEdges },
  };
}

/**
 * Finds a file's id in the cache: the same id when the node tables agree (`sameIds`), otherwise by path.
 */
function cacheIds(
  cache: GraphCacheData | undefined,
  sameIds: boolean,
): (path: string, id: number) => number | undefined {
  if (cache === undefined) return () => undefined;
  if (sameIds) return (_path, id) => id;
  const paths = cachedPaths(cache);
  const ids = new Map<string, number>();
  for (let id = 0; id < cache.fileCount; id += 1) ids.set(paths[id] as string, id);
  return (path) => ids.get(path);
}

/** Prefix sums of per-node edge counts: node `id`'s edges are `offsets[id] … offsets[id + 1]`. */
function offsetsOf(counts: readonly number[]): number[] {
  const offsets = [0];
  let total = 0;
  for (const count of counts) offsets.push((total += count));
  return offsets;
}

/**
 * Resolves a file's references to unique packed edges sorted by target path; an edge is type-only if
 * every reference to it is.
 */
function resolveEdges(
  references: readonly ModuleReference[],
  file: string,
  resolver: ReferenceResolver,
  nodes: NodeTable,
): number[] {
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
  return [...edges]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([to, typeOnly]) => packEdge(nodes.intern(to), typeOnly));
}

/**
 * The rows that gain implicit edges (snapshots, `conftest.py`): the source's own edges plus those, sorted
 * by target path. The cache keeps only the sources' own edges; implicit ones follow from the file list on
 * every run.
 */
function implicitRows(
  files: readonly string[],
  nodes: NodeTable,
  sourceRow: (id: number) => ArrayLike<number> | undefined,
): Map<number, number[]> {
  const rows = new Map<number, number[]>();
  for (const [from, to] of findImplicitEdges(files)) {
    const id = nodes.idOf(from) as number;
    const target = nodes.intern(to);
    const row = rows.get(id) ?? Array.from(sourceRow(id) ?? []);
    rows.set(id, row);
    if (row.some((packed) => packed >> 1 === target)) continue;
    row.push(packEdge(target, false));
    row.sort((a, b) => {
      const left = nodes.paths[a >> 1] as string;
      const right = nodes.paths[b >> 1] as string;
      return left < right ? -1 : left > right ? 1 : 0;
    });
  }
  return rows;
}

/** The graph cache for the next run: the node table and the sources' own edges and hashes. */
function toCacheData(
  parserVersion: string,
  resolutionKey: string,
  nodes: NodeTable,
  fileCount: number,
  sourceRow: (id: number) => SourceRow | undefined,
): Omit<GraphCacheData, 'format'> {
  const count = nodes.paths.length;
  let hashWidth: number | undefined;
  const hashes: string[] = [];
  const edgeCounts: number[] = new Array<number>(count).fill(0);
  const edges: number[] = [];
  const unparsable: Array<[number, string]> = [];
  for (let id = 0; id < count; id += 1) {
    const row = sourceRow(id);
    if (id < fileCount) {
      hashWidth ??= row?.hash.length;
      // A hash of another width (never in one repository) is left out: that file is parsed again.
      hashes.push(row !== undefined && row.hash.length === hashWidth ? row.hash : '');
    }
    if (row === undefined) continue;
    edgeCounts[id] = row.edges.length;
    for (const packed of row.edges) edges.push(packed);
    if (row.unparsable !== undefined) unparsable.push([id, row.unparsable]);
  }
  const width = hashWidth ?? 40;
  const filler = '-'.repeat(width);
  return {
    parserVersion,
    resolutionKey,
    fileCount,
    files: nodes.paths.slice(0, fileCount).join('\0'),
    extraPaths: nodes.paths.slice(fileCount),
    hashWidth: width,
    hashes: hashes.map((hash) => (hash === '' ? filler : hash)).join(''),
    edgeCounts,
    edges,
    unparsable,
  };
}

/** SHA-256 of the sorted file list: a file added or removed changes it. */
function hashFileList(files: readonly string[]): string {
  return createHash('sha256').update(files.join('\0')).digest('hex');
}
