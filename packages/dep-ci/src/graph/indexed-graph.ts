/** One edge of the import graph: `to` is a root-relative POSIX path. */
export interface ImportEdge {
  to: string;
  /** Every reference behind this edge imports types only. */
  typeOnly: boolean;
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

/**
 * A repository's import graph. Paths are root-relative POSIX strings.
 *
 * - `importsOf(file)`: the files `file` references (forward edges), sorted by path
 * - `importersOf(file)`: the files that reference `file` (reverse edges; `to` is the importer), sorted
 * - `edges()`: every forward edge, sorted by `from` then `to`
 */
export interface ImportGraph {
  /** Every file in the graph, sorted. */
  readonly files: readonly string[];
  importsOf(path: string): readonly ImportEdge[];
  importersOf(path: string): readonly ImportEdge[];
  edges(): Iterable<{ from: string; to: string; typeOnly: boolean }>;
  /** Files the parser could not parse → why. */
  readonly unparsable: ReadonlyMap<string, string>;
  readonly stats: ImportGraphStats;
}

/**
 * Node table of a graph: node id → path, and back. Ids `0 … fileCount - 1` are the graph's files in
 * sorted order; edge targets that are not files (deleted files kept resolvable) get the ids after them.
 */
export class NodeTable {
  readonly paths: string[];
  readonly #ids = new Map<string, number>();

  /** @param paths - the graph's files, sorted and unique, optionally followed by other edge targets */
  constructor(paths: readonly string[]) {
    this.paths = [...paths];
    for (let id = 0; id < this.paths.length; id += 1) this.#ids.set(this.paths[id] as string, id);
  }

  /** The id of `path`, added to the table when new. */
  intern(path: string): number {
    let id = this.#ids.get(path);
    if (id === undefined) {
      id = this.paths.length;
      this.paths.push(path);
      this.#ids.set(path, id);
    }
    return id;
  }

  /** The id of `path`, or `undefined` when it is not in the table. */
  idOf(path: string): number | undefined {
    return this.#ids.get(path);
  }
}

/** Forward edges in compressed sparse rows: node `id`'s packed edges are `targets[offsets[id] … offsets[id + 1]]`. */
export interface EdgeRows {
  offsets: Int32Array;
  targets: Int32Array;
}

/**
 * Packs per-node edge lists into {@link EdgeRows}.
 *
 * @param count - nodes in the table
 * @param rowOf - node id → its packed edges (sorted by target path), or nothing
 */
export function packRows(
  count: number,
  rowOf: (id: number) => ArrayLike<number> | undefined,
): EdgeRows {
  const offsets = new Int32Array(count + 1);
  const parts: Array<ArrayLike<number> | undefined> = [];
  let total = 0;
  for (let id = 0; id < count; id += 1) {
    offsets[id] = total;
    const row = rowOf(id);
    parts.push(row);
    total += row?.length ?? 0;
  }
  offsets[count] = total;
  const targets = new Int32Array(total);
  for (let id = 0; id < count; id += 1) {
    const row = parts[id];
    if (row !== undefined) targets.set(row, offsets[id]);
  }
  return { offsets, targets };
}

/** Packs an edge into one integer: the target id and the type-only bit. */
export const packEdge = (target: number, typeOnly: boolean): number =>
  target * 2 + (typeOnly ? 1 : 0);

/**
 * An import graph stored as compressed sparse rows ({@link EdgeRows}) over a {@link NodeTable}, each
 * edge packed into one integer ({@link packEdge}). Edge objects are made only when asked for; the
 * reverse rows are built on first use (counting sort, O(V + E)).
 */
export class IndexedImportGraph implements ImportGraph {
  readonly files: readonly string[];
  readonly unparsable: ReadonlyMap<string, string>;
  readonly stats: ImportGraphStats;
  readonly #nodes: NodeTable;
  readonly #offsets: Int32Array;
  readonly #targets: Int32Array;
  #reverse: { offsets: Int32Array; sources: Int32Array } | undefined;

  /**
   * @param nodes - the node table; its first `fileCount` paths are the graph's sorted files
   * @param rows - forward edges of every node in the table (see {@link packRows})
   * @param fileCount - how many of the table's paths are files of the graph
   */
  constructor(
    nodes: NodeTable,
    rows: EdgeRows,
    fileCount: number,
    unparsable: ReadonlyMap<string, string>,
    stats: Omit<ImportGraphStats, 'files' | 'edges'>,
  ) {
    this.#nodes = nodes;
    this.#offsets = rows.offsets;
    this.#targets = rows.targets;
    this.files = nodes.paths.slice(0, fileCount);
    this.unparsable = unparsable;
    this.stats = { files: fileCount, edges: rows.targets.length, ...stats };
  }

  importsOf(path: string): readonly ImportEdge[] {
    const id = this.#nodes.idOf(path);
    if (id === undefined) return [];
    const edges: ImportEdge[] = [];
    for (let at = this.#offsets[id] as number; at < (this.#offsets[id + 1] as number); at += 1) {
      const packed = this.#targets[at] as number;
      edges.push({ to: this.#nodes.paths[packed >> 1] as string, typeOnly: (packed & 1) === 1 });
    }
    return edges;
  }

  importersOf(path: string): readonly ImportEdge[] {
    const id = this.#nodes.idOf(path);
    if (id === undefined) return [];
    const reverse = (this.#reverse ??= this.#buildReverse());
    const edges: ImportEdge[] = [];
    for (
      let at = reverse.offsets[id] as number;
      at < (reverse.offsets[id + 1] as number);
      at += 1
    ) {
      const packed = reverse.sources[at] as number;
      edges.push({ to: this.#nodes.paths[packed >> 1] as string, typeOnly: (packed & 1) === 1 });
    }
    return edges.sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
  }

  *edges(): Iterable<{ from: string; to: string; typeOnly: boolean }> {
    const order = [...this.#nodes.paths].sort();
    for (const path of order) {
      for (const { to, typeOnly } of this.importsOf(path)) yield { from: path, to, typeOnly };
    }
  }

  /** Reverse rows by counting sort: sources of each target, in source-id order. */
  #buildReverse(): { offsets: Int32Array; sources: Int32Array } {
    const count = this.#nodes.paths.length;
    const offsets = new Int32Array(count + 1);
    for (const packed of this.#targets) {
      const slot = (packed >> 1) + 1;
      offsets[slot] = (offsets[slot] as number) + 1;
    }
    for (let id = 0; id < count; id += 1)
      offsets[id + 1] = (offsets[id + 1] as number) + (offsets[id] as number);
    const fill = offsets.slice(0, count);
    const sources = new Int32Array(this.#targets.length);
    for (let from = 0; from < count; from += 1) {
      for (
        let at = this.#offsets[from] as number;
        at < (this.#offsets[from + 1] as number);
        at += 1
      ) {
        const packed = this.#targets[at] as number;
        const target = packed >> 1;
        sources[fill[target] as number] = from * 2 + (packed & 1);
        fill[target] = (fill[target] as number) + 1;
      }
    }
    return { offsets, sources };
  }
}
