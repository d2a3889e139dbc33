/**
 * `dep-ci graph --format json` reports: their validation, and the compact {@link GraphData} the import graph
 * page sends to the browser.
 *
 * @privateRemarks
 * Pure (no I/O, no secrets), so it has no `import 'server-only'`: tap loads it directly, where that marker
 * throws. Only the server imports it at run time; the browser uses its types.
 *
 * @module
 */
import { VelocityError } from '@velocity/core';

/** The largest report the page accepts, bytes (a 10,000-file report is about 3 MB). */
export const MAX_REPORT_BYTES = 32 * 1024 * 1024;

/**
 * An import graph as the browser receives it: paths once, edges as numbers.
 *
 * - `files`: root-relative POSIX paths; a file's index is its id. The report's files come first in its
 *   (sorted) order, then any edge target the report lists outside `files` (dep-ci keeps deleted files
 *   resolvable), sorted.
 * - `edges`: flat triples `[importer id, imported id, typeOnly]`, in the report's order; `typeOnly` is 1 when
 *   every reference behind the edge is an `import type`, else 0.
 * - `tests`: ids of the test files, ascending.
 * - `unparsable`: files dep-ci could not parse, with why.
 * - `stats`: what building the graph took: files, edges, and wall time in ms.
 */
export interface GraphData {
  readonly files: readonly string[];
  readonly edges: readonly number[];
  readonly tests: readonly number[];
  readonly unparsable: ReadonlyArray<{ readonly file: string; readonly reason: string }>;
  readonly stats: { readonly files: number; readonly edges: number; readonly ms: number };
}

/** Where a graph came from: a configured repository (`dashboard.repositories`) or an uploaded report. */
export type GraphSource =
  | { readonly kind: 'repository'; readonly repository: string }
  | { readonly kind: 'report'; readonly name: string };

/** A graph ready to show, with what selecting tests from it needs. */
export interface LoadedGraph {
  readonly source: GraphSource;
  readonly graph: GraphData;
  /**
   * Whether dep-ci skips `import type` edges for this graph (`depCi.ignoreTypeImports` of the repository's
   * config); for a report, dep-ci's default, false.
   */
  readonly ignoreTypeImports: boolean;
}

/**
 * Tests a change affects, in the JSON shape of `dep-ci affected` (paths root-relative POSIX).
 *
 * - `changed`: the changed files, unique and sorted
 * - `tests`: affected test files, sorted
 * - `reasons`: for each test in `tests` order, its import chain from a changed file to the test, each file
 *   importing the previous one (`['src/a.ts', 'src/b.ts', 'test/b.test.ts']`); a changed test's chain is
 *   itself alone. An array rather than dep-ci's object keyed by test, since the scrubber redacts values under
 *   secret-looking keys (a test named `token.test.ts`).
 */
export interface AffectedTests {
  readonly changed: readonly string[];
  readonly tests: readonly string[];
  readonly reasons: ReadonlyArray<{ readonly test: string; readonly chain: readonly string[] }>;
}

/**
 * What `dep-ci affected --base <base>` selected in a repository. With `runAll`, `tests` is every test file,
 * `reasons` is empty, and `runAllReasons` says why (a run-all trigger changed, or the base is missing).
 */
export interface BaseSelection extends AffectedTests {
  readonly base: string;
  readonly runAll: boolean;
  readonly runAllReasons: readonly string[];
}

/** The uploaded file is not a `dep-ci graph --format json` report. */
export class GraphReportError extends VelocityError {
  /** What does not fit, one sentence without the remedy. */
  readonly problem: string;

  constructor(problem: string) {
    super(
      'DASHBOARD_GRAPH_REPORT_INVALID',
      `${problem} Upload the output of dep-ci graph --format json.`,
    );
    this.problem = problem;
  }
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function arrayAt(report: JsonObject, key: string): unknown[] {
  const value = report[key];
  if (!Array.isArray(value)) throw new GraphReportError(`The report has no "${key}" array.`);
  return value;
}

function pathAt(value: unknown, where: string): string {
  if (typeof value !== 'string' || value === '')
    throw new GraphReportError(`The report's "${where}" is not a file path.`);
  return value;
}

function countAt(stats: JsonObject, key: string, fallback: number): number {
  const value = stats[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new GraphReportError(`The report's "stats.${key}" is not a count.`);
  return value;
}

/**
 * Validates a parsed report and converts it to {@link GraphData}.
 *
 * @remarks
 * Requires `files` (unique paths), `edges` (`{from, to, typeOnly}`, `from` one of `files`) and `tests` (each
 * one of `files`); `unparsable` (path → reason) and `stats` are optional, as older reports may lack them.
 * O(files + edges).
 *
 * @throws {@link GraphReportError} naming the first field that does not fit
 */
export function toGraphData(report: unknown): GraphData {
  if (!isObject(report)) throw new GraphReportError('The report is not a JSON object.');
  const files = arrayAt(report, 'files').map((file, index) => pathAt(file, `files[${index}]`));
  const ids = new Map<string, number>();
  for (const file of files) {
    if (ids.has(file)) throw new GraphReportError(`The report lists the file "${file}" twice.`);
    ids.set(file, ids.size);
  }
  const rawEdges = arrayAt(report, 'edges');
  const targets: string[] = [];
  for (const [index, edge] of rawEdges.entries()) {
    if (!isObject(edge))
      throw new GraphReportError(`The report's "edges[${index}]" is not an object.`);
    const from = pathAt(edge['from'], `edges[${index}].from`);
    const to = pathAt(edge['to'], `edges[${index}].to`);
    if (typeof edge['typeOnly'] !== 'boolean')
      throw new GraphReportError(`The report's "edges[${index}].typeOnly" is not true or false.`);
    if (!ids.has(from))
      throw new GraphReportError(
        `The report's "edges[${index}].from" ("${from}") is not in "files".`,
      );
    targets.push(to);
  }
  const extra = [...new Set(targets.filter((to) => !ids.has(to)))].sort();
  for (const path of extra) ids.set(path, ids.size);
  const edges: number[] = [];
  for (const [index, edge] of (rawEdges as JsonObject[]).entries())
    edges.push(
      ids.get(edge['from'] as string) as number,
      ids.get(targets[index] as string) as number,
      edge['typeOnly'] === true ? 1 : 0,
    );
  const tests = arrayAt(report, 'tests').map((test, index) => {
    const id = ids.get(pathAt(test, `tests[${index}]`));
    if (id === undefined || id >= files.length)
      throw new GraphReportError(
        `The report's "tests[${index}]" ("${String(test)}") is not in "files".`,
      );
    return id;
  });
  const unparsable = report['unparsable'] ?? {};
  if (!isObject(unparsable))
    throw new GraphReportError('The report\'s "unparsable" is not an object.');
  const stats = report['stats'] ?? {};
  if (!isObject(stats)) throw new GraphReportError('The report\'s "stats" is not an object.');
  return {
    files: [...files, ...extra],
    edges,
    tests: [...new Set(tests)].sort((a, b) => a - b),
    unparsable: Object.entries(unparsable).map(([file, reason]) => {
      if (typeof reason !== 'string')
        throw new GraphReportError(`The report's "unparsable" reason of "${file}" is not text.`);
      return { file, reason };
    }),
    stats: {
      files: countAt(stats, 'files', files.length),
      edges: countAt(stats, 'edges', rawEdges.length),
      ms: countAt(stats, 'ms', 0),
    },
  };
}

/**
 * Parses the text of a report: JSON, then {@link toGraphData}.
 *
 * @throws {@link GraphReportError} when it is not JSON or not a report
 */
export function parseGraphReport(text: string): GraphData {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the input; the position alone says nothing useful to a person.
    throw new GraphReportError('The file is not valid JSON.');
  }
  return toGraphData(parsed);
}

function stringsAt(selection: JsonObject, key: string): string[] {
  const value = selection[key];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string'))
    throw new GraphReportError(`The selection's "${key}" is not a list of paths.`);
  return value;
}

/**
 * Validates the JSON document `dep-ci affected --format json` printed and converts it to a
 * {@link BaseSelection} (`reasons` as an array in `tests` order).
 *
 * @throws {@link GraphReportError} naming the first field that does not fit
 */
export function toBaseSelection(base: string, selection: unknown): BaseSelection {
  if (!isObject(selection)) throw new GraphReportError('The selection is not a JSON object.');
  const tests = stringsAt(selection, 'tests');
  const reasons = selection['reasons'];
  if (!isObject(reasons))
    throw new GraphReportError('The selection\'s "reasons" is not an object.');
  if (typeof selection['runAll'] !== 'boolean')
    throw new GraphReportError('The selection\'s "runAll" is not true or false.');
  return {
    base,
    changed: stringsAt(selection, 'changed'),
    tests,
    reasons: tests.flatMap((test) => {
      const chain = reasons[test];
      return Array.isArray(chain) && chain.every((file) => typeof file === 'string')
        ? [{ test, chain }]
        : [];
    }),
    runAll: selection['runAll'],
    runAllReasons: stringsAt(selection, 'runAllReasons'),
  };
}
